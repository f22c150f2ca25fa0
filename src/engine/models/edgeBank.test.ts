import { describe, expect, it } from 'vitest';
import { makeEventStream } from '../data/eventStream.ts';
import { DyGLibNegativeSampler, type PairNegativeSampler } from '../data/negatives.ts';
import { EdgeBank, evaluateEdgeBank } from './edgeBank.ts';

// nodes 0..5; times with a tie at t = 4
const stream = makeEventStream([
  [0, 1, 1], // e0
  [0, 2, 2], // e1
  [3, 4, 3], // e2
  [0, 1, 4], // e3 (repeat of e0)
  [5, 2, 4], // e4
  [3, 1, 5], // e5
  [0, 2, 6], // e6 (repeat of e1)
  [3, 4, 7], // e7 (repeat of e2)
]);

describe('DyGLib negative samplers', () => {
  it('historical: exactly the edges seen up to the batch start that are not in the batch', () => {
    // batch e3..e5 starts at t=4: history (t ≤ 4) = {0→1, 0→2, 3→4, 5→2}; batch edges (4 ≤ t ≤ 5) = {0→1, 5→2, 3→1}
    const s = new DyGLibNegativeSampler(stream, 'historical', 7);
    const neg = s.sample(3, 5); // 2 negatives from the two candidates 0→2, 3→4
    const pairs = Array.from(neg.src, (u, i) => `${u}→${neg.dst[i]}`).sort();
    expect(pairs).toEqual(['0→2', '3→4']);
  });

  it('historical: too few candidates → all of them, the rest random pairs outside the batch', () => {
    const s = new DyGLibNegativeSampler(stream, 'historical', 7);
    const neg = s.sample(3, 6); // 3 negatives, 2 candidates
    const pairs = Array.from(neg.src, (u, i) => `${u}→${neg.dst[i]}`);
    expect(pairs.slice(1).sort()).toEqual(['0→2', '3→4']);
    expect(['0→1', '5→2', '3→1']).not.toContain(pairs[0]);
  });

  it('inductive: historical edges never seen in training', () => {
    // training ends at t = 2 (edges 0→1, 0→2); batch e6..e7 (t 6..7): history = {0→1, 0→2, 3→4, 5→2, 3→1}
    // minus batch {0→2, 3→4} minus training {0→1, 0→2} → {5→2, 3→1}
    const s = new DyGLibNegativeSampler(stream, 'inductive', 7, 2);
    const neg = s.sample(6, 8);
    expect(Array.from(neg.src, (u, i) => `${u}→${neg.dst[i]}`).sort()).toEqual(['3→1', '5→2']);
  });

  it('random: the batch sources with seeded destinations; reset repeats them', () => {
    const s = new DyGLibNegativeSampler(stream, 'random', 3);
    const a = s.sample(2, 6);
    expect(Array.from(a.src)).toEqual([3, 0, 5, 3]);
    for (const v of a.dst) expect([1, 2, 4]).toContain(v);
    s.reset();
    expect(Array.from(s.sample(2, 6).dst)).toEqual(Array.from(a.dst));
  });
});

describe('EdgeBank', () => {
  it('predicts 1 exactly for edges in the history (unlimited) or in the recent window', () => {
    const bank = new EdgeBank(stream, 'unlimited');
    bank.advanceTo(3); // history e0..e2
    expect(Array.from(bank.predict([0, 0, 3, 5], [1, 2, 4, 2]))).toEqual([1, 1, 1, 0]);
    const recent = new EdgeBank(stream, 'window', 0.5);
    recent.advanceTo(6); // history times 1,2,3,4,4,5: window from the 0.5 quantile = 3.5
    expect(Array.from(recent.predict([0, 0, 3, 5, 3], [1, 2, 4, 2, 1]))).toEqual([1, 0, 0, 1, 1]);
  });

  it('evaluates batch by batch with the history growing before each batch (hand-computed)', () => {
    // batch e4,e5: history e0..e3 → positives 5→2, 3→1 unseen (0, 0); historical negatives 0→2, 3→4 seen (1, 1):
    //   AP 0.5 (one tied threshold after the negatives), AUC 0
    // batch e6,e7: history e0..e5 → positives 0→2, 3→4 seen (1, 1); negatives two of 0→1, 5→2, 3→1, all seen:
    //   all tied, AP 0.5, AUC 0.5
    const m = evaluateEdgeBank(new EdgeBank(stream), 4, 8, 2, new DyGLibNegativeSampler(stream, 'historical', 1)).metrics;
    expect(m.apBatchMean).toBe(0.5);
    expect(m.aucBatchMean).toBe(0.25);
    // all pairs: positives [0, 0, 1, 1], negatives [1, 1, 1, 1]: AP = 0.5·(2/6) + 0.5·(4/8)
    expect(m.ap).toBeCloseTo(0.5 / 3 + 0.25, 12);
  });

  it('MRR with k random negatives per positive, ties counted half, and over the masked events only (hand-computed)', () => {
    // a fixed 'random' sampler: the batch's sources with these destinations, one array per draw
    const draws = [[4, 4], [1, 2], [1, 1], [4, 2]];
    let next = 0;
    const fixed: PairNegativeSampler = {
      strategy: 'random',
      sample: (a, b) => ({ src: stream.src.slice(a, b), dst: Int32Array.from(draws[next++]!) }),
      reset: () => void (next = 0),
    };
    // batch e4,e5 (history 0→1, 0→2, 3→4): e4 5→2 = 0 vs 5→4 = 0, 5→1 = 0: two ties → rank 2, RR 1/2;
    //   e5 3→1 = 0 vs 3→4 = 1, 3→2 = 0: one above, one tie → rank 2.5, RR 0.4
    // batch e6,e7 (history adds 5→2, 3→1): e6 0→2 = 1 vs 0→1 = 1, 0→4 = 0 → rank 1.5, RR 2/3;
    //   e7 3→4 = 1 vs 3→1 = 1, 3→2 = 0 → rank 1.5, RR 2/3
    const mask = new Uint8Array(stream.numEvents);
    mask[5] = mask[7] = 1;
    const r = evaluateEdgeBank(new EdgeBank(stream), 4, 8, 2, fixed, { negativesPerPositive: 2, inductiveMask: mask });
    expect(r.metrics.mrr).toBeCloseTo((0.5 + 0.4 + 2 / 3 + 2 / 3) / 4, 12);
    expect(r.inductive!.mrr).toBeCloseTo((0.4 + 2 / 3) / 2, 12);
    // masked e5: positive 0 vs negatives 1, 0 → AP 1/3; masked e7: positive 1 vs 1, 0 → AP 1/2
    expect(r.inductive!.apBatchMean).toBeCloseTo((1 / 3 + 1 / 2) / 2, 12);
    // without a mask there are no inductive metrics; k > 1 needs random negatives
    expect(evaluateEdgeBank(new EdgeBank(stream), 4, 8, 2, fixed).inductive).toBeNull();
    expect(() => evaluateEdgeBank(new EdgeBank(stream), 4, 8, 2, new DyGLibNegativeSampler(stream, 'historical', 1), { negativesPerPositive: 2 }))
      .toThrow(/drawn at random; got the historical sampler/);
  });
});
