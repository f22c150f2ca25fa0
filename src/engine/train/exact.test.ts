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

  it('a long exact batch reports its progress twice per event (after its forward pass and its gradient; a worker beats from there), a plain one once', async () => {
    const model = createTgn(stream, TINY_TGN, 3);
    const calls: number[] = [];
    for (const exact of [true, false]) {
      const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 70, evalBatchSize: 15, learningRate: 0, seed: 3, exact });
      let n = 0;
      trainer.onProgress = () => n++;
      // one training batch of all 70 events, then the first validation batch of 15
      await trainer.step();
      const afterTrain = n;
      await trainer.step();
      calls.push(afterTrain, n - afterTrain);
      trainer.dispose();
    }
    model.dispose();
    // exact: 70 training events × 2, then 15 validation events × 1; plain: one per batch
    expect(calls).toEqual([140, 15, 1, 1]);
  });

  it('an exact batch stopped between its events and carried on gives exactly the numbers of an uninterrupted run', async () => {
    const run = async (stopEvery: number) => {
      const tensors = tf.memory().numTensors;
      const model = createTgn(stream, TINY_TGN, 3);
      const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 35, evalBatchSize: 15, learningRate: 1e-2, seed: 3, exact: true });
      let asks = 0;
      let stops = 0;
      trainer.shouldStop = () => {
        if (stopEvery === 0 || ++asks % stopEvery !== 0) return false;
        stops++;
        return true;
      };
      let report = null;
      let batches = 0;
      while (!report) {
        const r = await trainer.step();
        if (r === null) continue;
        batches++;
        report = r.epochReport;
      }
      const memory = model.memory.state.slice();
      trainer.dispose();
      model.dispose();
      return { report, memory, stops, batches, leaked: tf.memory().numTensors - tensors };
    };
    const whole = await run(0);
    const stopped = await run(7);
    // 2 training batches of 35, 1 validation and 1 test batch of 15: stopped about every 7th event
    expect(whole.stops).toBe(0);
    expect(stopped.stops).toBeGreaterThanOrEqual(10);
    expect(stopped.batches).toBe(whole.batches);
    expect(Array.from(stopped.memory)).toEqual(Array.from(whole.memory));
    expect(stopped.report.loss).toBe(whole.report.loss);
    expect(stopped.report.val.ap).toBe(whole.report.val.ap);
    expect(stopped.report.test.ap).toBe(whole.report.test.ap);
    expect([whole.leaked, stopped.leaked]).toEqual([0, 0]);
  });
});
