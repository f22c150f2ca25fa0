import { describe, expect, it } from 'vitest';
import { TemporalIndex } from './temporalIndex.ts';
import { makeEventStream } from '../data/eventStream.ts';
import { Rng } from '../util/rng.ts';

// events: (src, dst, t)
const stream = makeEventStream([
  [0, 1, 1], // e0
  [0, 2, 2], // e1
  [1, 2, 2], // e2
  [0, 3, 4], // e3
  [2, 2, 5], // e4 self-loop
  [0, 1, 7], // e5
]);

function build(upTo = stream.numEvents): TemporalIndex {
  const idx = new TemporalIndex(stream.numNodes, stream.src, stream.dst);
  idx.insertRange(stream.src, stream.dst, stream.t, 0, upTo);
  return idx;
}

describe('TemporalIndex (T-CSR)', () => {
  it('returns the k most recent neighbours strictly before t, oldest first', () => {
    const nb = build().mostRecent(Int32Array.from([0]), 7, 2);
    // node 0 events before t=7: e0(1), e1(2), e3(4) → last two: e1, e3
    expect(Array.from(nb.edge)).toEqual([1, 3]);
    expect(Array.from(nb.node)).toEqual([2, 3]);
    expect(Array.from(nb.t)).toEqual([2, 4]);
    expect(nb.count[0]).toBe(2);
  });

  it('cuts strictly: an event at exactly t is excluded', () => {
    const nb = build().mostRecent(Int32Array.from([2]), 2, 5);
    // node 2: e1(2), e2(2), e4(5) → before 2: none
    expect(nb.count[0]).toBe(0);
    expect(Array.from(nb.node)).toEqual([-1, -1, -1, -1, -1]);
  });

  it('indexes both directions and a self-loop once; ties keep insertion order', () => {
    const nb = build().mostRecent(Int32Array.from([2, 1]), Float64Array.from([6, 8]), 4);
    // node 2 before 6: e1 (from 0), e2 (from 1), e4 (self) — padded to 4
    expect(Array.from(nb.edge.subarray(0, 4))).toEqual([1, 2, 4, -1]);
    expect(Array.from(nb.node.subarray(0, 4))).toEqual([0, 1, 2, -1]);
    // node 1 before 8: e0, e2, e5
    expect(Array.from(nb.edge.subarray(4, 8))).toEqual([0, 2, 5, -1]);
    expect(Array.from(nb.count)).toEqual([3, 3]);
  });

  it('is incremental: only inserted events are visible, and reset empties it', () => {
    const idx = build(3);
    expect(idx.mostRecent(Int32Array.from([0]), Infinity, 10).count[0]).toBe(2);
    idx.insertRange(stream.src, stream.dst, stream.t, 3, 6);
    expect(idx.mostRecent(Int32Array.from([0]), Infinity, 10).count[0]).toBe(4);
    idx.reset();
    expect(idx.size).toBe(0);
    expect(idx.mostRecent(Int32Array.from([0]), Infinity, 10).count[0]).toBe(0);
  });

  it('rejects out-of-order inserts', () => {
    const idx = build(4);
    expect(() => idx.insert(0, 1, 3, 0)).toThrow(/time order/);
  });

  it('uniform sampling draws only from neighbours before t, seeded', () => {
    const idx = build();
    const a = idx.uniform(Int32Array.from([0]), 7, 8, new Rng(3));
    const b = idx.uniform(Int32Array.from([0]), 7, 8, new Rng(3));
    expect(Array.from(a.edge)).toEqual(Array.from(b.edge));
    for (const e of a.edge) expect([0, 1, 3]).toContain(e);
    const ts = Array.from(a.t);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
  });
});
