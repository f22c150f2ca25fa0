import { describe, expect, it } from 'vitest';
import { makeEventStream } from './eventStream.ts';
import { chronologicalSplit } from './split.ts';
import { checkTrainable } from './trainable.ts';

/** a stream with these times (ascending), events i → i + 1 mod 7 */
const withTimes = (times: readonly number[]) => makeEventStream(times.map((t, i) => [i % 7, (i + 1) % 7, t] as const));
const check = (times: readonly number[]) => {
  const stream = withTimes(times);
  return checkTrainable(stream, chronologicalSplit(stream));
};

describe('checkTrainable', () => {
  it('accepts distinct times, and large times with small steps (the model takes differences from the first event in float64)', () => {
    expect(check([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ errors: [], warnings: [] });
    expect(check(Array.from({ length: 10 }, (_, i) => 1e12 + i))).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a zero time span with one message on the first line', () => {
    expect(check(new Array<number>(10).fill(5))).toEqual({
      errors: [{
        severity: 'error', line: 1, column: null,
        message: 'all 10 events happen at the same time (5): the model learns from when events happen and the training, validation and test parts ' +
          'follow time, so the times must differ; check that the time column is the right one',
      }],
      warnings: [],
    });
  });

  it('warns when tied last times would leave test empty and the split falls back to event order', () => {
    // 15 events at 0, 5 at 1: q(0.7) = 0 → train 15; q(0.85) = 1 → val 5, test 0; by order: 14 / 3 / 3
    expect(check([...new Array<number>(15).fill(0), ...new Array<number>(5).fill(1)])).toEqual({
      errors: [],
      warnings: [{
        severity: 'warning', line: 16, column: null,
        message: '5 of 20 events share the time 1, so splitting by time would leave the test part empty; the events are split by their order instead ' +
          '(14 training, 3 validation, 3 test), so events at the same time can fall in two parts; finer times (e.g. seconds instead of days) avoid this',
      }],
    });
  });

  it('warns when a tie around q(0.7)…q(0.85) would leave validation empty', () => {
    // t = 0..12, then e13..e17 at 13, then 18, 19: q(0.7) = q(0.85) = 13 → train 18, val 0, test 2; by order 14 / 3 / 3
    const times = [...Array.from({ length: 13 }, (_, i) => i), 13, 13, 13, 13, 13, 18, 19];
    const r = check(times);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([{
      severity: 'warning', line: 14, column: null,
      message: '5 of 20 events share the time 13, so splitting by time would leave the validation part empty; the events are split by their order instead ' +
        '(14 training, 3 validation, 3 test), so events at the same time can fall in two parts; finer times (e.g. seconds instead of days) avoid this',
    }]);
  });

  it('refuses a span beyond float32 (NaN in training) and says by how much to divide; warns about the rounded time', () => {
    // span 1e300: log10 = 300 → divide by 1e291 leaves a span of 1e9; 1e300 ≥ 2^53, its float64 step is 2^(996 − 52)
    const r = check([0, 1, 2, 3, 4, 5, 6, 7, 8, 1e300]);
    expect(r.errors).toEqual([{
      severity: 'error', line: 10, column: null,
      message: 'the times span 1e+300 (from 0 to 1e+300), but the model computes with 32-bit numbers, which end at about 3.4e38, so training would give only NaN; ' +
        'divide the times by 1e291 (or give them in seconds) and load the file again',
    }]);
    expect(r.warnings).toEqual([{
      severity: 'warning', line: 10, column: null,
      message: `1 of 10 times are at or beyond 2^53 = 9007199254740992 (the first: 1e+300); numbers that large are stored only in steps of ${2 ** 944} or more, ` +
        'so these times may have been rounded and nearby times may have become equal; if they are milliseconds or nanoseconds, convert them to seconds',
    }]);
  });

  it('refuses a span that overflows float64 itself', () => {
    const r = check([-1e308, 0, 1, 2, 3, 4, 5, 6, 7, 1e308]);
    // log10(1e308) + log10(2) = 308.3 → 309 − 9 = 300
    expect(r.errors.map((e) => e.message)).toEqual([
      'the times span more than 1.8e308 (from -1e+308 to 1e+308), but the model computes with 32-bit numbers, which end at about 3.4e38, so training would give only NaN; ' +
        'divide the times by 1e300 (or give them in seconds) and load the file again',
    ]);
  });

  it('refuses a span below float32 precision', () => {
    // span 1e-40: multiply by 1e49 gives 1e9
    const r = check([0, 0, 0, 0, 0, 0, 0, 1e-40, 1e-40, 1e-40]);
    expect(r.errors).toEqual([{
      severity: 'error', line: 10, column: null,
      message: 'the times span only 1e-40 (from 0 to 1e-40), but the model computes with 32-bit numbers, which cannot tell differences below about 1.2e-38 from 0; ' +
        'multiply the times by 1e49 and load the file again',
    }]);
  });

  it('warns with a count and the first line about times at or beyond 2^53', () => {
    const r = check([1, 2, 3, 4, 5, 6, 7, 2 ** 53, 2 ** 53 + 2, 2 ** 53 + 4]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([{
      severity: 'warning', line: 8, column: null,
      message: '3 of 10 times are at or beyond 2^53 = 9007199254740992 (the first: 9007199254740992); numbers that large are stored only in steps of 2 or more, ' +
        'so these times may have been rounded and nearby times may have become equal; if they are milliseconds or nanoseconds, convert them to seconds',
    }]);
  });
});
