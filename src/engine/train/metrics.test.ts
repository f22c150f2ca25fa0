import { describe, expect, it } from 'vitest';
import { averagePrecision, LinkMetricsAccumulator, meanReciprocalRank, rocAuc } from './metrics.ts';

describe('metrics (hand-computed, scikit-learn conventions)', () => {
  it('AP of a perfect ranking is 1 and AUC is 1', () => {
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
  });

  it('AP and AUC of a mixed ranking', () => {
    // sklearn: average_precision_score([1,0,1,0],[0.9,0.8,0.7,0.1]) = 0.5*1 + 0.5*(2/3) = 0.8333…
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 12);
    // pairs (pos, neg): (0.9>0.8)(0.9>0.1)(0.7<0.8)(0.7>0.1) → 3/4
    expect(rocAuc([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.75, 12);
  });

  it('ties form one threshold (AP) and count half (AUC)', () => {
    // all tied: AP = precision at the single threshold = 1/2; AUC = 0.5
    expect(averagePrecision([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(rocAuc([0.5, 0.5], [1, 0])).toBe(0.5);
  });

  it('accumulates global and per-batch means', () => {
    const acc = new LinkMetricsAccumulator();
    acc.addBatch([0.9], [0.1]); // AP 1, AUC 1
    acc.addBatch([0.2], [0.8]); // AP 0.5, AUC 0
    const m = acc.result();
    expect(m.apBatchMean).toBeCloseTo(0.75, 12);
    expect(m.aucBatchMean).toBeCloseTo(0.5, 12);
    // global: scores 0.9(+) 0.8(-) 0.2(+) 0.1(-): AP = 0.5*1 + 0.5*(2/3)
    expect(m.ap).toBeCloseTo(5 / 6, 12);
    expect(m.auc).toBeCloseTo(0.75, 12);
  });

  it('MRR ranks each positive among its own negatives, ties counted half (TGB)', () => {
    // positive 0.9 vs [0.1, 0.2] → rank 1; 0.5 vs [0.7, 0.5] → 1 above + 1 tie → rank 2.5; 0.1 vs [0.3, 0.4] → rank 3
    expect(meanReciprocalRank([0.9, 0.5, 0.1], [0.1, 0.2, 0.7, 0.5, 0.3, 0.4], 2)).toBeCloseTo((1 + 1 / 2.5 + 1 / 3) / 3, 12);
    const acc = new LinkMetricsAccumulator();
    acc.addBatch([0.9], [0.1]);
    expect(acc.result().mrr).toBeUndefined();
    acc.addRanking([0.9, 0.1], [0.1, 0.2, 0.3, 0.4], 2);
    expect(acc.result().mrr).toBeCloseTo((1 + 1 / 3) / 2, 12);
  });
});
