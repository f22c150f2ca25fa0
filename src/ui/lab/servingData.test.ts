import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVE_INPUTS, frontierRates, frontierRuns, parseServeInputs, recordsCsv, summariesCsv } from './servingData.ts';
import { SERVE_KNOB_DEFAULTS, type QueryRecord } from '../../shared/serving.ts';

describe('serving card inputs', () => {
  it('the defaults parse to the knob table\'s defaults (no window: empty)', () => {
    expect(DEFAULT_SERVE_INPUTS.groupWindowMs).toBe('');
    expect(parseServeInputs(DEFAULT_SERVE_INPUTS)).toEqual({ values: SERVE_KNOB_DEFAULTS, problems: {} });
  });

  it('refuses values out of range, fractions of whole-number knobs and words, per input', () => {
    const parsed = parseServeInputs({ ...DEFAULT_SERVE_INPUTS, eventRate: '0', groupSize: '2.5', seed: 'x', groupWindowMs: '' });
    expect(parsed.values).toBeNull();
    expect(parsed.problems).toEqual({
      eventRate: 'a number from 0.1 to 100000',
      groupSize: 'a whole number from 1 to 100000',
      seed: 'a whole number from 0 to 2147483647',
    });
    expect(parseServeInputs({ ...DEFAULT_SERVE_INPUTS, groupWindowMs: '-1' }).problems).toEqual({ groupWindowMs: 'a number from 0 to 60000, or empty for none' });
  });
});

describe('the frontier', () => {
  it('serves six rates from R/8 to 4R, each mode', () => {
    expect(frontierRates(200)).toEqual([25, 50, 100, 200, 400, 800]);
    expect(frontierRates(90_000)).toEqual([11_300, 22_500, 45_000, 90_000, 100_000]);
    expect(frontierRuns(8).map((r) => `${r.mode}@${r.eventRate}`).slice(0, 7)).toEqual(['update@1', 'update@2', 'update@4', 'update@8', 'update@16', 'update@32', 'inference@1']);
  });
});

describe('serving CSV', () => {
  it('one row per query, and one per run', () => {
    const r: QueryRecord = {
      query: 0, group: 0, arrivalS: 0.025, startS: 0.025, answerS: 0.026, latencyMs: 1, target: 22, arrived: 2, reflected: 0, stalenessEvents: 2,
      stalenessS: 0.015, pos: 0.75, neg: 0.25, exactPos: 0.5, exactNeg: 0.5, equalsExact: false,
    };
    expect(recordsCsv([r]).split('\n')[1]).toBe('0,0,0.025,0.025,0.026,1,22,2,0,2,0.015,0.75,0.25,0.5,0.5,0');
    const q = { mean: 1, p50: 1, p95: 2, p99: 3 };
    const csv = summariesCsv([{
      mode: 'update', clock: 'virtual', eventRate: 200, queryRate: 20, updateGrouping: { size: 10, windowMs: null }, queryGrouping: { size: 1, windowMs: null },
      durationS: 5, seed: 1, events: 1000, queries: 100, latencyMs: q, stalenessEvents: q, stalenessSeconds: q, ap: 0.8, exactAp: 0.9, exactFraction: 0.1,
      updateEventsPerSec: 5000, updateGroups: 100, meanGroupSize: 10, backlogGrowthPerS: 0, samplingMs: { hop1: q, hop2: q },
    }]);
    expect(csv.split('\n')[1]).toBe('update,virtual,200,20,10,,100,1,2,3,1,3,1,0.8,0.9,5000,0');
  });
});
