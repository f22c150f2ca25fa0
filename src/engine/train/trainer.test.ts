import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { chronologicalSplit } from '../data/split.ts';
import { createTgn } from '../models/tgn.ts';
import { Trainer, TRAINER_DEFAULTS, type BatchReport } from './trainer.ts';
import type { EpochReport, LinkMetrics } from '../../shared/training.ts';
import { LinkMetricsAccumulator } from './metrics.ts';
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
      if (r === null) throw new Error('no stop was asked for');
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

  it('resumeState/restore: a restored trainer holds the saved optimizer (moments, step count, beta powers bit-exact), generators and epoch count', async () => {
    const before = tf.memory().numTensors;
    const opts = { ...TRAINER_DEFAULTS, batchSize: 2, evalBatchSize: 40, learningRate: 1e-2, seed: 4 };
    const model = createTgn(stream, TINY_TGN, 4);
    const trainer = new Trainer(model, stream, split, opts);
    expect((await trainer.resumeState()).optimizer).toEqual({ iterations: 0, beta1Power: Math.fround(0.9), beta2Power: Math.fround(0.999), firstMoments: [], secondMoments: [] });
    await trainer.runEpoch();
    const saved = trainer.lastTrained!.resume;
    // one step per batch; after that many, the running product of beta2 differs from tfjs' pow(beta2, t + 1) in its last bits
    const steps = Math.ceil((split.train[1] - split.train[0]) / 2);
    expect(saved.optimizer.iterations).toBe(steps);
    expect(saved.optimizer.beta2Power).not.toBe(Math.fround(0.999 ** (steps + 1)));
    expect(await trainer.resumeState()).toEqual(saved);
    await trainer.step();
    await expect(trainer.resumeState()).rejects.toThrow(/only at the start of an epoch/);

    const copy = createTgn(stream, TINY_TGN, 9);
    const restored = new Trainer(copy, stream, split, opts);
    await restored.restore(saved);
    expect(await restored.resumeState()).toEqual(saved);
    expect(restored.cursor.epoch).toBe(2);
    await expect(trainer.restore(saved)).rejects.toThrow(/not trained yet/);
    const wrong = new Trainer(copy, stream, split, opts);
    await expect(wrong.restore({ ...saved, optimizer: { ...saved.optimizer, firstMoments: saved.optimizer.firstMoments.slice(1) } })).rejects.toThrow(/moments; the model has/);
    for (const x of [trainer, restored, wrong]) x.dispose();
    model.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
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

  it('evalMask: the inductive metrics are those of exactly the masked events; batches without one are left out', async () => {
    // val: events of the first val batch with an even index, none in the second val batch; test: every third event
    const mask = new Uint8Array(stream.numEvents);
    const [v0, v1] = split.val;
    for (let e = v0; e < Math.min(v1, v0 + 20); e++) if (e % 2 === 0) mask[e] = 1;
    for (let e = split.test[0]; e < split.test[1]; e++) if (e % 3 === 0) mask[e] = 1;
    expect(v1 - v0).toBeGreaterThan(20); // so the second val batch has no masked event
    for (const k of [1, 3]) {
      const model = createTgn(stream, TINY_TGN, 7);
      const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 20, evalBatchSize: 20, seed: 7, negativesPerPositive: k, evalMask: mask });
      const batches: BatchReport[] = [];
      const r = await trainer.runEpoch({ onBatch: (b) => void batches.push(b) });
      trainer.dispose();
      model.dispose();
      // the expected metrics, from the reported per-batch scores of the masked events
      const expected = (phase: 'val' | 'test'): LinkMetrics => {
        const acc = new LinkMetricsAccumulator();
        for (const b of batches.filter((x) => x.phase === phase)) {
          const pos: number[] = [];
          const neg: number[] = [];
          for (let e = b.from; e < b.to; e++) {
            if (!mask[e]) continue;
            pos.push(b.scores!.pos[e - b.from]!);
            for (let j = 0; j < k; j++) neg.push(b.scores!.neg[(e - b.from) * k + j]!);
          }
          if (pos.length === 0) continue;
          acc.addBatch(pos, neg);
          if (k > 1) acc.addRanking(pos, neg, k);
        }
        return acc.result();
      };
      expect(r.valInductive).toEqual(expected('val'));
      expect(r.testInductive).toEqual(expected('test'));
      // the second val batch has no masked event: the per-batch mean is the first batch's AP alone
      const first = batches.find((b) => b.phase === 'val' && b.batch === 0)!;
      const only = new LinkMetricsAccumulator();
      const sel = Array.from({ length: first.to - first.from }, (_, i) => i).filter((i) => mask[first.from + i]);
      only.addBatch(sel.map((i) => first.scores!.pos[i]!), sel.flatMap((i) => Array.from(first.scores!.neg.subarray(i * k, i * k + k))));
      expect(r.valInductive!.apBatchMean).toBe(only.result().apBatchMean);
      expect(r.valInductive!.mrr === undefined).toBe(k === 1);
      // the full metrics are unchanged by the mask
      expect(r.val.ap).not.toBe(r.valInductive!.ap);
    }
  });

  it('evalMask over every val/test event gives the full metrics; no mask gives no inductive metrics', async () => {
    const all = new Uint8Array(stream.numEvents).fill(1);
    const model = createTgn(stream, TINY_TGN, 5);
    const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 20, evalBatchSize: 20, learningRate: 1e-2, seed: 5, evalMask: all });
    const r = await trainer.runEpoch();
    trainer.dispose();
    model.dispose();
    expect([r.valInductive, r.testInductive]).toEqual([r.val, r.test]);
    const [ref] = await run(5, 1);
    expect([r.loss, r.val, r.test]).toEqual([ref!.loss, ref!.val, ref!.test]);
    expect(ref!.valInductive).toBeUndefined();
    const other = createTgn(stream, TINY_TGN, 1);
    expect(() => new Trainer(other, stream, split, { ...TRAINER_DEFAULTS, evalMask: new Uint8Array(3) }))
      .toThrow(/evalMask must have one entry per event \(240\), got 3/);
    other.dispose();
  });
});
