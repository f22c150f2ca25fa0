import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Variable } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { Rng } from '../util/rng.ts';
import { combineVariables, Param, ParamModule, uniformInit, zerosInit } from './module.ts';
import { allOk, gradientReport } from './testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

/** two params, a 2×3 uniform one then a zero bias of 3 */
class TwoParams extends ParamModule {
  readonly a: Variable;
  readonly b: Variable;
  constructor(rng: Rng) {
    super();
    this.a = this.param([2, 3], uniformInit(0.5), rng);
    this.b = this.param([3], zerosInit, rng);
  }
}

describe('module', () => {
  it('uniformInit(b) draws U(−b, b) from the generator in order; zerosInit gives zeros', () => {
    const draws = uniformInit(0.5)(new Rng(7), 6);
    const rng = new Rng(7);
    // −0.5 + (0.5 − (−0.5))·next() for each value in turn
    const expected = Array.from({ length: 6 }, () => -0.5 + rng.next());
    draws.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 6));
    expect(draws.every((x) => x >= -0.5 && x < 0.5)).toBe(true);
    expect(Array.from(zerosInit(new Rng(7), 3))).toEqual([0, 0, 0]);
  });

  it('a Param has its shape and initial values; reset with the same seed gives them back', () => {
    const before = tf.memory().numTensors;
    const p = new Param([2, 3], uniformInit(0.5), new Rng(7));
    expect(p.variable.shape).toEqual([2, 3]);
    const initial = Array.from(p.variable.dataSync());
    expect(initial).toEqual(Array.from(uniformInit(0.5)(new Rng(7), 6)));
    p.reset(new Rng(8));
    expect(Array.from(p.variable.dataSync())).not.toEqual(initial);
    p.reset(new Rng(7));
    expect(Array.from(p.variable.dataSync())).toEqual(initial);
    p.variable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a ParamModule lists its variables in creation order, combineVariables concatenates, dispose frees them', () => {
    const before = tf.memory().numTensors;
    const m1 = new TwoParams(new Rng(1));
    const m2 = new TwoParams(new Rng(2));
    expect(m1.variables).toEqual([m1.a, m1.b]);
    expect(combineVariables([m1, m2])).toEqual([m1.a, m1.b, m2.a, m2.b]);
    // resetParameters draws every param from one generator, in order: a from the first 6 draws, b zeros
    m2.resetParameters(new Rng(1));
    expect(Array.from(m2.a.dataSync())).toEqual(Array.from(m1.a.dataSync()));
    expect(Array.from(m2.b.dataSync())).toEqual([0, 0, 0]);
    m1.dispose();
    m2.dispose();
    expect(m1.variables).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('params are trainable: gradients of sum(a·a) + sum(b + 1)² reach both', () => {
    const before = tf.memory().numTensors;
    const m = new TwoParams(new Rng(3));
    const loss = () => tf.add(tf.sum(tf.square(m.a)), tf.sum(tf.square(tf.add(m.b, 1)))) as tf.Scalar;
    expect(gradientReport(loss, { a: m.a, b: m.b })).toEqual(allOk({ a: 0, b: 0 }));
    // d/db Σ(b + 1)² = 2(b + 1) = 2 at b = 0
    const { value, grads } = tf.variableGrads(loss, [m.b]);
    expect(Array.from(grads[m.b.name]!.dataSync())).toEqual([2, 2, 2]);
    value.dispose();
    tf.dispose(Object.values(grads));
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
