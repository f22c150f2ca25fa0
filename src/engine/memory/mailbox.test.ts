import { describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.ts';
import { makeEventStream } from '../data/eventStream.ts';

const s = makeEventStream([
  [0, 1, 1], // e0
  [0, 2, 2], // e1
  [1, 2, 3], // e2
  [3, 3, 4], // e3 self-loop
]);

describe('Mailbox', () => {
  it('size 1 keeps the last mail of each node; the rest count as dropped', () => {
    const mb = new Mailbox(4, 1);
    mb.storeEvents(s.src, s.dst, s.t, 0, 4);
    // node 0: e0 then e1 → e1 (other 2); node 1: e0 then e2 → e2 (other 2); node 2: e1 then e2 → e2 (other 1)
    const last = (v: number) => ({ edge: mb.edge[mb.lastSlot(v)], other: mb.other[mb.lastSlot(v)], t: mb.t[mb.lastSlot(v)] });
    expect(last(0)).toEqual({ edge: 1, other: 2, t: 2 });
    expect(last(1)).toEqual({ edge: 2, other: 2, t: 3 });
    expect(last(2)).toEqual({ edge: 2, other: 1, t: 3 });
    // self-loop mails its node once
    expect(last(3)).toEqual({ edge: 3, other: 3, t: 4 });
    expect(Array.from(mb.count)).toEqual([1, 1, 1, 1]);
    // 7 mails sent (2+2+2+1), 4 nodes keep one each
    expect(mb.dropped).toBe(3);
  });

  it('size k keeps the k most recent mails, oldest first', () => {
    const mb = new Mailbox(4, 2);
    mb.storeEvents(s.src, s.dst, s.t, 0, 3);
    mb.push(0, 3, 9, 7); // third mail for node 0 overwrites e0's
    expect(mb.slots(0).map((x) => mb.edge[x])).toEqual([1, 7]);
    expect(mb.slots(2).map((x) => mb.edge[x])).toEqual([1, 2]);
    expect(mb.dropped).toBe(1);
  });

  it('clear and reset empty it', () => {
    const mb = new Mailbox(4, 1);
    mb.storeEvents(s.src, s.dst, s.t, 0, 2);
    mb.clear(0);
    expect(mb.hasMail(0)).toBe(false);
    expect(mb.hasMail(1)).toBe(true);
    mb.reset();
    expect(Array.from(mb.count)).toEqual([0, 0, 0, 0]);
  });

  it('consumeUpTo drops the mails a memory update applied (t ≤ its time), oldest first, and keeps newer ones', () => {
    const mb = new Mailbox(2, 3);
    for (const t of [1, 2, 3]) mb.push(0, 1, t, 0);
    mb.consumeUpTo(0, 2);
    expect(mb.slots(0).map((slot) => mb.t[slot])).toEqual([3]);
    mb.push(0, 1, 4, 1);
    expect(mb.slots(0).map((slot) => mb.t[slot])).toEqual([3, 4]);
    mb.consumeUpTo(0, 9);
    expect(mb.hasMail(0)).toBe(false);
    mb.consumeUpTo(1, 5); // a node without mail: nothing to do
    expect(mb.hasMail(1)).toBe(false);
  });
});
