import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { chronologicalSplit } from '../data/split.ts';
import { createTgn } from '../models/tgn.ts';
import { StaticMemory } from '../memory/staticMemory.ts';
import { Trainer, TRAINER_DEFAULTS } from './trainer.ts';
import { randomStream, TINY_TGN } from '../testing.ts';
import { Rng } from '../util/rng.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

describe('static memory', () => {
  it('frozen: reads Linear(frozen row), trains only the projection', () => {
    const m = new StaticMemory(3, 2, new Rng(1));
    expect(m.variables).toEqual([m.table]);
    m.freeze(Float32Array.from([1, 2, 3, 4, 5, 6]), new Rng(2));
    expect(m.pretrained).toBe(true);
    const [w, b] = m.variables as [tf.Variable, tf.Variable];
    expect(m.variables).not.toContain(m.table);
    // row 2 = [5, 6]: y = [5, 6]·W + b
    const W = w.dataSync();
    const B = b.dataSync();
    const y = m.read(Int32Array.from([2])).dataSync();
    expect(y[0]).toBeCloseTo(5 * W[0]! + 6 * W[2]! + B[0]!, 5);
    expect(y[1]).toBeCloseTo(5 * W[1]! + 6 * W[3]! + B[1]!, 5);
    expect(() => m.freeze(new Float32Array(6), new Rng(3))).toThrow(/frozen already/);
    m.dispose();
  });
});

describe('DistTGL static memory pre-training in the trainer', () => {
  const stream = randomStream(300, 12, 5);
  const split = chronologicalSplit(stream);

  it('pre-trains a memory-less copy first, freezes its table, then trains; the report says so; tensors flat', async () => {
    const before = tf.memory().numTensors;
    const model = createTgn(stream, { ...TINY_TGN, staticMemory: true }, 4);
    const initial = Float32Array.from(model.modules.staticMemory!.table.dataSync());
    expect(model.variables).toContain(model.modules.staticMemory!.table);
    const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 30, evalBatchSize: 30, learningRate: 1e-2, seed: 4, staticPretrainEpochs: 2 });
    const first = await trainer.runEpoch();
    const counts: number[] = [];
    const second = await trainer.runEpoch({ onBatch: () => void counts.push(tf.memory().numTensors) });
    expect(model.modules.staticMemory!.pretrained).toBe(true);
    expect(model.variables).not.toContain(model.modules.staticMemory!.table);
    expect(first.staticPretrain!.epochs).toBe(2);
    expect(first.staticPretrain!.valAp).toBeGreaterThan(0);
    expect(second.staticPretrain).toEqual(first.staticPretrain);
    // the table the model reads was trained (differs from its initial values) and is frozen since
    expect(Array.from(model.modules.staticMemory!.table.dataSync())).toEqual(Array.from(initial)); // the joint table is unused
    expect(Math.max(...counts)).toBe(Math.min(...counts));
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses pre-training without static memory', () => {
    const model = createTgn(stream, TINY_TGN, 1);
    expect(() => new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, staticPretrainEpochs: 1 })).toThrow(/needs a model with static memory/);
    model.dispose();
  });
});
