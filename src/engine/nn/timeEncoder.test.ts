import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { Rng } from '../util/rng.ts';
import { CosineTimeEncoder } from './timeEncoder.ts';
import { allOk, gradientReport, rows, setWeights } from './testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

describe('CosineTimeEncoder', () => {
  it('maps n time gaps to n × dim; w starts at 10^(−linspace(0, 9, dim)), b at 0', () => {
    const before = tf.memory().numTensors;
    const enc = new CosineTimeEncoder(3, new Rng(1));
    // linspace(0, 9, 3) = [0, 4.5, 9]
    const w = enc.w.dataSync();
    expect(enc.w.shape).toEqual([1, 3]);
    expect(w[0]).toBe(1);
    expect(w[1]).toBeCloseTo(Math.pow(10, -4.5), 10);
    expect(w[2]).toBeCloseTo(1e-9, 15);
    expect(Array.from(enc.b.dataSync())).toEqual([0, 0, 0]);
    const out = tf.tidy(() => enc.encode(tf.tensor1d([0, 1, 2, 3])));
    expect(out.shape).toEqual([4, 3]);
    out.dispose();
    // dim 1: the one frequency is 10^0
    const one = new CosineTimeEncoder(1, new Rng(1));
    expect(Array.from(one.w.dataSync())).toEqual([1]);
    one.dispose();
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes cos(w·Δt + b) exactly', () => {
    const before = tf.memory().numTensors;
    const enc = new CosineTimeEncoder(3, new Rng(1));
    // w = [π, π/2, π/3], b = [0, 0, π/3]
    setWeights(enc.w, [Math.PI, Math.PI / 2, Math.PI / 3]);
    setWeights(enc.b, [0, 0, Math.PI / 3]);
    // Δt = 0: [cos 0, cos 0, cos π/3] = [1, 1, 0.5]
    // Δt = 1: [cos π, cos π/2, cos 2π/3] = [−1, 0, −0.5]
    const out = tf.tidy(() => enc.encode(tf.tensor1d([0, 1])));
    const got = rows(out);
    [[1, 1, 0.5], [-1, 0, -0.5]].forEach((row, i) => row.forEach((x, j) => expect(got[i]![j], `[${i}][${j}]`).toBeCloseTo(x, 6)));
    out.dispose();
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(φ(Δt)) reach w and b', () => {
    const before = tf.memory().numTensors;
    const enc = new CosineTimeEncoder(3, new Rng(1));
    setWeights(enc.w, [Math.PI, Math.PI / 2, Math.PI / 3]);
    setWeights(enc.b, [0, 0, Math.PI / 3]);
    // d/db_j = −Σ sin(w_j·Δt + b_j), d/dw_j = −Σ Δt·sin(…): non-zero at Δt = 0.5, 2
    const dt = tf.tensor1d([0.5, 2]);
    expect(gradientReport(() => tf.sum(enc.encode(dt)) as tf.Scalar, { w: enc.w, b: enc.b })).toEqual(allOk({ w: 0, b: 0 }));
    dt.dispose();
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
