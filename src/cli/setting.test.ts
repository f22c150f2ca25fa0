import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliTesting.ts';
import { importEventStream } from '../engine/data/import.ts';
import { inductiveSplit } from '../engine/data/split.ts';
import { DyGLibNegativeSampler } from '../engine/data/negatives.ts';
import { EdgeBank, evaluateEdgeBank } from '../engine/models/edgeBank.ts';


afterEach(() => vi.restoreAllMocks());

// 80 events over 20 nodes; sources 14..19 first act late
const events: [number, number, number][] = [];
for (let i = 0; i < 80; i++) events.push([i < 56 ? i % 7 : 14 + (i % 6), (i * 3) % 7 + 7, 1000 + i]);
function tinyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgnn-setting-'));
  const file = join(dir, 'tiny.csv');
  writeFileSync(file, ['src,dst,t', ...events.map((e) => e.join(','))].join('\n') + '\n');
  return file;
}
const TINY = ['--batch-size', '10', '--backend', 'cpu', '--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--json'];

describe('tgnn train --setting', () => {
  it('rejects an unknown setting with one line', async () => {
    const r = await cli('train', '--data', tinyFile(), '--setting', 'semi');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--setting must be one of transductive, inductive, got 'semi'/);
  });

  it('inductive: trains on the derived stream and reports valInductive/testInductive per epoch and in the summary', async () => {
    const file = tinyFile();
    const r = await cli('train', '--data', file, '--setting', 'inductive', '--epochs', '2', '--patience', '5', ...TINY);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/inductive setting: 2 new test nodes; \d+ of 56 training events removed/);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines.slice(0, 2)) {
      expect(l.setting).toBe('inductive');
      expect(Object.keys(l.valInductive)).toEqual(['ap', 'auc', 'apBatchMean', 'aucBatchMean']);
      expect(l.testInductive.apBatchMean).toBeGreaterThan(0);
    }
    const summary = lines[2];
    expect(summary.setting).toBe('inductive');
    expect(summary.testInductive.apBatchMean.mean).toBeGreaterThan(0);
    const plain = await cli('train', '--data', file, '--epochs', '1', ...TINY);
    const line = JSON.parse(plain.out.trim());
    expect(line.setting).toBe('transductive');
    expect(line.valInductive).toBeUndefined();
  });

  it('inductive on a stream with no new node in validation or test: says there is nothing to measure, not NaN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-ind-'));
    const file = join(dir, 'closed.csv');
    // 4 nodes that all appear in the first events: no node is new in validation or test
    writeFileSync(file, ['src,dst,t', ...Array.from({ length: 40 }, (_, i) => `${i % 4},${(i + 1) % 4},${i}`)].join('\n') + '\n');
    const r = await cli('train', '--data', file, '--setting', 'inductive', '--epochs', '1', ...TINY.filter((a) => a !== '--json'));
    expect(r.code).toBe(0);
    // the epoch line goes to stdout without --json
    expect(r.err).toContain('inductive events: val 0/6, test 0/6');
    expect(r.out).toContain('inductive: val AP none (no event with a new node), test AP none (no event with a new node)');
    expect(r.out).not.toMatch(/NaN/);
  });

  it('edgebank inductive with MRR: the history is the derived stream; numbers equal the engine run on it', async () => {
    const file = tinyFile();
    const r = await cli('train', '--data', file, '--model', 'edgebank', '--setting', 'inductive', '--metric', 'mrr',
      '--negatives-per-positive', '5', '--batch-size', '10', '--json');
    expect(r.code).toBe(0);
    const line = JSON.parse(r.out.trim());
    const s = inductiveSplit(importEventStream(new Uint8Array(readFileSync(file))).stream, { seed: 2020 });
    const run = (range: readonly [number, number], seed: number) => evaluateEdgeBank(new EdgeBank(s.stream), range[0], range[1], 10,
      new DyGLibNegativeSampler(s.stream, 'random', seed, s.split.valTime), { negativesPerPositive: 5, inductiveMask: s.inductiveMask });
    const test = run(s.split.test, 12346);
    expect(line.test.mrr).toBeCloseTo(test.metrics.mrr!, 5);
    expect(line.testInductive.mrr).toBeCloseTo(test.inductive!.mrr!, 5);
    expect(line.testInductive.apBatchMean).toBeCloseTo(test.inductive!.apBatchMean, 5);
    expect(line.valInductive.ap).toBeCloseTo(run(s.split.val, 12345).inductive!.ap, 5);
    expect(line.testInductive.mrr).toBeGreaterThan(0);
  });
});
