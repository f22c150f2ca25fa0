import { describe, expect, it } from 'vitest';
import {
  csvField, epochsCsv, exportName, heatmapCsv, lossCsv, nodeEventsCsv, nodeHistoryCsv, projectionCsv, splitBoundaryTimes,
  timelineCsv, toCsv, trailsCsv,
} from './export.ts';
import { dataset, epoch, nodeDetail, snapshot } from './testFixtures.ts';

describe('csv', () => {
  it('quotes fields with commas, quotes and line breaks, and leaves others alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(NaN)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(-Infinity)).toBe('-Infinity');
  });

  it('writes text a spreadsheet would run as a formula with a leading \' (numbers stay as they are)', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-abc')).toBe('"\'-abc"');
    expect(csvField('@x')).toBe('"\'@x"');
    expect(csvField('-0.5')).toBe('-0.5');
    expect(csvField(-0.5)).toBe('-0.5');
    expect(toCsv(['node', 'rawId'], [[0, '+1+cmd'], [1, '-3']])).toBe('node,rawId\n0,"\'+1+cmd"\n1,-3\n');
  });

  it('builds a header, rows and a final newline, and rejects ragged rows', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [2, null]])).toBe('a,b\n1,x\n2,\n');
    expect(toCsv(['a'], [])).toBe('a\n');
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow('CSV row has 1 fields, expected 2 (a,b)');
  });
});

describe('view CSVs', () => {
  it('heatmap: one row per node with raw id, touched flag and each dimension', () => {
    expect(heatmapCsv(snapshot())).toBe('node,rawId,touched,m0,m1,m2\n4,alice,1,0.5,-0.25,0\n2,"b,""ob""",0,1,2,3\n');
  });

  it('projection: coordinates, memory age (empty when never updated), seen and selection', () => {
    expect(projectionCsv(snapshot(), [1])).toBe('node,pc1,pc2,memoryAge,seen,selected\n0,0.5,2,3,1,0\n1,-1,0.25,,0,1\n');
  });

  it('trails: one row per recorded position, oldest first', () => {
    expect(trailsCsv(snapshot())).toBe('node,step,pc1,pc2\n1,0,0,1\n1,1,0.5,1.5\n');
  });

  it('loss: 1-based batch, epoch, loss and a smoothed value that starts at the first loss', () => {
    const lines = lossCsv(snapshot()).trimEnd().split('\n');
    expect(lines[0]).toBe('batch,epoch,loss,lossSmoothed');
    expect(lines).toHaveLength(4);
    const first = lines[1]!.split(',').map(Number);
    expect(first.slice(0, 2)).toEqual([1, 1]);
    expect(first[2]).toBeCloseTo(0.7, 6);
    expect(first[3]).toBeCloseTo(0.7, 6);
    expect(lines[3]!.split(',')[1]).toBe('2');
  });

  it('epochs: one row per epoch with val and test metrics', () => {
    const csv = epochsCsv(snapshot({ epochs: [epoch(1, 0.8), epoch(2, 0.9)] }));
    const [header, row1, row2] = csv.trimEnd().split('\n');
    expect(header).toBe('epoch,loss,trainEventsPerSec,trainSeconds,evalSeconds,valAp,valAuc,valApBatchMean,valAucBatchMean,testAp,testAuc,testApBatchMean,testAucBatchMean');
    expect(row1!.split(',').slice(0, 6)).toEqual(['1', '0.5', '1000', '2', '1', '0.8']);
    expect(row2!.split(',')[5]).toBe('0.9');
  });

  it('epochs: MRR and the inductive events\' AP get their columns when the run has them', () => {
    const e = epoch(1, 0.8);
    const withBoth = { ...e, val: { ...e.val, mrr: 0.25 }, test: { ...e.test, mrr: 0.5 }, valInductive: { ...e.val, apBatchMean: 0.6 }, testInductive: { ...e.test, apBatchMean: 0.7 } };
    const [header, row] = epochsCsv(snapshot({ epochs: [withBoth] })).trimEnd().split('\n');
    expect(header!.split(',').slice(-4)).toEqual(['valMrr', 'testMrr', 'valInductiveApBatchMean', 'testInductiveApBatchMean']);
    expect(row!.split(',').slice(-4)).toEqual(['0.25', '0.5', '0.6', '0.7']);
  });

  it('node events: role and processed flag', () => {
    expect(nodeEventsCsv(nodeDetail())).toBe('node,t,other,role,processed\n4,10,2,source,1\n4,20,3,destination,1\n4,30,2,source,0\n');
  });

  it('node history: one row per recorded write, and a clear error when sizes disagree', () => {
    expect(nodeHistoryCsv(nodeDetail())).toBe('t,m0,m1\n10,0.10000000149011612,0.20000000298023224\n20,0.30000001192092896,0.4000000059604645\n');
    expect(() => nodeHistoryCsv(nodeDetail({ history: Float32Array.of(1, 2, 3) }))).toThrow('node 4: history has 3 values, expected 2 times × 2 dims');
  });

  it('timeline: bin edges, counts, and the splits each bin\u2019s events fall in', () => {
    const timeline = { tMin: 0, tMax: 100, counts: Int32Array.of(50, 0, 30, 20) };
    expect(timelineCsv(timeline)).toBe('bin,tStart,tEnd,events\n0,0,25,50\n1,25,50,0\n2,50,75,30\n3,75,100,20\n');
    const withSplit = timelineCsv(timeline, dataset()).trimEnd().split('\n');
    expect(withSplit[0]).toBe('bin,tStart,tEnd,events,split');
    expect(withSplit.slice(1).map((l) => l.split(',')[4])).toEqual(['train', '', 'train+val', 'val+test']);
  });

  it('split boundary times interpolate inside the bin where the cumulative count crosses the index', () => {
    const timeline = { tMin: 0, tMax: 100, counts: Int32Array.of(50, 0, 30, 20) };
    // val starts at event 70: 20 of the 30 events of bin 2 → 50 + 25·(20/30); test at 85: bin 3, 5 of 20
    const { valStart, testStart } = splitBoundaryTimes(timeline, dataset());
    expect(valStart).toBeCloseTo(50 + 25 * (20 / 30), 9);
    expect(testStart).toBeCloseTo(75 + 25 * (5 / 20), 9);
  });

  it('export names carry the snapshot version', () => {
    expect(exportName('memory-map', snapshot())).toBe('tgnn-memory-map-v7');
    expect(exportName('memory-map', null)).toBe('tgnn-memory-map');
  });
});
