import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { chronologicalSplit } from '../data/split.ts';
import { createTgn } from '../models/tgn.ts';
import { Trainer, TRAINER_DEFAULTS, type EpochReport } from './trainer.ts';
import { randomStream, TINY_TGN } from '../testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

const stream = randomStream(240, 15, 11, 2);
const split = chronologicalSplit(stream);

async function run(seed: number, epochs: number, perBatch?: (n: number) => void): Promise<EpochReport[]> {
  const model = createTgn(stream, TINY_TGN, seed);
  const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 20, evalBatchSize: 20, learningRate: 1e-2, seed });
  const reports: EpochReport[] = [];
  for (let e = 0; e < epochs; e++) reports.push(await trainer.runEpoch({ onBatch: () => perBatch?.(tf.memory().numTensors) }));
  trainer.dispose();
  model.dispose();
  return reports;
}

describe('Trainer', () => {
  it('splits 70/15/15 chronologically', () => {
    expect(split.train[0]).toBe(0);
    expect(split.val[0]).toBe(split.train[1]);
    expect(split.test[1]).toBe(240);
    expect(stream.t[split.train[1] - 1]!).toBeLessThanOrEqual(split.valTime);
    expect(stream.t[split.train[1]]!).toBeGreaterThan(split.valTime);
  });

  it('keeps tf.memory().numTensors flat across batches and epochs, and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const reports = await run(1, 3, (n) => counts.push(n));
    // after the first batch created the optimizer's moments, the count never moves
    const settled = counts.slice(2);
    expect(Math.max(...settled)).toBe(Math.min(...settled));
    expect(reports[0]!.numTensors).toBe(reports[2]!.numTensors);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('same seed and backend → identical metrics; another seed → different', async () => {
    const a = await run(5, 2);
    const b = await run(5, 2);
    const c = await run(6, 1);
    expect(b.map((r) => [r.loss, r.val, r.test])).toEqual(a.map((r) => [r.loss, r.val, r.test]));
    expect(c[0]!.loss).not.toBe(a[0]!.loss);
  });

  it('step() walks train → val → test → next epoch, and stepping equals runEpoch', async () => {
    const model = createTgn(stream, TINY_TGN, 5);
    const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 20, evalBatchSize: 20, learningRate: 1e-2, seed: 5 });
    const phases: string[] = [];
    let report = null;
    while (!report) {
      const c = trainer.cursor;
      const r = await trainer.step();
      expect([r.phase, r.batch]).toEqual([c.phase, c.batch]);
      phases.push(r.phase);
      report = r.epochReport;
    }
    const trainBatches = Math.ceil((split.train[1] - split.train[0]) / 20);
    expect(phases.filter((p) => p === 'train')).toHaveLength(trainBatches);
    expect(phases.indexOf('val')).toBe(trainBatches);
    expect(phases[phases.length - 1]).toBe('test');
    expect(trainer.cursor).toMatchObject({ epoch: 2, phase: 'train', batch: 0 });
    const [ref] = await run(5, 1);
    expect([report.loss, report.val, report.test]).toEqual([ref!.loss, ref!.val, ref!.test]);
    trainer.dispose();
    model.dispose();
  });

  it('learns: training loss falls over epochs on a stream with repeated pairs', async () => {
    const reports = await run(2, 4);
    expect(reports[3]!.loss).toBeLessThan(reports[0]!.loss);
    for (const r of reports) expect(r.val.ap).toBeGreaterThan(0);
  });

  it('with k negatives per positive, evaluation adds TGB-style MRR and keeps AP over all pairs', async () => {
    const model = createTgn(stream, TINY_TGN, 4);
    const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 20, evalBatchSize: 20, seed: 4, negativesPerPositive: 5 });
    const r = await trainer.runEpoch();
    expect(r.val.mrr).toBeGreaterThan(1 / 6); // better than last place among 5 negatives on average
    expect(r.val.mrr).toBeLessThanOrEqual(1);
    expect(r.test.mrr).toBeDefined();
    expect(r.val.ap).toBeGreaterThan(0);
    trainer.dispose();
    model.dispose();
  });
});
