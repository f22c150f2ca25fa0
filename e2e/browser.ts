import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export { sharedDataset } from '../src/testing/sharedDatasets.ts';

export const artifactsDir = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** runs the real CLI (`node bin/tgnn.mjs …`) and returns its stdout; stderr is cut to its last lines on failure */
export function tgnn(...args: string[]): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'tgnn.mjs'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`tgnn ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').split('\n').slice(-5).join(' | ').slice(0, 600)}`);
  return r.stdout;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** every request URL the page made, in order */
  requests: string[];
  /** console errors, uncaught page errors, failed requests and HTTP errors */
  errors: string[];
  close(): Promise<void>;
}

/** Launches Debian Chromium (CHROMIUM_PATH overrides) headless with a fresh profile, recording requests and errors. */
export async function openSession(): Promise<Session> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tgnn-e2e-profile-'));
  mkdirSync(artifactsDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 760 },
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-webgpu',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return {
    context,
    page,
    requests,
    errors,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Opens the app at `url` and waits until the dataset is loaded and the model stands at a batch. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await page.getByTestId('dataset-stats').waitFor({ state: 'visible', timeout: 60_000 });
  await page.getByTestId('batch-counter').filter({ hasText: 'batch' }).waitFor({ timeout: 60_000 });
}

/**
 * Clicks Step (one batch each) until the epoch counter shows `epoch`, at most `limit` times, each time waiting
 * for the counters to move: exactly one epoch, where Play would pause wherever its last call ends.
 */
export async function stepToEpoch(page: Page, epoch: number, limit: number): Promise<void> {
  const counterText = async () => `${await page.getByTestId('epoch-counter').textContent()} ${await page.getByTestId('batch-counter').textContent()}`;
  for (let i = 0; i < limit && (await page.getByTestId('epoch-counter').textContent()) !== String(epoch); i++) {
    const before = await counterText();
    await page.locator('[data-testid="step"]:not([disabled])').click();
    await page.waitForFunction(
      (b) => `${document.querySelector('[data-testid="epoch-counter"]')?.textContent} ${document.querySelector('[data-testid="batch-counter"]')?.textContent}` !== b,
      before,
      { timeout: 60_000 },
    );
  }
}

/**
 * Clicks the checkpoint panel's Download and saves the two files it downloads (model.json,
 * model.weights.bin) into `dir`; returns their names, sorted. Waits until the panel says it saved.
 */
export async function downloadCheckpoint(page: Page, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  let saved = 0;
  const collected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`expected 2 downloads, got ${names.join(', ') || 'none'}`)), 120_000);
    page.on('download', (d) => {
      names.push(d.suggestedFilename());
      void d.saveAs(join(dir, d.suggestedFilename())).then(() => {
        if (++saved === 2) {
          clearTimeout(timer);
          resolve();
        }
      }, reject);
    });
  });
  await page.getByTestId('checkpoint-download').click();
  await collected;
  await page.getByTestId('checkpoint-saved').waitFor({ timeout: 120_000 });
  return names.sort();
}
