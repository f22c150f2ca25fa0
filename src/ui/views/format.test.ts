import { describe, expect, it } from 'vitest';
import {
  downsampleMean, ema, emaAlphaFor, eventIndexToTime, formatDurationSeconds, formatInstant, formatNumber, formatShare, formatSpan, nearestPoint,
  symmetricDomain, timeKindOf,
} from './format.ts';
import { niceStep } from './heatmapChart.ts';
import { niceCeil, memoryAgeAt, memoryAgePosition } from './memoryMapChart.ts';
import { currentPassStart, memorySteps } from './nodeInspectorChart.ts';
import { epochStarts } from './trainingCurvesChart.ts';
import { bandLabel, histogramPath, splitBands } from './streamTimelineChart.ts';
import { dataset, nodeDetail } from './testFixtures.ts';

describe('time formats', () => {
  it('reads times between 1973 and 2286 as unix seconds, anything else as plain', () => {
    expect(timeKindOf(1_704_067_200, 1_705_000_000)).toBe('unix-seconds');
    expect(timeKindOf(0, 2_600_000)).toBe('plain');
    expect(timeKindOf(1_704_067_200_000)).toBe('plain');
    expect(timeKindOf(NaN, 1_704_067_200)).toBe('unix-seconds');
    expect(timeKindOf(NaN)).toBe('plain');
  });

  it('formats durations in words', () => {
    expect(formatDurationSeconds(0)).toBe('0 s');
    expect(formatDurationSeconds(42)).toBe('42 s');
    expect(formatDurationSeconds(90)).toBe('1.5 min');
    expect(formatDurationSeconds(5400)).toBe('1.5 h');
    expect(formatDurationSeconds(200_000)).toBe('2.3 d');
    expect(formatDurationSeconds(40 * 86400)).toBe('40 d');
    expect(formatDurationSeconds(3 * 365.25 * 86400)).toBe('3 y');
    expect(formatDurationSeconds(NaN)).toBe('never');
    expect(formatDurationSeconds(-60)).toBe('−1 min');
  });

  it('formats spans and instants by time kind', () => {
    expect(formatSpan(3600, 'unix-seconds')).toBe('1 h');
    expect(formatSpan(3600, 'plain')).toBe('3,600 t');
    expect(formatSpan(NaN, 'plain')).toBe('never');
    expect(formatInstant(1_704_067_200 + 3600 + 120, 'unix-seconds')).toBe('2024-01-01 01:02 UTC');
    expect(formatInstant(12.5, 'plain')).toBe('t = 12.5');
  });

  it('formats numbers compactly', () => {
    expect(formatNumber(1234.4)).toBe('1,234');
    expect(formatNumber(12.3456)).toBe('12.35');
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(0.0001234)).toBe('1.23e-4');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(NaN)).toBe('–');
  });
});

describe('series helpers', () => {
  it('ema is debiased (starts at the first value) and skips NaN', () => {
    const out = ema([1, 1, NaN, 1], 0.1);
    expect(Array.from(out)).toEqual([1, 1, 1, 1]);
    const step = ema([0, 10], 0.5);
    expect(step[0]).toBe(0);
    expect(step[1]).toBeCloseTo(10 * 0.5 / 0.75, 5);
    expect(emaAlphaFor(10)).toBe(1);
    expect(emaAlphaFor(2500)).toBeCloseTo(0.01, 9);
  });

  it('downsampleMean averages consecutive buckets and keeps short series', () => {
    const d = downsampleMean([1, 3, 5, 7], 2);
    expect(Array.from(d.x)).toEqual([0.5, 2.5]);
    expect(Array.from(d.y)).toEqual([2, 6]);
    expect(Array.from(downsampleMean([4, 5], 10).y)).toEqual([4, 5]);
    expect(downsampleMean([], 10).y.length).toBe(0);
  });

  it('symmetric colour domains round |max| up to 1, 2, 5 × 10^k', () => {
    expect(symmetricDomain([0.3, -0.7])).toBe(1);
    expect(symmetricDomain([0.15])).toBeCloseTo(0.2, 12);
    expect(symmetricDomain([-3])).toBe(5);
    expect(symmetricDomain([0, 0])).toBe(1);
    expect(symmetricDomain([NaN, 0.05])).toBeCloseTo(0.05, 12);
  });

  it('event indices map to times through cumulative counts', () => {
    const counts = [10, 0, 10];
    expect(eventIndexToTime(counts, 0, 30, 0)).toBe(0);
    expect(eventIndexToTime(counts, 0, 30, 5)).toBe(5);
    expect(eventIndexToTime(counts, 0, 30, 10)).toBe(10);
    expect(eventIndexToTime(counts, 0, 30, 15)).toBe(25);
    expect(eventIndexToTime(counts, 0, 30, 99)).toBe(30);
  });

  it('nearestPoint picks the closest point within the radius', () => {
    expect(nearestPoint([0, 10, 12], [0, 0, 0], 11.5, 0, 3)).toBe(2);
    expect(nearestPoint([0, 10], [0, 0], 50, 50, 5)).toBe(-1);
  });
});

describe('chart helpers', () => {
  it('tick steps and nice maxima', () => {
    expect(niceStep(64, 16)).toBe(5);
    expect(niceStep(8, 16)).toBe(1);
    expect(niceCeil(0.7)).toBeCloseTo(1, 12);
    expect(niceCeil(3600)).toBe(5000);
    expect(niceCeil(0)).toBe(1);
  });

  it('formatShare writes a fraction as a percentage', () => {
    expect(formatShare(16 / 17)).toBe('94 %');
    expect(formatShare(1 / 17)).toBe('5.9 %');
    expect(formatShare(0)).toBe('0.0 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0.0004)).toBe('<0.1 %');
    expect(formatShare(NaN)).toBe('–');
  });

  it('memory-age positions are log-ish, monotone, and invert', () => {
    expect(memoryAgePosition(0, 1000)).toBe(0);
    expect(memoryAgePosition(NaN, 1000)).toBe(0);
    expect(memoryAgePosition(1000, 1000)).toBeCloseTo(1, 12);
    expect(memoryAgePosition(10, 1000)).toBeGreaterThan(0.3);
    expect(memoryAgeAt(memoryAgePosition(37, 1000), 1000)).toBeCloseTo(37, 6);
  });

  it('epoch starts come from changes in lossEpoch', () => {
    expect(epochStarts(Int32Array.of(1, 1, 2, 2, 3))).toEqual([{ at: 1, epoch: 1 }, { at: 3, epoch: 2 }, { at: 5, epoch: 3 }]);
    expect(epochStarts(new Int32Array(0))).toEqual([]);
  });

  it('the inspector keeps only the current pass of a node\u2019s memory history', () => {
    expect(currentPassStart([1, 5, 9, 2, 4])).toBe(3);
    expect(currentPassStart([1, 1, 2])).toBe(0);
    const d = nodeDetail({ history: Float32Array.of(1, 1, 2, 2, 3, 3), historyTimes: Float64Array.of(10, 30, 5) });
    const steps = memorySteps(d);
    expect(Array.from(steps.times)).toEqual([5]);
    expect(Array.from(steps.values)).toEqual([3, 3]);
    const current = memorySteps(nodeDetail({ history: new Float32Array(0), historyTimes: new Float64Array(0) }));
    expect(Array.from(current.times)).toEqual([20]);
    expect(memorySteps(nodeDetail({ history: new Float32Array(0), historyTimes: new Float64Array(0), memoryAge: NaN })).times.length).toBe(0);
  });

  it('split bands cover tMin..tMax with the dataset\u2019s shares', () => {
    const bands = splitBands({ tMin: 0, tMax: 100, counts: Int32Array.of(25, 25, 25, 25) }, dataset());
    expect(bands.map((b) => b.split)).toEqual(['train', 'val', 'test']);
    expect(bands[0]!.t0).toBe(0);
    expect(bands[0]!.t1).toBeCloseTo(70, 9);
    expect(bands[2]!.t1).toBe(100);
    expect(bands.map((b) => b.share)).toEqual([0.7, 0.15, 0.15]);
    expect(bands.map((b) => bandLabel(b, 80))).toEqual(['train 70%', 'val 15%', 'test 15%']);
    expect([bandLabel(bands[1]!, 40), bandLabel(bands[1]!, 10)]).toEqual(['val', '']);
  });

  it('histogram paths step through every bin and close on the baseline', () => {
    expect(histogramPath([2, 1], (b) => b * 10, (c) => 100 - c * 10)).toBe('M0.0,100.0L0.0,80.0L10.0,80.0L10.0,90.0L20.0,90.0L20.0,100.0Z');
    expect(histogramPath([], (b) => b, (c) => c)).toBe('');
  });
});
