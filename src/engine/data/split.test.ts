import { describe, expect, it } from 'vitest';
import { makeEventStream } from './eventStream.ts';
import { chronologicalSplit, inductiveSplit, inductiveSplitWithNewNodes } from './split.ts';

// t = 1..12; valTime = q(0.7) = 8.7, testTime = q(0.85) = 10.35: train e0..e7, val e8..e9, test e10..e11
const stream = makeEventStream([
  [0, 1, 1], // e0
  [2, 3, 2], // e1  touches 2
  [0, 4, 3], // e2  touches 4
  [5, 1, 4], // e3
  [2, 6, 5], // e4  touches 2
  [0, 1, 6], // e5
  [4, 3, 7], // e6  touches 4
  [5, 6, 8], // e7
  [0, 1, 9], // e8  val
  [2, 7, 10], // e9  val
  [4, 3, 11], // e10 test
  [1, 0, 12], // e11 test
]);
const ids = (a: ArrayLike<number>) => Array.from(a);

describe('inductiveSplit (DyGLib get_link_prediction_data)', () => {
  it('removes training events touching a new test node and marks val/test events with a node unseen in training (hand-computed)', () => {
    // new test nodes {2, 4}: training events e1, e2, e4, e6 go; kept training e0, e3, e5, e7 use nodes {0, 1, 5, 6};
    // unseen = {2, 3, 4, 7} (3 only met new test nodes in training, 7 occurs first in validation);
    // e8 0→1 seen; e9 2→7 inductive; e10 4→3 inductive; e11 1→0 seen
    const s = inductiveSplitWithNewNodes(stream, Int32Array.from([4, 2]));
    expect(ids(s.originalEvent)).toEqual([0, 3, 5, 7, 8, 9, 10, 11]);
    expect(s.removedTrainEvents).toBe(4);
    expect(s.split).toEqual({ train: [0, 4], val: [4, 6], test: [6, 8], valTime: 8.7, testTime: 10.35 });
    expect(ids(s.newTestNodes)).toEqual([2, 4]);
    expect(ids(s.unseenNodes)).toEqual([2, 3, 4, 7]);
    expect(ids(s.inductiveMask)).toEqual([0, 0, 0, 0, 0, 1, 1, 0]);
    expect(ids(s.stream.src)).toEqual([0, 5, 0, 5, 0, 2, 4, 1]);
    expect(ids(s.stream.dst)).toEqual([1, 1, 1, 6, 1, 7, 3, 0]);
    expect(ids(s.stream.t)).toEqual([1, 4, 6, 8, 9, 10, 11, 12]);
    expect(ids(s.stream.sourceLine)).toEqual([1, 4, 6, 8, 9, 10, 11, 12]);
    expect(s.stream.numNodes).toBe(8);
    // no new test nodes: the split is the plain chronological one, and only e9 (node 7) is inductive
    const none = inductiveSplitWithNewNodes(stream, new Int32Array(0));
    expect(none.split).toEqual(chronologicalSplit(stream));
    expect(ids(none.inductiveMask)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('the seeded choice is ⌊ratio · nodes⌋ nodes occurring after valTime, the same for the same seed', () => {
    // nodes after valTime: {0, 1, 2, 3, 4, 7}; ⌊0.25 · 8⌋ = 2 of them
    const a = inductiveSplit(stream, { seed: 2020, newNodeRatio: 0.25 });
    // seed 2020 (DyGLib's) happens to pick {2, 4}, the hand-computed case above
    expect(ids(a.newTestNodes)).toEqual([2, 4]);
    expect(ids(a.inductiveMask)).toEqual([0, 0, 0, 0, 0, 1, 1, 0]);
    expect(inductiveSplit(stream, { seed: 2020, newNodeRatio: 0.25 })).toEqual(a);
    expect(a).toEqual(inductiveSplitWithNewNodes(stream, a.newTestNodes));
    const chosen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const s = inductiveSplit(stream, { seed, newNodeRatio: 0.25 });
      expect(s.newTestNodes).toHaveLength(2);
      for (const v of s.newTestNodes) expect([0, 1, 2, 3, 4, 7]).toContain(v);
      chosen.add(ids(s.newTestNodes).join(','));
    }
    expect(chosen.size).toBeGreaterThan(3);
    expect(inductiveSplit(stream, { seed: 1 }).newTestNodes).toHaveLength(0); // ⌊0.1 · 8⌋ = 0
    expect(() => inductiveSplit(stream, { seed: 1, newNodeRatio: 0.9 })).toThrow(/7 new test nodes wanted .* only 6 nodes occur after the validation time/);
  });
});

describe('chronologicalSplit with tied times', () => {
  const tied = (times: readonly number[]) => makeEventStream(times.map((t, i) => [i % 5, 5 + (i % 3), t] as const));

  it('keeps ties together when every part has events', () => {
    expect(chronologicalSplit(stream)).toEqual({ train: [0, 8], val: [8, 10], test: [10, 12], valTime: 8.7, testTime: 10.35 });
  });

  it('falls back to event order when ties leave test or validation empty (every part keeps ≥ 1 event)', () => {
    // 7 at t = 0, 3 at t = 1: q(0.7) = 0.3 → train 7; q(0.85) = 1 → val 3, test 0; by order ⌊7⌋ / ⌊8.5⌋
    expect(chronologicalSplit(tied([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]))).toEqual({ train: [0, 7], val: [7, 8], test: [8, 10], valTime: 0, testTime: 1, byOrder: true });
    // all at one time: 10 events → 7 / 1 / 2; 3 events → 1 / 1 / 1
    expect(chronologicalSplit(tied(new Array<number>(10).fill(4)))).toEqual({ train: [0, 7], val: [7, 8], test: [8, 10], valTime: 4, testTime: 4, byOrder: true });
    expect(chronologicalSplit(tied([4, 4, 4]))).toEqual({ train: [0, 1], val: [1, 2], test: [2, 3], valTime: 4, testTime: 4, byOrder: true });
    // the inductive split keeps the flag
    expect(inductiveSplitWithNewNodes(tied([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]), new Int32Array(0)).split.byOrder).toBe(true);
  });
});
