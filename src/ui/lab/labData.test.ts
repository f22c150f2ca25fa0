import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { snapshot } from '../views/testFixtures.ts';
import {
  ageMarkers, anatomyCounts, barsPath, anatomyCsv, BATCH_STEPS, jobId, labelRows, logAgeBins, nearestStep, parseBatchSizes, parseBatchSize, parseJobId,
  quantileSorted, sweepCsv, sweepJobs,
} from './labData.ts';
import type { BatchAnatomy, SweepPoint } from '../../shared/lab.ts';

describe('staleness lab data', () => {
  it('parses batch sizes', () => {
    expect(parseBatchSize('200')).toEqual({ ok: true, value: 200 });
    expect(parseBatchSize('0')).toEqual({ ok: false, reason: 'out of range 1…2000' });
    expect(parseBatchSize('2.5')).toEqual({ ok: false, reason: 'not a whole number' });
    expect(parseBatchSizes('600, 50 200,50')).toEqual({ ok: true, values: [50, 200, 600] });
    expect(parseBatchSizes(' ')).toEqual({ ok: false, reason: 'give at least one batch size' });
    expect(parseBatchSizes('50, x')).toEqual({ ok: false, reason: 'x: not a whole number' });
  });

  it('draws bars as one path of rectangles, each from its top down to the base', () => {
    // bars at x 0, 1, 2 of heights 0.5, 0, 1 on a 100-px-high plot (y flips), 8 px wide from x·10 + 1
    const d = barsPath({ x: [0, 1, 2], y: [0.5, 0, 1] }, (x) => x * 10 + 1, 8, (v) => 100 - 100 * v, 100);
    expect(d).toBe('M1,50h8v50h-8ZM11,100h8v0h-8ZM21,0h8v100h-8Z');
    expect(barsPath({ x: [0], y: [1 / 3] }, (x) => x, 1 / 3, (v) => v, 1)).toBe('M0,0.33h0.33v0.67h-0.33Z');
    expect(barsPath({ x: [], y: [] }, (x) => x, 1, (v) => v, 0)).toBe('');
  });

  it('steps the slider logarithmically', () => {
    expect(BATCH_STEPS[0]).toBe(1);
    expect(BATCH_STEPS[BATCH_STEPS.length - 1]).toBe(2000);
    expect(BATCH_STEPS[nearestStep(200)]).toBe(200);
    expect(BATCH_STEPS[nearestStep(230)]).toBe(200);
    expect(BATCH_STEPS[nearestStep(1)]).toBe(1);
  });

  it('counts an anatomy and writes its CSV', () => {
    const a: BatchAnatomy = {
      from: 0, to: 2, mailboxSize: 1, staleFraction: 0.5, droppedMailFraction: 0.25,
      events: [
        { index: 0, src: 1, dst: 2, t: 10, stale: false, missedViaSrc: -1, missedViaDst: -1 },
        { index: 1, src: 1, dst: 3, t: 11, stale: true, missedViaSrc: 0, missedViaDst: -1 },
      ],
      mails: [{ event: 0, node: 1, dropped: true }, { event: 0, node: 2, dropped: false }, { event: 1, node: 1, dropped: false }, { event: 1, node: 3, dropped: false }],
    };
    expect(anatomyCounts(a)).toEqual({ events: 2, stale: 1, mails: 4, dropped: 1 });
    expect(anatomyCsv(a)).toBe('event,src,dst,t,stale,missedViaSrc,missedViaDst,mailToSrc,mailToDst\n0,1,2,10,0,,,dropped,kept\n1,1,3,11,1,0,,kept,kept\n');
  });

  it('bins ages on a log scale with a zero bin', () => {
    const h = logAgeBins([0, 0, 1, 10, 100, 1000], 3);
    expect(h.zero).toBe(2);
    expect(h.total).toBe(6);
    expect(h.edges).toHaveLength(4);
    expect(h.edges[0]).toBe(1);
    expect(h.edges[3]).toBeCloseTo(1000);
    expect(h.counts).toEqual([1, 1, 2]);
    expect(logAgeBins([0, 0]).edges).toEqual([]);
    expect(logAgeBins([5], 2).counts).toEqual([1, 0]);
  });

  it('quantiles interpolate like the trainer; markers come from the training probe', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(ageMarkers(snapshot())).toEqual({ p50: 3, p90: 9, max: 20 });
    const lastBatch = { ...snapshot().lastBatch!, phase: 'val' as const };
    expect(ageMarkers(snapshot({ lastBatch })).max).toBe(20);
    expect(ageMarkers(snapshot({ lastBatch })).p50).toBe(3);
  });

  it('labelRows puts a label on a new row only when it would touch the previous one', () => {
    // 20-px labels on lines at 10, 50 and 62 in 100 px: the first is pushed in to 0, the third would
    // start at 52, 2 px after the second ends (60), so it takes row 1
    expect(labelRows([10, 50, 62], [20, 20, 20], 100)).toEqual([{ row: 0, left: 0 }, { row: 0, left: 40 }, { row: 1, left: 52 }]);
    // near the right end the label is kept inside and, clearing row 0's last label, stays on row 0
    expect(labelRows([10, 99], [20, 20], 100)).toEqual([{ row: 0, left: 0 }, { row: 0, left: 80 }]);
    // three lines almost on top of each other: three rows
    expect(labelRows([90, 92, 95], [20, 20, 20], 100).map((r) => r.row)).toEqual([0, 1, 2]);
  });

  it('builds sweep jobs smallest batch first with each variant\'s mitigations', () => {
    const jobs = sweepJobs({ ...DEFAULT_SETTINGS, evalBatchSize: 7 }, [600, 50], ['baseline', 'mailbox4', 'eval50']);
    expect(jobs.map((j) => j.id)).toEqual(['baseline@50', 'mailbox4@50', 'eval50@50', 'baseline@600', 'mailbox4@600', 'eval50@600']);
    expect(jobs[1]!.settings).toEqual({ ...DEFAULT_SETTINGS, batchSize: 50, mailboxSize: 4, aggregator: 'mean', evalBatchSize: 0 });
    // the experiment's own evaluation batch size never leaks in; the eval50 variant trains at B and evaluates at 50
    expect(jobs[5]!.settings).toEqual({ ...DEFAULT_SETTINGS, batchSize: 600, mailboxSize: 1, aggregator: 'last', evalBatchSize: 50 });
    expect(parseJobId(jobId('eval50', 600))).toEqual({ variant: 'eval50', batchSize: 600 });
    expect(parseJobId(jobId('static', 2000))).toEqual({ variant: 'static', batchSize: 2000 });
    expect(() => parseJobId('nope')).toThrow(/not a sweep job id/);
  });

  it('writes sweep results as CSV, failed points with their error', () => {
    const point: SweepPoint = {
      batchSize: 50, mitigations: { mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: null, exact: false },
      trainEventsPerSec: 1000, valAp: 0.9, testAp: 0.85, staleFraction: 0.3, droppedMailFraction: 0.2, memoryDrift: 0.1, driftApDelta: -0.01, driftEvents: 100,
    };
    const eval50: SweepPoint = { ...point, batchSize: 600, mitigations: { ...point.mitigations, evalBatchSize: 50 } };
    const csv = sweepCsv([
      { id: 'baseline@50', point, error: null, ms: 2000 },
      { id: 'exact@50', point: null, error: 'out of memory, really', ms: 10 },
      { id: 'eval50@600', point: eval50, error: null, ms: 1000 },
    ]);
    expect(csv.split('\n')[0]).toBe('variant,batchSize,mailboxSize,aggregator,staticMemory,evalBatchSize,exact,valAp,testAp,trainEventsPerSec,staleFraction,droppedMailFraction,memoryDrift,driftApDelta,driftEvents,seconds,error');
    // evaluation at the training batch size unless the variant sets its own
    expect(csv.split('\n')[1]).toBe('baseline,50,1,last,0,50,0,0.9,0.85,1000,0.3,0.2,0.1,-0.01,100,2,');
    expect(csv.split('\n')[2]).toBe('exact,50,,,,,,,,,,,,,,0.01,"out of memory, really"');
    expect(csv.split('\n')[3]).toBe('eval50,600,1,last,0,50,0,0.9,0.85,1000,0.3,0.2,0.1,-0.01,100,1,');
  });
});
