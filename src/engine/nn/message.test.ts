import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { IdentityMessage } from './message.ts';
import { rows } from './testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

describe('IdentityMessage', () => {
  it('has width 2·memory + time + edge features', () => {
    expect(new IdentityMessage(2, 1, 0).dim).toBe(5);
    expect(new IdentityMessage(2, 1, 1).dim).toBe(6);
    expect(new IdentityMessage(100, 100, 172).dim).toBe(472);
  });

  it('concatenates [s_self, s_other, φ(Δt), e] row by row (2 × 6 from 2-row parts)', () => {
    const before = tf.memory().numTensors;
    const out = tf.tidy(() =>
      new IdentityMessage(2, 1, 1).compute({
        self: tf.tensor2d([[1, 2], [3, 4]]),
        other: tf.tensor2d([[5, 6], [7, 8]]),
        time: tf.tensor2d([[9], [10]]),
        edge: tf.tensor2d([[11], [12]]),
      }),
    );
    expect(rows(out)).toEqual([[1, 2, 5, 6, 9, 11], [3, 4, 7, 8, 10, 12]]);
    out.dispose();
    // no edge features: the edge part is left out
    const noEdge = tf.tidy(() =>
      new IdentityMessage(2, 1, 0).compute({
        self: tf.tensor2d([[1, 2], [3, 4]]),
        other: tf.tensor2d([[5, 6], [7, 8]]),
        time: tf.tensor2d([[9], [10]]),
        edge: null,
      }),
    );
    expect(rows(noEdge)).toEqual([[1, 2, 5, 6, 9], [3, 4, 7, 8, 10]]);
    noEdge.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has no weights; the gradient of a weighted sum flows back to every part unchanged', () => {
    const before = tf.memory().numTensors;
    const msg = new IdentityMessage(2, 1, 1);
    const parts = [tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]), tf.tensor2d([[9], [10]]), tf.tensor2d([[11], [12]])];
    // loss = Σ c ⊙ message with c = 1..12 over the 2 × 6 output, so each part gets back its own slice of c
    const c = tf.tensor2d([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
    const grads = tf.grads((...p: tf.Tensor[]) => {
      const [self, other, time, edge] = p as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
      return tf.sum(tf.mul(c, msg.compute({ self, other, time, edge })));
    })(parts);
    expect(grads.map((g) => g.arraySync())).toEqual([[[1, 2], [7, 8]], [[3, 4], [9, 10]], [[5], [11]], [[6], [12]]]);
    tf.dispose([...grads, ...parts, c]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
