import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { wasmIo } from './wasmKernels.ts';
import { useBackend } from '../backend.ts';
import type { BackendName } from '../../shared/backend.ts';
import { makeEventStream } from '../data/eventStream.ts';
import { createTgn } from '../models/tgn.ts';
import { bceLoss } from '../train/trainer.ts';
import { TINY_TGN } from '../testing.ts';
import { Rng } from '../util/rng.ts';

tf.env().set('PROD', true);

/** runs f on a backend and returns plain arrays */
async function on(backend: BackendName, f: () => tf.Tensor[]): Promise<number[][]> {
  await useBackend(backend, 'test');
  const ts = tf.tidy(f);
  const out = ts.map((t) => Array.from(t.dataSync()));
  tf.dispose(ts);
  return out;
}

function expectClose(a: number[][], b: number[][], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i]!.length);
    row.forEach((v, j) => expect(Math.abs(v - b[i]![j]!), `output ${i}[${j}]: ${v} vs ${b[i]![j]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(v))));
  });
}

const rng = new Rng(4);
const rand = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
const A = rand(6 * 5);
const B = rand(6 * 4);
const W = rand(5 * 4);
const BIG = rand(40, 2e7);

describe('wasm kernels replaced by the engine agree with tfjs cpu', () => {
  it('a product over an empty inner dimension is zeros (a layer that saw no rows has a zero weight gradient)', async () => {
    await useBackend('wasm', 'test');
    // leave nonzero values in freed heap memory, where tfjs-backend-wasm's own kernel would return them
    tf.tidy(() => tf.fill([8, 3], 7).dataSync());
    const [plain, transposed] = await on('wasm', () => [tf.matMul(tf.zeros([8, 0]), tf.zeros([0, 3])), tf.matMul(tf.zeros([0, 8]), tf.zeros([0, 3]), true, false)]);
    expect(plain).toEqual(new Array(24).fill(0));
    expect(transposed).toEqual(new Array(24).fill(0));
  });

  it('split and concat along every axis (float32 row copies; int32 through tfjs), and their gradients', async () => {
    const X = rand(2 * 6 * 5);
    const f = () => {
      const x = tf.tensor3d(X, [2, 6, 5]);
      const parts = [...tf.split(x, [2, 3], 2), ...tf.split(x, [1, 4, 1], 1), ...tf.split(x, 2, 0)];
      const joined = [tf.concat([parts[0]!, parts[1]!], 2), tf.concat([parts[2]!, parts[3]!, parts[4]!], 1), tf.concat([parts[6]!, parts[5]!], 0)];
      const ints = tf.concat(tf.split(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [1, 2], 1).reverse(), 1);
      const grad = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(tf.concat(tf.split(y, [3, 2], 2).reverse(), 2), tf.tensor3d(X.map((v) => v * v), [2, 6, 5]))))(x);
      return [...parts, ...joined, ints, grad];
    };
    const wasm = await on('wasm', f);
    expectClose(wasm, await on('cpu', f), 0);
    // the joined parts are the input again
    for (const i of [7, 8]) expect(wasm[i]).toEqual(Array.from(X));
  });

  it('sums over rows (kept and dropped dimension), and every other reduction through tfjs', async () => {
    const f = () => {
      const x = tf.tensor2d(A, [6, 5]);
      return [tf.sum(x, 0), tf.sum(x, 0, true), tf.sum(x, -2), tf.sum(x, 1), tf.sum(x), tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0)];
    };
    expectClose(await on('wasm', f), await on('cpu', f), 1e-6);
  });

  it('row gather, its gradient (UnsortedSegmentSum), transposed matMul, cos and sin', async () => {
    const f = () => {
      const a = tf.tensor2d(A, [6, 5]);
      const b = tf.tensor2d(B, [6, 4]);
      const w = tf.tensor2d(W, [5, 4]);
      const idx = tf.tensor1d([5, 0, 5, 2, 2, 2, 1], 'int32');
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, idx), tf.range(0, 35).reshape([7, 5]))))(a);
      const big = tf.tensor1d(BIG);
      return [
        tf.gather(a, idx), g, tf.unsortedSegmentSum(b, tf.tensor1d([2, 0, 2, 1, 0, 2], 'int32'), 4),
        tf.matMul(a, b, true, false), tf.matMul(b, w, false, true), tf.matMul(a, w),
        tf.cos(big), tf.sin(big), tf.cos(tf.tensor1d([0, 1, -2.5])),
      ];
    };
    const cpu = await on('cpu', f);
    const wasm = await on('wasm', f);
    expectClose(wasm.slice(0, 6), cpu.slice(0, 6), 1e-5);
    // cos/sin of arguments ~1e7: both sides reduce a float32 input, agreement to ~1e-3 is what exists
    expectClose(wasm.slice(6, 8), cpu.slice(6, 8), 2e-3);
    expectClose(wasm.slice(8), cpu.slice(8), 1e-6);
  });

  it('a TGN training step gives the same loss and gradients on wasm and cpu', async () => {
    const stream = makeEventStream([[0, 1, 10], [1, 2, 11], [0, 2, 12], [0, 1, 13], [2, 3, 14], [1, 0, 15]], 5);
    const step = async (backend: BackendName) => {
      await useBackend(backend, 'test');
      const model = createTgn(stream, TINY_TGN, 9);
      const neg = Int32Array.from([3, 4, 3]);
      model.commit(model.plan(0, 3, neg), new Float32Array(0));
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward(model.plan(3, 6, neg), true, new Rng(1));
        return bceLoss(out.pos, out.neg);
      }, model.variables);
      const res = [Array.from(value.dataSync()), ...model.variables.map((v) => Array.from(grads[v.name]?.dataSync() ?? []))];
      tf.dispose([value, ...Object.values(grads)]);
      model.dispose();
      return res;
    };
    const cpu = await step('cpu');
    const wasm = await step('wasm');
    expectClose(wasm, cpu, 1e-4);
  });

  it('Identity shares the data: a clone outlives its source, and disposing both frees it', async () => {
    await useBackend('wasm', 'test');
    const before = tf.memory();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1); // one buffer, two tensors
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });

  it('fused kernels allocate every output before taking a view: heap growth detaches no output', async () => {
    await useBackend('wasm', 'test');
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array }; disposeData(id: object): void };
    // two outputs, each larger than half the heap: the second allocation must grow it
    const floats = Math.ceil(backend.wasm.HEAPU8.length / 4 / 2) + 1024;
    const { infos, values } = wasmIo(backend, 'test').outputs([[floats], [floats]]);
    try {
      expect(values.map((v) => v.length)).toEqual([floats, floats]);
      // both views are of the heap as it is now (a view taken before the growth would be detached: length 0)
      expect(values.every((v) => v.buffer === backend.wasm.HEAPU8.buffer)).toBe(true);
    } finally {
      for (const info of infos) backend.disposeData(info.dataId);
    }
  });
});
