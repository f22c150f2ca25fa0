import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataset } from '../../testing/sharedDatasets.ts';
import { assertEventStream } from './eventStream.ts';
import { EventStreamImporter, ITEM_ID_PREFIX, ImportError, formatIssue, importEventStream } from './import.ts';
import type { ImportOptions } from '../../shared/data.ts';
import { parseNumberBytes } from './importScan.ts';

const enc = new TextEncoder();

function imp(text: string | Uint8Array, options?: ImportOptions) {
  const r = importEventStream(text, options);
  assertEventStream(r.stream);
  return r;
}

/** events as [rawSrc, rawDst, t] */
function rawEvents(text: string | Uint8Array, options?: ImportOptions): [string, string, number][] {
  const { stream } = imp(text, options);
  return Array.from(stream.src, (s, i) => [stream.rawNodeIds[s]!, stream.rawNodeIds[stream.dst[i]!]!, stream.t[i]!]);
}

function importError(text: string | Uint8Array, options?: ImportOptions): ImportError {
  try {
    importEventStream(text, options);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('delimiters', () => {
  const expected: [string, string, number][] = [['1', '2', 10], ['2', '3', 20], ['3', '1', 30]];
  it('comma', () => {
    const r = imp('1,2,10\n2,3,20\n3,1,30\n');
    expect(r.report.delimiter).toBe(',');
    expect(rawEvents('1,2,10\n2,3,20\n3,1,30\n')).toEqual(expected);
  });
  it('tab', () => {
    expect(imp('1\t2\t10\n2\t3\t20\n3\t1\t30').report.delimiter).toBe('\t');
    expect(rawEvents('1\t2\t10\n2\t3\t20\n3\t1\t30')).toEqual(expected);
  });
  it('semicolon', () => {
    expect(imp('1;2;10\n2;3;20\n3;1;30\n').report.delimiter).toBe(';');
    expect(rawEvents('1;2;10\n2;3;20\n3;1;30\n')).toEqual(expected);
  });
  it('whitespace: runs of spaces and tabs, leading and trailing blanks', () => {
    const text = '1 2 10\n  2   3\t20  \n3 1 30';
    expect(imp(text).report.delimiter).toBe('whitespace');
    expect(rawEvents(text)).toEqual(expected);
  });
  it('spaces around comma-separated fields are trimmed', () => {
    expect(rawEvents('1, 2, 10\n2 ,3 , 20\n3,1,30 \n')).toEqual(expected);
  });
  it('explicit delimiter overrides detection', () => {
    const r = imp('a b,c d,1\ne f,g h,2\n', { delimiter: ',' });
    expect(r.report.delimiter).toBe(',');
    expect(r.stream.rawNodeIds).toEqual(['a b', 'c d', 'e f', 'g h']);
  });
});

describe('header, BOM, line endings, comments', () => {
  it('detects a header by name and by text-over-numbers', () => {
    const r = imp('source,target,time\n1,2,5\n2,1,6\n');
    expect(r.report.header).toBe(true);
    expect(r.report.headerNames).toEqual(['source', 'target', 'time']);
    expect(r.report.rowsRead).toBe(2);
    expect(r.stream.sourceLine).toEqual(Int32Array.from([2, 3]));
    const r2 = imp('from_node,to_node,when\n1,2,5\n2,1,6\n');
    expect(r2.report.header).toBe(true);
  });
  it('no header when the first row is data', () => {
    const r = imp('1,2,5\n2,1,6\n');
    expect(r.report.header).toBe(false);
    expect(r.report.headerNames).toBeNull();
    expect(r.stream.numEvents).toBe(2);
  });
  it('string ids in the first row are not a header', () => {
    const r = imp('alice,bob,1\ncarol,alice,2\n');
    expect(r.report.header).toBe(false);
    expect(r.stream.numEvents).toBe(2);
  });
  it('header can be forced on and off', () => {
    expect(imp('1,2,5\n2,1,6\n3,1,7\n', { header: true }).stream.numEvents).toBe(2);
    const r = imp('src,dst,t\n1,2,5\n2,1,6\n3,1,7\n', { header: false });
    expect(r.stream.numEvents).toBe(3);
    expect(r.report.rowsDropped).toBe(1);
    expect(r.report.issues.map(formatIssue)).toEqual(["line 1, column 3: time 't' is not a number; fix or delete the row"]);
  });
  it('UTF-8 BOM and CRLF', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('src,dst,t\r\n1,2,5\r\n2,1,6\r\n')]);
    const { stream, report } = importEventStream(bytes);
    expect(report.header).toBe(true);
    expect(report.headerNames).toEqual(['src', 'dst', 't']);
    expect(Array.from(stream.t)).toEqual([5, 6]);
    expect(stream.rawNodeIds).toEqual(['1', '2']);
    expect(Array.from(stream.sourceLine)).toEqual([2, 3]);
    expect(report.bytes).toBe(bytes.length);
  });
  it('lone CR line endings and trailing blanks after the last field', () => {
    expect(rawEvents('1,2,10\r2,3,11\r3,1,12')).toEqual([['1', '2', 10], ['2', '3', 11], ['3', '1', 12]]);
    const r = imp('1 2 10   \n2 3 11\t');
    expect(r.report.delimiter).toBe('whitespace');
    expect(Array.from(r.stream.t)).toEqual([10, 11]);
  });
  it('comments (# and %) are counted, blank lines skipped silently, line numbers stay physical', () => {
    const text = '# a comment\n% another\n\n1 2 5\n   \n# mid\n2 1 6\n\n';
    const r = imp(text);
    expect(r.report.commentLines).toBe(3);
    expect(r.report.rowsRead).toBe(2);
    expect(r.report.issues).toEqual([]);
    expect(Array.from(r.stream.sourceLine)).toEqual([4, 7]);
  });
  it('quoted fields with delimiters and "" escapes', () => {
    const text = 'src,dst,t\n"Smith, J.","O""Neil",1\n"O""Neil",x,"2"\n';
    const r = imp(text);
    expect(r.stream.rawNodeIds).toEqual(['Smith, J.', 'O"Neil', 'x']);
    expect(Array.from(r.stream.src)).toEqual([0, 1]);
    expect(Array.from(r.stream.dst)).toEqual([1, 2]);
    expect(Array.from(r.stream.t)).toEqual([1, 2]);
  });
  it('a quoted field may span lines; later line numbers stay physical', () => {
    const r = imp('"a\nb",c,1\nd,e,2\nf,g,3\n', { header: false });
    expect(r.stream.rawNodeIds[0]).toBe('a\nb');
    expect(Array.from(r.stream.sourceLine)).toEqual([1, 3, 4]);
  });
  it('a quoted id spanning lines is read, with a warning naming the line it opens on', () => {
    const r = imp('"a\nb",c,1\nd,e,2\nf,g,3\n', { header: false });
    expect(r.report.issues).toEqual([{
      severity: 'warning', line: 1, column: null,
      message: '1 quoted value spans lines (the first opens here) and was read as one value; if a quote was not meant to be there, delete it',
    }]);
  });
  it('a stray quote that never closes drops its own line only, not the rest of the file', () => {
    // CollegeMsg-style whitespace file with a '"' at the start of line 4
    const lines = Array.from({ length: 12 }, (_, i) => `${i % 3 + 1} ${(i + 1) % 3 + 1} ${100 + i}`);
    lines[3] = `"${lines[3]}`;
    const r = imp(lines.join('\n') + '\n', { header: false });
    expect(r.stream.numEvents).toBe(11);
    expect(r.report.rowsRead).toBe(12);
    expect(r.report.rowsDropped).toBe(1);
    expect(Array.from(r.stream.sourceLine)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.report.issues.map(formatIssue)).toEqual([
      'line 4, column 1: the quote opened in the source id is never closed (the rest of the file would be one value); close the quote or delete it',
    ]);
  });
  it('a quoted time closed lines later is an error for the line it opens on; the lines between are rows of their own', () => {
    const text = 'src,dst,t\na,b,"1\nc,d,2\ne,f,3"\ng,h,4\n';
    const r = imp(text);
    expect(r.report.rowsDropped).toBe(2);
    expect(r.report.issues.map(formatIssue)).toEqual([
      'line 2, column 3: the quote opened in the time closes only on line 4, so lines 2–4 would be one value; close the quote on this line or delete it',
      // the closing quote, read as a row of its own, is text after a number
      "line 4, column 3: time '3\"' is not a number; fix or delete the row",
    ]);
    expect(Array.from(r.stream.sourceLine)).toEqual([3, 5]);
    expect(r.stream.rawNodeIds).toEqual(['c', 'd', 'g', 'h']);
  });
});

describe('dates, decimal commas, mixed delimiters', () => {
  it('ISO-8601 dates and date-times in the time column become seconds since 1970 UTC; offsets are honoured and a missing one is said', () => {
    const text = 'src,dst,t\na,b,2021-01-01T12:00:00Z\nb,c,2021-01-01T14:00:00+02:00\nc,a,2021-01-02\na,c,2021-01-02 00:00:30.5\n';
    const r = imp(text);
    expect(Array.from(r.stream.t)).toEqual([1609502400, 1609502400, 1609545600, 1609545630.5]);
    expect(r.report.issues.map(formatIssue)).toEqual([
      'line 4, column 3: times are ISO-8601 dates, read as seconds since 1970-01-01 00:00 UTC; 2 of them name no UTC offset (the first here) and were taken as UTC',
    ]);
  });
  it('a date column is found without a header, and a bad date names the form expected', () => {
    const r = imp('1 2 2021-03-01\n2 3 2021-03-02\n3 1 2021-02-30\n1 3 2021-03-04\n');
    expect(Array.from(r.stream.t)).toEqual([1614556800, 1614643200, 1614816000]);
    expect(r.report.timeColumnReason).toBe('column 3 holds ISO-8601 dates');
    expect(r.report.issues.map(formatIssue)).toContain(
      "line 3, column 3: time '2021-02-30' is not a date like 2021-01-31 or 2021-01-31T12:00:00Z; fix or delete the row",
    );
  });
  it("decimal commas are read where the delimiter is ';', with a warning counting them", () => {
    const r = imp('src;dst;t;w\n1;2;10;0,5\n2;3;20;1,25\n3;1;30;-2\n');
    expect(Array.from(r.stream.edgeFeatures)).toEqual([0.5, 1.25, -2]);
    expect(r.report.issues.map(formatIssue)).toEqual([
      "line 2: 2 numbers with a decimal comma (such as 3,5) were read as decimals (3.5), as usual in ';'-separated files",
    ]);
    // in a comma file a comma is the delimiter: '0,5' is two fields
    const comma = imp('src,dst,t,w\n1,2,0,5\n2,3,1,5\n');
    expect(Array.from(comma.stream.edgeFeatures)).toEqual([5, 5]);
    expect(comma.report.issues).toEqual([]);
  });
  it('SNAP whitespace files mixing tabs and spaces are read as whitespace', () => {
    expect(rawEvents('1\t2 100\n2\t3 200\n3\t1 300\n1\t3 400\n')).toEqual([['1', '2', 100], ['2', '3', 200], ['3', '1', 300], ['1', '3', 400]]);
    expect(imp('# c\n1 2\t100\n2 3\t200\n3 1\t300\n').report.delimiter).toBe('whitespace');
  });
  it('a file mixing comma rows and tab rows is refused with both named, not blamed on whitespace', () => {
    const e = importError('src,dst,t\n1,2,100\n2\t3\t200\n3,1,300\n1\t3\t400\n2,1,500\n3\t2\t600\n');
    expect(e.message).toBe(
      'the lines use different delimiters: 3 of 6 sampled lines are comma-separated (first: line 2) and 3 are tab-separated (first: line 3); ' +
        'use one delimiter throughout the file (for example replace the tabs with commas), then import again',
    );
  });
  it('a header asked for where the first line looks like an event: read as asked, with a warning', () => {
    const r = imp('1,2,3\n2,3,4\n3,1,5\n', { header: true });
    expect(r.stream.numEvents).toBe(2);
    expect(r.report.issues.map(formatIssue)).toEqual([
      'line 1: the first line (1,2,3) is read as the header, as asked, though it looks like an event; if it is one, read the file without a header',
    ]);
    expect(imp('src,dst,t\n2,3,4\n3,1,5\n', { header: true }).report.issues).toEqual([]);
  });
  it('a role named twice in the header is a warning saying what the second column became', () => {
    const r = imp('src,dst,t,t,w\n1,2,3,3,1\n2,3,4,4,2\n');
    expect(r.report.columnNames).toEqual(['src', 'dst', 't', 'feat', 'feat']);
    expect(r.report.issues.map(formatIssue)).toEqual([
      "line 1, column 4: the header names a time column twice (columns 3 and 4); column 4 ('t') was read as an edge feature; rename it, or say which column is which",
    ]);
  });
  it('one tab row in a comma file is dropped with a message that names the tab', () => {
    const lines = ['src,dst,t', ...Array.from({ length: 10 }, (_, i) => `${i},${i + 1},${i * 10}`), '10\t11\t100'];
    const r = imp(lines.join('\n') + '\n');
    expect(r.stream.numEvents).toBe(10);
    expect(r.report.issues.map(formatIssue)).toEqual([
      'line 12, column 2: the row has 1 field, expected 3 (src,dst,t), but it is tab-separated while the file is comma-separated; use one delimiter throughout, or fix or delete the row',
    ]);
  });
});

describe('node ids', () => {
  it('compacts string and numeric ids in order of first appearance; raw ids kept', () => {
    const { stream } = imp('b,a,1\nc,b,2\n10,a,3\n007,10,4\n');
    expect(stream.rawNodeIds).toEqual(['b', 'a', 'c', '10', '007']);
    expect(Array.from(stream.src)).toEqual([0, 2, 3, 4]);
    expect(Array.from(stream.dst)).toEqual([1, 0, 1, 3]);
    expect(stream.numNodes).toBe(5);
  });
  it('quoted "7" and bare 7 are the same node; large ids use the map path', () => {
    const { stream } = imp('7,"7",1\n9007199254,7,2\n9007199254,12345678901234567890,3\n');
    expect(stream.rawNodeIds).toEqual(['7', '9007199254', '12345678901234567890']);
    expect(Array.from(stream.src)).toEqual([0, 1, 1]);
    expect(Array.from(stream.dst)).toEqual([0, 0, 2]);
  });
});

describe('time column and mapping', () => {
  it('by header name (case-insensitive), other numeric columns become features', () => {
    const r = imp('Timestamp,From,To,weight\n100,1,2,0.5\n200,2,1,1.5\n');
    expect(r.report.mapping).toEqual({ src: 1, dst: 2, t: 0, features: [3], label: null });
    expect(r.report.columnNames).toEqual(['t', 'src', 'dst', 'feat']);
    expect(r.report.timeColumnReason).toBe("header name 'Timestamp'");
    expect(Array.from(r.stream.edgeFeatures)).toEqual([0.5, 1.5]);
    expect(r.stream.edgeFeatureDim).toBe(1);
  });
  it('label / state_label column becomes labels', () => {
    const r = imp('src,dst,ts,state_label,f1,f2\n1,2,1,0,0.25,2\n2,3,2,1,0.5,4\n');
    expect(r.report.mapping).toEqual({ src: 0, dst: 1, t: 2, features: [4, 5], label: 3 });
    expect(Array.from(r.stream.labels!)).toEqual([0, 1]);
    expect(Array.from(r.stream.edgeFeatures)).toEqual([0.25, 2, 0.5, 4]);
  });
  it('without header: the non-decreasing unix-time column wins over small-integer columns', () => {
    const text = '6,2,4,1289241912\n6,5,2,1289241942\n1,15,1,1289243140\n4,3,-10,1289245000\n';
    const r = imp(text);
    expect(r.report.mapping).toEqual({ src: 0, dst: 1, t: 3, features: [2], label: null });
    expect(r.report.timeColumnReason).toMatch(/^column 4 is non-decreasing and looks like unix time/);
    expect(Array.from(r.stream.edgeFeatures)).toEqual([4, 2, 1, -10]);
  });
  it('without header: the last non-decreasing column when nothing looks like unix time', () => {
    const r = imp('0,1,0\n1,2,1\n2,3,5\n');
    expect(r.report.mapping.t).toBe(2);
    expect(r.report.timeColumnReason).toBe('column 3 is non-decreasing (the last such column)');
  });
  it('without header: time may come first', () => {
    const r = imp('1082040961 5 3\n1082040970 3 5\n1082040999 5 4\n');
    expect(r.report.columnNames).toEqual(['t', 'src', 'dst']);
    expect(r.stream.rawNodeIds).toEqual(['5', '3', '4']);
  });
  it('explicit columns mapping, with aliases and skip', () => {
    const r = imp('9,1,2,0.5,100\n9,2,3,0.25,50\n', { columns: 'idx,u,i,feat,timestamp' });
    expect(r.report.mapping).toEqual({ src: 1, dst: 2, t: 4, features: [3], label: null });
    expect(r.report.columnNames).toEqual(['skip', 'src', 'dst', 'feat', 't']);
    expect(r.report.timeColumnReason).toBe('explicit columns option (column 5)');
    expect(Array.from(r.stream.t)).toEqual([50, 100]);
    expect(r.report.sorted).toBe(false);
  });
  it('explicit columns that do not fit throw one clear ImportError', () => {
    expect(importError('1,2,3,4\n', { columns: 'src,dst,t' }).message).toBe(
      "columns 'src,dst,t' lists 3 roles but the file has 4 columns (delimiter ','); give one role per column in file order (use skip for columns to ignore)",
    );
    expect(importError('1,2,3\n', { columns: 'src,dst,when' }).message).toMatch(/^unknown role 'when'/);
    expect(importError('1,2,3\n', { columns: 'src,src,t' }).message).toMatch(/exactly one src column, got 2/);
  });
  it('a non-numeric extra column is ignored with a warning', () => {
    const r = imp('src,dst,t,comment\n1,2,3,hello\n2,1,4,bye\n');
    expect(r.report.columnNames).toEqual(['src', 'dst', 't', 'skip']);
    expect(r.report.issues.map(formatIssue)).toEqual([
      "line 2, column 4: column 4 ('comment') is not numeric, so it cannot be an edge feature; it was ignored (pass columns to map it)",
    ]);
  });
});

describe('JODIE and DyGLib formats', () => {
  it('JODIE: users and items get separate id ranges, label and features read', () => {
    const text = 'user_id,item_id,timestamp,state_label,comma_separated_list_of_features\n' +
      '0,0,0.0,0,0.1,0.2\n1,0,36.0,0,0.3,0.4\n1,1,77.0,1,0.5,0.6\n0,1,80.0,0,0.7,0.8\n';
    const { stream, report } = imp(text);
    expect(report.format).toBe('jodie');
    expect(report.bipartite).toBe(true);
    expect(report.columnNames).toEqual(['src', 'dst', 't', 'label', 'feat', 'feat']);
    expect(stream.rawNodeIds).toEqual(['0', '1', `${ITEM_ID_PREFIX}0`, `${ITEM_ID_PREFIX}1`]);
    expect(Array.from(stream.src)).toEqual([0, 1, 1, 0]);
    expect(Array.from(stream.dst)).toEqual([2, 2, 3, 3]);
    expect(Array.from(stream.labels!)).toEqual([0, 0, 1, 0]);
    expect(stream.edgeFeatureDim).toBe(2);
    expect(Array.from(stream.edgeFeatures)).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])));
  });
  it('DyGLib/TGN ml_: index column and idx skipped, label read, u/i share one id space', () => {
    const { stream, report } = imp(',u,i,ts,label,idx\n0,4,5,0.0,0.0,1\n1,6,3,258552.0,0.0,2\n2,5,4,258600.0,1.0,3\n');
    expect(report.format).toBe('dyglib');
    expect(report.bipartite).toBe(false);
    expect(report.columnNames).toEqual(['skip', 'src', 'dst', 't', 'label', 'skip']);
    expect(stream.rawNodeIds).toEqual(['4', '5', '6', '3']);
    expect(Array.from(stream.src)).toEqual([0, 2, 1]);
    expect(Array.from(stream.dst)).toEqual([1, 3, 0]);
    expect(Array.from(stream.t)).toEqual([0, 258552, 258600]);
    expect(Array.from(stream.labels!)).toEqual([0, 0, 1]);
  });
});

describe('sorting', () => {
  it('unsorted input is sorted stably with a warning; ties keep file order; sourceLine follows', () => {
    const text = 'a,b,5\nc,d,3\ne,f,5\ng,h,3\ni,j,1\n';
    const { stream, report } = imp(text);
    expect(report.sorted).toBe(false);
    expect(Array.from(stream.t)).toEqual([1, 3, 3, 5, 5]);
    expect(Array.from(stream.sourceLine)).toEqual([5, 2, 4, 1, 3]);
    expect(Array.from(stream.src, (s) => stream.rawNodeIds[s])).toEqual(['i', 'c', 'g', 'a', 'e']);
    // ids are compacted in file order, before sorting
    expect(stream.rawNodeIds.slice(0, 4)).toEqual(['a', 'b', 'c', 'd']);
    expect(report.timeColumnReason).toBe('guessed: column 3 is the last numeric column (no column is sorted or looks like unix time)');
    expect(report.issues.map(formatIssue)).toEqual([
      "line 1, column 3: time column guessed as column 3; if wrong, pass columns (e.g. 'src,dst,t')",
      'line 2, column 3: times are not in ascending order (first decrease here: 3 after 5); events were sorted stably by time (ties keep file order)',
    ]);
  });
  it('features and labels move with their events', () => {
    const { stream } = imp('src,dst,t,label,w\n1,2,9,1,0.5\n2,1,4,0,0.25\n');
    expect(Array.from(stream.t)).toEqual([4, 9]);
    expect(Array.from(stream.labels!)).toEqual([0, 1]);
    expect(Array.from(stream.edgeFeatures)).toEqual([0.25, 0.5]);
  });
});

describe('bad rows', () => {
  const good = '1,2,10\n2,3,11\n3,4,12\n4,5,13\n5,6,14\n6,7,15\n';
  it('each problem names line, column and what to do; the row is dropped', () => {
    const text = good + '1,2,abc\n1,2\n1,,16\n1,2,inf\n1,2,17,9\n1,2,\n' + '7,8,20\n';
    const { stream, report } = imp(text, { columns: 'src,dst,t' });
    expect(report.rowsRead).toBe(13);
    expect(report.rowsDropped).toBe(6);
    expect(stream.numEvents).toBe(7);
    expect(report.issues.every((i) => i.severity === 'error')).toBe(true);
    expect(report.issues.map(formatIssue)).toEqual([
      "line 7, column 3: time 'abc' is not a number; fix or delete the row",
      'line 8, column 3: missing field: the row has 2 fields, expected 3 (src,dst,t); fix or delete the row',
      'line 9, column 2: destination id is empty; fill it in or delete the row',
      "line 10, column 3: time 'inf' is not finite; fix or delete the row",
      'line 11, column 4: the row has 4 fields, expected 3 (src,dst,t); remove the extra fields or quote values that contain the delimiter',
      'line 12, column 3: time is empty; fill it in or delete the row',
    ]);
    expect(Array.from(stream.sourceLine)).toEqual([1, 2, 3, 4, 5, 6, 13]);
  });
  it('a non-numeric feature drops the row', () => {
    const { report } = imp('src,dst,t,w\n1,2,1,0.5\n1,2,2,x\n1,2,3,1\n');
    expect(report.issues.map(formatIssue)).toEqual(["line 3, column 4: feature 'x' is not a number; fix or delete the row"]);
  });
  it('issues are capped with a final count', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i},${i + 1},${i}`);
    for (let i = 0; i < 120; i++) rows[i * 2 + 1] = `${i},${i + 1},bad`;
    const { report } = imp(rows.join('\n'), { columns: 'src,dst,t' });
    expect(report.rowsDropped).toBe(120);
    expect(report.issues).toHaveLength(101);
    expect(report.issues[100]).toEqual({
      severity: 'warning', line: 202, column: null,
      message: '20 more issues not shown (from this line on); fix the rows above and import again to see them',
    });
  });
});

describe('fatal input throws one ImportError', () => {
  it('empty, blank or comment-only files', () => {
    expect(importError('').message).toBe('the file is empty; expected rows like src,dst,t');
    expect(importError('\n\r\n  \n').message).toBe('the file is empty; expected rows like src,dst,t');
    expect(importError('# only\n% comments\n').message).toMatch(/^the file has only comment lines/);
  });
  it('binary, gzip and UTF-16 files', () => {
    expect(importError(new Uint8Array([1, 2, 0, 4, 5])).message).toMatch(/^the file looks binary \(NUL byte at offset 2\)/);
    expect(importError(new Uint8Array([0x1f, 0x8b, 8, 0])).message).toMatch(/gzip-compressed/);
  });
  it('UTF-16 with or without a byte-order mark is read, with a warning saying which', () => {
    const text = 'src,dst,t\n1,2,3\n2,3,4\n';
    const le = new Uint8Array(text.length * 2);
    const be = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      le[2 * i] = text.charCodeAt(i);
      be[2 * i + 1] = text.charCodeAt(i);
    }
    const withBom = new Uint8Array([0xff, 0xfe, ...le]);
    for (const [bytes, words] of [[le, 'little-endian, without'], [be, 'big-endian, without'], [withBom, 'little-endian, with']] as const) {
      const r = imp(bytes);
      expect(rawEvents(bytes)).toEqual([['1', '2', 3], ['2', '3', 4]]);
      expect(r.report.issues.map(formatIssue)).toEqual([
        `line 1: the file is UTF-16 text (${words} a byte-order mark); it was read as such (saving it as UTF-8 makes it half the size)`,
      ]);
    }
  });
  it('JSON is named as JSON, not read as a header without rows', () => {
    for (const text of ['[{"src":1,"dst":2,"t":3}]', '  {"events": []}', '[\n  [1, 2, 3]\n]']) {
      expect(importError(text).message).toMatch(/^the file looks like JSON; the importer reads delimited text with one event per line/);
    }
    // a bracketed id in a CSV is not JSON
    expect(rawEvents('[a],b,1\n[c],d,2\n')).toEqual([['[a]', 'b', 1], ['[c]', 'd', 2]]);
  });
  it('more than half of the rows bad', () => {
    const e = importError('1,2,3\n1,2,x\n1,2,y\n', { columns: 'src,dst,t' });
    expect(e.message).toBe(
      "2 of 3 data rows are bad (first: line 2, column 3: time 'x' is not a number; fix or delete the row); " +
        "read with delimiter ',', columns src,dst,t",
    );
    // no other delimiter splits these lines into 3 columns
    expect(e.fix).toEqual({ kind: 'layout', tried: ',', detected: true, suggested: null });
    expect(e.issues).toHaveLength(2);
    expect(e.name).toBe('ImportError');
  });
  it('a ragged comma file (unquoted commas in a note) is read as whitespace and names comma as the fix', () => {
    // whitespace splits most lines in 2 ("0,7,100,good" "trade"); comma splits every line into 4 or 5
    const text = 'src,dst,t,note\n0,7,100,late, but fine\n1,8,101,good trade\n2,9,102,ok thanks\n3,7,103,good trade\n';
    const e = importError(text);
    expect(e.message).toBe('found only 2 columns with delimiter whitespace (detected); an event needs at least src, dst and t columns');
    expect(e.fix).toEqual({ kind: 'delimiter', tried: 'whitespace', detected: true, suggested: ',' });
    // asked for comma, it imports (the line with an extra field is dropped)
    const { stream, report } = importEventStream(text, { delimiter: ',' });
    expect(stream.numEvents).toBe(3);
    expect(report.rowsDropped).toBe(1);
    // asked for tab, it names what was chosen
    const tab = importError(text, { delimiter: '\t' });
    expect(tab.message).toBe("found only 1 column with delimiter tab (as chosen); an event needs at least src, dst and t columns");
    expect(tab.fix).toEqual({ kind: 'delimiter', tried: '\t', detected: false, suggested: ',' });
  });
  it('too few columns, or only a header', () => {
    const two = importError('1,2\n3,4\n');
    expect(two.message).toBe("found only 2 columns with delimiter ',' (detected); an event needs at least src, dst and t columns");
    expect(two.fix).toEqual({ kind: 'delimiter', tried: ',', detected: true, suggested: null });
    expect(importError('src,dst,t\n').message).toMatch(/header line but no data rows/);
  });
});

describe('number parsing and progress', () => {
  it('parseNumberBytes: plain decimals, exponents, signs; NaN for anything else', () => {
    const p = (s: string): number => parseNumberBytes(enc.encode(s), 0, enc.encode(s).length);
    expect(p('12')).toBe(12);
    expect(p(' -3.25 ')).toBe(-3.25);
    expect(p('+.5')).toBe(0.5);
    expect(p('5.')).toBe(5);
    expect(p('1e3')).toBe(1000);
    expect(p('2.5E-3')).toBe(0.0025);
    expect(p('0.1')).toBe(0.1);
    expect(p('1234567890123456789')).toBe(1234567890123456789);
    expect(p('1e400')).toBe(Infinity);
    for (const bad of ['', ' ', '-', '.', 'e5', '1e', '0x10', 'inf', 'NaN', '1.2.3', '12a']) expect(p(bad)).toBeNaN();
  });
  it('onProgress is called at most ~100 times, increasing, ending at 1', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${i % 50},${(i + 1) % 50},${i}`).join('\n');
    const seen: number[] = [];
    importEventStream(text, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.length).toBeLessThanOrEqual(101);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);
    expect(seen[seen.length - 1]).toBe(1);
  });
});

const collegeMsg = sharedDataset('collegemsg/CollegeMsg.txt');
const bitcoinOtc = sharedDataset('bitcoin-otc/soc-sign-bitcoinotc.csv');
const uciDyglib = sharedDataset('collegemsg/ml_UCI-Msg.csv');

function readDataset(path: string | null): Uint8Array {
  if (path === null) throw new Error('unreachable: the test is skipped when its dataset is missing');
  return new Uint8Array(readFileSync(path));
}

describe('real files', () => {
  it.skipIf(!collegeMsg)('CollegeMsg.txt: whitespace, no header, time = column 3', () => {
    const { stream, report } = importEventStream(readDataset(collegeMsg));
    assertEventStream(stream);
    expect(stream.numEvents).toBe(59835);
    expect(stream.numNodes).toBe(1899);
    expect(stream.edgeFeatureDim).toBe(0);
    expect(stream.labels).toBeNull();
    expect(report).toMatchObject({ delimiter: 'whitespace', header: false, format: 'plain', sorted: true, rowsDropped: 0 });
    expect(report.mapping.t).toBe(2);
    expect(report.issues).toEqual([]);
    const raw = (i: number): [string, string, number] => [stream.rawNodeIds[stream.src[i]!]!, stream.rawNodeIds[stream.dst[i]!]!, stream.t[i]!];
    expect(raw(0)).toEqual(['1', '2', 1082040961]);
    expect(raw(59834)).toEqual(['1878', '1624', 1098777142]);
    expect(stream.sourceLine[59834]).toBe(59835);
  });
  it.skipIf(!bitcoinOtc)('soc-sign-bitcoinotc.csv: time detected as the 4th column, rating is the 1-d feature', () => {
    const { stream, report } = importEventStream(readDataset(bitcoinOtc));
    assertEventStream(stream);
    expect(stream.numEvents).toBe(35592);
    expect(stream.numNodes).toBe(5881);
    expect(report.mapping).toEqual({ src: 0, dst: 1, t: 3, features: [2], label: null });
    expect(stream.edgeFeatureDim).toBe(1);
    expect(report.header).toBe(false);
    expect(report.sorted).toBe(true);
    expect([stream.rawNodeIds[stream.src[0]!], stream.rawNodeIds[stream.dst[0]!], stream.edgeFeatures[0], stream.t[0]]).toEqual(['6', '2', 4, 1289241912]);
    const last = stream.numEvents - 1;
    expect([stream.rawNodeIds[stream.src[last]!], stream.rawNodeIds[stream.dst[last]!], stream.edgeFeatures[last], stream.t[last]]).toEqual(['1128', '13', 2, 1453684324]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of stream.edgeFeatures) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([-10, 10]);
  });
  it.skipIf(!uciDyglib)('ml_UCI-Msg.csv: DyGLib/TGN format', () => {
    const { stream, report } = importEventStream(readDataset(uciDyglib));
    assertEventStream(stream);
    expect(stream.numEvents).toBe(59834);
    expect(stream.numNodes).toBe(1899);
    expect(report.format).toBe('dyglib');
    expect(report.mapping).toEqual({ src: 1, dst: 2, t: 3, features: [], label: 4 });
    expect(stream.labels!.every((l) => l === 0)).toBe(true);
    expect([stream.rawNodeIds[stream.src[0]!], stream.rawNodeIds[stream.dst[0]!], stream.t[0]]).toEqual(['4', '5', 0]);
    const last = stream.numEvents - 1;
    expect([stream.rawNodeIds[stream.src[last]!], stream.rawNodeIds[stream.dst[last]!], stream.t[last]]).toEqual(['1879', '1625', 16621303]);
    expect(stream.sourceLine[0]).toBe(2);
  });
  it.skipIf(!bitcoinOtc)('string input gives the same stream as bytes', () => {
    const bytes = readDataset(bitcoinOtc);
    const a = importEventStream(bytes).stream;
    const b = importEventStream(new TextDecoder().decode(bytes)).stream;
    // element loops: deep equality on 35k-element typed arrays is slow in vitest
    const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i]);
    expect(same(b.src, a.src) && same(b.dst, a.dst) && same(b.t, a.t) && same(b.edgeFeatures, a.edgeFeatures)).toBe(true);
    expect(b.rawNodeIds).toEqual(a.rawNodeIds);
  });
});

describe('reading in chunks', () => {
  /** `rows` lines of plain events before the tricky part, so the tricky part lies beyond the 256 KB the importer detects on */
  function prefix(rows: number, line: (i: number) => string): string {
    return Array.from({ length: rows }, (_, i) => line(i) + '\n').join('');
  }
  function chunked(bytes: Uint8Array, size: number, options: ImportOptions = {}, known = true) {
    const progress: number[] = [];
    const importer = new EventStreamImporter({ ...options, onProgress: (f) => progress.push(f) }, known ? bytes.length : undefined);
    for (let i = 0; i < bytes.length; i += size) importer.push(bytes.subarray(i, i + size));
    const r = importer.finish();
    return { ...r, progress };
  }
  function whole(bytes: Uint8Array, options: ImportOptions = {}) {
    const progress: number[] = [];
    const r = importEventStream(bytes, { ...options, onProgress: (f) => progress.push(f) });
    return { ...r, progress };
  }
  function plain(r: ReturnType<typeof whole>) {
    const s = r.stream;
    return {
      src: Array.from(s.src), dst: Array.from(s.dst), t: Array.from(s.t), line: Array.from(s.sourceLine),
      feat: Array.from(s.edgeFeatures), labels: s.labels ? Array.from(s.labels) : null, ids: s.rawNodeIds, d: s.edgeFeatureDim,
      report: { ...r.report, parseMs: 0 },
    };
  }
  function errorOf(f: () => unknown): ImportError {
    try {
      f();
    } catch (e) {
      if (e instanceof ImportError) return e;
      throw e;
    }
    throw new Error('expected an ImportError');
  }

  // each: a text whose rows past 256 KB hold what a chunk boundary can split
  const cases: [string, string, ImportOptions?][] = [
    ['comma with header: CRLF, lone CR, blanks, comments, quoted ids (one spanning lines), bad rows, unsorted, an unclosed quote last',
      'src,dst,t\n' + prefix(26000, (i) => `${i % 97},${(i * 7) % 89},${1000 + i}`) +
      '1,2,30000\r\n3,4,30001\r\n\r\n   \n# a comment\n% another\n5,6,30002\r7,8,30003\r\n' +
      '"a,b","c ""q""",30004\n"multi\nline id",x,30005\n"spans",y,"30006\nfoo"\n9,,30007\n10,11\n12,13,14,15\n16,17,abc\n' +
      '18,19,1.5e4\n20,21,12345678901234567890\n"q"x,22,30008\n  23 , 24 , 30009 \n25,26,30010\n27,"never closed,30011\n28,29,30012\n30,31,30013'],
    ["semicolon with decimal commas and a feature", 'src;dst;w;t\n' + prefix(20000, (i) => `${i % 50};${i % 51};${i % 3},5;${i}`) +
      '1;2;3,25;20000\n4;5;"6,5";20001\n7;8;x;20002\n9;10;1,5;20003\n'],
    ['ISO dates', 'src,dst,when\n' + prefix(9000, (i) => `${i % 40},${i % 41},2021-01-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z`) +
      '1,2,2021-02-01\n3,4,2021-02-01T10:00:00+02:00\n5,6,not a date\n7,8,"2021-02-02T00:00:00Z"\n'],
    ['whitespace mixing tabs and spaces, no header', prefix(30000, (i) => `${i % 60}\t${i % 61} ${i}`) + '1 2\t30000\n  3   4   30001  \n5 6\n7\t8\t30002\n'],
    ['JODIE with labels and a feature', 'user_id,item_id,timestamp,state_label,f\n' + prefix(16000, (i) => `${i % 30},${i % 20},${i},${i % 2},0.${i % 10}`) + '1,2,16000,1,0.5\n3,x,16001,0,1\n'],
    ['a UTF-8 byte-order mark and a short file', '\ufeffsrc,dst,t\n1,2,3\n"4\n",5,6\n7,8,9'],
  ];
  for (const [name, text, options] of cases) {
    it(`the same stream, report and progress for chunks of 1, 7, 64 and 65,536 bytes as in one piece: ${name}`, () => {
      const bytes = enc.encode(text);
      const expected = plain(whole(bytes, options));
      for (const size of [1, 7, 64, 65536, bytes.length]) {
        const got = plain(chunked(bytes, size, options));
        expect(got, `chunks of ${size}`).toEqual(expected);
      }
      // without the length up front: the same events and issues (the arrays grow instead)
      const unknown = plain(chunked(bytes, 4093, options, false));
      expect({ ...unknown, report: { ...unknown.report } }).toEqual(expected);
    });
  }

  it('the comma case reads what it should around the boundary rows', () => {
    const r = whole(enc.encode(cases[0]![1]));
    const lines = r.report.issues.map(formatIssue);
    expect(lines.some((l) => /quoted value spans lines/.test(l))).toBe(true);
    expect(lines.filter((l) => /missing field|extra|is empty|is not a number|text after the closing quote/.test(l)).length).toBeGreaterThanOrEqual(5);
    expect(lines.some((l) => /closes only on line/.test(l))).toBe(true);
    expect(lines.some((l) => /is never closed/.test(l))).toBe(true);
    expect(r.stream.rawNodeIds).toContain('multi\nline id');
    expect(r.stream.rawNodeIds).toContain('c "q"');
  });

  it('UTF-16 read in chunks gives what it gives in one piece', () => {
    const text = 'src,dst,t\n' + prefix(3000, (i) => `${i % 9},${i % 7},${i}`);
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16[2 + 2 * i] = text.charCodeAt(i);
    const expected = plain(whole(utf16));
    expect(expected.report.issues.map((i) => i.message)[0]).toMatch(/UTF-16/);
    for (const size of [1, 7, 4096]) expect(plain(chunked(utf16, size))).toEqual(expected);
  });

  it('a line of more than 1 MB where detection samples is refused, naming its line', () => {
    const text = 'src,dst,t\n1,2,3\n' + ','.repeat(1.2 * (1 << 20)) + '\n4,5,6\n';
    for (const read of [() => importEventStream(text), () => chunked(enc.encode(text), 1 << 16)]) {
      const e = errorOf(read);
      expect(e.message).toBe('line 3 is longer than 1 MB without a line break; an event file has one short event per line (such as src,dst,t); check that this is the right file, or fix or delete the line');
      expect(e.issues).toEqual([{ severity: 'error', line: 3, column: null, message: 'the line is longer than 1 MB without a line break' }]);
    }
  });

  it('read in chunks, a row that does not end within 16 MB is dropped naming its line, and reading goes on after it', () => {
    const head = 'src,dst,t\n' + prefix(30000, (i) => `${i % 9},${i % 7},${i}`);
    // checked as chunks come in: more than 16 MB and one chunk
    const long = '1,2,' + '7'.repeat(25 << 20) + '\n';
    const quote = '3,"4,30001\n' + prefix(2 << 20, (i) => `5,6,${40000 + i}`);
    const r = chunked(enc.encode(head + long + '8,9,30000\n' + quote), 8 << 20);
    expect(r.report.issues.map(formatIssue)).toEqual([
      'line 30002: the line is longer than 16 MB without a line break; an event file has one short event per line (such as src,dst,t); fix or delete the line',
      'line 30004, column 2: the quote opened in the destination id is not closed within 16 MB (the rest of the file would be one value); close the quote or delete it',
    ]);
    expect(r.stream.numEvents).toBe(30000 + 1 + (2 << 20));
    expect(r.report.rowsRead).toBe(30000 + 3 + (2 << 20));
    expect(r.stream.sourceLine[30000]).toBe(30003);
    expect(r.stream.t[r.stream.numEvents - 1]).toBe(40000 + (2 << 20) - 1);
  });
});
