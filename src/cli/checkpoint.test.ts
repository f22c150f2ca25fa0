import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliTesting.ts';


afterEach(() => vi.restoreAllMocks());

function tinyStream(dir: string, name: string, events: number): string {
  const file = join(dir, name);
  const rows = ['src,dst,t'];
  for (let i = 0; i < events; i++) rows.push(`${i % 7},${(i * 3) % 5 + 7},${1000 + i}`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

const SMALL = ['--batch-size', '10', '--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--backend', 'cpu'];

describe('tgnn checkpoints', () => {
  it('train --save-checkpoint then eval --checkpoint reports the AP of the saved weights exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-ckpt-'));
    const file = tinyStream(dir, 'tiny.csv', 60);
    const folder = join(dir, 'ckpt');
    const train = await cli('train', '--data', file, '--epochs', '1', ...SMALL, '--save-checkpoint', folder, '--json');
    expect(train.code).toBe(0);
    const lines = train.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    const saved = lines[1] as { checkpoint: string; val: { apBatchMean: number }; test: { apBatchMean: number } };
    expect(saved.checkpoint).toBe(folder);
    expect(existsSync(join(folder, 'model.json'))).toBe(true);
    expect(existsSync(join(folder, 'model.weights.bin'))).toBe(true);
    // the layout tf.io.browserDownloads writes
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['modelTopology', 'format', 'generatedBy', 'weightsManifest']);
    expect(json.weightsManifest).toEqual([{ paths: ['./model.weights.bin'], weights: expect.any(Array) }]);

    for (const backend of ['cpu', 'wasm']) {
      const ev = await cli('eval', '--checkpoint', folder, '--data', file, '--backend', backend, '--json');
      expect(ev.code, ev.err).toBe(0);
      const r = JSON.parse(ev.out) as { val: { apBatchMean: number }; test: { apBatchMean: number }; matchesSaved: boolean; backend: string };
      expect(r.backend).toBe(backend);
      expect(r.val.apBatchMean).toBe(saved.val.apBatchMean);
      expect(r.test.apBatchMean).toBe(saved.test.apBatchMean);
      expect(r.matchesSaved).toBe(true);
    }
    // the model.json path itself works too, and the text output names both metrics
    const text = await cli('eval', '--checkpoint', join(folder, 'model.json'), '--data', file, '--backend', 'cpu');
    expect(text.out).toMatch(/val AP \d\.\d{6} AUC \d\.\d{6}; test AP/);
  }, 60_000);

  it('eval of another stream, a missing folder or a damaged weights file exits 2 with one readable line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-ckpt-'));
    const file = tinyStream(dir, 'tiny.csv', 60);
    const other = tinyStream(dir, 'other.csv', 80);
    const folder = join(dir, 'ckpt');
    expect((await cli('train', '--data', file, ...SMALL, '--save-checkpoint', folder)).code).toBe(0);

    const wrong = await cli('eval', '--checkpoint', folder, '--data', other, '--backend', 'cpu');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/saved for a stream of 60 events \/ 12 nodes .*has 80 events .*load the same file/);
    expect(wrong.err).not.toMatch(/\n\s+at /);

    const missing = await cli('eval', '--checkpoint', join(dir, 'nope'), '--data', file);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist/);

    const bin = join(folder, 'model.weights.bin');
    writeFileSync(bin, readFileSync(bin).subarray(0, 64));
    const damaged = await cli('eval', '--checkpoint', folder, '--data', file, '--backend', 'cpu');
    expect(damaged.code).toBe(2);
    expect(damaged.err).toMatch(/weights file has 64 bytes; model.json expects/);

    expect((await cli('train', '--data', file, ...SMALL, '--setting', 'inductive', '--save-checkpoint', folder)).err).toMatch(/transductive setting only|unknown flag --setting/);
  }, 60_000);
});
