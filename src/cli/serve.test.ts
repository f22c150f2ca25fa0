import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliTesting.ts';
import type { QueryRecord, ServeSummary } from '../shared/serving.ts';

afterEach(() => vi.restoreAllMocks());

const SMALL = ['--batch-size', '10', '--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--backend', 'cpu'];
let dir = '';
let file = '';
let checkpoint = '';

// 200 events on 12 nodes: the last 30 are the test part, served as the feed
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgnn-serve-'));
  file = join(dir, 'small.csv');
  const rows = ['src,dst,t'];
  for (let i = 0; i < 200; i++) rows.push(`${i % 7},${(i * 3) % 5 + 7},${1000 + i}`);
  writeFileSync(file, rows.join('\n') + '\n');
  checkpoint = join(dir, 'ckpt');
  const train = await cli('train', '--data', file, '--epochs', '1', ...SMALL, '--save-checkpoint', checkpoint);
  expect(train.code).toBe(0);
});

const serve = (...flags: string[]) => cli('serve', '--data', file, '--checkpoint', checkpoint, '--backend', 'cpu', '--clock', 'virtual', '--event-rate', '100', '--query-rate', '50', '--duration-s', '0.2', ...flags);

describe('tgnn serve', () => {
  it('prints one JSON summary per run; the virtual clock repeats it exactly; inference answers are exact', async () => {
    const summaries: Record<string, ServeSummary> = {};
    for (const mode of ['update', 'inference', 'collaborative']) {
      const r = await serve('--mode', mode, '--json');
      expect(r.code, r.err).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines).toHaveLength(1);
      summaries[mode] = JSON.parse(lines[0]!) as ServeSummary;
      expect(summaries[mode]!.mode).toBe(mode);
      expect(summaries[mode]!.queries).toBeGreaterThan(3);
      for (const key of ['latencyMs', 'stalenessEvents', 'stalenessSeconds'] as const) expect(Object.keys(summaries[mode]![key])).toEqual(['mean', 'p50', 'p95', 'p99']);
    }
    expect(summaries.inference!.stalenessEvents.p99).toBe(0);
    expect(summaries.inference!.exactFraction).toBe(1);
    expect(summaries.inference!.ap).toBe(summaries.inference!.exactAp);
    // the default cost model: a cache read is cheaper than a model query, which is cheaper than replaying first
    expect(summaries.update!.latencyMs.p99).toBeLessThan(summaries.collaborative!.latencyMs.p99);
    expect(summaries.collaborative!.latencyMs.p99).toBeLessThan(summaries.inference!.latencyMs.p99);
    const again = await serve('--mode', 'collaborative', '--json');
    expect({ ...(JSON.parse(again.out) as ServeSummary), samplingMs: null }).toEqual({ ...summaries.collaborative!, samplingMs: null });
  });

  it('--records writes one JSON line per answered query', async () => {
    const path = join(dir, 'records.jsonl');
    const r = await serve('--mode', 'update', '--group-size', '4', '--records', path, '--json');
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as ServeSummary;
    const records = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as QueryRecord);
    expect(records).toHaveLength(summary.queries);
    expect(records.every((q) => q.stalenessEvents === q.arrived - q.reflected && q.latencyMs > 0)).toBe(true);
  });

  it('the text line names the mode, latency, staleness and AP', async () => {
    const r = await serve('--mode', 'collaborative', '--group-window-ms', '30');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^collaborative \(virtual clock\), R=100\/s Q=50\/s G=10 W=30ms: \d+ queries, latency P50 [\d.]+ \/ P99 [\d.]+ ms, staleness mean [\d.]+ events/);
  });

  it('bad values exit 2 naming the flag before a file is read', async () => {
    const rate = await cli('serve', '--data', 'no/such.csv', '--checkpoint', 'no/such', '--event-rate', '0');
    expect(rate.code).toBe(2);
    expect(rate.err).toMatch(/--event-rate/);
    const mode = await cli('serve', '--data', 'no/such.csv', '--checkpoint', 'no/such', '--mode', 'batch');
    expect(mode.code).toBe(2);
    expect(mode.err).toMatch(/--mode/);
  });

  it('serve-sweep prints one line per mode, group size and rate (inference once per rate)', async () => {
    const r = await cli('serve-sweep', '--data', file, '--checkpoint', checkpoint, '--backend', 'cpu', '--clock', 'virtual', '--event-rates', '50,100', '--group-sizes', '1,5', '--duration-s', '0.2', '--query-rate', '30', '--json');
    expect(r.code, r.err).toBe(0);
    const points = r.out.trim().split('\n').map((l) => JSON.parse(l) as ServeSummary);
    expect(points.map((p) => `${p.mode}:${p.updateGrouping.size}:${p.eventRate}`)).toEqual([
      'update:1:50', 'update:1:100', 'update:5:50', 'update:5:100', 'inference:1:50', 'inference:1:100',
      'collaborative:1:50', 'collaborative:1:100', 'collaborative:5:50', 'collaborative:5:100',
    ]);
  });

  it('--clock wall serves on two threads in real time: inference answers exact, every answer reflects at most what had arrived', async () => {
    for (const mode of ['inference', 'collaborative', 'update']) {
      const path = join(dir, `wall-${mode}.jsonl`);
      const r = await cli('serve', '--data', file, '--checkpoint', checkpoint, '--backend', 'cpu', '--clock', 'wall', '--mode', mode,
        '--event-rate', '100', '--query-rate', '50', '--group-size', '2', '--duration-s', '0.2', '--records', path, '--json');
      expect(r.code, r.err).toBe(0);
      const summary = JSON.parse(r.out) as ServeSummary;
      expect(summary.clock).toBe('wall');
      const records = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as QueryRecord);
      expect(records.length).toBe(summary.queries);
      expect(summary.queries).toBeGreaterThan(3);
      for (const q of records) {
        expect(q.reflected).toBeLessThanOrEqual(q.arrived);
        expect(q.answerS).toBeGreaterThanOrEqual(q.startS);
        expect(q.startS).toBeGreaterThanOrEqual(q.arrivalS);
      }
      if (mode === 'inference') expect([summary.exactFraction, summary.stalenessEvents.p99]).toEqual([1, 0]);
      else expect(summary.updateGroups).toBeGreaterThan(0);
    }
  });
});
