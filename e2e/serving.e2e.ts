import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, downloadCheckpoint, openApp, openSession, repoRoot, stepToEpoch, tgnn, type Session } from './browser.ts';
import type { ServeSummary } from '../src/shared/serving.ts';

const csv = join(repoRoot, 'public', 'datasets', 'synthetic-small.csv');
// the serving knobs the page and the CLI are given (the rest stay at their defaults in both)
const KNOBS = { 'event-rate': '300', 'query-rate': '40', 'group-size': '5', 'duration-s': '1' };

type Shown = Omit<ServeSummary, 'samplingMs'>;

describe('serving lab: page ⇄ CLI', () => {
  const origin = inject('baseUrl');
  let session: Session;
  let tmp: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tgnn-e2e-serve-'));
    session = await openSession();
  });

  afterAll(async () => {
    await session?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('serves each mode in the page with the numbers `tgnn serve` prints for the downloaded checkpoint, draws the timeline and the frontier', async () => {
    const page = session.page;
    await openApp(page, `${origin}/#dataset=synthetic-small&backend=wasm`);
    await page.getByTestId('backend-badge').filter({ hasText: /WASM/ }).waitFor({ timeout: 60_000 });
    await stepToEpoch(page, 2, 100);
    const dir = join(tmp, 'ckpt');
    expect(await downloadCheckpoint(page, dir)).toEqual(['model.json', 'model.weights.bin']);

    const card = page.getByTestId('serving');
    await card.scrollIntoViewIfNeeded();
    for (const [flag, value] of Object.entries(KNOBS)) await page.getByTestId(`serving-${flag}`).fill(value);
    await page.getByTestId('serving-clock').selectOption('virtual');
    await page.getByTestId('serving-compare').click();
    const status = page.getByTestId('serving-status');
    await status.and(page.locator('[data-state="done"], [data-state="failed"]')).waitFor({ timeout: 120_000 });
    expect(await status.getAttribute('data-state'), (await status.textContent()) ?? '').toBe('done');

    for (const mode of ['update', 'inference', 'collaborative'] as const) {
      const shown = JSON.parse((await page.getByTestId(`serving-row-${mode}`).getAttribute('data-summary'))!) as Shown;
      const flags = Object.entries(KNOBS).flatMap(([f, v]) => [`--${f}`, v]);
      const cli = JSON.parse(tgnn('serve', '--checkpoint', dir, '--data', csv, '--backend', 'wasm', '--mode', mode, '--clock', 'virtual', ...flags, '--json')) as ServeSummary;
      console.log(`e2e: serving ${mode} — page: ${shown.queries} queries, staleness ${shown.stalenessEvents.mean.toFixed(3)} events, P99 latency ${shown.latencyMs.p99.toFixed(3)} ms, AP ${shown.ap} (exact ${shown.exactAp}); CLI: ${cli.queries} queries, staleness ${cli.stalenessEvents.mean.toFixed(3)}, P99 ${cli.latencyMs.p99.toFixed(3)} ms, AP ${cli.ap} (exact ${cli.exactAp})`);
      expect(shown.queries).toBeGreaterThan(10);
      // the schedule (who waits for what) is the virtual clock's: equal exactly; scores to float rounding
      const { samplingMs: _ignored, ap, exactAp, exactFraction, ...schedule } = cli;
      const { ap: pageAp, exactAp: pageExactAp, exactFraction: pageExactFraction, ...pageSchedule } = shown;
      expect(pageSchedule).toEqual(schedule);
      expect(pageAp).toBeCloseTo(ap, 6);
      expect(pageExactAp).toBeCloseTo(exactAp, 6);
      expect(pageExactFraction).toBeCloseTo(exactFraction, 6);
      if (mode === 'inference') expect([shown.stalenessEvents.p99, shown.exactFraction]).toEqual([0, 1]);
    }

    // the timeline of the selected mode (update-based): its groups and its first queries
    const timeline = page.getByTestId('serving-timeline-chart');
    expect(await timeline.locator('.serving-updates rect').count()).toBeGreaterThan(2);
    expect(await timeline.locator('.serving-queries g').count()).toBeGreaterThan(10);

    await page.getByTestId('serving-frontier').click();
    await status.and(page.locator('[data-state="running"]')).waitFor({ timeout: 10_000 });
    await status.and(page.locator('[data-state="done"], [data-state="failed"]')).waitFor({ timeout: 120_000 });
    expect(await status.getAttribute('data-state'), (await status.textContent()) ?? '').toBe('done');
    // three modes at six rates
    expect(await page.getByTestId('serving-frontier-chart').locator('.serving-frontier-point').count()).toBe(18);
    await card.screenshot({ path: join(artifactsDir, 'serving-card.png') });

    // the wall clock: two Web Workers serving at once in real time (the page is cross-origin isolated)
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    await page.getByTestId('serving-clock').selectOption('wall');
    for (const mode of ['inference', 'collaborative'] as const) {
      await page.getByTestId('serving-mode').selectOption(mode);
      await page.getByTestId('serving-run').click();
      await status.and(page.locator('[data-state="running"]')).waitFor({ timeout: 10_000 });
      await status.and(page.locator('[data-state="done"], [data-state="failed"]')).waitFor({ timeout: 120_000 });
      expect(await status.getAttribute('data-state'), (await status.textContent()) ?? '').toBe('done');
      const wall = JSON.parse((await page.getByTestId(`serving-row-${mode}`).getAttribute('data-summary'))!) as Shown;
      console.log(`e2e: serving ${mode} on the wall clock in the page — ${wall.queries} queries, P50/P99 latency ${wall.latencyMs.p50.toFixed(2)}/${wall.latencyMs.p99.toFixed(2)} ms, staleness ${wall.stalenessEvents.mean.toFixed(2)} events, AP ${wall.ap.toFixed(4)} (exact ${wall.exactAp.toFixed(4)})`);
      expect(wall.clock).toBe('wall');
      expect(wall.queries).toBeGreaterThan(10);
      if (mode === 'inference') expect([wall.stalenessEvents.p99, wall.exactFraction]).toEqual([0, 1]);
      else expect(wall.updateGroups).toBeGreaterThan(0);
    }
    expect(session.errors).toEqual([]);
  });
});
