// The README's sweep figure, made by the app itself: builds dist/ and serves it as the e2e harness does,
// opens Debian Chromium, loads CollegeMsg through the file input, runs the staleness lab's batch-size
// sweep (B = 50, 200, 600, 2000; baseline, static memory, mailbox k = 4 mean, evaluated in batches of 50)
// and saves the chart through the app's own PNG export, with the CSV next to it.
//
//   npx tsx bench/lab-sweep-png.ts            # CollegeMsg → docs/lab-sweep-collegemsg.{png,csv} (many minutes)
//   npx tsx bench/lab-sweep-png.ts --quick    # synthetic-small, B = 100, 500 → e2e/artifacts/lab-sweep-quick.{png,csv}
//
// Options: --skip-build (reuse dist/), --workers N (default: the browser's hardwareConcurrency),
// --timeout-min M (default 40), --variants a,b,c (of baseline, static, mailbox4, eval50, exact; the figure
// and CSV then go to e2e/artifacts/lab-sweep-<variants>: issue 13 times the 12 points of
// --variants baseline,static,mailbox4). Prints progress; asserts nothing about time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSession } from '../e2e/browser.ts';
import { serveDirectory } from '../e2e/staticServer.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const option = (name: string): string | null => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : null;
};
const quick = flag('--quick');
const timeoutMin = Number(option('--timeout-min') ?? 40);
const workers = option('--workers');

const VARIANT_IDS = ['baseline', 'static', 'mailbox4', 'eval50', 'exact'];
const plan: { file: string | null; datasetName: string; batchSizes: string; variants: string[]; out: string } = quick
  ? { file: null, datasetName: 'synthetic-small', batchSizes: '100, 500', variants: ['baseline', 'static'], out: join(root, 'e2e', 'artifacts', 'lab-sweep-quick') }
  : {
      file: join(root, '..', 'shared', 'datasets', 'collegemsg', 'CollegeMsg.txt'),
      datasetName: 'CollegeMsg.txt',
      batchSizes: '50, 200, 600, 2000',
      variants: ['baseline', 'static', 'mailbox4', 'eval50'],
      out: join(root, 'docs', 'lab-sweep-collegemsg'),
    };
const chosen = option('--variants');
if (chosen !== null) {
  const list = chosen.split(',').map((v) => v.trim());
  const unknown = list.filter((v) => !VARIANT_IDS.includes(v));
  if (unknown.length > 0 || list.length === 0) throw new Error(`--variants takes a comma list of ${VARIANT_IDS.join(', ')}; got '${chosen}'`);
  plan.variants = list;
  plan.out = join(root, 'e2e', 'artifacts', `lab-sweep-${list.join('-')}`);
}
if (plan.file && !existsSync(plan.file)) throw new Error(`expected the dataset at ${plan.file}`);

if (!flag('--skip-build')) {
  const t0 = Date.now();
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status}`);
  console.log(`built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const server = await serveDirectory(join(root, 'dist'));
const session = await openSession();
try {
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.origin}/`, { waitUntil: 'load' });
  await page.getByTestId('batch-counter').filter({ hasText: 'batch' }).waitFor({ timeout: 120_000 });
  if (plan.file) {
    await page.getByTestId('file-input').setInputFiles(plan.file);
    await page.getByTestId('dataset-name').filter({ hasText: plan.datasetName }).waitFor({ timeout: 120_000 });
    await page.getByTestId('batch-counter').filter({ hasText: 'batch' }).waitFor({ timeout: 120_000 });
  }
  console.log(`dataset: ${await page.getByTestId('dataset-name').textContent()} (${await page.getByTestId('dataset-stats').textContent()})`);
  await page.getByTestId('sweep').scrollIntoViewIfNeeded();
  await page.getByTestId('sweep-batch-sizes').fill(plan.batchSizes);
  for (const v of VARIANT_IDS) await page.getByTestId(`sweep-variant-${v}`).setChecked(plan.variants.includes(v));
  if (workers) await page.getByTestId('sweep-workers').fill(workers);
  const t0 = Date.now();
  await page.getByTestId('sweep-run').click();
  await page.locator('[data-testid="sweep-status"][data-state="running"]').waitFor({ timeout: 30_000 });
  const status = page.getByTestId('sweep-status');
  let last = '';
  for (;;) {
    const state = await status.getAttribute('data-state');
    const text = (await status.textContent()) ?? '';
    if (state !== 'running' && !text.startsWith('starting')) {
      console.log(text);
      if (!text.startsWith('done')) throw new Error(`the sweep did not finish: ${text}`);
      break;
    }
    // one line per finished point (the status also counts seconds and batches)
    const points = /^\d+ \/ \d+ points/.exec(text)?.[0] ?? '';
    if (points && points !== last) {
      console.log(`${points} after ${Math.round((Date.now() - t0) / 1000)} s`);
      last = points;
    }
    if (Date.now() - t0 > timeoutMin * 60_000) throw new Error(`the sweep took longer than ${timeoutMin} min; last status: ${text}`);
    await page.waitForTimeout(1000);
  }
  mkdirSync(dirname(plan.out), { recursive: true });
  const sweep = page.getByTestId('sweep');
  for (const [label, ext] of [['PNG', 'png'], ['CSV', 'csv']] as const) {
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await sweep.getByRole('button', { name: label, exact: true }).click();
    const path = `${plan.out}.${ext}`;
    await (await download).saveAs(path);
    console.log(`saved ${path}`);
  }
  if (session.errors.length > 0) console.log(`page errors:\n${session.errors.join('\n')}`);
} finally {
  await session.close();
  await server.close();
}
