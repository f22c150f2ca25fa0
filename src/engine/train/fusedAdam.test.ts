import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import type { BackendName } from '../../shared/backend.ts';
import { createAdam } from './fusedAdam.ts';
import { Rng } from '../util/rng.ts';

tf.env().set('PROD', true);

/** weights, both moments and the beta powers after `steps` steps of an optimizer on fixed random gradients */
async function run(name: string, make: () => tf.Optimizer, steps: number): Promise<number[][]> {
  const rng = new Rng(3);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
  const vars = tf.tidy(() => [tf.variable(tf.tensor2d(rand(12), [3, 4]), true, `${name}a`), tf.variable(tf.tensor1d(rand(5)), true, `${name}b`)]);
  const optimizer = make();
  for (let s = 0; s < steps; s++) {
    // gradients of every scale, and an exact zero
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.tensor(rand(v.size).map((x, i) => (i === 0 ? 0 : x * 10 ** (s % 4 - 2))), v.shape) }));
    optimizer.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const weights = await optimizer.getWeights();
  const out = [...vars.map((v) => Array.from(v.dataSync())), ...weights.map((w) => Array.from(w.tensor.dataSync())), [optimizer.iterations]];
  const internals = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
  out.push(Array.from(internals.accBeta1.dataSync()), Array.from(internals.accBeta2.dataSync()));
  weights[0]?.tensor.dispose();
  optimizer.dispose();
  tf.dispose(vars);
  return out;
}

describe.each<BackendName>(['cpu', 'wasm'])('fused Adam on %s', (backend) => {
  it('gives tfjs Adam\'s weights and moments to float32 noise, its step count and beta powers exactly; no tensor leaks', async () => {
    await useBackend(backend, 'test');
    const before = tf.memory().numTensors;
    const fused = await run(`fused-${backend}`, () => createAdam(0.01, 0.9, 0.999, 1e-8), 7);
    expect(tf.memory().numTensors).toBe(before);
    const reference = await run(`tfjs-${backend}`, () => tf.train.adam(0.01, 0.9, 0.999, 1e-8), 7);
    expect(fused.length).toBe(reference.length);
    fused.forEach((row, i) => {
      expect(row.length).toBe(reference[i]!.length);
      // float32 noise of the moments and of a step of 0.01 on weights of size ~2 (tfjs rounds each op to float32)
      row.forEach((x, j) => expect(Math.abs(x - reference[i]![j]!), `output ${i}[${j}]: ${x} vs ${reference[i]![j]}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(x))));
    });
    // the step count and beta powers exactly (they are tfjs' own variables)
    expect(fused.slice(-3)).toEqual(reference.slice(-3));
  });
});
