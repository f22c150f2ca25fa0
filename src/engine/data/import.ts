// Delimited-text importer: CSV / TSV / whitespace (SNAP), JODIE and DyGLib/TGN ml_ files → EventStream.
// Detection runs on a small sample of the start (importDetect.ts); the file is then scanned chunk by chunk,
// byte by byte, into typed arrays sized from its length, with no per-row objects and no split() on the hot
// path (EventStreamImporter; importEventStream for bytes or text in one piece).

import type { EventStream } from './eventStream.ts';
import { CR, LF, SPACE, TAB } from './csvScan.ts';
import { DetectError, collectSample, describeDelimiter, detect, sampleEnd, suggestDelimiter, type Detection, type ImportFix, type Sample } from './importDetect.ts';

export type { ImportFix } from './importDetect.ts';
import { RowScanner } from './importScan.ts';
import type { ColumnMapping, ImportOptions, ImportIssue, ImportReport } from '../../shared/data.ts';

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

/** bytes the CLI and the page read at a time (the importer keeps the unread end of a chunk and the next one; 4 MB: more saves nothing in time) */
export const IMPORT_CHUNK_BYTES = 4 << 20;
/** detection reads this much of the start of the file (then to the end of the line there) */
const SAMPLE_BYTES = 1 << 18;
const SAMPLE_LINES = 1000;
/** a sampled line longer than this is refused, naming it (detection would split it into fields) */
export const MAX_SAMPLE_LINE_BYTES = 1 << 20;
/** a row (with any quoted values spanning lines) that does not end within this many bytes is dropped */
export const MAX_RECORD_BYTES = 16 << 20;

/** Parses delimited text (bytes or a string) into an EventStream and a report of what was detected and dropped. */
export function importEventStream(
  input: Uint8Array | string,
  options: ImportOptions = {},
): { stream: EventStream; report: ImportReport } {
  const raw = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const importer = new EventStreamImporter(options, raw.length);
  importer.pushLast(raw);
  return importer.finish();
}

/**
 * The importer fed in chunks, so a file is never held whole: push() (or reserve() + commit(), to read
 * straight into its buffer) each chunk in order, then finish(). Memory beyond the resulting typed arrays
 * is the unread end of a chunk plus one chunk. Detection runs on the first 256 KB (to the end of the line
 * there, 1,000 lines at most); a row is read exactly as from the whole file wherever the chunks split it,
 * except that a row not ended within MAX_RECORD_BYTES (a quote that does not close, a line without a line
 * break) is dropped with a message. UTF-16 input is kept whole until finish() and then decoded at once.
 * push() and finish() throw ImportError as importEventStream does.
 */
export class EventStreamImporter {
  private readonly t0 = performance.now();
  /** pending input: buf[pos, fill) not read yet; buf[0] is byte `base` of the input */
  private buf: Uint8Array = new Uint8Array(0);
  private fill = 0;
  private pos = 0;
  private base = 0;
  private ended = false;
  /** the caller's buffer, read without copying (pushLast): never written */
  private borrowed = false;
  /** 'head': waiting for the bytes detection needs; 'utf16': keeping the whole input to decode it */
  private phase: 'head' | 'utf16' | 'scan' = 'head';
  /** headReady() looks again once this many bytes are in */
  private headNext = 0;
  /** bytes of buf known to be only whitespace (the head waits for something else) */
  private blankUpTo = 0;
  private readonly encodingIssues: ImportIssue[] = [];
  private sample: Sample | null = null;
  private det: Detection | null = null;
  private scanner: RowScanner | null = null;

  /** totalBytes: the input's length when known (for sizing the arrays and for progress) */
  constructor(private readonly options: ImportOptions = {}, private readonly totalBytes?: number) {}

  /** Room for at least `min` more bytes after the pending input: fill (part of) it, then commit(). */
  reserve(min: number): Uint8Array {
    if (this.ended) throw new Error('EventStreamImporter: reserve() after the last chunk');
    if (this.pos > 0) {
      // drop what was read: the unread end moves to the front
      this.buf.copyWithin(0, this.pos, this.fill);
      this.base += this.pos;
      this.fill -= this.pos;
      this.pos = 0;
    }
    const need = this.fill + min;
    if (need > this.buf.length || this.borrowed) {
      const next = new Uint8Array(this.buf.length === 0 ? need + (1 << 16) : Math.max(need, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.fill));
      this.buf = next;
      this.borrowed = false;
    }
    return this.buf.subarray(this.fill, this.fill + min);
  }

  /** The first `count` bytes of the last reserve() hold input. */
  commit(count: number): void {
    this.fill += count;
    this.advance();
  }

  /** Copies a chunk in (the caller may reuse it) and reads what it can. */
  push(chunk: Uint8Array): void {
    this.reserve(chunk.length).set(chunk);
    this.commit(chunk.length);
  }

  /** The last bytes of the input, read in place when nothing is pending (not copied, never written). */
  pushLast(chunk: Uint8Array): void {
    if (this.fill === 0 && this.buf.length === 0) {
      this.buf = chunk;
      this.fill = chunk.length;
      this.borrowed = true;
    } else {
      this.push(chunk);
    }
  }

  /** Ends the input: reads the rest and returns the stream and the report. */
  finish(): { stream: EventStream; report: ImportReport } {
    this.ended = true;
    this.advance();
    return this.result();
  }

  private advance(): void {
    if (this.phase === 'head' || (this.phase === 'utf16' && this.ended)) {
      if (!this.headReady()) return;
      this.detectLayout();
    }
    if (this.phase !== 'scan') return;
    const scanner = this.scanner!;
    for (;;) {
      const chunk = this.buf.subarray(0, this.fill);
      this.pos = scanner.scan(chunk, this.pos, this.ended, this.base);
      if (this.ended || this.fill - this.pos < MAX_RECORD_BYTES) return;
      this.pos = scanner.scanOversized(chunk, this.pos, this.base);
    }
  }

  /** Whether the bytes so far answer every check detection makes on the start of the file. */
  private headReady(): boolean {
    if (this.ended) return true;
    const fill = this.fill;
    const b = this.buf.subarray(0, fill);
    // looked again only after a quarter more bytes (small chunks): when it is ready does not change the result
    if (fill < this.headNext) return false;
    this.headNext = fill + (fill >> 2) + 1024;
    if (fill < 4096) return false;
    if (utf16Encoding(b) !== null) return true;
    const start = hasBom(b, fill) ? 3 : 0;
    if (fill < start + 65536) return false;
    // the sample ends with the line at SAMPLE_BYTES: its end must be here (or that line is too long anyway)
    const limit = sampleEnd(b, start, SAMPLE_BYTES);
    if (limit >= fill && limit - lineStartBefore(b, start, start + SAMPLE_BYTES) <= MAX_SAMPLE_LINE_BYTES) return false;
    // the JSON and empty-file checks need a byte that is not whitespace
    let i = this.blankUpTo;
    while (i < fill && (b[i] === SPACE || b[i] === TAB || b[i] === CR || b[i] === LF)) i++;
    this.blankUpTo = i;
    return i < fill;
  }

  /** Detection on the start of the file; sets up the scanner (or waits for all of a UTF-16 file). */
  private detectLayout(): void {
    const options = this.options;
    if (utf16Encoding(this.buf.subarray(0, this.fill)) !== null) {
      if (!this.ended) {
        this.phase = 'utf16';
        return;
      }
      this.buf = fromUtf16(this.buf.subarray(0, this.fill), this.encodingIssues);
      this.fill = this.buf.length;
      this.borrowed = false;
    }
    const b = this.buf.subarray(0, this.fill);
    const len = b.length;
    const start = hasBom(b, len) ? 3 : 0;
    checkLooksLikeText(b, start);
    checkNotJson(b, start);
    checkNotHtml(b, start);
    checkSampleLine(b, start);

    const sample = collectSample(b, start, SAMPLE_LINES, SAMPLE_BYTES);
    this.sample = sample;
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
    this.det = det;
    const total = this.ended ? len : (this.totalBytes ?? Infinity);
    const sized = Number.isFinite(total) ? total : len;
    this.scanner = new RowScanner({
      roleNames: det.roles, delimiterCode: det.delimiterCode, headerLine: det.headerLine,
      initialCapacity: Math.ceil(((sized - start) / sample.avgLineBytes) * 1.05) + 16,
      bipartite: det.bipartite, itemPrefix: ITEM_ID_PREFIX, maxProblems: MAX_ISSUES, onProgress: options.onProgress,
      start, totalBytes: total, maxRecordBytes: MAX_RECORD_BYTES,
      timeIsDate: det.timeIsDate, decimalComma: det.decimalComma,
    });
    this.pos = start;
    this.phase = 'scan';
  }

  private result(): { stream: EventStream; report: ImportReport } {
    const options = this.options;
    const det = this.det!;
    const sample = this.sample!;
    const scanner = this.scanner!;
    const roleNames = det.roles;
    const mapping: ColumnMapping = {
      src: roleNames.indexOf('src'),
      dst: roleNames.indexOf('dst'),
      t: roleNames.indexOf('t'),
      features: roleNames.flatMap((r, j) => (r === 'feat' ? [j] : [])),
      label: roleNames.includes('label') ? roleNames.indexOf('label') : null,
    };
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

    const allIssues: ImportIssue[] = [...this.encodingIssues, ...det.issues];
    if (det.timeIsDate) {
      const k = scanner.datesWithoutOffset;
      allIssues.push({
        severity: 'warning', line: k > 0 ? scanner.firstDateWithoutOffset : (sample.lines[det.header ? 1 : 0]?.line ?? 1), column: mapping.t + 1,
        message: 'times are ISO-8601 dates, read as seconds since 1970-01-01 00:00 UTC' +
          (k > 0 ? `; ${k} of them ${k === 1 ? 'names' : 'name'} no UTC offset (the first here) and ${k === 1 ? 'was' : 'were'} taken as UTC` : ''),
      });
    }
    if (scanner.notUtf8Ids > 0) {
      const k = scanner.notUtf8Ids;
      allIssues.push({
        severity: 'warning', line: scanner.firstNotUtf8, column: null,
        message: `${k} id${k === 1 ? ' is' : 's are'} not valid UTF-8 (the first here) and ${k === 1 ? 'was' : 'were'} read as Windows-1252 (Latin-1), ` +
          'so that different names stay different nodes; if the file has another encoding, save it as UTF-8 and import it again',
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

    // the arrays were sized from the file's length: a view when little is left over (untouched room costs
    // no memory), a copy otherwise
    let src = trimmed(scanner.src, n);
    let dst = trimmed(scanner.dst, n);
    let t = trimmed(scanner.t, n);
    let sourceLine = trimmed(scanner.line, n);
    let edgeFeatures = trimmed(scanner.feat, n * d);
    let labels: Float32Array | null = scanner.hasLabel ? trimmed(scanner.label, n) : null;
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
      bytes: this.base + this.fill, parseMs: performance.now() - this.t0,
    };
    return { stream, report };

  }
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
  const found = utf16Encoding(b);
  if (found === null) return b;
  const { encoding, bom } = found;
  const text = new TextDecoder(encoding).decode(bom ? b.subarray(2) : b);
  issues.push({
    severity: 'warning', line: 1, column: null,
    message: `the file is UTF-16 text (${encoding === 'utf-16le' ? 'little' : 'big'}-endian, ${bom ? 'with' : 'without'} a byte-order mark); it was read as such (saving it as UTF-8 makes it half the size)`,
  });
  return new TextEncoder().encode(text);
}

/** UTF-16 by its byte-order mark, or without one when the first 4 KB have zero bytes on one side of the pairs only; else null. */
function utf16Encoding(b: Uint8Array): { encoding: 'utf-16le' | 'utf-16be'; bom: boolean } | null {
  let encoding: 'utf-16le' | 'utf-16be' | null = null;
  let bom = false;
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) [encoding, bom] = ['utf-16le', true];
  else if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) [encoding, bom] = ['utf-16be', true];
  else if (b.length >= 16) {
    // (a few bytes say nothing: 16 at least)
    const n = Math.min(b.length, 4096) & ~1;
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (b[i] === 0) evenZero++;
      if (b[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    // the delimiters, digits and line breaks of UTF-16 text have a zero high byte, on one side only;
    // ids in other scripts (CJK) have none, so a fifth of the pairs is enough; random bytes have zeros on both sides
    if (oddZero >= 0.2 * pairs && evenZero <= 0.01 * pairs) encoding = 'utf-16le';
    else if (evenZero >= 0.2 * pairs && oddZero <= 0.01 * pairs) encoding = 'utf-16be';
  }
  return encoding === null ? null : { encoding, bom };
}

/** a UTF-8 byte-order mark in b[0, len) */
function hasBom(b: Uint8Array, len: number): boolean {
  return len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** Index where the line holding b[at - 1] starts (after the previous CR or LF), at least `start`. */
function lineStartBefore(b: Uint8Array, start: number, at: number): number {
  let i = Math.min(at, b.length);
  while (i > start && b[i - 1] !== LF && b[i - 1] !== CR) i--;
  return i;
}

/**
 * Refuses a line at the end of the sample longer than MAX_SAMPLE_LINE_BYTES (such as 10 MB of commas):
 * detection would split it into millions of fields. Names its line.
 */
function checkSampleLine(b: Uint8Array, start: number): void {
  if (b.length - start <= SAMPLE_BYTES) return;
  const lineStart = lineStartBefore(b, start, start + SAMPLE_BYTES);
  const end = sampleEnd(b, start, SAMPLE_BYTES);
  if (end - lineStart <= MAX_SAMPLE_LINE_BYTES) return;
  let line = 1;
  for (let i = start; i < lineStart; i++) {
    if (b[i] === LF || (b[i] === CR && b[i + 1] !== LF)) line++;
  }
  const what = `longer than ${MAX_SAMPLE_LINE_BYTES >> 20} MB without a line break`;
  const message = `line ${line} is ${what}; an event file has one short event per line (such as src,dst,t); check that this is the right file, or fix or delete the line`;
  throw new ImportError(message, [{ severity: 'error', line, column: null, message: `the line is ${what}` }]);
}

/** a[0, n): a view when at most a quarter of `a` is left over (never-written room costs no memory), else a copy */
function trimmed<T extends Int32Array | Float64Array | Float32Array>(a: T, n: number): T {
  if (a.length === n || n * 4 >= a.length * 3) return a.length === n ? a : (a.subarray(0, n) as T);
  return a.slice(0, n) as T;
}

/** A web page (an error or download page saved under the data file's name) is not delimited text: say so. */
function checkNotHtml(b: Uint8Array, start: number): void {
  let i = start;
  while (i < b.length && (b[i] === SPACE || b[i] === TAB || b[i] === CR || b[i] === LF)) i++;
  if (b[i] !== 0x3c) return;
  const head = new TextDecoder().decode(b.subarray(i, Math.min(b.length, i + 64))).toLowerCase();
  if (/^<(!doctype html|html[\s>]|head[\s>]|body[\s>]|\?xml)/.test(head)) {
    throw new ImportError(
      'the file is a web page (HTML), not delimited text: it was probably saved from an error or download page; ' +
        'download the data file itself (CSV or text, one event per line) and import that',
    );
  }
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
