// Screenshots of the views preview page in Debian Chromium: `npx tsx src/preview/screenshots.ts`.
// Starts a Vite dev server, renders the preview (fast-forwarded fake training), saves each view and the
// empty states to e2e/artifacts/views-*.png, clicks the memory map and an export button, and prints errors.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, 'e2e', 'artifacts');
const VIEWS = ['memory-heatmap', 'memory-map', 'node-inspector', 'training-curves', 'stream-timeline'] as const;

async function main(): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  const server = await createServer({ root, logLevel: 'warn', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not report a TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  const profile = mkdtempSync(join(tmpdir(), 'tgnn-views-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1140, height: 1000 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));

    await page.goto(`${origin}/views-preview.html?empty`, { waitUntil: 'load' });
    await page.getByTestId('stream-timeline').waitFor({ state: 'visible', timeout: 60_000 });
    await page.screenshot({ path: join(artifacts, 'views-empty.png'), fullPage: true });

    const batches = Number(process.env.BATCHES ?? '130');
    await page.goto(`${origin}/views-preview.html?batches=${batches}&select=3,17`, { waitUntil: 'load' });
    await page.getByTestId('memory-map').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(600);
    for (const v of VIEWS) await page.getByTestId(v).screenshot({ path: join(artifacts, `views-${v}.png`) });
    await page.screenshot({ path: join(artifacts, 'views-all.png'), fullPage: true });

    // narrow cards, as in the app's three-column layout
    await page.setViewportSize({ width: 1140, height: 1000 });
    await page.goto(`${origin}/views-preview.html?batches=${batches}&select=3&column=330`, { waitUntil: 'load' });
    await page.getByTestId('memory-map').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(artifacts, 'views-narrow.png'), fullPage: true });
    await page.goto(`${origin}/views-preview.html?batches=${batches}&select=3,17`, { waitUntil: 'load' });
    await page.getByTestId('memory-map').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(600);

    // click around the memory map until the inspector follows a newly selected node
    const inspectorTitle = page.getByTestId('node-inspector').locator('h3');
    const before = (await inspectorTitle.textContent()) ?? '';
    const canvas = page.getByTestId('memory-map').locator('canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('memory map canvas has no box');
    let after = before;
    search: for (let fy = 0.2; fy < 0.9; fy += 0.04) {
      for (let fx = 0.1; fx < 0.95; fx += 0.02) {
        await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
        after = (await inspectorTitle.textContent()) ?? '';
        if (after !== before) break search;
      }
    }
    console.log(`memory map click: inspector title ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    await page.waitForTimeout(400);
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.getByTestId('memory-map').screenshot({ path: join(artifacts, 'views-memory-map-clicked.png') });

    // exports: CSV and SVG downloads through Blob URLs
    for (const [view, label] of [['memory-heatmap', 'CSV'], ['training-curves', 'SVG'], ['stream-timeline', 'PNG'], ['memory-map', 'PNG']] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 10_000 }),
        page.getByTestId(view).getByRole('button', { name: label, exact: true }).click(),
      ]);
      const path = join(artifacts, `views-export-${download.suggestedFilename()}`);
      await download.saveAs(path);
      const bytes = readFileSync(path);
      console.log(`export ${view} ${label}: ${download.suggestedFilename()} (${bytes.length} bytes) ${label === 'CSV' || label === 'SVG' ? JSON.stringify(bytes.toString('utf8').slice(0, 90)) : ''}`);
    }
    // live: the fake trainer runs one batch per frame; count frames and take a mid-animation shot
    await page.goto(`${origin}/views-preview.html?select=5`, { waitUntil: 'load' });
    await page.getByTestId('memory-map').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(1500);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async (): Promise<Map<string, number>> => new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const m0 = await metrics();
    // a string, not a function: tsx would inject its __name helper into a serialised function
    const live = (await page.evaluate(`new Promise((resolve) => {
      const t0 = performance.now();
      let frames = 0, longest = 0, last = t0;
      const tick = (t) => {
        frames++;
        longest = Math.max(longest, t - last);
        last = t;
        if (t - t0 < 2000) requestAnimationFrame(tick);
        else resolve({ fps: (frames * 1000) / (performance.now() - t0), longestFrameMs: longest });
      };
      requestAnimationFrame(tick);
    })`)) as { fps: number; longestFrameMs: number };
    const m1 = await metrics();
    const perSecond = (k: string): string => `${(((m1.get(k) ?? 0) - (m0.get(k) ?? 0)) * 1000 / 2).toFixed(0)} ms/s`;
    console.log(`live main-thread time: script ${perSecond('ScriptDuration')}, layout ${perSecond('LayoutDuration')}, style ${perSecond('RecalcStyleDuration')}, tasks ${perSecond('TaskDuration')}; layouts ${(m1.get('LayoutCount') ?? 0) - (m0.get('LayoutCount') ?? 0)}`);
    console.log(`live preview: ${live.fps.toFixed(1)} frames/s, longest frame ${live.longestFrameMs.toFixed(0)} ms (fake trainer + PCA + all five views, headless, 2 cores)`);
    await page.screenshot({ path: join(artifacts, 'views-live.png'), fullPage: true });
    await page.waitForTimeout(200);
    const alerts = await page.locator('.tv-error').allTextContents();
    if (alerts.length) errors.push(...alerts);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await server.close();
  }
  console.log(errors.length ? `page errors:\n${errors.join('\n')}` : 'no page errors');
  console.log(`screenshots in ${artifacts}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
