import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { Rng } from '../util/rng.ts';
import { GruUpdater, RnnUpdater } from './updater.ts';
import { allOk, expectRowsClose, gradientReport, named, rows, setWeights } from './testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

const MESSAGE = [[1, 0, -1], [0, 2, 1]];

describe('GruUpdater', () => {
  it('maps (n × message, n × memory) to n × memory and refuses a wrong message width', () => {
    const before = tf.memory().numTensors;
    const gru = new GruUpdater(3, 2, new Rng(1));
    const v = named(gru.variables, ['wx', 'wh', 'bx', 'bh']);
    expect([v.wx.shape, v.wh.shape, v.bx.shape, v.bh.shape]).toEqual([[3, 6], [2, 6], [6], [6]]);
    tf.tidy(() => {
      expect(gru.update(tf.tensor2d(MESSAGE), tf.zeros([2, 2]) as Tensor2D).shape).toEqual([2, 2]);
      expect(() => gru.update(tf.zeros([2, 4]) as Tensor2D, tf.zeros([2, 2]) as Tensor2D)).toThrow(/expected message width 3, got 4/);
    });
    gru.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('follows PyTorch GRUCell: r gates the hidden part of n, h′ = (1 − z)·n + z·h', () => {
    const before = tf.memory().numTensors;
    const gru = new GruUpdater(3, 1, new Rng(1));
    const v = named(gru.variables, ['wx', 'wh', 'bx', 'bh']);
    // columns are the gates [r, z, n]
    setWeights(v.wx, [0, 0, 1, /**/ 0, 0, 0.5, /**/ 0, 0, 0]); // xn = m0 + 0.5·m1
    setWeights(v.wh, [0, 0, 2]); // hn = 2h
    setWeights(v.bx, [0, Math.log(3), 0]); // z = σ(ln 3) = 0.75
    setWeights(v.bh, [0, 0, 0]); // r = σ(0) = 0.5
    // row 1: m = [1, 0, −1], h = 0.5:  xn = 1, hn = 1, n = tanh(1 + 0.5·1) = tanh 1.5 = 0.905148254
    //        h′ = 0.25·0.905148254 + 0.75·0.5 = 0.226287063 + 0.375 = 0.601287063
    // row 2: m = [0, 2, 1],  h = −1:   xn = 1, hn = −2, n = tanh(1 + 0.5·(−2)) = tanh 0 = 0
    //        h′ = 0.25·0 + 0.75·(−1) = −0.75
    const out = tf.tidy(() => gru.update(tf.tensor2d(MESSAGE), tf.tensor2d([[0.5], [-1]])));
    expectRowsClose(rows(out), [[0.601287063], [-0.75]]);
    out.dispose();
    gru.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(h′) reach all four weights', () => {
    const before = tf.memory().numTensors;
    const gru = new GruUpdater(3, 2, new Rng(5));
    const v = named(gru.variables, ['wx', 'wh', 'bx', 'bh']);
    const m = tf.tensor2d(MESSAGE);
    const h = tf.tensor2d([[0.5, -0.3], [-1, 0.2]]);
    expect(gradientReport(() => tf.sum(gru.update(m, h)) as tf.Scalar, v)).toEqual(allOk(v));
    tf.dispose([m, h]);
    gru.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('RnnUpdater', () => {
  it('maps (n × message, n × memory) to n × memory', () => {
    const before = tf.memory().numTensors;
    const rnn = new RnnUpdater(3, 2, new Rng(1));
    const v = named(rnn.variables, ['wx', 'wh', 'b']);
    expect([v.wx.shape, v.wh.shape, v.b.shape]).toEqual([[3, 2], [2, 2], [2]]);
    const out = tf.tidy(() => rnn.update(tf.tensor2d(MESSAGE), tf.zeros([2, 2]) as Tensor2D));
    expect(out.shape).toEqual([2, 2]);
    out.dispose();
    rnn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes tanh(m·W_x + h·W_h + b) exactly', () => {
    const before = tf.memory().numTensors;
    const rnn = new RnnUpdater(3, 2, new Rng(1));
    const v = named(rnn.variables, ['wx', 'wh', 'b']);
    setWeights(v.wx, [1, 0, /**/ 0, 1, /**/ 1, 1]);
    setWeights(v.wh, [0.5, 0, /**/ 0, -1]);
    setWeights(v.b, [0.1, -0.2]);
    // row 1: m = [1, 0, −1]: m·W_x = [0, −1]; h = [0.5, −1]: h·W_h = [0.25, 1]; + b → [0.35, −0.2]
    // row 2: m = [0, 2, 1]:  m·W_x = [1, 3];  h = [−1, 0.5]: h·W_h = [−0.5, −0.5]; + b → [0.6, 2.3]
    const out = tf.tidy(() => rnn.update(tf.tensor2d(MESSAGE), tf.tensor2d([[0.5, -1], [-1, 0.5]])));
    // tanh 0.35 = 0.336375544, tanh −0.2 = −0.197375320, tanh 0.6 = 0.537049567, tanh 2.3 = 0.980096396
    expectRowsClose(rows(out), [[0.336375544, -0.19737532], [0.537049567, 0.980096396]]);
    out.dispose();
    rnn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(h′) reach all three weights', () => {
    const before = tf.memory().numTensors;
    const rnn = new RnnUpdater(3, 2, new Rng(5));
    const v = named(rnn.variables, ['wx', 'wh', 'b']);
    const m = tf.tensor2d(MESSAGE);
    const h = tf.tensor2d([[0.5, -0.3], [-1, 0.2]]);
    expect(gradientReport(() => tf.sum(rnn.update(m, h)) as tf.Scalar, v)).toEqual(allOk(v));
    tf.dispose([m, h]);
    rnn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
