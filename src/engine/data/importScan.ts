// The importer's hot path: a byte scanner that reads rows straight into preallocated typed arrays.
// Single pass over the bytes (no per-line indexOf); numbers and ids are parsed while scanning. The input
// comes in chunks (scan() once per chunk): a line or row that reaches the end of a chunk before the last
// is left unread (every counter as it was) and read again, whole, from the next chunk. Kept as
// small methods (line loop / one row / one field) so V8 optimises them after a few hundred rows
// instead of waiting for on-stack replacement of one giant function. Everything the hot path calls lives
// in this module: module transforms (tsx, vite-node) turn imported bindings into getter calls.

import { COMMA, SEMICOLON, WHITESPACE, describeBadNumber, parseIsoDate, parseNumberTextComma, splitLine } from './csvScan.ts';
import type { Role } from './importDetect.ts';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const PERCENT = 37;

const POW10: Float64Array = Float64Array.from({ length: 23 }, (_, i) => Number('1e' + i));
const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/** Decodes b[s..e) as UTF-8 (ASCII fast path for short fields). */
export function decodeBytes(b: Uint8Array, s: number, e: number): string {
  if (e - s <= 48) {
    let out = '';
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c >= 128) return utf8.decode(b.subarray(s, e));
      out += String.fromCharCode(c);
    }
    return out;
  }
  return utf8.decode(b.subarray(s, e));
}

/** End index of the last parseNumberAt() call (first byte not part of the number). */
let numberEnd = 0;

/**
 * Parses a plain decimal number (sign, digits, '.', exponent) starting at b[s], after any spaces/tabs, and
 * stops at the first byte that cannot continue it (its index goes to numberEnd). NaN when no digits.
 * Exact for up to 15 significant digits and |exponent| <= 22 (Clinger's fast path); longer numbers go
 * through Number() on the field text.
 */
function parseNumberAt(b: Uint8Array, s: number, len: number): number {
  while (s < len && (b[s] === SPACE || b[s] === TAB)) s++;
  const s0 = s;
  let i = s;
  let neg = false;
  if (i < len) {
    const c0 = b[i];
    if (c0 === 45) {
      neg = true;
      i++;
    } else if (c0 === 43) {
      i++;
    }
  }
  let mant = 0;
  let digits = 0;
  let fracDigits = 0;
  while (i < len) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    mant = mant * 10 + c;
    digits++;
    i++;
  }
  if (i < len && b[i] === 46) {
    i++;
    while (i < len) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      digits++;
      fracDigits++;
      i++;
    }
  }
  numberEnd = i;
  if (digits === 0) return NaN;
  let exp = 0;
  if (i < len && (b[i] === 101 || b[i] === 69)) {
    i++;
    let expNeg = false;
    if (i < len && (b[i] === 45 || b[i] === 43)) {
      expNeg = b[i] === 45;
      i++;
    }
    let expDigits = 0;
    while (i < len) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      if (exp < 100000) exp = exp * 10 + c;
      expDigits++;
      i++;
    }
    numberEnd = i;
    if (expDigits === 0) return NaN;
    if (expNeg) exp = -exp;
  }
  const e10 = exp - fracDigits;
  let v: number;
  if (digits > 15) return Number(decodeBytes(b, s0, i));
  if (e10 === 0) v = mant;
  else if (e10 > 0 && e10 <= 22) v = mant * POW10[e10]!;
  else if (e10 < 0 && e10 >= -22) v = mant / POW10[-e10]!;
  else return Number(decodeBytes(b, s0, i));
  return neg ? -v : v;
}

/**
 * Parses b[s..e) as one plain decimal number, surrounding spaces/tabs allowed; NaN when the field holds
 * anything else (hex, 'inf', 'nan', text, nothing).
 */
export function parseNumberBytes(b: Uint8Array, s: number, e: number): number {
  const v = parseNumberAt(b, s, e);
  let i = numberEnd;
  while (i < e && (b[i] === SPACE || b[i] === TAB)) i++;
  return i === e ? v : NaN;
}

/** Index after the line terminator at b[i] (LF, CRLF or a lone CR); len at the end of input. */
function lineAfter(b: Uint8Array, i: number, len: number): number {
  if (i >= len) return len;
  if (b[i] === CR && i + 1 < len && b[i + 1] === LF) return i + 2;
  return i + 1;
}

const ROLE_SKIP = 0;
const ROLE_SRC = 1;
const ROLE_DST = 2;
const ROLE_T = 3;
const ROLE_FEAT = 4;
const ROLE_LABEL = 5;

const BAD_NONE = 0;
const BAD_VALUE = 1;
const BAD_EMPTY_ID = 2;
const BAD_QUOTE_UNCLOSED = 3;
const BAD_QUOTE_TRAILING = 4;
const BAD_FIELD_COUNT = 5;
/** a quoted number, time or label that is closed only on a later line */
const BAD_QUOTE_SPANS = 6;
/** a time that is not an ISO-8601 date where the time column holds dates */
const BAD_DATE = 7;
/** an id holding a NUL byte */
const BAD_NUL = 9;
/** a line longer than maxRecordBytes without a line break */
const BAD_LONG_LINE = 8;

/** A dropped row: line and 0-based column, decoded later into a message. */
export interface RowProblem {
  line: number;
  /** 1-based column; null for the whole line */
  column: number | null;
  message: string;
}

/** Compacts node ids to 0..N-1 in order of first appearance; canonical integers use a dense table or a Map<number>. */
export class NodeIds {
  private dense = new Int32Array(1024); // id + 1, 0 = unseen
  private readonly byNumber = new Map<number, number>();
  private readonly byText = new Map<string, number>();
  readonly raw: string[] = [];

  constructor(private readonly prefix: string) {}

  /** a canonical non-negative integer id (no sign, no leading zero) */
  numeric(v: number): number {
    if (v < 1 << 21) {
      if (v >= this.dense.length) this.growDense(v);
      const x = this.dense[v]!;
      if (x !== 0) return x - 1;
      const id = this.raw.length;
      this.dense[v] = id + 1;
      this.raw.push(this.prefix + String(v));
      return id;
    }
    let id = this.byNumber.get(v);
    if (id === undefined) {
      id = this.raw.length;
      this.byNumber.set(v, id);
      this.raw.push(this.prefix + String(v));
    }
    return id;
  }

  /** any other id text (canonical integers must go through numeric() so '7' is one node) */
  text(s: string): number {
    const v = canonicalInteger(s);
    if (v >= 0) return this.numeric(v);
    let id = this.byText.get(s);
    if (id === undefined) {
      id = this.raw.length;
      this.byText.set(s, id);
      this.raw.push(this.prefix + s);
    }
    return id;
  }

  private growDense(v: number): void {
    let size = this.dense.length * 2;
    while (size <= v) size *= 2;
    const next = new Int32Array(size);
    next.set(this.dense);
    this.dense = next;
  }
}

/** Canonical non-negative integer (no sign, no leading zero, <= 15 digits) → its value, else -1. */
function canonicalInteger(s: string): number {
  if (s.length === 0 || s.length > 15 || (s.charCodeAt(0) === 48 && s.length > 1)) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const ROLE_WORD: Record<Role, string> = {
  src: 'source id', dst: 'destination id', t: 'time', feat: 'feature', label: 'label', skip: 'field',
};

export interface ScanConfig {
  roleNames: readonly Role[];
  /** WHITESPACE (-1) or a delimiter byte */
  delimiterCode: number;
  headerLine: number;
  initialCapacity: number;
  bipartite: boolean;
  itemPrefix: string;
  maxProblems: number;
  onProgress: ((fractionDone: number) => void) | undefined;
  /** absolute offset of the first byte after any BOM, and the input's total length (Infinity when unknown), for progress */
  start: number;
  totalBytes: number;
  /** a row (with any quoted values spanning lines) that does not end within this many bytes is dropped */
  maxRecordBytes: number;
  /** the time column holds ISO-8601 dates (read as seconds since 1970-01-01 UTC) */
  timeIsDate: boolean;
  /** a comma inside a number is its decimal point (';'-delimited files) */
  decimalComma: boolean;
}

/**
 * Reads all rows of a delimited file into typed arrays. Call scan() for each chunk of the input (the last
 * with final = true), then read the fields.
 */
export class RowScanner {
  /** the current chunk: the unread rest of the previous one, then new bytes */
  private b: Uint8Array = new Uint8Array(0);
  /** this chunk ends the input: a row may end at its end */
  private final = true;
  /** the current row reached the end of a chunk that is not the last (read it again with more bytes) */
  private short = false;
  /** the current row is read as if the input ended with the chunk (it is longer than maxRecordBytes) */
  private forced = false;
  /** inside a line longer than maxRecordBytes: bytes up to its line break are skipped */
  private skipping = false;
  /** offset of the current chunk in the input */
  private base = 0;
  /** absolute offset of the next progress call */
  private nextProgress: number;
  private readonly progressStep: number;
  private readonly roles: Uint8Array;
  private readonly featSlot: Int32Array;
  private readonly nCols: number;
  private readonly wsMode: boolean;
  private readonly delim: number;
  private readonly headerLine: number;
  readonly d: number;
  readonly hasLabel: boolean;
  readonly srcIds: NodeIds;
  readonly dstIds: NodeIds;

  cap: number;
  src: Int32Array;
  dst: Int32Array;
  t: Float64Array;
  line: Int32Array;
  feat: Float32Array;
  label: Float32Array;
  n = 0;

  rowsRead = 0;
  rowsDropped = 0;
  commentLines = 0;
  sorted = true;
  firstDecreaseLine = 0;
  firstDecreasePrev = 0;
  firstDecreaseT = 0;
  readonly problems: RowProblem[] = [];
  problemsLeftOut = 0;
  firstLeftOutLine = 0;
  /** quoted ids or skipped values that span lines (read as one value each), and the line of the first */
  multiLineValues = 0;
  firstMultiLine = 0;
  /** dates read without a UTC offset (taken as UTC), and the line of the first */
  datesWithoutOffset = 0;
  firstDateWithoutOffset = 0;
  /** numbers read with a decimal comma */
  decimalCommaValues = 0;
  /** ids whose bytes are not UTF-8 (read as Windows-1252), and the line of the first */
  notUtf8Ids = 0;
  firstNotUtf8 = 0;
  private readonly maxProblems: number;

  // per-row scratch, reset by row()
  private lineNo = 0;
  private bad = BAD_NONE;
  private badCol = 0;
  private badText = '';
  /** BAD_QUOTE_SPANS: the line where the quote closes */
  private spanEnd = 0;
  /** byte where the current row starts */
  private rowStart = 0;
  private fieldCount = 0;
  private srcNum = -1;
  private dstNum = -1;
  private srcS = 0;
  private srcE = 0;
  private dstS = 0;
  private dstE = 0;
  private srcText: string | null = null;
  private dstText: string | null = null;
  private tv = 0;
  private lv = 0;

  private readonly timeIsDate: boolean;

  constructor(private readonly config: ScanConfig) {
    this.progressStep = Math.max(1, Math.ceil((config.totalBytes - config.start) / 100));
    this.nextProgress = config.start + this.progressStep;
    this.timeIsDate = config.timeIsDate;
    const names = config.roleNames;
    this.nCols = names.length;
    this.roles = new Uint8Array(this.nCols);
    this.featSlot = new Int32Array(this.nCols).fill(-1);
    let d = 0;
    names.forEach((r, j) => {
      this.roles[j] = r === 'src' ? ROLE_SRC : r === 'dst' ? ROLE_DST : r === 't' ? ROLE_T : r === 'feat' ? ROLE_FEAT : r === 'label' ? ROLE_LABEL : ROLE_SKIP;
      if (r === 'feat') this.featSlot[j] = d++;
    });
    this.d = d;
    this.hasLabel = names.includes('label');
    this.wsMode = config.delimiterCode < 0;
    this.delim = this.wsMode ? SPACE : config.delimiterCode;
    this.headerLine = config.headerLine;
    this.maxProblems = config.maxProblems;
    this.srcIds = new NodeIds('');
    this.dstIds = config.bipartite ? new NodeIds(config.itemPrefix) : this.srcIds;
    const cap = Math.max(16, config.initialCapacity);
    this.cap = cap;
    this.src = new Int32Array(cap);
    this.dst = new Int32Array(cap);
    this.t = new Float64Array(cap);
    this.line = new Int32Array(cap);
    this.feat = new Float32Array(cap * d);
    this.label = new Float32Array(this.hasLabel ? cap : 0);
  }

  /**
   * Scans the lines of `chunk` from byte `from` (after any BOM) and returns where it stopped: the start of
   * the first line or row that reaches the end of the chunk (chunk.length when `final`). `base` is the
   * chunk's offset in the input. LF, CRLF and lone CR end a line; a CR at the end of a chunk waits for the
   * next one (it may be half of a CRLF).
   */
  scan(chunk: Uint8Array, from: number, final: boolean, base: number): number {
    this.b = chunk;
    this.base = base;
    this.final = final;
    const b = chunk;
    const len = b.length;
    const onProgress = this.config.onProgress;
    const total = this.config.totalBytes;
    const start = this.config.start;
    const step = this.progressStep;
    let nextProgress = this.nextProgress - base;
    let pos = from;
    if (this.skipping) {
      pos = this.skipLongLine(pos);
      if (this.skipping) return pos;
    }
    while (pos < len) {
      this.lineNo++;
      let p = pos;
      while (p < len && (b[p] === SPACE || b[p] === TAB)) p++;
      const c0 = p < len ? b[p]! : LF;
      let next: number;
      if (c0 === LF || c0 === CR) {
        next = lineAfter(b, p, len);
        if (next >= len && !final) next = -1;
      } else if (c0 === HASH || c0 === PERCENT || this.lineNo === this.headerLine) {
        next = this.skipLine(p);
        if (next >= len && !final) next = -1;
        else if (this.lineNo !== this.headerLine) this.commentLines++;
      } else {
        next = this.row(pos, p);
      }
      if (next < 0) {
        this.lineNo--;
        break;
      }
      pos = next;
      if (pos >= nextProgress) {
        while (nextProgress <= pos) nextProgress += step;
        if (onProgress !== undefined && base + pos < total) onProgress((base + pos - start) / (total - start));
      }
    }
    this.nextProgress = nextProgress + base;
    return pos;
  }

  /**
   * The row at `from` does not end within maxRecordBytes (a quote that does not close, or a line without a
   * line break): it is read as if the input ended with the chunk, so it is dropped with a message naming
   * its line, and scanning goes on after it. Returns where it stopped, as scan() does.
   */
  scanOversized(chunk: Uint8Array, from: number, base: number): number {
    this.b = chunk;
    this.base = base;
    let e = from;
    while (e < chunk.length && chunk[e] !== LF && chunk[e] !== CR) e++;
    this.lineNo++;
    if (e >= chunk.length) {
      // one line longer than the limit: drop it and skip to its line break
      this.rowStart = from;
      this.rowsRead++;
      this.bad = BAD_LONG_LINE;
      this.fieldCount = 0;
      this.drop(this.lineNo);
      this.skipping = true;
      return this.skipLongLine(from);
    }
    this.final = true;
    this.forced = true;
    let p = from;
    while (p < chunk.length && (chunk[p] === SPACE || chunk[p] === TAB)) p++;
    const next = this.row(from, p);
    this.forced = false;
    this.final = false;
    return next;
  }

  /** Skips to the line break ending a line longer than maxRecordBytes; skipping ends when it is found. */
  private skipLongLine(pos: number): number {
    const b = this.b;
    const len = b.length;
    while (pos < len && b[pos] !== LF && b[pos] !== CR) pos++;
    if (pos >= len || (b[pos] === CR && pos + 1 >= len && !this.final)) return pos;
    this.skipping = false;
    return lineAfter(b, pos, len);
  }

  /** Index after the line holding b[p] (quotes are not honoured: comments and the header). */
  private skipLine(p: number): number {
    const b = this.b;
    const len = b.length;
    while (p < len && b[p] !== LF && b[p] !== CR) p++;
    return lineAfter(b, p, len);
  }

  /** Index of the byte ending the field that starts at k: delimiter, CR, LF or end of input. */
  private fieldEnd(k: number): number {
    const b = this.b;
    const len = b.length;
    if (this.wsMode) {
      while (k < len) {
        const c = b[k];
        if (c === SPACE || c === TAB || c === LF || c === CR) break;
        k++;
      }
    } else {
      const delim = this.delim;
      while (k < len) {
        const c = b[k];
        if (c === delim || c === LF || c === CR) break;
        k++;
      }
    }
    return k;
  }

  /** Index of the field terminator at or after i when only spaces/tabs lie between, else -1. */
  private terminatorAt(i: number): number {
    const b = this.b;
    const len = b.length;
    if (i >= len) return i;
    let c = b[i];
    if (c === this.delim || c === LF || c === CR) return i;
    if (c !== SPACE && c !== TAB) return -1;
    if (this.wsMode) return i;
    while (i < len && (b[i] === SPACE || b[i] === TAB) && b[i] !== this.delim) i++;
    if (i >= len) return i;
    c = b[i];
    return c === this.delim || c === LF || c === CR ? i : -1;
  }

  /** Parses one data row starting at pos (first non-blank byte at p); returns the index after its line. */
  private row(pos: number, p: number): number {
    const b = this.b;
    const len = b.length;
    const rowLine = this.lineNo;
    this.rowStart = pos;
    if (this.n === this.cap) this.grow(pos);
    this.bad = BAD_NONE;
    this.short = false;
    // counters the fields below may change, restored when the row reaches the end of the chunk
    const multiLineValues = this.multiLineValues;
    const firstMultiLine = this.firstMultiLine;
    const datesWithoutOffset = this.datesWithoutOffset;
    const firstDateWithoutOffset = this.firstDateWithoutOffset;
    const decimalCommaValues = this.decimalCommaValues;
    this.srcText = null;
    this.dstText = null;
    const wsMode = this.wsMode;
    const nCols = this.nCols;
    let col = 0;
    let q = wsMode ? p : pos;
    let next: number;
    for (;;) {
      let fe: number;
      let k = q;
      while (k < len && b[k] === SPACE) k++;
      if (k < len && b[k] === QUOTE) {
        fe = this.quotedField(k, col);
        if (fe < 0) {
          // a quote that never closes, or closes lines later around a number: the row ends with the line
          // the quote opened on, and the next line is read as a row of its own (nothing is swallowed)
          col++;
          next = this.skipLine(k);
          break;
        }
      } else if (this.bad !== BAD_NONE || col >= nCols) {
        fe = this.fieldEnd(q);
      } else {
        fe = this.field(col, q);
      }
      col++;
      if (fe >= len) {
        next = len;
        break;
      }
      const c = b[fe];
      if (c === LF || c === CR) {
        next = lineAfter(b, fe, len);
        break;
      }
      if (wsMode) {
        q = fe;
        while (q < len && (b[q] === SPACE || b[q] === TAB)) q++;
        if (q >= len) {
          next = len;
          break;
        }
        if (b[q] === LF || b[q] === CR) {
          next = lineAfter(b, q, len);
          break;
        }
      } else {
        q = fe + 1;
      }
    }
    if ((next >= len || this.short) && !this.final) {
      this.lineNo = rowLine;
      this.multiLineValues = multiLineValues;
      this.firstMultiLine = firstMultiLine;
      this.datesWithoutOffset = datesWithoutOffset;
      this.firstDateWithoutOffset = firstDateWithoutOffset;
      this.decimalCommaValues = decimalCommaValues;
      return -1;
    }
    this.rowsRead++;
    this.fieldCount = col;
    if (col !== nCols && this.bad !== BAD_QUOTE_UNCLOSED && this.bad !== BAD_QUOTE_SPANS) this.bad = BAD_FIELD_COUNT;
    if (this.bad !== BAD_NONE) this.drop(rowLine);
    else this.commit(rowLine);
    return next;
  }

  /** Handles the unquoted field starting at q by its column's role; returns the index of its terminator. */
  private field(col: number, q: number): number {
    const role = this.roles[col]!;
    if (role === ROLE_SKIP) return this.fieldEnd(q);
    if (role === ROLE_SRC || role === ROLE_DST) return this.idField(role, col, q);
    if (role === ROLE_T && this.timeIsDate) {
      const end = this.fieldEnd(q);
      this.valueText(role, col, decodeBytes(this.b, q, end));
      return end;
    }
    const b = this.b;
    const v = parseNumberAt(b, q, b.length);
    const fe = this.terminatorAt(numberEnd);
    if (fe < 0 || v - v !== 0) {
      // not a plain number (or NaN, ±Infinity): a decimal comma, or a bad value
      const end = fe < 0 ? this.fieldEnd(numberEnd) : fe;
      this.valueText(role, col, decodeBytes(b, q, end));
      return end;
    }
    this.setValue(role, col, v);
    return fe;
  }

  private setValue(role: number, col: number, v: number): void {
    if (role === ROLE_T) this.tv = v;
    else if (role === ROLE_FEAT) this.feat[this.n * this.d + this.featSlot[col]!] = v;
    else this.lv = v;
  }

  /** A time, feature or label from its text (quoted values, dates, decimal commas; the slow path). */
  private valueText(role: number, col: number, raw: string): void {
    const text = raw.trim();
    if (role === ROLE_T && this.config.timeIsDate) {
      const d = parseIsoDate(text);
      if (d === null) {
        this.bad = BAD_DATE;
        this.badCol = col;
        this.badText = text;
        return;
      }
      if (!d.hasOffset && this.datesWithoutOffset++ === 0) this.firstDateWithoutOffset = this.lineNo;
      this.tv = d.seconds;
      return;
    }
    const v = parseNumberTextComma(text, this.config.decimalComma);
    if (v - v !== 0) {
      this.bad = BAD_VALUE;
      this.badCol = col;
      this.badText = text;
      return;
    }
    if (this.config.decimalComma && text.includes(',')) this.decimalCommaValues++;
    this.setValue(role, col, v);
  }

  /** A node id field starting at q: canonical integers take the numeric path, anything else is text. */
  private idField(role: number, col: number, q: number): number {
    const b = this.b;
    const len = b.length;
    let s = q;
    while (s < len && (b[s] === SPACE || b[s] === TAB)) s++;
    let v = 0;
    let i = s;
    while (i < len) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      i++;
    }
    let fe = this.terminatorAt(i);
    let num = -1;
    let t = i;
    if (fe >= 0 && i > s && i - s <= 15 && (b[s] !== 48 || i - s === 1)) {
      num = v;
    } else {
      fe = fe >= 0 ? fe : this.fieldEnd(i);
      t = fe;
      while (t > s && (b[t - 1] === SPACE || b[t - 1] === TAB)) t--;
      if (t === s) {
        this.bad = BAD_EMPTY_ID;
        this.badCol = col;
        return fe;
      }
      // a NUL byte is no part of a name: the file is damaged or binary here (past the check of its start)
      for (let k = s; k < t; k++) {
        if (b[k] === 0) {
          this.bad = BAD_NUL;
          this.badCol = col;
          return fe;
        }
      }
    }
    if (role === ROLE_SRC) {
      this.srcNum = num;
      this.srcS = s;
      this.srcE = t;
    } else {
      this.dstNum = num;
      this.dstS = s;
      this.dstE = t;
    }
    return fe;
  }

  /**
   * A quoted field at b[k] == '"'; returns the index of its terminator, or -1 when the quote never closes
   * or closes on a later line around a number, time or label (the row is then bad and line numbering is
   * back at the line the quote opened on). Quoted ids and skipped values may span lines (counted).
   */
  private quotedField(k: number, col: number): number {
    const b = this.b;
    const len = b.length;
    const line0 = this.lineNo;
    let text = '';
    let m = k + 1;
    let closed = -1;
    let qi = m;
    while (qi < len) {
      const c = b[qi];
      if (c === QUOTE) {
        if (qi + 1 < len && b[qi + 1] === QUOTE) {
          text += decodeBytes(b, m, qi) + '"';
          qi += 2;
          m = qi;
          continue;
        }
        text += decodeBytes(b, m, qi);
        closed = qi;
        break;
      }
      if (c === LF || (c === CR && (qi + 1 >= len || b[qi + 1] !== LF))) this.lineNo++;
      qi++;
    }
    if (closed < 0) {
      if (!this.final) this.short = true;
      if (this.bad === BAD_NONE) {
        this.bad = BAD_QUOTE_UNCLOSED;
        this.badCol = col;
      }
      this.lineNo = line0;
      return -1;
    }
    if (this.lineNo > line0) {
      const role = col < this.nCols ? this.roles[col] : ROLE_SKIP;
      if (role === ROLE_T || role === ROLE_FEAT || role === ROLE_LABEL) {
        if (this.bad === BAD_NONE) {
          this.bad = BAD_QUOTE_SPANS;
          this.badCol = col;
          this.spanEnd = this.lineNo;
        }
        this.lineNo = line0;
        return -1;
      }
      if (this.multiLineValues++ === 0) this.firstMultiLine = line0;
    }
    let fe = this.terminatorAt(closed + 1);
    if (fe < 0) {
      if (this.bad === BAD_NONE) {
        this.bad = BAD_QUOTE_TRAILING;
        this.badCol = col;
      }
      return this.fieldEnd(closed + 1);
    }
    if (this.bad !== BAD_NONE || col >= this.nCols) return fe;
    const role = this.roles[col]!;
    if (role === ROLE_SRC || role === ROLE_DST) {
      const id = text.trim();
      if (id === '') {
        this.bad = BAD_EMPTY_ID;
        this.badCol = col;
      } else if (id.includes('\0')) {
        this.bad = BAD_NUL;
        this.badCol = col;
      } else if (role === ROLE_SRC) {
        this.srcNum = -1;
        this.srcText = id;
      } else {
        this.dstNum = -1;
        this.dstText = id;
      }
    } else if (role !== ROLE_SKIP) {
      this.valueText(role, col, text);
    }
    return fe;
  }

  /**
   * An id's text: UTF-8, or where its bytes are not valid UTF-8, Windows-1252 (Latin-1), counted: a
   * replacement character would merge René and Renè (0xE9, 0xE8) into one node.
   */
  private idText(s: number, e: number, rowLine: number): string {
    const b = this.b;
    for (let i = s; i < e; i++) {
      if (b[i]! >= 128) {
        try {
          return strictUtf8.decode(b.subarray(s, e));
        } catch {
          // not UTF-8: read as the usual single-byte encoding, and say so (notUtf8Ids)
          if (this.notUtf8Ids++ === 0) this.firstNotUtf8 = rowLine;
          return windows1252.decode(b.subarray(s, e));
        }
      }
    }
    return decodeBytes(b, s, e);
  }

  private commit(rowLine: number): void {
    const n = this.n;
    this.src[n] = this.srcNum >= 0 ? this.srcIds.numeric(this.srcNum) : this.srcIds.text(this.srcText ?? this.idText(this.srcS, this.srcE, rowLine));
    this.dst[n] = this.dstNum >= 0 ? this.dstIds.numeric(this.dstNum) : this.dstIds.text(this.dstText ?? this.idText(this.dstS, this.dstE, rowLine));
    const tv = this.tv;
    this.t[n] = tv;
    this.line[n] = rowLine;
    if (this.hasLabel) this.label[n] = this.lv;
    if (n > 0 && tv < this.t[n - 1]! && this.sorted) {
      this.sorted = false;
      this.firstDecreaseLine = rowLine;
      this.firstDecreasePrev = this.t[n - 1]!;
      this.firstDecreaseT = tv;
    }
    this.n = n + 1;
  }

  private drop(rowLine: number): void {
    this.rowsDropped++;
    if (this.problems.length >= this.maxProblems) {
      if (this.problemsLeftOut++ === 0) this.firstLeftOutLine = rowLine;
      return;
    }
    const nCols = this.nCols;
    const names = this.config.roleNames;
    const col = this.fieldCount;
    let column: number | null;
    let message: string;
    if (this.bad === BAD_FIELD_COUNT) {
      const expected = `expected ${nCols} (${names.join(',')})`;
      column = col < nCols ? col + 1 : nCols + 1;
      const other = this.otherDelimiter();
      message = other !== null
        ? `the row has ${col} field${col === 1 ? '' : 's'}, ${expected}, but it is ${other}-separated while the file is ${this.delimiterWord()}-separated; use one delimiter throughout, or fix or delete the row`
        : col < nCols
          ? `missing field: the row has ${col} field${col === 1 ? '' : 's'}, ${expected}; fix or delete the row`
          : `the row has ${col} fields, ${expected}; remove the extra fields or quote values that contain the delimiter`;
    } else {
      column = this.badCol + 1;
      const what = ROLE_WORD[names[this.badCol] ?? 'skip'];
      if (this.bad === BAD_EMPTY_ID) message = `${what} is empty; fill it in or delete the row`;
      else if (this.bad === BAD_QUOTE_UNCLOSED) {
        message = this.forced
          ? `the quote opened in the ${what} is not closed within ${mb(this.config.maxRecordBytes)} (the rest of the file would be one value); close the quote or delete it`
          : `the quote opened in the ${what} is never closed (the rest of the file would be one value); close the quote or delete it`;
      } else if (this.bad === BAD_LONG_LINE) {
        column = null;
        message = `the line is longer than ${mb(this.config.maxRecordBytes)} without a line break; an event file has one short event per line (such as src,dst,t); fix or delete the line`;
      }
      else if (this.bad === BAD_NUL) message = `${what} holds NUL bytes (the file looks damaged or binary from here); fix or delete the row`;
      else if (this.bad === BAD_DATE) {
        const text = this.badText.length > 40 ? this.badText.slice(0, 37) + '...' : this.badText;
        message = this.badText === '' ? `${what} is empty; fill it in or delete the row` : `${what} '${text}' is not a date like 2021-01-31 or 2021-01-31T12:00:00Z; fix or delete the row`;
      } else if (this.bad === BAD_QUOTE_SPANS) message = `the quote opened in the ${what} closes only on line ${this.spanEnd}, so lines ${rowLine}–${this.spanEnd} would be one value; close the quote on this line or delete it`;
      else if (this.bad === BAD_QUOTE_TRAILING) message = `text after the closing quote of the ${what}; put the whole value inside the quotes or delete the row`;
      else {
        const kind = describeBadNumber(this.badText);
        const text = this.badText.length > 40 ? this.badText.slice(0, 37) + '...' : this.badText;
        message = kind === 'empty' ? `${what} is empty; fill it in or delete the row` : `${what} '${text}' is ${kind}; fix or delete the row`;
      }
    }
    this.problems.push({ line: rowLine, column, message });
  }

  private delimiterWord(): string {
    return this.wsMode ? 'whitespace' : this.delim === COMMA ? 'comma' : this.delim === TAB ? 'tab' : this.delim === SEMICOLON ? 'semicolon' : `'${String.fromCharCode(this.delim)}'`;
  }

  /** The delimiter other than the file's that splits the current row into the expected fields, if one does (cold path). */
  private otherDelimiter(): string | null {
    const b = this.b;
    let e = this.rowStart;
    while (e < b.length && b[e] !== LF && b[e] !== CR) e++;
    const text = decodeBytes(b, this.rowStart, e);
    const mine = this.wsMode ? WHITESPACE : this.delim;
    for (const [code, word] of [[COMMA, 'comma'], [TAB, 'tab'], [SEMICOLON, 'semicolon'], [WHITESPACE, 'whitespace']] as const) {
      if (code === mine || (code === WHITESPACE && mine === TAB)) continue;
      if (splitLine(text, code).filter((f) => f !== '').length === this.nCols) return word;
    }
    return null;
  }

  /**
   * More room when the arrays are full at byte `pos` of the chunk: room for the rows the rest of the input
   * holds at the rate read so far, plus 10 % (doubling when the input's length is unknown), so a low first
   * estimate does not double the memory the arrays take.
   */
  private grow(pos: number): void {
    const done = this.base + pos - this.config.start;
    const left = this.config.totalBytes - this.base - pos;
    const estimate = Number.isFinite(left) && done > 0 ? Math.ceil(this.n + (left * this.n / done) * 1.1) + 1024 : this.cap * 2;
    const cap = Math.max(this.cap + 1024, Math.min(this.cap * 2, estimate));
    this.cap = cap;
    this.src = growI32(this.src, cap);
    this.dst = growI32(this.dst, cap);
    this.line = growI32(this.line, cap);
    this.t = growF64(this.t, cap);
    this.feat = growF32(this.feat, cap * this.d);
    if (this.hasLabel) this.label = growF32(this.label, cap);
  }
}

/** '16 MB' */
function mb(bytes: number): string {
  return `${Math.round(bytes / (1 << 20))} MB`;
}

function growI32(a: Int32Array, size: number): Int32Array {
  const out = new Int32Array(size);
  out.set(a);
  return out;
}

function growF64(a: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size);
  out.set(a);
  return out;
}

function growF32(a: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size);
  out.set(a);
  return out;
}
