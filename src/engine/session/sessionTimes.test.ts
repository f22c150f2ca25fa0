import { describe, expect, it } from 'vitest';
import { EngineSession } from './session.ts';
import { TrainableError } from '../data/trainable.ts';

const csv = (times: readonly number[]) => ['src,dst,t', ...times.map((t, i) => `${i % 7},${(i + 1) % 7},${t}`)].join('\n');

describe('EngineSession.importData with times that cannot train', () => {
  it('refuses a zero time span with the check\'s message and keeps the loaded dataset', () => {
    const s = new EngineSession();
    s.importData('good', csv([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const refuse = () => s.importData('same.csv', csv(new Array<number>(10).fill(3)));
    expect(refuse).toThrow(TrainableError);
    expect(refuse).toThrow(
      'same.csv: all 10 events happen at the same time (3): the model learns from when events happen and the training, validation and test parts ' +
        'follow time, so the times must differ; check that the time column is the right one',
    );
    expect(s.loadedStream().name).toBe('good');
    s.dispose();
  });

  it('adds the tied-split warning to the import report and reports the order split', () => {
    const s = new EngineSession();
    // 8 at t = 0, 2 at t = 1: q(0.7) = 0 → train 8, q(0.85) = 0.65 → validation empty; by order 7 / 1 / 2 (file line 2 = first event)
    const d = s.importData('tied', csv([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]));
    expect(d.split).toEqual({ train: [0, 7], val: [7, 8], test: [8, 10] });
    expect(d.report.issues.map((i) => `${i.severity} line ${i.line}: ${i.message}`)).toEqual([
      'warning line 2: 8 of 10 events share the time 0, so splitting by time would leave the validation part empty; the events are split by their order instead ' +
        '(7 training, 1 validation, 2 test), so events at the same time can fall in two parts; finer times (e.g. seconds instead of days) avoid this',
    ]);
    s.dispose();
  });
});
