import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { EngineSession } from './session.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { settingsOfCheckpoint } from './fromCheckpoint.ts';
import { createCheckpoint, loadCheckpoint } from '../checkpoint/checkpoint.ts';
import type { EpochReport } from '../../shared/training.ts';

tf.env().set('PROD', true);

const csv = ['src,dst,t', ...Array.from({ length: 60 }, (_, i) => `${'abcdefg'[i % 7]},${'abcdefg'[(i * 5 + 1) % 7]},${100 + i * 10}`)].join('\n');
const settings = { ...DEFAULT_SETTINGS, memoryDim: 4, timeDim: 4, embeddingDim: 4, neighbours: 3, batchSize: 5, learningRate: 0.01, seed: 5 };

async function session(): Promise<EngineSession> {
  const s = new EngineSession();
  await s.setBackend('cpu');
  s.importData('tiny', csv);
  s.configure(settings);
  return s;
}

async function untilEpoch(s: EngineSession, epoch: number): Promise<EpochReport> {
  for (;;) {
    await s.step(1);
    const done = s.snapshot().epochs.find((e) => e.epoch === epoch);
    if (done) return done;
  }
}

describe('EngineSession.continueFrom', () => {
  it('continues a saved checkpoint with its settings: epoch 2 equals the uninterrupted run\'s, and a checkpoint of it before any step resumes too', async () => {
    const straight = await session();
    await untilEpoch(straight, 1);
    const second = await untilEpoch(straight, 2);
    straight.dispose();

    const first = await session();
    await untilEpoch(first, 1);
    await first.step(2); // into epoch 2: the checkpoint keeps epoch 1's end
    const { artifacts, meta } = await createCheckpoint(first.checkpointSource());
    expect(meta.resume).toMatchObject({ epochs: 1, learningRate: 0.01, seed: 5 });
    first.dispose();

    // another page: other settings until the checkpoint is continued
    const base = tf.memory().numTensors;
    const page = new EngineSession();
    await page.setBackend('cpu');
    page.importData('tiny', csv);
    page.configure({ ...settings, memoryDim: 8, learningRate: 0.5, seed: 1 });
    const loaded = loadCheckpoint(artifacts, page.loadedStream().stream, 'tiny');
    const applied = settingsOfCheckpoint(loaded.meta, loaded.resume, DEFAULT_SETTINGS);
    expect(applied).toEqual(settings);
    expect(await page.continueFrom(loaded, applied)).toEqual({ epochs: 1, freshOptimizer: false });
    expect(page.snapshot().cursor).toMatchObject({ epoch: 2, phase: 'train', batch: 0 });
    // saved again before any step: the restored resume state goes with it
    const again = await createCheckpoint(page.checkpointSource(), { evaluate: false });
    expect(again.meta.resume).toEqual(meta.resume);
    const continued = await untilEpoch(page, 2);
    expect(continued.loss).toBe(second.loss);
    expect(continued.val).toEqual(second.val);
    expect(continued.test).toEqual(second.test);
    // the page's previous model and trainer were freed, and the continued ones are the session's to free
    page.dispose();
    expect(tf.memory().numTensors).toBe(base);
  }, 60_000);

  it('refuses a checkpoint whose settings the page cannot set, naming what differs', async () => {
    const s = await session();
    const { meta } = await createCheckpoint(s.checkpointSource(), { evaluate: false });
    // dropout is no knob: a config with another one cannot be built from settings
    expect(() => settingsOfCheckpoint({ ...meta, config: { ...meta.config, dropout: 0.3 } }, null, DEFAULT_SETTINGS))
      .toThrow("this checkpoint's dropout is 0.3; the page's tgn has 0.1 and cannot change it; continue it with tgnn train --resume");
    expect(() => settingsOfCheckpoint({ ...meta, options: { ...meta.options, evalSeed: 7 } }, null, DEFAULT_SETTINGS))
      .toThrow(/evaluates with negatives of seed 7/);
    // every knob is a setting now: two layers, historical negatives and MRR come back as the page's settings
    expect(settingsOfCheckpoint({
      ...meta, config: { ...meta.config, layers: 2, neighbourScope: 'before-event' }, options: { ...meta.options, evalNegatives: 'historical' },
    }, null, DEFAULT_SETTINGS)).toMatchObject({ layers: 2, neighbourScope: 'before-event', evalNegatives: 'historical', metric: 'ap', evalSetting: 'transductive' });
    expect(settingsOfCheckpoint({ ...meta, options: { ...meta.options, negativesPerPositive: 49 } }, null, DEFAULT_SETTINGS))
      .toMatchObject({ metric: 'mrr', negativesPerPositive: 49 });
    expect(() => settingsOfCheckpoint({ ...meta, preset: 'edgebank' }, null, DEFAULT_SETTINGS)).toThrow(/model 'edgebank' is not one the page trains/);
    // without resume state the page's learning rate and seed stay
    expect(settingsOfCheckpoint(meta, null, { ...DEFAULT_SETTINGS, learningRate: 0.2, seed: 9 })).toMatchObject({ learningRate: 0.2, seed: 9, batchSize: 5 });
    s.dispose();
  });
});
