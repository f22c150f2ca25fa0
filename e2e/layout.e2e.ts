// Layout at a small laptop (1024 px), the e2e default (1100 px) and a phone (390 px): nothing overflows
// sideways, nothing sticks out of its card, no placeholder text crosses an axis label, tooltips stay in
// their card, the histogram's marker labels keep apart; and two first-five-minutes fixes (a preset reads
// before Apply; a ragged comma CSV says which Delimiter to choose, and choosing it imports the file).
// Every test opens its own page, so any order passes. Screenshots: e2e/artifacts/layout-*.png.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const intersects = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, outer: Box, slack = 0.5): boolean =>
  a.x >= outer.x - slack && a.y >= outer.y - slack && a.x + a.width <= outer.x + outer.width + slack && a.y + a.height <= outer.y + outer.height + slack;

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error('expected a visible element with a bounding box');
  return b;
}

/** steps `n` batches and waits until the batch counter moved by n */
async function stepBatches(page: Page, n: number): Promise<void> {
  const read = async (): Promise<number> => Number(/batch ([\d,]+)/.exec((await page.getByTestId('batch-counter').textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? NaN);
  const start = await read();
  for (let i = 0; i < n; i++) {
    await page.getByTestId('step').click();
    const deadline = Date.now() + 30_000;
    while ((await read()) < start + i + 1) {
      if (Date.now() > deadline) throw new Error(`step ${i + 1} of ${n} did not move the batch counter`);
      await page.waitForTimeout(50);
    }
  }
}

/**
 * Elements of the page's cards (sidebar panels, views, lab cards) whose box leaves their card sideways,
 * skipping what a scrolling or clipping box in between contains and the insides of SVG.
 */
function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const cards = Array.from(document.querySelectorAll<HTMLElement>('.card, .tv-view'));
    for (const card of cards) {
      const cb = card.getBoundingClientRect();
      if (cb.width === 0) continue;
      for (const el of Array.from(card.querySelectorAll<HTMLElement>('*'))) {
        if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.left >= cb.left - 1 && r.right <= cb.right + 1) continue;
        // contained by a box that clips or scrolls (inside the card)?
        let clipped = false;
        for (let p = el.parentElement; p && p !== card; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o !== 'visible') {
            clipped = true;
            break;
          }
        }
        if (clipped || el.classList.contains('visually-hidden')) continue;
        const name = card.getAttribute('data-testid') ?? card.getAttribute('aria-label') ?? card.className;
        out.push(`${name}: <${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(cb.left)}–${Math.round(cb.right)} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
      }
    }
    return out;
  });
}

/** SVG texts of the page's charts that are cut at their chart's edge (more than 1 px outside its box). */
function cutSvgTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const svg of Array.from(document.querySelectorAll<SVGSVGElement>('.card svg, .tv-view svg'))) {
      const sb = svg.getBoundingClientRect();
      if (sb.width === 0) continue;
      for (const t of Array.from(svg.querySelectorAll<SVGTextElement>('text'))) {
        const r = t.getBoundingClientRect();
        if (r.width === 0 || getComputedStyle(t).display === 'none' || t.closest('[display="none"]')) continue;
        if (r.left < sb.left - 1 || r.right > sb.right + 1 || r.top < sb.top - 1 || r.bottom > sb.bottom + 1) {
          const view = svg.closest('[data-testid]')?.getAttribute('data-testid') ?? svg.getAttribute('aria-label') ?? '?';
          out.push(`${view}: "${(t.textContent ?? '').slice(0, 50)}" ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)} outside ${Math.round(sb.left)}–${Math.round(sb.right)} × ${Math.round(sb.top)}–${Math.round(sb.bottom)}`);
        }
      }
    }
    return out;
  });
}

describe('layout', () => {
  const origin = inject('baseUrl');
  let session: Session;

  beforeAll(async () => {
    session = await openSession();
  });

  afterAll(async () => {
    await session?.close();
  });

  afterEach(() => {
    expect(session.errors.splice(0), 'console errors, uncaught errors, failed requests').toEqual([]);
  });

  /** a fresh load of the app at `width` × 800 */
  const fresh = async (width: number, hash = ''): Promise<Page> => {
    const page = session.page;
    await page.goto('about:blank');
    await page.setViewportSize({ width, height: 800 });
    await openApp(page, `${origin}/${hash}`);
    return page;
  };

  it('at 390 px the page never scrolls sideways, and nothing sticks out of its card', async () => {
    const page = await fresh(390);
    await stepBatches(page, 2);
    await page.waitForTimeout(300);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    await page.screenshot({ path: join(artifactsDir, 'layout-390.png'), fullPage: true });
    expect(scrollWidth, `document is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
    expect(await overflowingElements(page)).toEqual([]);
    expect(await cutSvgTexts(page)).toEqual([]);
  });

  it('at 1024 and 1100 px nothing sticks out of its card', async () => {
    for (const width of [1024, 1100]) {
      const page = await fresh(width);
      await stepBatches(page, 2);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(artifactsDir, `layout-${width}.png`), fullPage: true });
      const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(width);
      expect(await overflowingElements(page), `at ${width} px`).toEqual([]);
      expect(await cutSvgTexts(page), `at ${width} px`).toEqual([]);
    }
  });

  it('at 1024 px the training curves\u2019 empty-state text does not cross an axis label', async () => {
    const page = await fresh(1024);
    const curves = page.getByTestId('training-curves');
    const empty = await box(curves.getByTestId('curves-empty'));
    const titles = curves.locator('svg text[transform*="rotate"]');
    const n = await titles.count();
    expect(n).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < n; i++) {
      const t = titles.nth(i);
      if (!(await t.isVisible())) continue;
      const b = await box(t);
      expect(intersects(empty, b), `"${await t.textContent()}" ${JSON.stringify(b)} crosses the empty-state text ${JSON.stringify(empty)}`).toBe(false);
    }
    await curves.screenshot({ path: join(artifactsDir, 'layout-1024-curves-empty.png') });
  });

  it('at 1024 px the memory-map tooltip near the right edge stays inside its card', async () => {
    const page = await fresh(1024);
    await stepBatches(page, 3);
    const card = page.getByTestId('memory-map');
    const canvas = card.locator('canvas');
    const c = await box(canvas);
    const tip = card.locator('.tv-tip');
    // sweep the right edge of the plot (right margin 12 px) until the pointer is on a point
    let found = false;
    for (let dx = 14; dx <= 70 && !found; dx += 4) {
      for (let y = c.y + 34; y <= c.y + c.height - 34 && !found; y += 3) {
        await page.mouse.move(c.x + c.width - dx, y);
        found = await tip.isVisible();
      }
    }
    expect(found, 'no point of the memory map near its right edge shows a tooltip').toBe(true);
    const t = await box(tip);
    const k = await box(card);
    await card.screenshot({ path: join(artifactsDir, 'layout-1024-map-tooltip.png') });
    expect(await tip.textContent()).toMatch(/memory age|never updated/);
    expect(inside(t, k), `tooltip ${JSON.stringify(t)} leaves the card ${JSON.stringify(k)}`).toBe(true);
    expect(inside(t, c), `tooltip ${JSON.stringify(t)} leaves the plot ${JSON.stringify(c)}`).toBe(true);
  });

  it('at 1024 px the memory-age histogram\u2019s p50 / p90 / max labels do not overlap', async () => {
    const page = await fresh(1024);
    await stepBatches(page, 2);
    const chart = page.getByTestId('age-histogram');
    await chart.locator('text.age-marker').first().waitFor({ timeout: 30_000 });
    const labels = chart.locator('text.age-marker');
    const n = await labels.count();
    expect(n).toBeGreaterThanOrEqual(2);
    const boxes = await Promise.all(Array.from({ length: n }, (_, i) => box(labels.nth(i))));
    const svg = await box(chart.locator('svg').first());
    for (let i = 0; i < n; i++) {
      expect(inside(boxes[i]!, svg), `label ${i} leaves the chart`).toBe(true);
      for (let j = i + 1; j < n; j++) expect(intersects(boxes[i]!, boxes[j]!), `labels ${i} and ${j} overlap`).toBe(false);
    }
    const title = await box(chart.locator('text.age-axis-title'));
    expect(inside(title, svg), 'the axis title is cut at the chart edge').toBe(true);
    await chart.screenshot({ path: join(artifactsDir, 'layout-1024-age-histogram.png') });
  });

  it('a preset\u2019s description and wiring change on selection, before Apply, and training is not reset', async () => {
    const page = await fresh(1024);
    await stepBatches(page, 1);
    const counter = await page.getByTestId('batch-counter').textContent();
    const description = page.getByTestId('model-description');
    const before = await description.textContent();
    expect(before).toMatch(/^TGN/);
    await page.getByTestId('setting-model').selectOption('jodie');
    await description.filter({ hasText: /^JODIE/ }).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('model-pending').textContent()).toMatch(/JODIE, not applied yet/);
    expect(await page.getByTestId('model-diagram').textContent()).toContain('time projection');
    // nothing was applied: same model, same position
    expect(await page.getByTestId('batch-counter').textContent()).toBe(counter);
    expect(await page.evaluate(() => window.location.hash)).toMatch(/model=tgn/);
    await page.locator('section.settings').screenshot({ path: join(artifactsDir, 'layout-preset-before-apply.png') });
    await page.getByTestId('setting-model').selectOption('tgn');
    await page.getByTestId('model-pending').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await description.textContent()).toBe(before);
  });

  it('a ragged comma CSV names the Delimiter to choose, and choosing it imports the file', async () => {
    const page = await fresh(1024);
    // a note column with unquoted commas: lines split unevenly by comma, and into 2 by whitespace
    const notes = ['late, but fine', 'good trade', 'ok thanks'];
    const rows = ['src,dst,t,note', ...Array.from({ length: 60 }, (_, i) => `${i % 7},${((i * 3) % 11) + 7},${100 + i},${notes[i % 3]}`)];
    await page.getByTestId('file-input').setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
    const error = page.getByTestId('import-error');
    await error.waitFor({ timeout: 60_000 });
    const message = await error.textContent();
    expect(message).toContain('found only 2 columns with delimiter whitespace (detected)');
    expect(message).toContain('choose Delimiter: comma in the Dataset panel');
    expect(message).not.toMatch(/--|pass delimiter/);
    await page.locator('section.dataset').screenshot({ path: join(artifactsDir, 'layout-delimiter-error.png') });
    await page.getByTestId('delimiter-picker').selectOption(',');
    await page.getByTestId('dataset-name').filter({ hasText: 'ragged.csv' }).waitFor({ timeout: 60_000 });
    await error.waitFor({ state: 'detached', timeout: 10_000 });
    // every third row has an extra field (the comma in its note) and is dropped: 40 of 60 stay
    expect(await page.getByTestId('dataset-stats').textContent()).toMatch(/^40 events/);
    expect(await page.getByTestId('dataset-delimiter').textContent()).toBe('comma');
    await page.locator('section.dataset').screenshot({ path: join(artifactsDir, 'layout-delimiter-chosen.png') });
  });
});
