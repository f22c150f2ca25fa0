import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { chronologicalSplit } from '../data/split.ts';
import { createTgn } from '../models/tgn.ts';
import { Trainer, TRAINER_DEFAULTS } from './trainer.ts';
import { randomStream, TINY_TGN } from '../testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

// 100 events on 8 nodes: batches of 5 are full everywhere (70/15/15 split of 100 events at distinct times)
const stream = randomStream(100, 8, 21);
const split = chronologicalSplit(stream);

async function epoch(batchSize: number, exact: boolean) {
  const model = createTgn(stream, TINY_TGN, 3);
  // learning rate 0: weights stay as initialised, so only the memory semantics differ
  const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize, evalBatchSize: batchSize, learningRate: 0, seed: 3, exact });
  const report = await trainer.runEpoch();
  const memory = model.memory.state.slice();
  trainer.dispose();
  model.dispose();
  return { report, memory };
}

describe('exact mode', () => {
  it('with frozen weights, exact mode at B=5 gives exactly the B=1 memory and metrics', async () => {
    const one = await epoch(1, false);
    const exact = await epoch(5, true);
    expect(Array.from(exact.memory)).toEqual(Array.from(one.memory));
    expect(exact.report.val.ap).toBe(one.report.val.ap);
    expect(exact.report.val.auc).toBe(one.report.val.auc);
    expect(exact.report.test.ap).toBe(one.report.test.ap);
  });

  it('plain batching at B=5 does differ (staleness is real on this stream)', async () => {
    const one = await epoch(1, false);
    const batched = await epoch(5, false);
    expect(Array.from(batched.memory)).not.toEqual(Array.from(one.memory));
  });
});
