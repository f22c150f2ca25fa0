import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../tf.ts';
import { main } from '../../cli/main.ts';
import { generateStream, GENERATOR_PRESETS } from '../data/generator.ts';
import { importEventStream } from '../data/import.ts';
import { chronologicalSplit } from '../data/split.ts';
import { evaluateEdgeBankSplit } from '../models/edgeBank.ts';
import { TRAINER_DEFAULTS } from '../train/trainer.ts';
import type { LinkMetrics } from '../../shared/training.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { EngineSession } from './session.ts';

tf.env().set('PROD', true);

// a small generated stream (users revisit items, so EdgeBank scores well above chance)
const csv = generateStream({ ...GENERATOR_PRESETS.small, numUsers: 60, numItems: 40, numEvents: 900, durationSeconds: 86_400 }, 7);
const settings = { ...DEFAULT_SETTINGS, memoryDim: 4, timeDim: 4, embeddingDim: 4, neighbours: 3, batchSize: 40 };

/** `tgnn train --model edgebank --json` in-process: its one JSON line */
async function cliEdgeBank(file: string, ...flags: string[]): Promise<{ val: LinkMetrics; test: LinkMetrics; batchSize: number }> {
  let out = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(['train', '--data', file, '--model', 'edgebank', '--json', ...flags]);
    expect(code).toBe(0);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const lines = out.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as { val: LinkMetrics; test: LinkMetrics; batchSize: number };
}

/** the CLI prints metrics rounded to 5 decimals */
const round5 = (m: LinkMetrics) => ({ ap: Math.round(m.ap * 1e5) / 1e5, auc: Math.round(m.auc * 1e5) / 1e5, apBatchMean: Math.round(m.apBatchMean * 1e5) / 1e5, aucBatchMean: Math.round(m.aucBatchMean * 1e5) / 1e5 });

afterEach(() => vi.restoreAllMocks());

describe('EngineSession.edgeBankBaseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgnn-edgebank-'));
  const file = join(dir, 'stream.csv');
  writeFileSync(file, csv);

  it('gives the numbers of `tgnn train --model edgebank` for every memory and negative strategy', async () => {
    const s = new EngineSession();
    await s.setBackend('cpu');
    s.importData('stream.csv', csv);
    s.configure(settings);
    for (const memory of ['unlimited', 'window'] as const) {
      for (const negatives of ['random', 'historical', 'inductive'] as const) {
        const app = s.edgeBankBaseline(memory, negatives);
        const cli = await cliEdgeBank(file, '--edgebank-memory', memory, '--negatives', negatives, '--batch-size', String(settings.batchSize));
        expect(app).toMatchObject({ dataset: 'stream.csv', memory, negatives, evalBatchSize: settings.batchSize });
        expect(cli.batchSize).toBe(settings.batchSize);
        expect(round5(app.val)).toEqual(cli.val);
        expect(round5(app.test)).toEqual(cli.test);
        // and unrounded: the shared engine function on the same split
        const stream = importEventStream(csv).stream;
        const direct = evaluateEdgeBankSplit(stream, chronologicalSplit(stream), { memory, negatives, evalBatchSize: settings.batchSize, evalSeed: TRAINER_DEFAULTS.evalSeed });
        expect(app.val).toEqual(direct.val.metrics);
        expect(app.test).toEqual(direct.test.metrics);
      }
    }
    // a seen edge is predicted: well above chance on random negatives
    expect(s.edgeBankBaseline('unlimited', 'random').test.apBatchMean).toBeGreaterThan(0.6);
    s.dispose();
  });

  it('uses the evaluation batch size when one is set, and leaves training where it was', async () => {
    const s = new EngineSession();
    await s.setBackend('cpu');
    s.importData('stream.csv', csv);
    s.configure({ ...settings, evalBatchSize: 100 });
    await s.step(2);
    const before = s.snapshot(4);
    const app = s.edgeBankBaseline('window', 'historical');
    const cli = await cliEdgeBank(file, '--edgebank-memory', 'window', '--negatives', 'historical', '--batch-size', '40', '--eval-batch-size', '100');
    expect(app.evalBatchSize).toBe(100);
    expect(round5(app.test)).toEqual(cli.test);
    expect(round5(app.val)).toEqual(cli.val);
    const after = s.snapshot(4);
    expect(after.lastBatch).toEqual(before.lastBatch);
    expect(Array.from(after.loss)).toEqual(Array.from(before.loss));
    s.dispose();
  });

  it('before configure uses the default batch size; without a dataset it says what is missing', async () => {
    const s = new EngineSession();
    expect(() => s.edgeBankBaseline('unlimited', 'random')).toThrow(/no dataset is loaded yet/);
    s.importData('stream.csv', csv);
    expect(s.edgeBankBaseline('unlimited', 'random').evalBatchSize).toBe(DEFAULT_SETTINGS.batchSize);
    s.dispose();
  });
});
