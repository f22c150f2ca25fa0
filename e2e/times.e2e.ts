// Uploads whose times cannot train: the page says why and keeps the dataset it had (no NaN, no console
// errors); tied last times load with a note and train on the order split.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';

const SMALL = 'synthetic-small';

describe('times that cannot train', () => {
  const origin = inject('baseUrl');
  let session: Session;
  let tmp: string;

  /** a CSV with these times, events i → i + 1 mod 7 */
  const csv = (name: string, times: readonly number[]): string => {
    const file = join(tmp, name);
    writeFileSync(file, ['src,dst,t', ...times.map((t, i) => `${i % 7},${(i + 1) % 7},${t}`)].join('\n') + '\n');
    return file;
  };
  const counterText = () => session.page.getByTestId('batch-counter').textContent();
  /** clicks Step and waits until the batch counter changes */
  const step = async (): Promise<string | null> => {
    const before = await counterText();
    await session.page.getByTestId('step').click();
    await session.page.waitForFunction((b) => document.querySelector('[data-testid="batch-counter"]')?.textContent !== b, before, { timeout: 60_000 });
    return counterText();
  };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tgnn-e2e-times-'));
    session = await openSession();
  });

  afterAll(async () => {
    await session?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(session.errors.splice(0), 'console errors, uncaught errors, failed requests').toEqual([]);
  });

  it('all events at one time: the message, the previous dataset kept, no console errors', async () => {
    await openApp(session.page, `${origin}/#dataset=${SMALL}`);
    const page = session.page;
    const stats = await page.getByTestId('dataset-stats').textContent();
    await page.getByTestId('file-input').setInputFiles(csv('same-time.csv', new Array<number>(12).fill(5)));
    const error = page.getByTestId('import-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toBe(
      'Import failed: same-time.csv: all 12 events happen at the same time (5): the model learns from when events happen and the training, ' +
        `validation and test parts follow time, so the times must differ; check that the time column is the right oneStill using ${SMALL}.`,
    );
    expect(await page.getByTestId('dataset-name').textContent()).toBe(SMALL);
    expect(await page.getByTestId('dataset-stats').textContent()).toBe(stats);
    // the old dataset still trains, and nothing complains meanwhile
    await step();
    await page.waitForTimeout(2000);
    await page.screenshot({ path: join(artifactsDir, 'times-same-time.png'), fullPage: true });
  });

  it('tied last times: loads with a note, and an epoch shows no NaN', async () => {
    await openApp(session.page, `${origin}/#dataset=${SMALL}`);
    const page = session.page;
    // 9 at t = 0, 3 at t = 1: by time the test part is empty; by order 8 / 2 / 2
    await page.getByTestId('file-input').setInputFiles(csv('tied.csv', [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]));
    await page.getByTestId('dataset-name').filter({ hasText: 'tied.csv' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-issues').textContent()).toContain(
      '3 of 12 events share the time 1, so splitting by time would leave the test part empty; the events are split by their order instead (8 training, 2 validation, 2 test)',
    );
    // one batch each of train, validation and test: the epoch ends
    await page.getByTestId('batch-counter').filter({ hasText: /^train · batch 0 of 1$/ }).waitFor({ timeout: 60_000 });
    const seen = [await step(), await step(), await step()];
    expect(seen[0]).toBe('val · batch 0 of 1');
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('NaN');
    await page.screenshot({ path: join(artifactsDir, 'times-tied.png'), fullPage: true });
  });
});
