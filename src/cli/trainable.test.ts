import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliTesting.ts';

afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'tgnn-cli-times-'));
/** a CSV with these times, events i → i + 1 mod 7 */
function file(name: string, times: readonly (number | string)[]): string {
  const path = join(dir, name);
  writeFileSync(path, ['src,dst,t', ...times.map((t, i) => `${i % 7},${(i + 1) % 7},${t}`)].join('\n') + '\n');
  return path;
}
const small = ['--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--neighbours', '2', '--backend', 'cpu', '--json'];

describe('tgnn with times that cannot train', () => {
  it('tied last times: warns, splits by order and reports finite test metrics (was: test ap null); all at one time: train, edgebank, sweep and eval exit 2 with one line (was: EarlyStopping internal error)', async () => {
    // 9 at t = 0, 3 at t = 1: by time the test part is empty; by order 8 / 2 / 2
    const tied = file('tied.csv', [...new Array<number>(9).fill(0), 1, 1, 1]);
    const checkpoint = join(dir, 'checkpoint');
    const r = await cli('train', '--data', tied, ...small, '--save-checkpoint', checkpoint);
    expect(r.code).toBe(0);
    expect(r.err).toContain('times: line 11: 3 of 12 events share the time 1, so splitting by time would leave the test part empty; ' +
      'the events are split by their order instead (8 training, 2 validation, 2 test)');
    const line = JSON.parse(r.out.trim().split('\n')[0]!) as { val: { apBatchMean: number }; test: { apBatchMean: number; ap: number } };
    for (const v of [line.val.apBatchMean, line.test.apBatchMean, line.test.ap]) expect(Number.isFinite(v), String(v)).toBe(true);
    // the checkpoint evaluates on the same (order) split
    const again = await cli('eval', '--checkpoint', checkpoint, '--data', tied, '--backend', 'cpu', '--json');
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as { matchesSaved: boolean }).matchesSaved).toBe(true);

    const zero = file('zero.csv', new Array<number>(12).fill(5));
    const message = `tgnn: ${zero}: all 12 events happen at the same time (5): the model learns from when events happen and the training, ` +
      'validation and test parts follow time, so the times must differ; check that the time column is the right one\n';
    for (const argv of [['train', ...small], ['train', '--model', 'edgebank'], ['sweep', '--batch-sizes', '50', '--backend', 'cpu'], ['eval', '--checkpoint', checkpoint]]) {
      const r = await cli(argv[0]!, '--data', zero, ...argv.slice(1));
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.endsWith(message), r.err).toBe(true);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('times near 1e300 stop before training (was: metrics: score 0 is NaN)', async () => {
    const huge = file('huge.csv', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, '1e300']);
    const r = await cli('train', '--data', huge, ...small);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`tgnn: ${huge}: the times span 1e+300 (from 0 to 1e+300), but the model computes with 32-bit numbers`);
    expect(r.err).not.toMatch(/internal error|NaN is|\n\s+at /);
  });
});
