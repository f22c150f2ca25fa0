import { beforeAll, describe, expect, it } from 'vitest';
import { BATCH_PHASES, PhaseProfiler } from './phases.ts';
import { Trainer, TRAINER_DEFAULTS } from './trainer.ts';
import { createTgn } from '../models/tgn.ts';
import { chronologicalSplit } from '../data/split.ts';
import { useBackend } from '../backend.ts';
import { randomStream, TINY_TGN } from '../testing.ts';
import { tf } from '../tf.ts';

describe('PhaseProfiler', () => {
  it('sums each phase, per batch, with its share of the total', () => {
    // a clock that moves 2 ms per reading: every timed phase lasts 2 ms
    let t = 0;
    const p = new PhaseProfiler(() => (t += 2));
    expect(p.time('attention', () => 'x')).toBe('x');
    p.time('attention', () => undefined);
    p.time('Adam', () => undefined);
    p.add('backward', 6);
    expect(p.total()).toBe(2 + 2 + 2 + 6);
    const rows = p.rows(2);
    expect(rows.map((r) => r.phase)).toEqual([...BATCH_PHASES]);
    const of = (phase: string) => rows.find((r) => r.phase === phase)!;
    expect(of('attention')).toEqual({ phase: 'attention', ms: 2, share: 4 / 12 });
    expect(of('backward')).toEqual({ phase: 'backward', ms: 3, share: 6 / 12 });
    expect(of('Adam').ms).toBe(1);
    expect(of('commit')).toEqual({ phase: 'commit', ms: 0, share: 0 });
    p.reset();
    expect(p.total()).toBe(0);
    expect(() => p.rows(0)).toThrow(/batches must be > 0/);
  });

  it('counts a phase whose work throws', () => {
    let t = 0;
    const p = new PhaseProfiler(() => (t += 1));
    expect(() => p.time('commit', () => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(p.rows(1).find((r) => r.phase === 'commit')!.ms).toBe(1);
  });
});

describe('a profiled trainer', () => {
  beforeAll(async () => {
    await useBackend('cpu', 'test');
  });

  it('times every phase of a training batch and trains exactly as an unprofiled one', async () => {
    const stream = randomStream(120, 12, 3);
    const split = chronologicalSplit(stream);
    const run = async (profile: boolean) => {
      const model = createTgn(stream, TINY_TGN, 5);
      const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 20, evalBatchSize: 20, seed: 5 });
      const profiler = new PhaseProfiler();
      if (profile) trainer.profile(profiler);
      const losses: number[] = [];
      for (let i = 0; i < 4; i++) losses.push((await trainer.step())!.loss);
      const weights = await Promise.all(model.variables.map(async (v) => Array.from(await v.data())));
      trainer.dispose();
      model.dispose();
      return { losses, weights, rows: profiler.rows(4), total: profiler.total() };
    };
    const before = tf.memory().numTensors;
    const plain = await run(false);
    const profiled = await run(true);
    expect(profiled.losses).toEqual(plain.losses);
    expect(profiled.weights).toEqual(plain.weights);
    expect(plain.total).toBe(0);
    // every phase of a plain training batch ran (the first batch has no mail, the later ones do)
    for (const row of profiled.rows) expect(row.ms, row.phase).toBeGreaterThan(0);
    expect(profiled.rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 9);
    expect(tf.memory().numTensors).toBe(before);
  });
});
