import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { Rng } from '../util/rng.ts';
import { Linear } from './linear.ts';
import { allOk, expectRowsClose, gradientReport, rows, setWeights } from './testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

const X = [[1, 2, 3], [4, 5, 6]];

describe('Linear', () => {
  it('maps n × in to n × out, with or without a bias, and refuses a wrong width', () => {
    const before = tf.memory().numTensors;
    const lin = new Linear(3, 2, new Rng(1));
    const noBias = new Linear(3, 2, new Rng(1), { bias: false });
    expect(lin.variables.map((v) => v.shape)).toEqual([[3, 2], [2]]);
    expect(noBias.variables.map((v) => v.shape)).toEqual([[3, 2]]);
    expect(noBias.bias).toBeNull();
    tf.tidy(() => {
      const x = tf.tensor2d(X);
      expect(lin.apply(x).shape).toEqual([2, 2]);
      expect(noBias.apply(x).shape).toEqual([2, 2]);
      expect(() => lin.apply(tf.zeros([2, 4]) as Tensor2D)).toThrow(/expected input width 3, got 4/);
    });
    // PyTorch's init: W and b within ±1/sqrt(in)
    const bound = 1 / Math.sqrt(3);
    for (const v of lin.variables) for (const w of v.dataSync()) expect(Math.abs(w)).toBeLessThanOrEqual(bound);
    lin.dispose();
    noBias.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes x·W + b exactly', () => {
    const before = tf.memory().numTensors;
    const lin = new Linear(3, 2, new Rng(1));
    // W = [[1, 0], [0, 1], [1, −1]], b = [0.5, −0.5]
    setWeights(lin.weight, [1, 0, 0, 1, 1, -1]);
    setWeights(lin.bias!, [0.5, -0.5]);
    // row [1,2,3]: [1 + 3 + 0.5, 2 − 3 − 0.5] = [4.5, −1.5]
    // row [4,5,6]: [4 + 6 + 0.5, 5 − 6 − 0.5] = [10.5, −1.5]
    const y = tf.tidy(() => lin.apply(tf.tensor2d(X)));
    expectRowsClose(rows(y), [[4.5, -1.5], [10.5, -1.5]]);
    y.dispose();
    lin.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(y) reach W and b: dW[i][j] = Σ_rows x[·][i], db[j] = number of rows', () => {
    const before = tf.memory().numTensors;
    const lin = new Linear(3, 2, new Rng(4));
    const x = tf.tensor2d(X);
    const loss = () => tf.sum(lin.apply(x)) as tf.Scalar;
    expect(gradientReport(loss, { weight: lin.weight, bias: lin.bias! })).toEqual(allOk({ weight: 0, bias: 0 }));
    const { value, grads } = tf.variableGrads(loss, [...lin.variables]);
    // column sums of x: [1+4, 2+5, 3+6] = [5, 7, 9], the same for both outputs
    expect(Array.from(grads[lin.weight.name]!.dataSync())).toEqual([5, 5, 7, 7, 9, 9]);
    expect(Array.from(grads[lin.bias!.name]!.dataSync())).toEqual([2, 2]);
    value.dispose();
    tf.dispose(Object.values(grads));
    x.dispose();
    lin.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
