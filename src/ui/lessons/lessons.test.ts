// The lesson data, checked as a reader would trip over it: every step names only values its run
// measures, every glossary link resolves, every format exists, 3–6 steps, and lesson (c)/(d) sweeps stay small.
import { describe, expect, it } from 'vitest';
import { GLOSSARY, findTerm } from './glossary.ts';
import { LESSONS, findLesson } from './index.ts';
import { outputKeys } from './runner.ts';
import { linkedTerms, templateKeys, unknownFormats } from './template.ts';
import type { LessonStep } from './types.ts';

/** every template of a step with the keys it may use before and after the run */
function templates(step: LessonStep): { text: string; after: boolean }[] {
  return [
    { text: step.title, after: false },
    { text: step.text, after: false },
    { text: step.predict.question, after: false },
    ...step.predict.choices.map((c) => ({ text: c.text, after: false })),
    ...step.show.map((s) => ({ text: s.label, after: false })),
    ...step.why.map((w) => ({ text: w.text, after: true })),
  ];
}

/** the keys known before a step runs: the resolved batch sizes (runner.stepSizes) */
function beforeKeys(step: LessonStep): string[] {
  const a = step.run;
  const n = a.kind === 'anatomy' ? 1 : a.kind === 'staleness-curve' ? a.batchSizes.length : a.kind === 'train-compare' ? a.runs.length : a.kind === 'sweep' ? a.points.length : 0;
  const keys = ['small', 'large', 'batch', ...Array.from({ length: n }, (_, i) => `batch${i + 1}`)];
  if (a.kind === 'sweep') keys.push('workers', 'driftEvents', ...a.points.map((_, i) => `evalBatch${i + 1}`), ...(a.reference ? ['refBatch'] : []));
  if (a.kind === 'train-compare') keys.push('warmupEvents', 'measureEvents');
  return keys;
}

describe('lessons', () => {
  it('cover memory, staleness, accuracy, fixes, parallel training and serving, each with 3–6 steps and a unique name', () => {
    expect(LESSONS.map((l) => l.name)).toEqual(['memory', 'staleness', 'accuracy', 'fixes', 'parallel', 'serving']);
    for (const l of LESSONS) {
      expect(l.steps.length).toBeGreaterThanOrEqual(3);
      expect(l.steps.length).toBeLessThanOrEqual(6);
      expect(findLesson(l.name)).toBe(l);
    }
    expect(findLesson('nope')).toBeUndefined();
  });

  for (const lesson of LESSONS) {
    describe(lesson.name, () => {
      lesson.steps.forEach((step, i) => {
        it(`step ${i + 1} names only values it has, links only glossary terms, uses known formats`, () => {
          const produced = new Set(outputKeys(step.run));
          const before = new Set(beforeKeys(step));
          for (const t of templates(step)) {
            for (const k of templateKeys(t.text)) {
              expect(t.after ? produced.has(k) : before.has(k), `${lesson.name} step ${i + 1}: '{${k}}' in "${t.text.slice(0, 50)}…"`).toBe(true);
            }
            expect(unknownFormats(t.text)).toEqual([]);
            for (const term of linkedTerms(t.text)) expect(findTerm(term), `${lesson.name} step ${i + 1}: [[${term}]]`).toBeDefined();
          }
          for (const s of step.show) expect(produced.has(s.key), `${lesson.name} step ${i + 1} shows ${s.key}`).toBe(true);
          expect(step.predict.choices.length).toBeGreaterThanOrEqual(2);
          expect(new Set(step.predict.choices.map((c) => c.id)).size).toBe(step.predict.choices.length);
          // the last explanation always applies, so a step never ends without a why
          expect(step.why.at(-1)?.when).toBeUndefined();
        });
      });
    });
  }

  it('runs lab sweeps only as every variant × every batch size at the training batch size, with 2 workers', () => {
    for (const l of LESSONS) {
      for (const s of l.steps) {
        if (s.run.kind !== 'sweep') continue;
        expect(s.run.workers).toBe(2);
        if (s.run.where !== 'lab') continue;
        const points = [...s.run.points, ...(s.run.reference ? [s.run.reference] : [])];
        const sizes = new Set(points.map((p) => String(p.batchSize)));
        const variants = new Set(points.map((p) => p.variant));
        expect(points.length).toBe(sizes.size * variants.size);
        for (const p of points) expect(p.evalBatchSize).toBeUndefined();
      }
    }
  });

  it('the glossary defines the words the issue asks for, each once', () => {
    const names = GLOSSARY.flatMap((e) => [e.term, ...e.aliases].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
    for (const w of ['node memory', 'mail', 'mailbox', 'stale event', 'memory age', 'information loss', 'dropped mails', 'batch', 'memory drift', 'AP', 'EdgeBank', 'static memory', 'exact mode']) {
      expect(findTerm(w), w).toBeDefined();
    }
    // one meaning per word: memory age is a time, a stale event is about the batch
    expect(findTerm('stale event')!.meaning).toContain('earlier in the same batch');
    expect(findTerm('memory age')!.meaning).toContain('time since');
  });
});
