import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { EarlyStopping } from './earlyStopping.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
    const stop = new EarlyStopping(2);
    expect(stop.update(1, 0.6, [w])).toBe(true);
    tf.tidy(() => w.assign(tf.tensor1d([3, 4])));
    expect(stop.update(2, 0.7, [w])).toBe(true); // best: [3, 4]
    tf.tidy(() => w.assign(tf.tensor1d([5, 6])));
    expect(stop.update(3, 0.65, [w])).toBe(false);
    expect(stop.shouldStop).toBe(false);
    expect(stop.update(4, 0.7, [w])).toBe(false); // equal is not better
    expect(stop.shouldStop).toBe(true);
    stop.restoreBest([w]);
    expect(Array.from(w.dataSync())).toEqual([3, 4]);
    expect([stop.bestEpoch, stop.bestScore]).toEqual([2, 0.7]);
    stop.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
