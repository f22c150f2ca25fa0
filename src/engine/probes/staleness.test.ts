import { describe, expect, it } from 'vitest';
import { makeEventStream } from '../data/eventStream.ts';
import { batchAnatomy, stalenessByBatchSize } from './staleness.ts';

// 10 events with a tie in time (e1, e2) and two self-loops (e3, e6)
const stream = makeEventStream([
  [0, 1, 1], // e0
  [2, 3, 2], // e1
  [1, 2, 2], // e2
  [4, 4, 3], // e3 self-loop
  [0, 4, 3], // e4
  [3, 5, 4], // e5
  [5, 5, 5], // e6 self-loop
  [1, 0, 6], // e7
  [6, 7, 6], // e8
  [7, 6, 7], // e9
]);

describe('staleness and information loss, by hand', () => {
  // 18 mails: 8 events × 2 + 2 self-loops × 1
  it.each([
    // B, mailbox, stale events, surviving mails, batches
    [1, 1, 0, 18, 10],
    [3, 1, 2, 15, 4], // [e0 e1 e2*] [e3 e4* e5] [e6 e7 e8] [e9]
    [5, 1, 4, 11, 2], // [e0 e1 e2* e3 e4*] [e5 e6* e7 e8 e9*]
    [10, 1, 6, 8, 1], // e2 e4 e5 e6 e7 e9 stale; 8 distinct nodes
    [10, 2, 6, 16, 1], // every node keeps two mails
  ])('B=%i, mailbox %i: %i stale events, %i of 18 mails survive', (B, k, stale, surviving, batches) => {
    const [r] = stalenessByBatchSize(stream, [B], k);
    expect(r).toEqual({ batchSize: B, batches, staleFraction: stale / 10, droppedMailFraction: 1 - surviving / 18 });
  });

  it('both fractions are 0 at B = 1 on a real-looking range too', () => {
    const [r] = stalenessByBatchSize(stream, [1], 1, [2, 9]);
    expect([r!.staleFraction, r!.droppedMailFraction, r!.batches]).toEqual([0, 0, 7]);
  });

  it('batch anatomy names the missed update and the dropped mails', () => {
    const a = batchAnatomy(stream, 0, 5, 1);
    const e2 = a.events[2]!;
    expect([e2.stale, e2.missedViaSrc, e2.missedViaDst]).toEqual([true, 0, 1]); // node 1 from e0, node 2 from e1
    const e4 = a.events[4]!;
    expect([e4.stale, e4.missedViaSrc, e4.missedViaDst]).toEqual([true, 0, 3]); // node 0 from e0, node 4 from e3
    expect(a.events.filter((e) => e.stale).map((e) => e.index)).toEqual([2, 4]);
    // self-loop e3 mails node 4 once; the later e4 overwrites it
    expect(a.mails.filter((m) => m.event === 3)).toEqual([{ event: 3, node: 4, dropped: true }]);
    expect(a.mails.filter((m) => m.dropped).map((m) => [m.event, m.node])).toEqual([[0, 0], [0, 1], [1, 2], [3, 4]]);
    expect(a.droppedMailFraction).toBeCloseTo(4 / 9, 12);
    expect(a.staleFraction).toBe(2 / 5);
    // with room for two mails nothing in this batch drops
    expect(batchAnatomy(stream, 0, 5, 2).mails.every((m) => !m.dropped)).toBe(true);
  });
});
