import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { EngineSession } from './session.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { TGN_DEFAULTS } from '../../shared/presets.ts';
import { TRAINER_DEFAULTS } from '../train/trainer.ts';

tf.env().set('PROD', true);

// 30 events among nodes a..f; ids are strings in the file
const csv = ['src,dst,t', ...Array.from({ length: 30 }, (_, i) => `${'abcdef'[i % 6]},${'abcdef'[(i * 5 + 1) % 6]},${100 + i * 10}`)].join('\n');
const settings = { ...DEFAULT_SETTINGS, memoryDim: 4, timeDim: 4, embeddingDim: 4, neighbours: 3, batchSize: 5 };

async function session(): Promise<EngineSession> {
  const s = new EngineSession();
  await s.setBackend('cpu');
  s.importData('tiny', csv);
  s.configure(settings);
  return s;
}

describe('EngineSession', () => {
  it('starts from the TGN reference sizes and batch size, with the playground learning rate', () => {
    const { memoryDim, timeDim, embeddingDim, neighbours, mailboxSize, aggregator, staticMemory, layers, neighbourScope, neighbourTime } = TGN_DEFAULTS;
    expect(DEFAULT_SETTINGS).toEqual({
      model: 'tgn', memoryDim, timeDim, embeddingDim, neighbours, mailboxSize, aggregator, staticMemory, batchSize: TRAINER_DEFAULTS.batchSize,
      evalBatchSize: 0, exact: false, learningRate: 1e-3, seed: TRAINER_DEFAULTS.seed, layers, neighbourScope, neighbourTime,
      evalSetting: 'transductive', evalNegatives: TRAINER_DEFAULTS.evalNegatives, metric: 'ap', negativesPerPositive: TRAINER_DEFAULTS.negativesPerPositive,
      minibatchParallelism: 1, epochParallelism: 1, memoryParallelism: 1, pipelineStaleness: 0, staticMemoryTraining: 'joint',
    });
  });

  it('imports, reports the split, and needs configure before stepping', async () => {
    const s = new EngineSession();
    await s.setBackend('cpu');
    const d = s.importData('tiny', csv);
    expect([d.events, d.nodes, d.tMin, d.tMax]).toEqual([30, 6, 100, 390]);
    expect(d.split.train[0]).toBe(0);
    expect(d.split.test[1]).toBe(30);
    await expect(s.step()).rejects.toThrow(/no model yet: it is built once a dataset is loaded/);
    s.dispose();
  });

  it('steps batch by batch and snapshots typed views of memory', async () => {
    const s = await session();
    s.watch([0, 1]);
    const b1 = await s.step(1);
    expect(b1).toMatchObject({ epoch: 1, phase: 'train', batch: 0, from: 0, to: 5, tFrom: 100, tTo: 140 });
    await s.step(3);
    const snap = s.snapshot(4);
    expect(snap.version).toBeGreaterThan(1);
    expect(snap.loss).toHaveLength(4);
    expect(snap.now).toBe(100 + 19 * 10);
    expect(snap.heatmap.nodes).toHaveLength(4);
    expect(snap.heatmap.values).toHaveLength(4 * 4);
    expect(snap.heatmap.rawIds.every((r) => 'abcdef'.includes(r))).toBe(true);
    // last batch = events 15..19, endpoints touched are marked
    expect(snap.heatmap.touched.some((x) => x === 1)).toBe(true);
    expect(snap.projection.x).toHaveLength(6);
    expect(Array.from(snap.projection.seen)).toEqual([1, 1, 1, 1, 1, 1]);
    // memory age is now − last update for updated nodes, NaN for the rest
    for (const st of snap.projection.memoryAge) expect(Number.isNaN(st) || st >= 0).toBe(true);
    expect(snap.trails.map((t) => t.node)).toEqual([0, 1]);
    const detail = s.nodeDetail(0);
    expect(detail.rawId).toBe('a');
    expect(detail.eventTimes.length).toBe(detail.eventOther.length);
    expect(detail.processedEvents).toBeLessThanOrEqual(detail.eventTimes.length);
    expect(detail.history.length).toBe(detail.historyTimes.length * 4);
    s.dispose();
  });

  it('runs a whole epoch through val and test, and the same settings reproduce it exactly', async () => {
    const epochOf = async () => {
      const s = await session();
      while (s.snapshot().epochs.length === 0) await s.step(10);
      const e = s.snapshot().epochs[0]!;
      s.dispose();
      return [e.loss, e.val, e.test];
    };
    const a = await epochOf();
    expect(a).toEqual(await epochOf());
  });

  it('timeline counts every event once', async () => {
    const s = await session();
    const h = s.timeline(7);
    expect(h.counts.reduce((x, y) => x + y, 0)).toBe(30);
    s.dispose();
  });

  it('runSweepPoint trains one epoch, measures data-level fractions and memory drift (0 at B = 1)', async () => {
    const s = await session();
    const p1 = await s.runSweepPoint({ ...settings, batchSize: 1 }, 3);
    expect(p1.staleFraction).toBe(0);
    expect(p1.droppedMailFraction).toBe(0);
    expect(p1.memoryDrift).toBe(0);
    expect(p1.driftApDelta).toBe(0);
    const p5 = await s.runSweepPoint({ ...settings, batchSize: 5 }, 3);
    expect(p5.staleFraction).toBeGreaterThan(0);
    expect(p5.memoryDrift).toBeGreaterThan(0);
    expect(p5.driftEvents).toBe(3);
    expect(p5.valAp).toBeGreaterThan(0);
    const again = await s.evaluateAt(1);
    expect(again.evalBatchSize).toBe(1);
    expect(again.val.ap).toBeGreaterThan(0);
    s.dispose();
  });

  it.each([
    ['mean aggregator, mailbox 3', { mailboxSize: 3, aggregator: 'mean' as const }],
    ['attention aggregator, mailbox 3', { mailboxSize: 3, aggregator: 'attention' as const }],
    ['static memory', { staticMemory: true }],
    ['exact mode', { exact: true }],
    ['JODIE preset', { model: 'jodie' as const }],
    ['DyRep preset', { model: 'dyrep' as const, embeddingDim: settings.memoryDim }],
    ['APAN preset', { model: 'apan' as const, mailboxSize: 10, aggregator: 'attention' as const }],
    ['TGAT preset', { model: 'tgat' as const, layers: 2, neighbourScope: 'before-event' as const, neighbourTime: 'query' as const }],
    ['tgn-static preset', { model: 'tgn-static' as const, staticMemory: true }],
    ['inductive setting, MRR against 5 negatives', { evalSetting: 'inductive' as const, metric: 'mrr' as const, negativesPerPositive: 5 }],
    ['historical negatives', { evalNegatives: 'historical' as const }],
  ])('%s trains without leaking tensors', async (_name, mitigation) => {
    const s = await session();
    s.configure({ ...settings, ...mitigation });
    await s.step(2);
    const before = s.snapshot().numTensors;
    await s.step(3);
    const snap = s.snapshot();
    expect(snap.numTensors).toBe(before);
    expect(Number.isFinite(snap.loss[snap.loss.length - 1]!)).toBe(true);
    expect(snap.probes.staleFraction).toHaveLength(snap.loss.length);
    s.dispose();
  });
});
