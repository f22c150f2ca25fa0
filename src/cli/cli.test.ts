import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataset } from '../testing/sharedDatasets.ts';
import { cli } from './cliTesting.ts';

const collegeMsg = sharedDataset('collegemsg/CollegeMsg.txt');
const bitcoinOtc = sharedDataset('bitcoin-otc/soc-sign-bitcoinotc.csv');


afterEach(() => vi.restoreAllMocks());

/** a src,dst,t CSV of `events` rows (`row(i)` each) in a fresh temporary folder; its path */
function streamCsv(name: string, events: number, row: (i: number) => string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tgnn-cli-')), name);
  writeFileSync(file, ['src,dst,t', ...Array.from({ length: events }, (_, i) => row(i))].join('\n') + '\n');
  return file;
}

describe('tgnn CLI', () => {
  it('bad input exits 2 with one line naming the problem', async () => {
    const missing = await cli('stats', '--data', 'no/such/file.csv', '--json');
    expect(missing.code).toBe(2);
    expect(missing.out).toBe('');
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/no\/such\/file\.csv.*does not exist/);

    expect((await cli('train', '--data', 'x.csv', '--backend', 'tpu')).err).toMatch(/--backend must be one of cpu, wasm/);
    expect((await cli('train', '--data', 'x.csv', '--batch-size', '0')).code).toBe(2);
    expect((await cli('frobnicate')).err).toMatch(/unknown command 'frobnicate'/);
    expect((await cli('stats', '--data', 'x.csv', '--bogus', '1')).err).toMatch(/unknown flag --bogus/);
  });

  it('a file with no usable rows exits 2 with the import error, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-cli-'));
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'src,dst,t\na,b,yesterday\nc,d,today\n');
    const r = await cli('train', '--data', file, '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tgnn: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it.runIf(collegeMsg !== null && bitcoinOtc !== null)('stats --json reports both shared datasets as documented', async () => {
    const cm = JSON.parse((await cli('stats', '--data', collegeMsg!, '--json')).out);
    expect([cm.events, cm.nodes, cm.edgeFeatureDim, cm.sorted]).toEqual([59835, 1899, 0, true]);
    const btc = JSON.parse((await cli('stats', '--data', bitcoinOtc!, '--json')).out);
    expect([btc.events, btc.nodes, btc.edgeFeatureDim, btc.detected.mapping.t]).toEqual([35592, 5881, 1, 3]);
    expect(btc.detected.header).toBe(false);
  });

  it('stats says whether the stream can train, as train would (times all equal: not possible, exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-stats-'));
    const equal = join(dir, 'equal.csv');
    writeFileSync(equal, ['src,dst,t', ...Array.from({ length: 20 }, (_, i) => `${i % 5},${(i + 1) % 5},7`)].join('\n') + '\n');
    const r = await cli('stats', '--data', equal);
    expect(r.code).toBe(0);
    expect(r.out).toContain('training: not possible: all 20 events happen at the same time (7)');
    const j = JSON.parse((await cli('stats', '--data', equal, '--json')).out) as { trainable: { errors: string[]; warnings: string[] } };
    expect(j.trainable.errors).toHaveLength(1);
    const ok = join(dir, 'ok.csv');
    writeFileSync(ok, ['src,dst,t', ...Array.from({ length: 20 }, (_, i) => `${i % 5},${(i + 1) % 5},${i}`)].join('\n') + '\n');
    expect((await cli('stats', '--data', ok)).out).toContain('training: possible');
  });

  it('train --json prints one JSON line per epoch with the documented fields', async () => {
    const file = streamCsv('tiny.csv', 60, (i) => `${i % 7},${(i * 3) % 5 + 7},${1000 + i}`);
    const r = await cli('train', '--data', file, '--epochs', '2', '--batch-size', '10', '--backend', 'cpu',
      '--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['epoch', 'trainSeconds', 'trainEventsPerSec', 'loss', 'val', 'test', 'backend', 'numTensors']));
      expect(Object.keys(l.val)).toEqual(['ap', 'auc', 'apBatchMean', 'aucBatchMean']);
      expect(l.backend).toBe('cpu');
    }
    expect(lines[1].numTensors).toBe(lines[0].numTensors);
  });

  it('train --minibatch-parallelism 2 reports the stale and dropped fractions of staleness at twice the batch size', async () => {
    const file = streamCsv('par.csv', 200, (i) => `${(i * 7) % 11},${(i * 3) % 13 + 11},${1000 + i}`);
    const small = ['--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--backend', 'cpu'];
    const r = await cli('train', '--data', file, '--epochs', '1', '--batch-size', '10', '--minibatch-parallelism', '2', ...small, '--json');
    expect(r.code).toBe(0);
    const line = JSON.parse(r.out.trim());
    expect([line.parallelism, line.trainers, line.workers, line.iterations]).toEqual([{ i: 2, j: 1, k: 1, s: 0 }, 2, 1, 7]); // 140 training events in units of 20
    const s = await cli('staleness', '--data', file, '--batch-sizes', '20', '--range', 'train');
    const m = /B=20: stale ([0-9.]+), dropped ([0-9.]+)/.exec(s.out);
    expect(m).not.toBeNull();
    expect(line.staleFraction).toBeCloseTo(Number(m![1]), 5);
    expect(line.droppedMailFraction).toBeCloseTo(Number(m![2]), 5);
    expect(line.staleFraction).toBeGreaterThan(0);
    const refused = await cli('train', '--data', file, '--epoch-parallelism', '2', '--exact', ...small);
    expect([refused.code, refused.err]).toEqual([2, expect.stringContaining('--exact processes one event at a time')]);
  });

  it('train --workers 2 computes the trainers in worker threads with exactly the numbers of one thread', async () => {
    const file = streamCsv('workers.csv', 300, (i) => `${(i * 7) % 17},${(i * 5) % 19 + 17},${1000 + i}`);
    const args = ['train', '--data', file, '--epochs', '2', '--batch-size', '15', '--minibatch-parallelism', '2', '--epoch-parallelism', '2', '--memory-parallelism', '2',
      '--memory-dim', '8', '--time-dim', '8', '--embedding-dim', '8', '--backend', 'wasm', '--json'];
    const timing = ['trainSeconds', 'trainEventsPerSec', 'processedEventsPerSec', 'workers', 'waitFraction'];
    const lines = async (workers: string) => {
      const r = await cli(...args, '--workers', workers);
      expect(r.code, r.err).toBe(0);
      return r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const one = await lines('1');
    const two = await lines('2');
    expect(two.map((l) => l['workers'])).toEqual([2, 2]);
    const strip = (l: Record<string, unknown>) => Object.fromEntries(Object.entries(l).filter(([k]) => !timing.includes(k)));
    expect(two.map(strip)).toEqual(one.map(strip));
    const plain = await cli('train', '--data', file, '--workers', '2', '--backend', 'cpu');
    expect([plain.code, plain.err]).toEqual([2, expect.stringContaining('--workers runs DistTGL')]);
  }, 60_000);

  it('train --seeds with --patience stops early per seed and prints a mean ± std summary', async () => {
    const file = streamCsv('tiny.csv', 60, (i) => `${i % 7},${(i * 3) % 5 + 7},${1000 + i}`);
    const r = await cli('train', '--data', file, '--epochs', '4', '--patience', '1', '--seeds', '1,2', '--batch-size', '10',
      '--backend', 'cpu', '--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--negatives', 'historical', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    const summary = lines[lines.length - 1];
    expect(summary.summary).toBe(true);
    expect(summary.seeds).toEqual([1, 2]);
    expect(summary.bestEpochs).toHaveLength(2);
    expect(summary.test.apBatchMean.mean).toBeGreaterThan(0);
    const perEpoch = lines.slice(0, -1);
    expect(new Set(perEpoch.map((l) => l.seed))).toEqual(new Set([1, 2]));
    expect(perEpoch.every((l) => l.negatives === 'historical')).toBe(true);
    // patience 1: each seed runs at most (best epoch + 1) epochs
    for (const [i, seed] of [1, 2].entries()) {
      expect(perEpoch.filter((l) => l.seed === seed).length).toBeLessThanOrEqual(summary.bestEpochs[i] + 1);
    }
  });
});
