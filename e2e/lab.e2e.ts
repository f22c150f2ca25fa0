import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** the committed stream's events in stream order (stable sort by time, as the importer) */
function committedEvents(file: string): { src: string; dst: string; t: number }[] {
  const [header, ...rows] = readFileSync(join(repoRoot, 'public', 'datasets', file), 'utf8').trimEnd().split('\n');
  expect(header).toBe('src,dst,t,feat');
  const events = rows.map((row, i) => {
    const [src, dst, t] = row.split(',');
    return { src: src!, dst: dst!, t: Number(t), i };
  });
  events.sort((a, b) => a.t - b.t || a.i - b.i);
  return events;
}

/** ARCHITECTURE §2, computed here independently: stale events of the first batch of B events */
function staleInFirstBatch(events: readonly { src: string; dst: string }[], B: number): number {
  const seen = new Set<string>();
  let stale = 0;
  for (const e of events.slice(0, B)) {
    if (seen.has(e.src) || seen.has(e.dst)) stale++;
    seen.add(e.src);
    seen.add(e.dst);
  }
  return stale;
}

const pct = (num: number, den: number): string => `${((100 * num) / den).toFixed(1)} %`;

describe('staleness lab', () => {
  const origin = inject('baseUrl');
  let session: Session;
  const events = committedEvents('synthetic-small.csv');

  beforeAll(async () => {
    session = await openSession();
    await session.page.setViewportSize({ width: 1280, height: 900 });
  });

  // each test starts from a fresh load, so the tests pass in any order
  beforeEach(async () => {
    await session.page.goto('about:blank');
    await openApp(session.page, `${origin}/#dataset=synthetic-small`);
  });

  afterAll(async () => {
    await session?.close();
  });

  const setB = async (B: number): Promise<void> => {
    const input = session.page.getByTestId('anatomy-batch-size');
    await input.fill(String(B));
  };
  const staleText = () => session.page.getByTestId('anatomy-stale-fraction');

  it('draws the batch anatomy of the first batch with the stale fraction of ARCHITECTURE §2', async () => {
    const lab = session.page.getByTestId('lab');
    await lab.scrollIntoViewIfNeeded();
    for (const B of [50, 200]) {
      await setB(B);
      const stale = staleInFirstBatch(events, B);
      expect(stale).toBeGreaterThan(0);
      await staleText().filter({ hasText: `${stale} / ${B} (${pct(stale, B)})` }).waitFor({ timeout: 10_000 });
      expect(Number(await staleText().getAttribute('data-value'))).toBeCloseTo(stale / B, 12);
      const anatomy = session.page.getByTestId('batch-anatomy');
      expect(await anatomy.locator('circle.anatomy-event').count()).toBe(B);
      expect(await anatomy.locator('circle.anatomy-event.stale').count()).toBe(stale);
      expect(await anatomy.locator('path.anatomy-arc').count()).toBeGreaterThanOrEqual(stale);
      expect(await anatomy.locator('rect.anatomy-mail.dropped').count()).toBeGreaterThan(0);
      await anatomy.screenshot({ path: join(artifactsDir, `lab-anatomy-B${B}.png`) });
    }
  });

  it('B = 1: no stale event, no arc, no dropped mail', async () => {
    await setB(1);
    await staleText().filter({ hasText: '0 / 1 (0.0 %)' }).waitFor({ timeout: 10_000 });
    const anatomy = session.page.getByTestId('batch-anatomy');
    expect(await anatomy.locator('path.anatomy-arc').count()).toBe(0);
    expect(await session.page.getByTestId('anatomy-dropped-fraction').textContent()).toMatch(/^0 \/ [12] /);
  });

  it('large B draws at most 200 events and says so; the slider steps B', async () => {
    await setB(2000);
    const stale = staleInFirstBatch(events, 2000);
    await staleText().filter({ hasText: `${stale} / 2000 ` }).waitFor({ timeout: 10_000 });
    const anatomy = session.page.getByTestId('batch-anatomy');
    expect(await anatomy.locator('circle.anatomy-event').count()).toBe(200);
    expect(await anatomy.textContent()).toContain('drawing the first 200 of 2,000');
    await anatomy.screenshot({ path: join(artifactsDir, 'lab-anatomy-B2000.png') });
    // the log slider: step down to 20
    const slider = session.page.getByTestId('anatomy-batch-slider');
    await slider.fill('7');
    await staleText().filter({ hasText: ' / 20 (' }).waitFor({ timeout: 10_000 });
    expect(await session.page.getByTestId('anatomy-batch-size').inputValue()).toBe('20');
  });

  it('probe bars and the memory-age histogram fill while training', async () => {
    for (let i = 0; i < 4; i++) {
      const before = Number(await session.page.getByTestId('probe-batches').textContent());
      await session.page.getByTestId('step').click();
      await session.page.getByTestId('probe-batches').filter({ hasText: String(before + 1) }).waitFor({ timeout: 30_000 });
    }
    const bars = session.page.getByTestId('probe-bars');
    // one rectangle per batch (of 4 at least), drawn as one path: a move-to each
    expect(((await bars.locator('path.probe-bars').getAttribute('d')) ?? '').split('M').length - 1).toBeGreaterThanOrEqual(4);
    const ages = session.page.getByTestId('age-histogram');
    expect(await ages.getAttribute('data-empty')).toBe('false');
    expect(await ages.locator('rect.age-bar').count()).toBeGreaterThan(1);
    expect(await session.page.getByTestId('age-p50').textContent()).not.toBe('–');
    await bars.scrollIntoViewIfNeeded();
    await bars.screenshot({ path: join(artifactsDir, 'lab-probe-bars.png') });
    await ages.screenshot({ path: join(artifactsDir, 'lab-age-histogram.png') });
  });

  it('a sweep on the bundled stream completes and plots its points', async () => {
    const sweep = session.page.getByTestId('sweep');
    await sweep.scrollIntoViewIfNeeded();
    await session.page.getByTestId('sweep-batch-sizes').fill('100, 500');
    for (const v of ['static', 'mailbox4', 'eval50', 'exact']) await session.page.getByTestId(`sweep-variant-${v}`).setChecked(false);
    await session.page.getByTestId('sweep-variant-baseline').setChecked(true);
    await session.page.getByTestId('sweep-run').click();
    const status = session.page.getByTestId('sweep-status');
    await session.page.locator('[data-testid="sweep-status"][data-state="running"]').waitFor({ timeout: 10_000 });
    await session.page.locator('[data-testid="sweep-status"][data-state="done"]').waitFor({ timeout: 240_000 });
    expect(await status.textContent()).toMatch(/^done: 2 points in /);
    const chart = session.page.getByTestId('sweep-chart');
    expect(await chart.locator('circle.sweep-point').count()).toBe(4);
    expect(await chart.locator('circle.sweep-speed').count()).toBe(2);
    await sweep.screenshot({ path: join(artifactsDir, 'lab-sweep.png') });
    await session.page.getByTestId('lab').screenshot({ path: join(artifactsDir, 'lab-all.png') });
    expect(session.errors).toEqual([]);
  });
});
