// Delimited-text importer: CSV / TSV / whitespace (SNAP), JODIE and DyGLib/TGN ml_ files → EventStream.
// Detection runs on a small sample (importDetect.ts); the whole file is then scanned byte by byte into
// grow-by-doubling typed arrays, with no per-row objects and no split() on the hot path.

import type { EventStream } from './eventStream.ts';
import { CR, LF, SPACE, TAB } from './csvScan.ts';
import { DetectError, collectSample, describeDelimiter, detect, suggestDelimiter, type ImportFix } from './importDetect.ts';

export type { ImportFix } from './importDetect.ts';
import { RowScanner } from './importScan.ts';

/** 0-based column indices */
export interface ColumnMapping {
  src: number;
  dst: number;
  t: number;
  features: number[];
  label: number | null;
}

export interface ImportOptions {
  /** roles per column in file order, e.g. 'src,dst,feat,t' (src, dst, t, feat, label, skip and aliases) */
  columns?: string;
  /** ' ' is treated as 'whitespace' (runs of spaces and tabs) */
  delimiter?: ',' | '\t' | ' ' | ';' | 'whitespace';
  /** force a header present/absent; default: detect */
  header?: boolean;
  format?: 'auto' | 'plain' | 'jodie' | 'dyglib';
  /** called at most ~100 times with the fraction of bytes scanned */
  onProgress?: (fractionDone: number) => void;
}

/**
 * line and column are 1-based (column null = whole row or file). Severity 'error' = the row was dropped;
 * 'warning' = data kept, but something was detected, fixed or ignored.
 */
export interface ImportIssue {
  severity: 'error' | 'warning';
  line: number;
  column: number | null;
  message: string;
}

export interface ImportReport {
  /** ',' | '\t' | ';' | 'whitespace' */
  delimiter: string;
  header: boolean;
  headerNames: string[] | null;
  format: 'plain' | 'jodie' | 'dyglib';
  mapping: ColumnMapping;
  /** role per column for display, e.g. ['src','dst','feat','t'] */
  columnNames: string[];
  timeColumnReason: string;
  /** input already in time order */
  sorted: boolean;
  /** data rows read (header, comments and blank lines excluded), including dropped ones */
  rowsRead: number;
  rowsDropped: number;
  commentLines: number;
  /** JODIE: items got their own id range after the users, raw ids prefixed 'item:' */
  bipartite: boolean;
  /** the first MAX_ISSUES issues, then one warning counting the rest */
  issues: ImportIssue[];
  bytes: number;
  parseMs: number;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    message: string,
    readonly issues: ImportIssue[] = [],
    /** what would fix it, for the caller to say in its own terms (see ImportFix); the message leaves it out */
    readonly fix: ImportFix | null = null,
  ) {
    super(message);
  }
}

export const MAX_ISSUES = 100;
/** raw item ids of bipartite (JODIE) files get this prefix so user 1 and item 1 stay different nodes */
export const ITEM_ID_PREFIX = 'item:';

/** Parses delimited text (bytes or a string) into an EventStream and a report of what was detected and dropped. */
export function importEventStream(
  input: Uint8Array | string,
  options: ImportOptions = {},
): { stream: EventStream; report: ImportReport } {
  const t0 = performance.now();
  const raw = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const encodingIssues: ImportIssue[] = [];
  const b = fromUtf16(raw, encodingIssues);
  const len = b.length;
  let start = 0;
  if (len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
  checkLooksLikeText(b, start);
  checkNotJson(b, start);

  const sample = collectSample(b, start, 1000, 1 << 18);
  if (sample.lines.length === 0) {
    let onlyComments = false;
    for (let i = start; i < len; i++) {
      const c = b[i]!;
      if (c !== SPACE && c !== TAB && c !== CR && c !== LF) {
        onlyComments = true;
        break;
      }
    }
    throw new ImportError(
      onlyComments
        ? 'the file has only comment lines (# or %) and no events; expected rows like src,dst,t'
        : 'the file is empty; expected rows like src,dst,t',
    );
  }
  let det;
  try {
    det = detect(sample, options);
  } catch (e) {
    if (e instanceof DetectError) throw new ImportError(e.message, [], e.fix);
    throw e;
  }

  const roleNames = det.roles;
  const mapping: ColumnMapping = {
    src: roleNames.indexOf('src'),
    dst: roleNames.indexOf('dst'),
    t: roleNames.indexOf('t'),
    features: roleNames.flatMap((r, j) => (r === 'feat' ? [j] : [])),
    label: roleNames.includes('label') ? roleNames.indexOf('label') : null,
  };
  const scanner = new RowScanner({
    bytes: b, roleNames, delimiterCode: det.delimiterCode, headerLine: det.headerLine,
    initialCapacity: Math.ceil(((len - start) / sample.avgLineBytes) * 1.05) + 16,
    bipartite: det.bipartite, itemPrefix: ITEM_ID_PREFIX, maxProblems: MAX_ISSUES, onProgress: options.onProgress,
    timeIsDate: det.timeIsDate, decimalComma: det.decimalComma,
  });
  scanner.scan(start);
  const { n, d, rowsRead, rowsDropped, sorted } = scanner;
  const rowIssues: ImportIssue[] = scanner.problems.map((p) => ({ severity: 'error', line: p.line, column: p.column, message: p.message }));

  const where = `delimiter ${describeDelimiter(det.delimiter)}, columns ${roleNames.join(',')}`;
  const firstProblem = rowIssues.length > 0 ? ` (first: ${formatIssue(rowIssues[0]!)})` : '';
  const tried = det.delimiter;
  const layoutFix = (): ImportFix => ({
    kind: 'layout', tried, detected: options.delimiter === undefined, suggested: suggestDelimiter(sample.lines, tried),
  });
  if (n === 0) {
    throw new ImportError(`no events could be read: all ${rowsRead} data rows are bad${firstProblem}; read with ${where}`, rowIssues, layoutFix());
  }
  if (rowsDropped * 2 > rowsRead) {
    throw new ImportError(`${rowsDropped} of ${rowsRead} data rows are bad${firstProblem}; read with ${where}`, rowIssues, layoutFix());
  }

  const allIssues: ImportIssue[] = [...encodingIssues, ...det.issues];
  if (det.timeIsDate) {
    const k = scanner.datesWithoutOffset;
    allIssues.push({
      severity: 'warning', line: k > 0 ? scanner.firstDateWithoutOffset : (sample.lines[det.header ? 1 : 0]?.line ?? 1), column: mapping.t + 1,
      message: 'times are ISO-8601 dates, read as seconds since 1970-01-01 00:00 UTC' +
        (k > 0 ? `; ${k} of them ${k === 1 ? 'names' : 'name'} no UTC offset (the first here) and ${k === 1 ? 'was' : 'were'} taken as UTC` : ''),
    });
  }
  if (scanner.decimalCommaValues > 0) {
    allIssues.push({
      severity: 'warning', line: sample.lines[det.header ? 1 : 0]?.line ?? 1, column: null,
      message: `${scanner.decimalCommaValues} number${scanner.decimalCommaValues === 1 ? '' : 's'} with a decimal comma (such as 3,5) ${scanner.decimalCommaValues === 1 ? 'was' : 'were'} read as decimals (3.5), as usual in ';'-separated files`,
    });
  }
  if (!sorted) {
    allIssues.push({
      severity: 'warning', line: scanner.firstDecreaseLine, column: mapping.t + 1,
      message: `times are not in ascending order (first decrease here: ${scanner.firstDecreaseT} after ${scanner.firstDecreasePrev}); ` +
        `events were sorted stably by time (ties keep file order)`,
    });
  }
  if (scanner.multiLineValues > 0) {
    const k = scanner.multiLineValues;
    allIssues.push({
      severity: 'warning', line: scanner.firstMultiLine, column: null,
      message: `${k} quoted value${k === 1 ? ' spans' : 's span'} lines (the first opens here) and ${k === 1 ? 'was' : 'were'} read as one value${k === 1 ? '' : ' each'}; ` +
        'if a quote was not meant to be there, delete it',
    });
  }
  const room = Math.max(0, MAX_ISSUES - allIssues.length);
  allIssues.push(...rowIssues.slice(0, room));
  const leftOut = scanner.problemsLeftOut + Math.max(0, rowIssues.length - room);
  if (leftOut > 0) {
    const firstLine = rowIssues.length > room ? rowIssues[room]!.line : scanner.firstLeftOutLine;
    allIssues.push({
      severity: 'warning', line: firstLine, column: null,
      message: `${leftOut} more issue${leftOut === 1 ? '' : 's'} not shown (from this line on); fix the rows above and import again to see them`,
    });
  }

  let src = scanner.src.slice(0, n);
  let dst = scanner.dst.slice(0, n);
  let t = scanner.t.slice(0, n);
  let sourceLine = scanner.line.slice(0, n);
  let edgeFeatures = scanner.feat.slice(0, n * d);
  let labels: Float32Array | null = scanner.hasLabel ? scanner.label.slice(0, n) : null;
  if (!sorted) {
    const order = stableTimeOrder(t);
    src = permuteI32(src, order);
    dst = permuteI32(dst, order);
    sourceLine = permuteI32(sourceLine, order);
    t = Float64Array.from(order, (i) => t[i]!);
    if (labels !== null) {
      const l = labels;
      labels = Float32Array.from(order, (i) => l[i]!);
    }
    if (d > 0) {
      const f = new Float32Array(n * d);
      for (let i = 0; i < n; i++) f.set(edgeFeatures.subarray(order[i]! * d, order[i]! * d + d), i * d);
      edgeFeatures = f;
    }
  }
  let rawNodeIds: string[] = scanner.srcIds.raw;
  if (det.bipartite) {
    const users = rawNodeIds.length;
    for (let i = 0; i < n; i++) dst[i] = dst[i]! + users;
    rawNodeIds = rawNodeIds.concat(scanner.dstIds.raw);
  }

  options.onProgress?.(1);

  const stream: EventStream = {
    src, dst, t, edgeFeatures, edgeFeatureDim: d, labels, numEvents: n, numNodes: rawNodeIds.length,
    rawNodeIds, sourceLine,
  };
  const report: ImportReport = {
    delimiter: det.delimiter, header: det.header, headerNames: det.headerNames, format: det.format,
    mapping, columnNames: [...roleNames], timeColumnReason: det.timeColumnReason, sorted,
    rowsRead, rowsDropped, commentLines: scanner.commentLines, bipartite: det.bipartite, issues: allIssues,
    bytes: len, parseMs: performance.now() - t0,
  };
  return { stream, report };
}

/** "line N, column C: message" (or "line N: message" for a whole row). */
export function formatIssue(issue: ImportIssue): string {
  return issue.column === null
    ? `line ${issue.line}: ${issue.message}`
    : `line ${issue.line}, column ${issue.column}: ${issue.message}`;
}

function checkLooksLikeText(b: Uint8Array, start: number): void {
  const len = b.length;
  if (len >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    throw new ImportError('the file is gzip-compressed; decompress it first (e.g. gunzip) and import the text file');
  }
  if (len >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    throw new ImportError('the file is a zip archive; extract the CSV/text file from it and import that');
  }
  const end = Math.min(len, start + 65536);
  let control = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c === 0) {
      throw new ImportError(`the file looks binary (NUL byte at offset ${i}); expected delimited text such as CSV (src,dst,t per line)`);
    }
    if (c < 32 && c !== TAB && c !== LF && c !== CR && c !== 12) control++;
  }
  if (control > 8 && control * 100 > end - start) {
    throw new ImportError(`the file looks binary (${control} control bytes in the first ${end - start}); expected delimited text such as CSV`);
  }
}

/**
 * UTF-16 text (with a byte-order mark, or without one when every other byte of the start is zero, as in
 * ASCII text saved as UTF-16) re-encoded as UTF-8, with a warning saying so; other input as it is.
 */
function fromUtf16(b: Uint8Array, issues: ImportIssue[]): Uint8Array {
  let encoding: 'utf-16le' | 'utf-16be' | null = null;
  let bom = false;
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) [encoding, bom] = ['utf-16le', true];
  else if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) [encoding, bom] = ['utf-16be', true];
  else if (b.length >= 4) {
    const n = Math.min(b.length, 4096) & ~1;
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (b[i] === 0) evenZero++;
      if (b[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero >= 0.9 * pairs && evenZero === 0) encoding = 'utf-16le';
    else if (evenZero >= 0.9 * pairs && oddZero === 0) encoding = 'utf-16be';
  }
  if (encoding === null) return b;
  const text = new TextDecoder(encoding).decode(bom ? b.subarray(2) : b);
  issues.push({
    severity: 'warning', line: 1, column: null,
    message: `the file is UTF-16 text (${encoding === 'utf-16le' ? 'little' : 'big'}-endian, ${bom ? 'with' : 'without'} a byte-order mark); it was read as such (saving it as UTF-8 makes it half the size)`,
  });
  return new TextEncoder().encode(text);
}

/** JSON is not delimited text: say so instead of reading '[{"src": 1, ...' as a header. */
function checkNotJson(b: Uint8Array, start: number): void {
  let i = start;
  while (i < b.length && (b[i] === SPACE || b[i] === TAB || b[i] === CR || b[i] === LF)) i++;
  const c = b[i];
  if (c !== 0x5b && c !== 0x7b) return;
  let j = i + 1;
  while (j < b.length && (b[j] === SPACE || b[j] === TAB || b[j] === CR || b[j] === LF)) j++;
  const d = b[j];
  // '[' or '{' followed by '{', '"', '[', a digit or ']' / '}' is how JSON starts; a CSV line would not
  if (d === undefined || d === 0x7b || d === 0x22 || d === 0x5b || d === 0x5d || d === 0x7d || (c === 0x5b && d >= 0x30 && d <= 0x39)) {
    throw new ImportError(
      'the file looks like JSON; the importer reads delimited text with one event per line (CSV such as src,dst,t, TSV or ' +
        'whitespace-separated); convert it to CSV first, for example with one row per event: source id, destination id, time',
    );
  }
}

/** Indices that sort t ascending, ties in index order. */
function stableTimeOrder(t: Float64Array): Int32Array {
  const order = Int32Array.from({ length: t.length }, (_, i) => i);
  order.sort((a, c) => t[a]! - t[c]! || a - c);
  return order;
}

function permuteI32(a: Int32Array, order: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = a[order[i]!]!;
  return out;
}
