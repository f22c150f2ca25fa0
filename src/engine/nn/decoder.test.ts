import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { Rng } from '../util/rng.ts';
import { MlpLinkDecoder } from './decoder.ts';
import { allOk, gradientReport, named, setWeights } from './testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

const NAMES = ['srcW', 'srcB', 'dstW', 'dstB', 'outW', 'outB'] as const;
const SRC = [[1, 2, 3], [0, 1, 0]];
const DST = [[0, 0, 1], [2, 0, 1]];

/** decoder with W_src = I, b_src = 0, W_dst = 2I, b_dst = [−1, −2, 0], W_out = [1, 2, −1]ᵀ, b_out = 0.5 */
function handSet(): MlpLinkDecoder {
  const dec = new MlpLinkDecoder(3, new Rng(1));
  const v = named(dec.variables, NAMES);
  setWeights(v.srcW, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  setWeights(v.srcB, [0, 0, 0]);
  setWeights(v.dstW, [2, 0, 0, 0, 2, 0, 0, 0, 2]);
  setWeights(v.dstB, [-1, -2, 0]);
  setWeights(v.outW, [1, 2, -1]);
  setWeights(v.outB, [0.5]);
  return dec;
}

describe('MlpLinkDecoder', () => {
  it('scores n pairs of embeddings as n logits; six weights in a fixed order', () => {
    const before = tf.memory().numTensors;
    const dec = new MlpLinkDecoder(3, new Rng(1));
    expect(dec.variables.map((v) => v.shape)).toEqual([[3, 3], [3], [3, 3], [3], [3, 1], [1]]);
    const out = tf.tidy(() => dec.decode(tf.tensor2d(SRC), tf.tensor2d(DST)));
    expect(out.shape).toEqual([2]);
    out.dispose();
    dec.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes lin_out(relu(lin_src(z_src) + lin_dst(z_dst))) exactly', () => {
    const before = tf.memory().numTensors;
    const dec = handSet();
    // lin_src(src) = src = [[1, 2, 3], [0, 1, 0]]
    // lin_dst(dst) = 2·dst + [−1, −2, 0] = [[−1, −2, 2], [3, −2, 2]]
    // sum = [[0, 0, 5], [3, −1, 2]] → relu → [[0, 0, 5], [3, 0, 2]]
    // logits: [0 + 0 − 5 + 0.5, 3 + 0 − 2 + 0.5] = [−4.5, 1.5]
    const out = tf.tidy(() => dec.decode(tf.tensor2d(SRC), tf.tensor2d(DST)));
    const got = Array.from(out.dataSync());
    [-4.5, 1.5].forEach((x, i) => expect(got[i], `logit ${i}`).toBeCloseTo(x, 6));
    out.dispose();
    dec.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(logits) reach all six weights', () => {
    const before = tf.memory().numTensors;
    const dec = handSet(); // two of three hidden units are active in some row, so every weight matters
    const v = named(dec.variables, NAMES);
    const src = tf.tensor2d(SRC);
    const dst = tf.tensor2d(DST);
    expect(gradientReport(() => tf.sum(dec.decode(src, dst)) as tf.Scalar, v)).toEqual(allOk(v));
    tf.dispose([src, dst]);
    dec.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resetParameters with the construction seed gives the initial weights back', () => {
    const before = tf.memory().numTensors;
    const dec = new MlpLinkDecoder(3, new Rng(9));
    const initial = dec.variables.map((v) => Array.from(v.dataSync()));
    dec.resetParameters(new Rng(9));
    expect(dec.variables.map((v) => Array.from(v.dataSync()))).toEqual(initial);
    dec.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
