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

  it('train --resume DIR continues a checkpoint: 1 epoch + resume 1 epoch prints the numbers of 2 epochs straight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-resume-'));
    const file = tinyStream(dir, 'tiny.csv', 80);
    const folder = join(dir, 'ckpt');
    const LR = ['--lr', '0.01'];
    const straight = await cli('train', '--data', file, '--epochs', '2', ...SMALL, ...LR, '--json');
    expect(straight.code, straight.err).toBe(0);
    const epochs = straight.out.trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; loss: number; val: unknown; test: unknown });
    const first = await cli('train', '--data', file, '--epochs', '1', ...SMALL, ...LR, '--save-checkpoint', folder, '--json');
    expect(first.code, first.err).toBe(0);
    const meta = (JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { modelTopology: { version: number; resume: { epochs: number } } }).modelTopology;
    expect(meta.version).toBe(2);
    expect(meta.resume.epochs).toBe(1);

    // the settings come from the checkpoint: no size flags needed; the same values are accepted
    const resumed = await cli('train', '--data', file, '--resume', folder, '--epochs', '1', '--backend', 'cpu', '--batch-size', '10', '--json');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(/resuming .*model\.json: tgn after epoch 1 \(optimizer step 6, learning rate 0\.01, seed 1\)/);
    const line = JSON.parse(resumed.out.trim()) as { epoch: number; loss: number; val: unknown; test: unknown; trainSeconds: number; trainEventsPerSec: number };
    const { trainSeconds: _a, trainEventsPerSec: _b, ...same } = line;
    const { trainSeconds: _c, trainEventsPerSec: _d, ...expected } = epochs[1] as typeof line;
    expect(line.epoch).toBe(2);
    expect(same).toEqual(expected);

    // a resumed run saves a checkpoint that resumes again (epoch 3 = 3 epochs straight)
    const folder2 = join(dir, 'ckpt2');
    expect((await cli('train', '--data', file, '--resume', folder, '--epochs', '1', '--backend', 'cpu', '--save-checkpoint', folder2)).code).toBe(0);
    const three = await cli('train', '--data', file, '--epochs', '3', ...SMALL, ...LR, '--json');
    const again = await cli('train', '--data', file, '--resume', folder2, '--epochs', '1', '--backend', 'cpu', '--json');
    expect(again.code, again.err).toBe(0);
    const third = JSON.parse(three.out.trim().split('\n')[2]!) as { loss: number; test: unknown };
    expect(JSON.parse(again.out.trim())).toMatchObject({ epoch: 3, loss: third.loss, test: third.test });
  }, 120_000);

  it('train --resume refuses another stream, conflicting settings, several seeds and a missing folder (exit 2, naming what conflicts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-resume-'));
    const file = tinyStream(dir, 'tiny.csv', 60);
    const other = tinyStream(dir, 'other.csv', 80);
    const folder = join(dir, 'ckpt');
    expect((await cli('train', '--data', file, ...SMALL, '--save-checkpoint', folder)).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['--data', other], /--resume .*model\.json: this checkpoint was saved for a stream of 60 events .*has 80 events/],
      [['--data', file, '--batch-size', '20'], /--batch-size 20 conflicts with the checkpoint in .*ckpt \(its batch size is 10\); a resumed run keeps the checkpoint's settings: drop --batch-size or give 10/],
      [['--data', file, '--memory-dim', '8'], /--memory-dim 8 conflicts .*its memory dim is 4/],
      [['--data', file, '--lr', '0.5'], /--lr 0\.5 conflicts .*its learning rate is 0\.0001/],
      [['--data', file, '--model', 'jodie'], /--model jodie conflicts .*its model is tgn/],
      [['--data', file, '--seeds', '1,2'], /--resume continues one run \(seed 1\); drop --seeds/],
      [['--data', file, '--setting', 'inductive'], /--resume supports the transductive setting only/],
      [['--data', file, '--model', 'edgebank'], /EdgeBank learns nothing/],
    ];
    for (const [flags, message] of cases) {
      const r = await cli('train', '--resume', folder, '--backend', 'cpu', ...flags);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const missing = await cli('train', '--data', file, '--resume', join(dir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--resume '.*nope' does not exist/);

    // a version-1 file (no resume state) continues from its weights with a fresh optimizer, and says so
    const jsonPath = join(folder, 'model.json');
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { modelTopology: Record<string, unknown> };
    delete json.modelTopology.resume;
    json.modelTopology.version = 1;
    writeFileSync(jsonPath, JSON.stringify(json));
    const v1 = await cli('train', '--data', file, '--resume', folder, '--backend', 'cpu', '--json');
    expect(v1.code, v1.err).toBe(0);
    expect(v1.err).toMatch(/this checkpoint \(format version 1\) holds no optimizer state, so training continues from its weights with a fresh Adam optimizer .*it will not match an uninterrupted run/);
    expect(JSON.parse(v1.out.trim())).toMatchObject({ epoch: 2 });
  }, 120_000);

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
