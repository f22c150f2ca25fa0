import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import type { BackendName } from '../../shared/backend.ts';
import { compositeGruGates, compositeNeighbourAttention, compositeTimeEncoding, FUSED_KERNELS, gruGates, neighbourAttention, timeEncoding, type NeighbourAttentionInput } from './fused.ts';
import { fastCos, fastExp, fastSin } from './fusedMath.ts';
import { createTgn } from '../models/tgn.ts';
import { bceLoss } from '../train/trainer.ts';
import { TINY_TGN, randomStream } from '../testing.ts';
import { Rng } from '../util/rng.ts';

tf.env().set('PROD', true);

const BACKENDS: BackendName[] = ['cpu', 'wasm'];

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    expect(Math.abs(a[i]! - b[i]!), `${what}[${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
  }
}

/** values and gradients of sum(f(x)·weights) with respect to the differentiable inputs, as plain arrays */
function valueAndGrads(f: (xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], weights: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const out = f(xs);
    const grads = tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(f(ys), weights)))(xs);
    return [Array.from(out.dataSync()), ...grads.map((g) => Array.from(g.dataSync()))];
  });
}

describe('fast cos and sin', () => {
  it('agree with Math.cos and Math.sin to float32 resolution, at small and huge arguments', () => {
    for (const x of [0, 1e-7, 0.5, -1, Math.PI / 2, Math.PI, -Math.PI, 3 * Math.PI / 4, 10, -123.456, 9.87e6, 2.5e7]) {
      const r = x - Math.round(x / (2 * Math.PI)) * 2 * Math.PI;
      expect(Math.abs(fastCos(x) - Math.cos(r)), `cos(${x})`).toBeLessThan(1e-8);
      expect(Math.abs(fastSin(x) - Math.sin(r)), `sin(${x})`).toBeLessThan(1e-8);
    }
    expect(fastCos(0)).toBe(1);
    expect(fastSin(0)).toBe(0);
  });
});

describe('fast exp', () => {
  it('agrees with Math.exp to 1e-8 relative over float32\'s range, and is clamped past it', () => {
    for (let x = -87; x <= 87; x += 0.37) expect(Math.abs(fastExp(x) / Math.exp(x) - 1), `exp(${x})`).toBeLessThan(1e-8);
    for (const x of [0, 1e-9, -1e-9, 0.5, -0.5, 1, -1]) expect(Math.abs(fastExp(x) / Math.exp(x) - 1), `exp(${x})`).toBeLessThan(1e-8);
    expect(fastExp(0)).toBe(1);
    expect(fastExp(1000)).toBe(fastExp(87));
    expect(fastExp(-1000)).toBe(fastExp(-87));
  });
});

describe.each(BACKENDS)('fused kernels on %s', (backend) => {
  it('GRU gates by hand: zero projections give r = z = ½, n = 0, so h\' = h/2', async () => {
    await useBackend(backend, 'test');
    const h = tf.tensor2d([[2, -4]]);
    expectClose(gruGates(tf.zeros([1, 6]), tf.zeros([1, 6]), h).dataSync(), [1, -2], 1e-7, 'state');
    // gx_n = atanh(0.5) with z = ½ (gx_z = 0) and h = 0: h' = ½·tanh(atanh ½) = 0.25
    const gx = tf.tensor2d([[0, 0, 0, 0, Math.atanh(0.5), Math.atanh(0.5)]]);
    expectClose(gruGates(gx, tf.zeros([1, 6]), tf.zeros([1, 2])).dataSync(), [0.25, 0.25], 1e-7, 'state');
  });

  it('GRU gates equal the tfjs-op composition, values and gradients, over saturating and small arguments', async () => {
    await useBackend(backend, 'test');
    const rng = new Rng(8);
    const [M, H] = [5, 4];
    const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
    const gx = tf.tensor2d(rand(M * 3 * H, 6), [M, 3 * H]);
    const gh = tf.tensor2d(rand(M * 3 * H, 3), [M, 3 * H]);
    const h = tf.tensor2d(rand(M * H, 1), [M, H]);
    const weights = tf.tensor2d(rand(M * H, 1), [M, H]);
    const fused = valueAndGrads(([a, b, c]) => gruGates(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D), [gx, gh, h], weights);
    const composite = valueAndGrads(([a, b, c]) => compositeGruGates(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D), [gx, gh, h], weights);
    ['state', 'd gx', 'd gh', 'd h'].forEach((what, i) => expectClose(fused[i]!, composite[i]!, 1e-5, what));
    tf.dispose([gx, gh, h, weights]);
  });


  it('time encoding by hand: cos(dt·w + b) and its gradients', async () => {
    await useBackend(backend, 'test');
    const dt = tf.tensor1d([0, Math.PI / 2]);
    const w = tf.tensor2d([[1, 2]]);
    const b = tf.tensor1d([0, 0]);
    // cos(0) = 1, cos(0) = 1; cos(π/2) ≈ 0, cos(π) = −1
    expectClose(timeEncoding(dt, w, b).dataSync(), [1, 1, 0, -1], 1e-6, 'encoding');
    // d/dw[j] Σᵢ cos(dtᵢ·w[j]) = −Σᵢ sin(dtᵢ·w[j])·dtᵢ: −(0 + π/2·1) for j = 0, −(0 + π/2·sin(π)) = 0 for j = 1
    const [gw, gb] = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(timeEncoding(dt, ww as tf.Tensor2D, bb as tf.Tensor1D)))([w, b]);
    expectClose(gw!.dataSync(), [-Math.PI / 2, 0], 1e-6, 'dw');
    expectClose(gb!.dataSync(), [-1, 0], 1e-6, 'db');
    tf.dispose([dt, w, b, gw!, gb!]);
  });

  it('time encoding equals the tfjs-op composition, values and gradients, at Δt up to 1e6', async () => {
    await useBackend(backend, 'test');
    const rng = new Rng(2);
    const n = 7;
    const D = 5;
    const dt = tf.tensor1d(Float32Array.from({ length: n }, (_, i) => (i === 0 ? 0 : rng.uniform(0, 10 ** i))));
    const w = tf.tensor2d(Float32Array.from({ length: D }, (_, j) => 10 ** (-(9 * j) / (D - 1))), [1, D]);
    const b = tf.tensor1d(Float32Array.from({ length: D }, () => rng.uniform(-1, 1)));
    const weights = tf.tensor2d(Float32Array.from({ length: n * D }, () => rng.uniform(-1, 1)), [n, D]);
    const fused = valueAndGrads(([ww, bb]) => timeEncoding(dt, ww as tf.Tensor2D, bb as tf.Tensor1D), [w, b], weights);
    const composite = valueAndGrads(([ww, bb]) => compositeTimeEncoding(dt, ww as tf.Tensor2D, bb as tf.Tensor1D), [w, b], weights);
    expectClose(fused[0]!, composite[0]!, 1e-6, 'encoding');
    expectClose(fused[1]!, composite[1]!, 1e-5, 'dw');
    expectClose(fused[2]!, composite[2]!, 1e-5, 'db');
    tf.dispose([dt, w, b, weights]);
  });

  it('attention by hand: softmax weights 1/4 and 3/4 over two neighbours; padding and a query without neighbours', async () => {
    await useBackend(backend, 'test');
    // one head of width 1; query 0 has slots (key + e) = 0 and ln 3, (value + e) = 4 and 8, and a padding
    // slot; query 1 has only padding. Weights softmax(0, ln 3) = (1/4, 3/4): output 1/4·4 + 3/4·8 = 7.
    const ln3 = Math.log(3);
    const x: NeighbourAttentionInput = {
      kv: tf.tensor2d([[1, 5], [ln3 - 1, 7], [50, 50]]),
      rows: tf.tensor1d([0, 1, 2, 2, 2, 2], 'int32'),
      e: tf.tensor2d([[-1], [1]]),
      eRows: tf.tensor1d([0, 1, 0, 0, 0, 0], 'int32'),
      q: tf.tensor2d([[1], [1]]),
      mask: tf.tensor1d([1, 1, 0, 0, 0, 0]),
      keep: tf.tensor1d([1, 1, 1, 1, 1, 1]),
      heads: 1,
    };
    expectClose(neighbourAttention(x).dataSync(), [7, 0], 1e-6, 'output');
    // with the second slot's weight dropped (keep 0) and the first doubled: 2·1/4·4 = 2
    expectClose(neighbourAttention({ ...x, keep: tf.tensor1d([2, 0, 1, 1, 1, 1]) }).dataSync(), [2, 0], 1e-6, 'dropout');
  });

  it('attention equals the tfjs-op composition, values and gradients (2 heads, shared table rows, padding, dropout)', async () => {
    await useBackend(backend, 'test');
    const rng = new Rng(5);
    const [Q, K, H, C, U] = [4, 3, 2, 3, 6];
    const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const mask = Float32Array.from({ length: Q * K }, (_, s) => (Math.floor(s / K) === 2 || s % K === 2 && s < K ? 0 : 1)); // query 2: none; query 0: 2 of 3
    // slots share table rows (their gradients add up); row 5 is read by padding slots only
    const rows = Int32Array.from({ length: Q * K }, (_, s) => (mask[s] === 0 ? 5 : (s * 7) % 5));
    let real = 0;
    const eRows = Int32Array.from(mask, (m) => (m === 0 ? 0 : real++));
    const keep = Float32Array.from({ length: Q * K * H }, () => (rng.next() < 0.2 ? 0 : 1.25));
    const kv = tf.tensor2d(rand(U * 2 * H * C), [U, 2 * H * C]);
    const e = tf.tensor2d(rand(real * H * C), [real, H * C]);
    const q = tf.tensor2d(rand(Q * H * C), [Q, H * C]);
    const weights = tf.tensor2d(rand(Q * H * C), [Q, H * C]);
    const inputOf = ([a, b, c]: tf.Tensor[]): NeighbourAttentionInput => ({
      kv: a as tf.Tensor2D, rows: tf.tensor1d(rows, 'int32'), e: b as tf.Tensor2D, eRows: tf.tensor1d(eRows, 'int32'), q: c as tf.Tensor2D,
      mask: tf.tensor1d(mask), keep: tf.tensor1d(keep), heads: H,
    });
    const fused = valueAndGrads((xs) => neighbourAttention(inputOf(xs)), [kv, e, q], weights);
    const composite = valueAndGrads((xs) => compositeNeighbourAttention(inputOf(xs)), [kv, e, q], weights);
    ['output', 'd kv', 'd e', 'd q'].forEach((what, i) => expectClose(fused[i]!, composite[i]!, 1e-5, what));
    // query 2 has no neighbour: zero output; the row only padding reads gets no gradient
    expect(fused[0]!.slice(2 * H * C, 3 * H * C).every((v) => v === 0)).toBe(true);
    expect(fused[1]!.slice(5 * 2 * H * C).every((v) => v === 0)).toBe(true);
    expect(fused[1]!.slice(0, 2 * H * C).some((v) => v !== 0)).toBe(true);
    tf.dispose([kv, e, q, weights]);
  });

  it('a TGN training step gives the same loss and gradients with the fused kernels as with tfjs ops; no tensor leaks', async () => {
    await useBackend(backend, 'test');
    const stream = randomStream(40, 8, 3);
    const step = (): number[][] => {
      const model = createTgn(stream, TINY_TGN, 9);
      const neg = Int32Array.from({ length: 20 }, (_, i) => (i * 3) % 8);
      model.commit(model.plan(0, 20, neg), new Float32Array(0));
      const plan = model.plan(20, 40, neg);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward(plan, true, new Rng(1));
        return bceLoss(out.pos, out.neg);
      }, model.variables);
      const res = [Array.from(value.dataSync()), ...model.variables.map((v) => Array.from(grads[v.name]?.dataSync() ?? []))];
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
      return res;
    };
    const fused = step();
    const saved = FUSED_KERNELS.map((name) => tf.getKernel(name, backend)!);
    for (const name of FUSED_KERNELS) tf.unregisterKernel(name, backend);
    try {
      const composite = step();
      fused.forEach((row, i) => expectClose(row, composite[i]!, 1e-4, `output ${i}`));
    } finally {
      for (const config of saved) tf.registerKernel(config);
    }
  });
});
