// Guided lessons end to end: every lesson, every step (predict, run, measured result, why), a screenshot
// per step; the first screen's lesson list; the classroom link; the glossary. Each test opens its own page.
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LESSONS } from '../src/ui/lessons/index.ts';
import type { Lesson, LessonStep } from '../src/ui/lessons/types.ts';
import { artifactsDir, openApp, openSession, type Session } from './browser.ts';

const STEP_TIMEOUT_MS = 150_000;

let session: Session | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

async function open(url: string): Promise<Page> {
  session = await openSession();
  await session.page.setViewportSize({ width: 1440, height: 900 });
  await openApp(session.page, url);
  return session.page;
}

/** every measured value of the step's result table, by key (NaN stands for "never", e.g. a memory never written) */
async function shownValues(page: Page): Promise<Record<string, number>> {
  const cells = page.getByTestId('lesson-result').locator('td[data-testid^="lesson-value-"]');
  const out: Record<string, number> = {};
  for (const cell of await cells.all()) {
    const key = (await cell.getAttribute('data-testid'))!.slice('lesson-value-'.length);
    out[key] = Number(await cell.getAttribute('data-value'));
  }
  return out;
}

const dataValue = async (page: Page, testId: string): Promise<number> => Number(await page.getByTestId(testId).getAttribute('data-value'));

/** checks that tie a step's measured numbers to what the page itself shows after the run */
async function checkAgainstPage(page: Page, step: LessonStep, v: Record<string, number>): Promise<void> {
  const run = step.run;
  switch (run.kind) {
    case 'train-batches': {
      expect(v.written).toBeLessThanOrEqual(v.nodes!);
      // the counters stand where the lesson's batches left them: after `processed` training events, or at validation
      const counter = (await page.getByTestId('batch-counter').textContent()) ?? '';
      const m = /^train · batch ([\d,]+) of/.exec(counter);
      if (m) expect(Number(m[1]!.replace(/,/g, '')) * v.batch!).toBe(v.processed);
      else expect(counter).toMatch(/^val · batch 0 of/);
      break;
    }
    case 'node-batch': {
      // the inspector follows the node the lesson picked
      await page.getByTestId('node-facts').filter({ hasText: `(#${v.node})` }).waitFor({ timeout: 10_000 });
      if (run.pick === 'no-event') expect(v.change).toBe(0);
      else expect(v.change).toBeGreaterThan(0);
      break;
    }
    case 'anatomy': {
      await page.locator(`[data-testid="anatomy-stale-fraction"][data-value="${v.stale}"]`).waitFor({ timeout: 10_000 });
      expect(await dataValue(page, 'anatomy-stale-fraction')).toBe(v.stale);
      break;
    }
    case 'staleness-curve':
      for (const k of Object.keys(v)) expect(v[k]).toBeGreaterThanOrEqual(0);
      break;
    case 'train-compare': {
      const last = await page.getByTestId('setting-batchSize').inputValue();
      expect(Number(last)).toBeGreaterThan(0);
      expect(Number(await page.getByTestId('probe-batches').textContent())).toBeGreaterThan(0);
      break;
    }
    case 'sweep': {
      for (const [k, x] of Object.entries(v)) {
        if (!/^ap\d+$/.test(k)) continue;
        expect(x, k).toBeGreaterThan(0);
        expect(x, k).toBeLessThanOrEqual(1);
      }
      if (run.where === 'lab') {
        await page.locator('[data-testid="sweep-status"][data-state="done"]').waitFor({ timeout: 10_000 });
        expect(await page.getByTestId('sweep-chart').locator('circle.sweep-point').count()).toBeGreaterThanOrEqual(run.points.length);
      }
      break;
    }
    case 'serve': {
      // the Serving card ran it: its table holds the last run of each mode served, with the lesson's numbers
      await page.locator('[data-testid="serving-status"][data-state="done"]').waitFor({ timeout: 10_000 });
      if (run.action === 'frontier') {
        expect(await page.getByTestId('serving-frontier-chart').locator('.serving-frontier-point').count()).toBe(18);
        break;
      }
      const modes = run.action === 'compare' ? ['update', 'inference', 'collaborative'] : [run.mode];
      for (const [i, mode] of modes.entries()) {
        const row = JSON.parse((await page.getByTestId(`serving-row-${mode}`).getAttribute('data-summary'))!) as { ap: number; latencyMs: { p99: number } };
        expect(row.ap).toBe(v[`ap${i + 1}`]);
        expect(row.latencyMs.p99).toBe(v[`latency99${i + 1}`]);
      }
      break;
    }
  }
}

async function runLesson(page: Page, lesson: Lesson): Promise<number[]> {
  const panel = page.getByTestId('lesson-panel');
  await panel.waitFor({ timeout: 30_000 });
  expect(await panel.getAttribute('data-lesson')).toBe(lesson.name);
  const seconds: number[] = [];
  for (const [i, step] of lesson.steps.entries()) {
    await page.locator(`[data-testid="lesson-panel"][data-step="${i + 1}"]`).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('lesson-step-title').textContent()).toBe(step.title);
    const status = page.getByTestId('lesson-status');
    await page.locator('[data-testid="lesson-status"][data-state="predict"], [data-testid="lesson-status"][data-state="error"]').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    if ((await status.getAttribute('data-state')) === 'error') throw new Error(`${lesson.name} step ${i + 1} setup: ${await page.getByTestId('lesson-error').textContent()}`);
    // no value may be missing from the text the reader sees before running
    expect(await panel.textContent()).not.toMatch(/\{[A-Za-z]/);
    // Run is disabled until a prediction is picked
    expect(await page.getByTestId('lesson-run').isDisabled()).toBe(true);
    const choice = step.predict.choices[i % step.predict.choices.length]!;
    await page.getByTestId(`lesson-choice-${choice.id}`).check();
    await page.getByTestId('lesson-run').click();
    await page.locator('[data-testid="lesson-status"][data-state="done"], [data-testid="lesson-status"][data-state="error"]').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    if ((await status.getAttribute('data-state')) === 'error') throw new Error(`${lesson.name} step ${i + 1}: ${await page.getByTestId('lesson-error').textContent()}`);
    const statusText = (await status.textContent()) ?? '';
    const took = /measured in ([\d.]+) s/.exec(statusText);
    if (!statusText.startsWith('read from the models an earlier step trained')) expect(took, statusText).not.toBeNull();
    seconds.push(took ? Number(took[1]) : 0);

    const values = await shownValues(page);
    expect(Object.keys(values).sort()).toEqual([...new Set(step.show.map((s) => s.key))].sort());
    for (const [k, x] of Object.entries(values)) {
      // a span may be NaN (a memory never written shows "never"); everything else is a real number
      const format = step.show.find((s) => s.key === k)!.format;
      if (format === 'span') expect(Number.isNaN(x) || Number.isFinite(x), k).toBe(true);
      else expect(Number.isFinite(x), `${lesson.name} step ${i + 1}: ${k} = ${x}`).toBe(true);
    }
    // every value the run measured (JSON writes NaN as null)
    const measured = JSON.parse((await page.getByTestId('lesson-result').getAttribute('data-measured'))!, (_, x: unknown) => (x === null ? NaN : x)) as Record<string, number>;
    for (const [k, x] of Object.entries(values)) expect(Object.is(measured[k], x) || measured[k] === x, k).toBe(true);
    await checkAgainstPage(page, step, measured);
    if (choice.agrees) expect(['true', 'false']).toContain(await page.getByTestId('lesson-verdict').getAttribute('data-agrees'));
    const why = (await page.getByTestId('lesson-why').textContent()) ?? '';
    expect(why.length).toBeGreaterThan(60);
    expect(why).not.toContain('…');
    expect(why).not.toMatch(/\{[A-Za-z]/);
    await page.screenshot({ path: join(artifactsDir, `lesson-${lesson.name}-${i + 1}.png`) });
    await page.getByTestId(i + 1 < lesson.steps.length ? 'lesson-next' : 'lesson-finish').click();
  }
  await page.getByTestId('lesson-finished').waitFor({ timeout: 10_000 });
  return seconds;
}

describe('guided lessons', () => {
  const origin = inject('baseUrl');

  for (const lesson of LESSONS) {
    it(`#lesson=${lesson.name} runs every step start to end`, async () => {
      const page = await open(`${origin}/#lesson=${lesson.name}`);
      const seconds = await runLesson(page, lesson);
      console.log(`lesson ${lesson.name}: step seconds ${seconds.map((s) => s.toFixed(1)).join(', ')}`);
      // the lesson rides in the hash
      expect(await page.evaluate(() => window.location.hash)).toContain(`lesson=${lesson.name}`);
      expect(session!.errors).toEqual([]);
    }, 900_000);
  }

  it('the first screen offers the lessons; starting one opens its panel and puts it in the link', async () => {
    const page = await open(`${origin}/`);
    const welcome = page.getByTestId('lesson-welcome');
    await welcome.waitFor();
    for (const l of LESSONS) expect(await welcome.getByTestId(`lesson-start-${l.name}`).textContent()).toContain(l.title);
    await page.screenshot({ path: join(artifactsDir, 'lesson-welcome.png') });
    await page.getByTestId('lesson-start-staleness').click();
    await page.locator('[data-testid="lesson-panel"][data-lesson="staleness"]').waitFor();
    expect(await welcome.count()).toBe(0);
    await page.waitForFunction(() => window.location.hash.includes('lesson=staleness'));
    // on a phone the lesson is a sheet at the bottom, inside the window
    await page.setViewportSize({ width: 390, height: 800 });
    await page.locator('[data-testid="lesson-status"][data-state="predict"]').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    const box = (await page.getByTestId('lesson-panel').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifactsDir, 'lesson-phone.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    // the header menu switches lessons
    await page.getByTestId('lessons-button').click();
    await page.getByTestId('lessons-menu-memory').click();
    await page.locator('[data-testid="lesson-panel"][data-lesson="memory"]').waitFor();
    await page.getByTestId('lesson-close').click();
    expect(await page.getByTestId('lesson-panel').count()).toBe(0);
    await page.waitForFunction(() => !window.location.hash.includes('lesson='));
    expect(session!.errors).toEqual([]);
  });

  it('a classroom link hides the ticked controls and opens its lesson', async () => {
    let page = await open(`${origin}/`);
    await page.getByTestId('share-button').click();
    const dialog = page.getByTestId('share-dialog');
    await dialog.waitFor();
    for (const c of ['batchSize', 'mailboxSize', 'step', 'upload']) await page.getByTestId(`share-hide-${c}`).check();
    await page.getByTestId('share-lesson').selectOption('fixes');
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/batchSize_hide=true/);
    expect(link).toMatch(/mailboxSize_hide=true/);
    expect(link).toMatch(/step_hide=true/);
    expect(link).toMatch(/upload_hide=true/);
    expect(link).toMatch(/lesson=fixes/);
    await dialog.screenshot({ path: join(artifactsDir, 'lesson-share-dialog.png') });
    await session!.close();

    page = await open(link);
    await page.locator('[data-testid="lesson-panel"][data-lesson="fixes"]').waitFor();
    // hidden: the ticked controls; shown: the others
    expect(await page.getByTestId('setting-batchSize').count()).toBe(0);
    expect(await page.getByTestId('setting-mailboxSize').count()).toBe(0);
    expect(await page.getByTestId('step').count()).toBe(0);
    expect(await page.getByTestId('setting-learningRate').count()).toBe(1);
    expect(await page.getByTestId('reset').count()).toBe(1);
    expect(await page.getByTestId('lesson-welcome').count()).toBe(0);
    await page.screenshot({ path: join(artifactsDir, 'lesson-classroom-link.png') });
    // the page's own link keeps the hidden controls and the lesson
    const hash = await page.evaluate(() => window.location.hash);
    expect(hash).toContain('batchSize_hide=true');
    expect(hash).toContain('lesson=fixes');
    expect(session!.errors).toEqual([]);
  });

  it('the glossary opens from the header, from the corner button anywhere on the page, and from a lesson\'s words', async () => {
    const page = await open(`${origin}/`);
    await page.getByTestId('glossary-button').click();
    const glossary = page.getByTestId('glossary');
    await glossary.waitFor();
    for (const id of ['node-memory', 'mail', 'mailbox', 'stale-event', 'memory-age', 'information-loss', 'batch', 'memory-drift', 'ap', 'edgebank', 'static-memory', 'exact-mode']) {
      expect(await glossary.getByTestId(`glossary-${id}`).count(), id).toBe(1);
    }
    expect(await glossary.getByTestId('glossary-stale-event').textContent()).toContain('earlier in the same batch');
    expect(await glossary.getByTestId('glossary-memory-age').textContent()).toContain('time since');
    await page.screenshot({ path: join(artifactsDir, 'lesson-glossary.png') });
    await page.getByTestId('glossary-close').click();
    expect(await glossary.count()).toBe(0);

    // far down the page (the sweep), the corner button is still there
    await page.getByTestId('sweep').scrollIntoViewIfNeeded();
    await page.getByTestId('glossary-fab').click();
    await glossary.waitFor();
    await page.keyboard.press('Escape');
    expect(await glossary.count()).toBe(0);

    // a term in a lesson's text opens its entry
    await page.getByTestId('lesson-start-staleness').click();
    await page.locator('[data-testid="lesson-status"][data-state="predict"]').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    await page.getByTestId('lesson-panel').locator('.term-link[data-term="stale-event"]').first().click();
    await glossary.waitFor();
    expect(await glossary.locator('.glossary-entry.focused').getAttribute('data-entry')).toBe('stale-event');
    expect(session!.errors).toEqual([]);
  });
});
