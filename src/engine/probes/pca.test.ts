import { describe, expect, it } from 'vitest';
import { pca2 } from './pca.ts';

describe('pca2', () => {
  it('finds the axis of largest variance first and projects onto it', () => {
    // points along (1, 1, 0) with spread 2, along (1, −1, 0) with spread 0.5
    const rows = [[2, 2, 0], [-2, -2, 0], [0.5, -0.5, 0], [-0.5, 0.5, 0]];
    const p = pca2(Float32Array.from(rows.flat()), 4, 3);
    const c1 = Array.from(p.components.subarray(0, 3));
    expect(Math.abs(c1[0]!)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(c1[0]! * c1[1]!).toBeGreaterThan(0);
    expect(Math.abs(p.x[0]!)).toBeCloseTo(2 * Math.SQRT2, 5);
    expect(Math.abs(p.y[2]!)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(p.variance[0]).toBeGreaterThan(p.variance[1]);
  });

  it('reports the share of the total variance each component explains', () => {
    // same points as above: total variance = trace of the covariance = (8.5 + 8.5 + 0) / 3 = 17/3;
    // PC1 carries 16/3 (scores ±2√2, 0, 0), PC2 1/3 (scores 0, 0, ±1/√2): shares 16/17 and 1/17
    const rows = [[2, 2, 0], [-2, -2, 0], [0.5, -0.5, 0], [-0.5, 0.5, 0]];
    const p = pca2(Float32Array.from(rows.flat()), 4, 3);
    expect(p.totalVariance).toBeCloseTo(17 / 3, 5);
    expect(p.variance[0]).toBeCloseTo(16 / 3, 5);
    expect(p.variance[1]).toBeCloseTo(1 / 3, 5);
    expect(p.varianceFraction[0]).toBeCloseTo(16 / 17, 5);
    expect(p.varianceFraction[1]).toBeCloseTo(1 / 17, 5);
  });

  it('leaves the third axis unexplained: the two shares sum to less than 1', () => {
    // ±3 on x, ±2 on y, ±1 on z (n = 6): column variances 18/5, 8/5, 2/5, total 28/5
    const rows = [[3, 0, 0], [-3, 0, 0], [0, 2, 0], [0, -2, 0], [0, 0, 1], [0, 0, -1]];
    const p = pca2(Float32Array.from(rows.flat()), 6, 3);
    expect(p.totalVariance).toBeCloseTo(28 / 5, 5);
    expect(p.varianceFraction[0]).toBeCloseTo(9 / 14, 4);
    expect(p.varianceFraction[1]).toBeCloseTo(2 / 7, 4);
  });

  it('gives shares of 0 when every point is the same', () => {
    const p = pca2(Float32Array.from([1, 2, 1, 2, 1, 2]), 3, 2);
    expect(p.totalVariance).toBe(0);
    expect(p.varianceFraction).toEqual([0, 0]);
  });

  it('keeps orientation when warm-started from the previous components', () => {
    const rows = Float32Array.from([3, 0, -3, 0, 0, 1, 0, -1]);
    const a = pca2(rows, 4, 2);
    const flipped = Float64Array.from(a.components, (v) => -v);
    const b = pca2(rows, 4, 2, flipped);
    expect(b.x[0]).toBeCloseTo(-a.x[0]!, 5);
  });
});
