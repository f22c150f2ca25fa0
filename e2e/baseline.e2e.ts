import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { importEventStream } from '../src/engine/data/import.ts';
import { chronologicalSplit } from '../src/engine/data/split.ts';
import { evaluateEdgeBankSplit } from '../src/engine/models/edgeBank.ts';
import { DEFAULT_SETTINGS } from '../src/shared/settings.ts';
import { TRAINER_DEFAULTS } from '../src/engine/train/trainer.ts';
import { artifactsDir, openApp, openSession, repoRoot, tgnn, type Session } from './browser.ts';

// the page opens on the first bundled stream
const index = JSON.parse(readFileSync(join(repoRoot, 'public', 'datasets', 'index.json'), 'utf8')) as { name: string; file: string }[];
const defaultDataset = index[0]!;
const csvPath = join('public', 'datasets', defaultDataset.file);

interface EdgeBankLine {
  model: string;
  memory: string;
  negatives: string;
  batchSize: number;
  val: { apBatchMean: number; aucBatchMean: number };
  test: { apBatchMean: number; aucBatchMean: number };
}


describe('EdgeBank baseline in the app', () => {
  const origin = inject('baseUrl');
  let session: Session;

  const value = async (testId: string): Promise<number> => {
    const v = await session.page.getByTestId(testId).getAttribute('data-value');
    if (v === null || v === '') throw new Error(`${testId} shows no value`);
    return Number(v);
  };

  beforeAll(async () => {
    session = await openSession();
  });

  // each test starts from a fresh load of the default stream, so the tests pass in any order
  beforeEach(async () => {
    await session.page.goto('about:blank');
    await openApp(session.page, `${origin}/`);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('EdgeBank (unlimited, random) on the default stream shows the test AP of `tgnn train --model edgebank`', async () => {
    const cli = JSON.parse(tgnn('train', '--data', csvPath, '--model', 'edgebank', '--json').trim()) as EdgeBankLine;
    expect(cli).toMatchObject({ model: 'edgebank', memory: 'unlimited', negatives: 'random', batchSize: DEFAULT_SETTINGS.batchSize });
    // the engine function the CLI and the worker share, unrounded, in Node
    const { stream } = importEventStream(new Uint8Array(readFileSync(join(repoRoot, csvPath))));
    const direct = evaluateEdgeBankSplit(stream, chronologicalSplit(stream), {
      memory: 'unlimited', negatives: 'random', evalBatchSize: DEFAULT_SETTINGS.batchSize, evalSeed: TRAINER_DEFAULTS.evalSeed,
    });

    const page = session.page;
    expect(await page.getByTestId('edgebank-memory').inputValue()).toBe('unlimited');
    expect(await page.getByTestId('edgebank-negatives').inputValue()).toBe('random');
    await page.getByTestId('edgebank-run').click();
    await page.getByTestId('edgebank-facts').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('edgebank-error').count()).toBe(0);
    const shown = { val: await value('edgebank-val-ap'), test: await value('edgebank-test-ap') };
    console.log(`e2e: EdgeBank (unlimited, random) on ${defaultDataset.name} — page val AP ${shown.val}, test AP ${shown.test}; ` +
      `CLI val AP ${cli.val.apBatchMean}, test AP ${cli.test.apBatchMean}; engine in Node test AP ${direct.test.metrics.apBatchMean}`);
    expect(shown.test.toFixed(4)).toBe(cli.test.apBatchMean.toFixed(4));
    expect(shown.val.toFixed(4)).toBe(cli.val.apBatchMean.toFixed(4));
    expect(shown.test).toBeCloseTo(cli.test.apBatchMean, 5);
    // the same floating-point path in the worker as in Node
    expect(shown.test).toBe(direct.test.metrics.apBatchMean);
    expect(shown.val).toBe(direct.val.metrics.apBatchMean);
    expect(await page.getByTestId('edgebank-test-ap').textContent()).toBe(cli.test.apBatchMean.toFixed(4));

    // the curves' AP panel carries it as a dashed reference line
    const line = page.getByTestId('curves-reference');
    expect(Number(await line.getAttribute('data-value'))).toBe(shown.test);
    expect(await line.locator('text').textContent()).toBe(`EdgeBank ${shown.test.toFixed(3)}`);
    expect(await line.locator('title').textContent()).toBe(`EdgeBank test AP ${shown.test.toFixed(4)} (unlimited memory, random negatives; no learning)`);

    // another memory / negatives choice gives the CLI's numbers for it too
    await page.getByTestId('edgebank-memory').selectOption('window');
    await page.getByTestId('edgebank-negatives').selectOption('historical');
    await page.getByTestId('edgebank-run').click();
    await page.getByTestId('edgebank-facts').filter({ hasText: 'window memory, historical negatives' }).waitFor({ timeout: 60_000 });
    const hist = JSON.parse(tgnn('train', '--data', csvPath, '--model', 'edgebank', '--edgebank-memory', 'window', '--negatives', 'historical', '--json').trim()) as EdgeBankLine;
    expect((await value('edgebank-test-ap')).toFixed(4)).toBe(hist.test.apBatchMean.toFixed(4));
    console.log(`e2e: EdgeBank (window, historical) — page test AP ${await value('edgebank-test-ap')}; CLI ${hist.test.apBatchMean}`);
  });

  it('after an epoch the trained model\'s test AP stands beside EdgeBank\'s, and the curves show the baseline line', async () => {
    const page = session.page;
    await page.getByTestId('edgebank-memory').selectOption('unlimited');
    await page.getByTestId('edgebank-negatives').selectOption('random');
    await page.getByTestId('edgebank-run').click();
    await page.getByTestId('edgebank-facts').filter({ hasText: 'unlimited memory, random negatives' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('model-test-ap').getAttribute('data-value')).toBe('');

    await page.getByTestId('play').click();
    await page.getByTestId('epoch-counter').filter({ hasText: /^2$/ }).waitFor({ timeout: 240_000 });
    await page.getByTestId('pause').click();
    await page.getByTestId('play').waitFor({ timeout: 10_000 });
    await page.getByTestId('edgebank-delta').waitFor({ timeout: 10_000 });
    const model = await value('model-test-ap');
    const edgeBank = await value('edgebank-test-ap');
    expect(model).toBeGreaterThan(0);
    expect(model).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('edgebank-delta').textContent()).toBe(`model ${model >= edgeBank ? 'beats' : 'trails'} EdgeBank by ${Math.abs(model - edgeBank).toFixed(4)}`);
    console.log(`e2e: after epoch 1 — model test AP ${model}, EdgeBank test AP ${edgeBank}`);
    expect(await page.getByTestId('curves-reference').getAttribute('display')).toBeNull();

    await page.screenshot({ path: join(artifactsDir, 'baseline.png'), fullPage: true });
    await page.getByTestId('baseline-panel').screenshot({ path: join(artifactsDir, 'baseline-panel.png') });
    await page.getByTestId('training-curves').screenshot({ path: join(artifactsDir, 'baseline-curves.png') });
    expect(session.errors).toEqual([]);
  }, 300_000);
});
