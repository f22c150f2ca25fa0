import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { artifactsDir, downloadCheckpoint, openApp, openSession, repoRoot, stepToEpoch, tgnn, type Session } from './browser.ts';

const csv = join(repoRoot, 'public', 'datasets', 'synthetic-small.csv');

interface EvalLine {
  val: { apBatchMean: number; aucBatchMean: number };
  test: { apBatchMean: number; aucBatchMean: number };
  matchesSaved: boolean;
  backend: string;
}


function cliEval(dir: string): EvalLine {
  return JSON.parse(tgnn('eval', '--checkpoint', dir, '--data', csv, '--backend', 'wasm', '--json')) as EvalLine;
}

describe('checkpoints: CLI ⇄ browser', () => {
  const origin = inject('baseUrl');
  let session: Session;
  let tmp: string;

  const metric = async (testId: string): Promise<number> => {
    const v = await session.page.getByTestId(testId).getAttribute('data-value');
    if (v === null) throw new Error(`${testId} has no data-value`);
    return Number(v);
  };
  const idle = () => session.page.getByTestId('checkpoint-busy').waitFor({ state: 'detached', timeout: 120_000 });
  const noError = async () => {
    const error = session.page.getByTestId('checkpoint-error');
    if (await error.count()) throw new Error(`the checkpoint panel shows an error: ${await error.textContent()}`);
  };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tgnn-e2e-ckpt-'));
    session = await openSession();
  });

  // each test starts from a fresh load, so the tests pass in any order
  beforeEach(async () => {
    await session.page.goto('about:blank');
    await openApp(session.page, `${origin}/#dataset=synthetic-small&backend=wasm`);
    await session.page.getByTestId('backend-badge').filter({ hasText: /WASM/ }).waitFor({ timeout: 60_000 });
  });

  // one epoch exactly, a Step (one batch) at a time: with Play, the pause lands wherever the last training
  // call ends, which on this small stream can be past the next epoch's training phase
  const trainOneEpoch = async (until = 2): Promise<void> => {
    const page = session.page;
    await stepToEpoch(page, until, 100);
    expect(await page.getByTestId('epoch-counter').textContent()).toBe(String(until));
    expect(await page.getByTestId('batch-counter').textContent()).toBe('train · batch 0 of 11');
  };

  /** loads the checkpoint picked in the browser list, then continues training from it */
  const continueFromBrowser = async (name: string): Promise<string> => {
    const page = session.page;
    await page.getByTestId('checkpoint-browser-list').selectOption({ label: name });
    await page.getByTestId('checkpoint-load-browser').click();
    await page.getByTestId('checkpoint-source').filter({ hasText: name }).waitFor({ timeout: 120_000 });
    await idle();
    await noError();
    await page.getByTestId('checkpoint-continue').click();
    await page.getByTestId('checkpoint-continued').waitFor({ timeout: 120_000 });
    await idle();
    await noError();
    return (await page.getByTestId('checkpoint-continued').textContent()) ?? '';
  };

  afterAll(async () => {
    await session?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('a checkpoint saved by `tgnn train --save-checkpoint` evaluates in the page with the CLI eval AP', async () => {
    const dir = join(tmp, 'from-cli');
    const saved = JSON.parse(tgnn('train', '--data', csv, '--epochs', '1', '--backend', 'wasm', '--save-checkpoint', dir, '--json').trim().split('\n').pop()!) as EvalLine;
    const cli = cliEval(dir);
    expect(cli.test.apBatchMean).toBe(saved.test.apBatchMean);

    const page = session.page;
    await page.getByTestId('checkpoint-files').setInputFiles([join(dir, 'model.json'), join(dir, 'model.weights.bin')]);
    await page.getByTestId('checkpoint-result').waitFor({ timeout: 120_000 });
    await idle();
    await noError();
    const browser = { val: await metric('checkpoint-val-ap'), test: await metric('checkpoint-test-ap') };
    console.log(`e2e: CLI checkpoint — CLI eval (wasm, Node) val AP ${cli.val.apBatchMean}, test AP ${cli.test.apBatchMean}; page (wasm) val AP ${browser.val}, test AP ${browser.test}; identical: ${browser.test === cli.test.apBatchMean && browser.val === cli.val.apBatchMean}`);
    expect(browser.test).toBeCloseTo(cli.test.apBatchMean, 6);
    expect(browser.val).toBeCloseTo(cli.val.apBatchMean, 6);
    expect(await page.getByTestId('checkpoint-source').textContent()).toBe('model.json + model.weights.bin');
    expect(await page.getByTestId('checkpoint-result').textContent()).toMatch(/TGN, 1 epoch/);
  });

  it('the app trains an epoch, downloads a checkpoint, and `tgnn eval` of the download gives the AP the page shows', async () => {
    const page = session.page;
    await trainOneEpoch();

    const dir = join(tmp, 'from-app');
    const names = await downloadCheckpoint(page, dir);
    await idle();
    await noError();
    expect(names).toEqual(['model.json', 'model.weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[]; modelTopology: { preset: string; epochs: number } };
    expect(json.weightsManifest[0]!.paths).toEqual(['./model.weights.bin']);
    expect(json.modelTopology).toMatchObject({ preset: 'tgn', epochs: 1 });

    const shown = { val: await metric('checkpoint-saved-val-ap'), test: await metric('checkpoint-saved-test-ap') };
    // the checkpoint holds epoch 1 as its training left it, so its AP is the curve's epoch 1
    expect(await page.getByTestId('checkpoint-saved-memory').textContent()).toMatch(/as epoch 1's training left them/);
    expect(await page.getByTestId('training-facts').textContent()).toContain(`epoch 1: val AP ${shown.val.toFixed(3)}, test AP ${shown.test.toFixed(3)}`);
    const cli = cliEval(dir);
    console.log(`e2e: app checkpoint — page (wasm) val AP ${shown.val}, test AP ${shown.test}; CLI eval (wasm, Node) val AP ${cli.val.apBatchMean}, test AP ${cli.test.apBatchMean}; identical: ${shown.test === cli.test.apBatchMean && shown.val === cli.val.apBatchMean}`);
    expect(cli.test.apBatchMean).toBeCloseTo(shown.test, 6);
    expect(cli.val.apBatchMean).toBeCloseTo(shown.val, 6);
  });

  it('an epoch trained in the page, saved to the browser, continues after a reload: the counter shows epoch 2 and Play trains on', async () => {
    const page = session.page;
    await trainOneEpoch();
    await page.getByTestId('checkpoint-save-browser').click();
    await page.getByTestId('checkpoint-saved').filter({ hasText: 'this browser' }).waitFor({ timeout: 120_000 });
    await idle();
    const name = (await page.getByTestId('checkpoint-browser-list').locator('option:checked').textContent())!;

    await page.goto('about:blank');
    await openApp(page, `${origin}/#dataset=synthetic-small&backend=wasm`);
    await page.getByTestId('backend-badge').filter({ hasText: /WASM/ }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('epoch-counter').textContent()).toBe('1');
    const text = await continueFromBrowser(name);
    expect(text).toMatch(/^The playground's model is now tgnn-synthetic-small-tgn-e1-.* after 1 epoch\. Training goes on with epoch 2: press Play or Step\. Its optimizer state came with it/);
    expect(text).toMatch(/Its settings were applied: TGN, memory 100, .*batch 200, learning rate 0\.001, seed 1\.$/);
    expect(await page.getByTestId('epoch-counter').textContent()).toBe('2');
    expect(await page.getByTestId('batch-counter').textContent()).toBe('train · batch 0 of 11');
    await page.getByTestId('play').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="batch-counter"]')?.textContent !== 'train · batch 0 of 11', undefined, { timeout: 60_000 });
    await page.getByTestId('pause').click();
    expect(Number(await page.getByTestId('epoch-counter').textContent())).toBeGreaterThanOrEqual(2);
    await page.getByTestId('checkpoint-panel').screenshot({ path: join(artifactsDir, 'checkpoint-continued.png') });
    expect(session.errors).toEqual([]);
  });

  it('a CLI checkpoint continued in the page for one epoch gives the AP `tgnn train --resume DIR --epochs 1` prints', async () => {
    const page = session.page;
    const dir = join(tmp, 'to-resume');
    tgnn('train', '--data', csv, '--epochs', '1', '--backend', 'wasm', '--save-checkpoint', dir, '--json');
    const cli = JSON.parse(tgnn('train', '--data', csv, '--resume', dir, '--epochs', '1', '--backend', 'wasm', '--json').trim()) as EvalLine & { epoch: number };
    expect(cli.epoch).toBe(2);

    await page.getByTestId('checkpoint-files').setInputFiles([join(dir, 'model.json'), join(dir, 'model.weights.bin')]);
    await page.getByTestId('checkpoint-result').waitFor({ timeout: 120_000 });
    await idle();
    await page.getByTestId('checkpoint-continue').click();
    await page.getByTestId('checkpoint-continued').waitFor({ timeout: 120_000 });
    await idle();
    await noError();
    expect(await page.getByTestId('checkpoint-continued').textContent()).toMatch(/learning rate 0\.0001, seed 1\.$/);
    await trainOneEpoch(3);
    // a checkpoint of epoch 2 as its training left it: its AP is epoch 2's, to the last bit
    await page.getByTestId('checkpoint-save-browser').click();
    await page.getByTestId('checkpoint-saved').filter({ hasText: '2 epochs' }).waitFor({ timeout: 120_000 });
    await idle();
    const shown = { val: await metric('checkpoint-saved-val-ap'), test: await metric('checkpoint-saved-test-ap') };
    const round5 = (v: number) => Math.round(v * 1e5) / 1e5;
    console.log(`e2e: resume — CLI train --resume (wasm, Node) epoch 2 val AP ${cli.val.apBatchMean}, test AP ${cli.test.apBatchMean} (printed to 5 digits); page (wasm) epoch 2 val AP ${shown.val}, test AP ${shown.test}`);
    expect(round5(shown.val)).toBe(cli.val.apBatchMean);
    expect(round5(shown.test)).toBe(cli.test.apBatchMean);
  });

  it('saves to IndexedDB, lists and loads it back with the same AP; another dataset is refused and the model stays', async () => {
    const page = session.page;
    await trainOneEpoch();
    await page.getByTestId('checkpoint-save-browser').click();
    await page.getByTestId('checkpoint-saved').filter({ hasText: 'this browser' }).waitFor({ timeout: 120_000 });
    await idle();
    await noError();
    const savedTest = await metric('checkpoint-saved-test-ap');
    const list = page.getByTestId('checkpoint-browser-list');
    const name = await list.locator('option:checked').textContent();
    expect(name).toMatch(/^tgnn-synthetic-small-tgn-e1-\d{8}-\d{6}$/);

    await page.getByTestId('checkpoint-load-browser').click();
    await page.getByTestId('checkpoint-source').filter({ hasText: name! }).waitFor({ timeout: 120_000 });
    await idle();
    await noError();
    expect(await metric('checkpoint-test-ap')).toBe(savedTest);
    expect(await page.getByTestId('checkpoint-match').textContent()).toBe('Same AP as when it was saved.');
    await page.getByTestId('checkpoint-panel').screenshot({ path: join(artifactsDir, 'checkpoint.png') });

    // the listing survives a reload (IndexedDB), and a checkpoint of another stream is refused
    await page.getByTestId('dataset-picker').selectOption('conversations');
    await page.getByTestId('dataset-stats').filter({ hasText: '30,000 events' }).waitFor({ timeout: 60_000 });
    // the counter follows once the model is rebuilt for the new stream (70 % of 30,000 in batches of 200)
    await page.getByTestId('batch-counter').filter({ hasText: 'of 105' }).waitFor({ timeout: 60_000 });
    const counter = await page.getByTestId('batch-counter').textContent();
    await page.getByTestId('checkpoint-load-browser').click();
    await page.getByTestId('checkpoint-error').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('checkpoint-error').textContent()).toMatch(
      /^this checkpoint was saved for a stream of 3,000 events \/ 270 nodes \/ 1 edge feature \(synthetic-small\); the loaded stream conversations has 30,000 events \/ 80 nodes .*load the same file$/,
    );
    expect(await page.getByTestId('batch-counter').textContent()).toBe(counter);
    // model.json without its weights file (a checkpoint of this test's own)
    const own = join(tmp, 'for-missing-weights');
    tgnn('train', '--data', csv, '--epochs', '1', '--backend', 'wasm', '--save-checkpoint', own, '--json');
    await page.getByTestId('checkpoint-files').setInputFiles([join(own, 'model.json')]);
    await page.getByTestId('checkpoint-error').filter({ hasText: 'needs its weights file' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('checkpoint-error').textContent()).toBe('model.json needs its weights file model.weights.bin; pick both files together');
    await page.getByTestId('checkpoint-panel').screenshot({ path: join(artifactsDir, 'checkpoint-error.png') });
    expect(session.errors).toEqual([]);
  });
});
