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

  it('keeps orientation when warm-started from the previous components', () => {
    const rows = Float32Array.from([3, 0, -3, 0, 0, 1, 0, -1]);
    const a = pca2(rows, 4, 2);
    const flipped = Float64Array.from(a.components, (v) => -v);
    const b = pca2(rows, 4, 2, flipped);
    expect(b.x[0]).toBeCloseTo(-a.x[0]!, 5);
  });
});
