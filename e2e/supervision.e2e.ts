import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';

// Issue 11, "a supervised worker": the engine worker dies without an error event (self.close(), as when
// the browser kills it) or with one (an uncaught error); the page notices within about 2 s, restarts it
// on the same backend with the dataset and settings, says so, and goes on (playing again if it was).

/** the engine worker (not the wasm backend's pthreads or a sweep's workers) */
async function engineWorker(page: Page): Promise<Worker> {
  for (let i = 0; i < 100; i++) {
    const w = page.workers().find((x) => x.url().includes('engine.worker'));
    if (w) return w;
    await page.waitForTimeout(50);
  }
  throw new Error(`no engine worker among ${page.workers().map((w) => w.url()).join(', ') || 'none'}`);
}

const counter = (page: Page): Promise<string> => page.getByTestId('batch-counter').textContent().then((t) => t ?? '');

/** waits until the epoch/batch counters change after `action` (none: by themselves, e.g. while playing) */
async function moves(page: Page, what: string, action?: () => Promise<void>): Promise<void> {
  const before = `${await page.getByTestId('epoch-counter').textContent()} ${await counter(page)}`;
  await action?.();
  await page.waitForFunction(
    (b) => `${document.querySelector('[data-testid="epoch-counter"]')?.textContent} ${document.querySelector('[data-testid="batch-counter"]')?.textContent}` !== b,
    before,
    { timeout: 30_000 },
  ).catch(() => {
    throw new Error(`${what}: the batch counter stayed at ${before}`);
  });
}

describe('a supervised engine worker', () => {
  const origin = inject('baseUrl');
  let session: Session;

  beforeAll(async () => {
    session = await openSession();
  });

  beforeEach(async () => {
    await session.page.goto('about:blank');
    await openApp(session.page, `${origin}/#dataset=synthetic-small&backend=wasm`);
    session.errors.length = 0;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('a worker that closes itself while playing (no error event) is noticed within 2.5 s, restarted from the last finished epoch, and plays on', async () => {
    const page = session.page;
    await page.getByTestId('play').click();
    // past the first epoch: the restart restores the end of the last finished one
    await page.getByTestId('epoch-counter').filter({ hasText: /^[2-9]$/ }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    const worker = await engineWorker(page);
    const t0 = Date.now();
    await worker.evaluate(() => self.close());
    const notice = page.getByTestId('engine-notice');
    await notice.waitFor({ timeout: 10_000 });
    const noticedMs = Date.now() - t0;
    const text = (await notice.textContent()) ?? '';
    console.log(`e2e supervision: a closed worker was noticed and restarted after ${noticedMs} ms: ${text}`);
    expect(noticedMs).toBeLessThan(2500 + 1500);
    expect(text).toMatch(/^The engine worker stopped answering \(no sign of life for 2 s\), so it was restarted \(wasm\); synthetic-small and your settings were loaded again, and training goes on from epoch [2-9] \(the end of epoch [1-8]'s training was kept\)\./);
    const from = Number(/goes on from epoch (\d)/.exec(text)![1]);
    // playing again on the new worker, without a reload or a backend switch
    await page.getByTestId('pause').waitFor({ timeout: 10_000 });
    await moves(page, 'training after the restart');
    expect(Number(await page.getByTestId('epoch-counter').textContent())).toBeGreaterThanOrEqual(from);
    await page.screenshot({ path: join(artifactsDir, 'supervision-notice.png') });
    await page.getByTestId('pause').click();
    await notice.getByRole('button', { name: 'Dismiss notice' }).click();
    await notice.waitFor({ state: 'detached' });
    expect(session.errors).toEqual([]);
  });

  it('a worker that crashes with an uncaught error is restarted at once: Step works, no backend switch needed', async () => {
    const page = session.page;
    const worker = await engineWorker(page);
    await worker.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated crash');
      }, 0);
    });
    const notice = page.getByTestId('engine-notice');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/^The engine worker crashed: .*simulated crash.*, so it was restarted \(wasm\); synthetic-small and your settings were loaded again/);
    await moves(page, 'a step after the crash', () => page.locator('[data-testid="step"]:not([disabled])').click());
    // the worker's uncaught error is reported by the browser itself; nothing else went wrong
    expect(session.errors.filter((e) => !e.includes('simulated crash'))).toEqual([]);
  });
});

// each test here loads its own page (a backend, or settings, of its own)
describe('a lost GPU device, and stopping a long batch', () => {
  const origin = inject('baseUrl');
  let session: Session;

  beforeAll(async () => {
    session = await openSession();
  });

  // a fresh load (a link that differs only in its hash would apply in place, while the last test's work runs)
  beforeEach(async () => {
    await session.page.goto('about:blank');
    session.errors.length = 0;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('on WebGPU (SwiftShader here), a destroyed device restarts the engine on wasm with the dataset and settings, and says so', async () => {
    const page = session.page;
    await openApp(page, `${origin}/#dataset=synthetic-small&backend=webgpu`);
    await page.getByTestId('backend-badge').filter({ hasText: /WebGPU/i }).waitFor({ timeout: 60_000 });
    const worker = await engineWorker(page);
    expect(await worker.evaluate(() => (self as unknown as { tgnnFaults: { destroyGpuDevice: () => boolean } }).tgnnFaults.destroyGpuDevice())).toBe(true);
    const notice = page.getByTestId('engine-notice');
    await notice.waitFor({ timeout: 30_000 });
    const text = (await notice.textContent()) ?? '';
    console.log(`e2e supervision: ${text}`);
    expect(text).toMatch(/^The GPU device was lost \(.+\), so it was restarted \(wasm\); synthetic-small and your settings were loaded again/);
    await page.getByTestId('backend-badge').filter({ hasText: /WASM/ }).waitFor({ timeout: 30_000 });
    await moves(page, 'a step on wasm after the device was lost', () => page.locator('[data-testid="step"]:not([disabled])').click());
    expect(session.errors).toEqual([]);
  }, 120_000);

  it('at the largest settings (exact mode, B = 2000, dims 256, 50 neighbours) Pause is idle again within a second, the batch left part-done', async () => {
    const page = session.page;
    await openApp(page, `${origin}/#dataset=conversations&exact=true&batchSize=2000&memoryDim=256&timeDim=256&embeddingDim=256&neighbours=50&backend=wasm`);
    await page.getByTestId('play').click();
    // well inside the first batch (one takes tens of seconds here)
    await page.waitForTimeout(3000);
    const t0 = Date.now();
    await page.getByTestId('pause').click();
    await page.locator('[data-testid="step"]:not([disabled])').waitFor({ timeout: 60_000 });
    const idleMs = Date.now() - t0;
    console.log(`e2e supervision: Pause → idle at the largest settings: ${idleMs} ms; counter ${await counter(page)}`);
    expect(idleMs).toBeLessThan(1000);
    // no batch finished yet: the counter still stands at the first one
    expect(await counter(page)).toBe('train · batch 0 of 11');
    expect(session.errors).toEqual([]);
  }, 120_000);
});
