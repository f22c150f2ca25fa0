// Detection for the importer: delimiter, header, format (plain / JODIE / DyGLib) and column roles, all from a
// small sample of the first lines. The full-file scan in import.ts then runs with fixed roles.

import {
  COMMA, CR, HASH, LF, PERCENT, SEMICOLON, TAB, WHITESPACE, hasDecimalComma, isNumericText, parseIsoDate, parseNumberTextComma, splitLine,
} from './csvScan.ts';

export type Role = 'src' | 'dst' | 't' | 'feat' | 'label' | 'skip';
export type Format = 'plain' | 'jodie' | 'dyglib';
export type DelimiterName = ',' | '\t' | ';' | 'whitespace';

export interface SampleLine {
  /** 1-based physical line */
  line: number;
  text: string;
}

export interface Sample {
  lines: SampleLine[];
  /** bytes per physical line in the sampled prefix, for sizing buffers */
  avgLineBytes: number;
}

/** An issue found during detection (same shape as ImportIssue). */
export interface DetectIssue {
  severity: 'error' | 'warning';
  line: number;
  column: number | null;
  message: string;
}

/**
 * What would fix a failed import, as data, so each front end says it in its own terms (the CLI's flags,
 * the page's controls). 'delimiter': the delimiter split too few columns; 'layout': the rows read with
 * this delimiter and these column roles were mostly bad, so the delimiter, roles or header may be wrong.
 */
export interface ImportFix {
  readonly kind: 'delimiter' | 'layout';
  /** the delimiter the import used */
  readonly tried: DelimiterName;
  /** true when the importer chose it, false when it was asked for */
  readonly detected: boolean;
  /** another delimiter that splits most sample lines into at least src, dst and t, if one does */
  readonly suggested: DelimiterName | null;
}

/** Thrown for an unusable layout; import.ts turns it into an ImportError. */
export class DetectError extends Error {
  override readonly name = 'DetectError';
  constructor(message: string, readonly fix: ImportFix | null = null) {
    super(message);
  }
}

export interface Detection {
  delimiter: DelimiterName;
  delimiterCode: number;
  header: boolean;
  /** physical line of the header, 0 when none */
  headerLine: number;
  headerNames: string[] | null;
  format: Format;
  numColumns: number;
  roles: Role[];
  timeColumnReason: string;
  bipartite: boolean;
  /** the time column holds ISO-8601 dates or date-times (read as seconds since 1970-01-01 UTC) */
  timeIsDate: boolean;
  /** ';'-delimited with numbers such as 3,5: a comma in a number is its decimal point */
  decimalComma: boolean;
  issues: DetectIssue[];
}

export interface DetectOptions {
  columns?: string | undefined;
  delimiter?: ',' | '\t' | ' ' | ';' | 'whitespace' | undefined;
  header?: boolean | undefined;
  format?: 'auto' | Format | undefined;
}

const TIME_NAMES = new Set([
  't', 'ts', 'time', 'timestamp', 'timestamps', 'unixts', 'unix_ts', 'unixtime', 'unix_time', 'time_stamp',
  'date', 'datetime', 'epoch', 'seconds', 'tseconds', 't_seconds', 'time_s', 'timestamp_s',
]);
const SRC_NAMES = new Set([
  'src', 'source', 'u', 'user', 'user_id', 'userid', 'from', 'sender', 'src_id', 'source_id', 'srcid',
  'node1', 'node_1', 'node_a', 'head', 'from_id', 'src_node', 'source_node',
]);
const DST_NAMES = new Set([
  'dst', 'target', 'i', 'item', 'item_id', 'itemid', 'to', 'receiver', 'recipient', 'dst_id', 'target_id',
  'dstid', 'node2', 'node_2', 'node_b', 'tail', 'v', 'dest', 'destination', 'to_id', 'dst_node', 'target_node',
]);
const LABEL_NAMES = new Set(['label', 'state_label', 'labels', 'y']);
// int_roll/ext_roll: TGL's edges.csv split columns (,src,dst,time,int_roll,ext_roll), not edge features
const SKIP_NAMES = new Set(['', 'idx', 'index', 'edge_idx', 'edge_id', 'eid', 'row', 'rowid', 'row_id', 'int_roll', 'ext_roll']);

const ROLE_ALIASES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['src', 'src'], ['source', 'src'], ['u', 'src'], ['user', 'src'], ['user_id', 'src'], ['from', 'src'],
  ['dst', 'dst'], ['target', 'dst'], ['i', 'dst'], ['item', 'dst'], ['item_id', 'dst'], ['to', 'dst'],
  ['t', 't'], ['ts', 't'], ['time', 't'], ['timestamp', 't'],
  ['feat', 'feat'], ['feature', 'feat'], ['features', 'feat'], ['f', 'feat'],
  ['label', 'label'], ['state_label', 'label'], ['y', 'label'],
  ['skip', 'skip'], ['idx', 'skip'], ['index', 'skip'], ['-', 'skip'], ['_', 'skip'],
]);

/** Collects up to maxLines non-blank, non-comment lines from the start of the file (decoded, CR stripped). */
export function collectSample(b: Uint8Array, start: number, maxLines: number, maxBytes: number): Sample {
  const limit = sampleEnd(b, start, maxBytes);
  const text = new TextDecoder('utf-8').decode(b.subarray(start, limit));
  // LF, CRLF and a lone CR end a line, as in the scanner
  const raw = text.split(/\r\n|\n|\r/);
  const lines: SampleLine[] = [];
  for (let k = 0; k < raw.length && lines.length < maxLines; k++) {
    const s = raw[k]!;
    const trimmed = s.trim();
    if (trimmed === '') continue;
    const c = trimmed.charCodeAt(0);
    if (c === HASH || c === PERCENT) continue;
    lines.push({ line: k + 1, text: s });
  }
  return { lines, avgLineBytes: Math.max(1, (limit - start) / raw.length) };
}

/** End of the sampled prefix: maxBytes after start, extended to the end of the line there (CR or LF), or b.length. */
export function sampleEnd(b: Uint8Array, start: number, maxBytes: number): number {
  let limit = Math.min(b.length, start + maxBytes);
  while (limit < b.length && b[limit] !== LF && b[limit] !== CR) limit++;
  return limit;
}

function delimiterCode(name: DetectOptions['delimiter']): number {
  switch (name) {
    case ',': return COMMA;
    case '\t': return TAB;
    case ';': return SEMICOLON;
    case ' ':
    case 'whitespace': return WHITESPACE;
    default: return NaN;
  }
}

function delimiterName(code: number): DelimiterName {
  if (code === COMMA) return ',';
  if (code === TAB) return '\t';
  if (code === SEMICOLON) return ';';
  return 'whitespace';
}

/**
 * The delimiter other than `tried` that splits the most sample lines into 3 or more fields (src, dst, t),
 * if it does so for at least half of them; ties go to comma, then tab, semicolon, whitespace.
 */
export function suggestDelimiter(lines: readonly SampleLine[], tried: DelimiterName): DelimiterName | null {
  let best: DelimiterName | null = null;
  let bestCount = Math.ceil(lines.length / 2) - 1;
  for (const code of [COMMA, TAB, SEMICOLON, WHITESPACE]) {
    const name = delimiterName(code);
    if (name === tried) continue;
    const count = lines.filter((l) => splitLine(l.text, code).filter((f) => f !== '').length >= 3).length;
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}

/** Human-readable delimiter for messages. */
export function describeDelimiter(name: string): string {
  if (name === '\t') return 'tab';
  if (name === 'whitespace' || name === ' ') return 'whitespace';
  return `'${name}'`;
}

function fieldCountStats(lines: readonly SampleLine[], delim: number): { mode: number; consistency: number } {
  const counts = new Map<number, number>();
  for (const l of lines) {
    // empty pieces do not count, so a trailing tab after space-separated fields does not make a tab file
    const c = splitLine(l.text, delim).filter((f) => f !== '').length;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let mode = 0;
  let best = 0;
  for (const [c, k] of counts) {
    if (k > best || (k === best && c > mode)) {
      mode = c;
      best = k;
    }
  }
  return { mode, consistency: lines.length > 0 ? best / lines.length : 0 };
}

const ROLE_TITLE: Record<Role, string> = { src: 'source', dst: 'destination', t: 'time', feat: 'feature', label: 'label', skip: 'skipped' };

/** 'comma', 'tab', 'semicolon' or 'whitespace' */
export function delimiterWord(code: number): string {
  return code === COMMA ? 'comma' : code === TAB ? 'tab' : code === SEMICOLON ? 'semicolon' : 'whitespace';
}

/**
 * Refuses a sample whose lines use different delimiters (some comma-separated, others tab-separated):
 * read with one, the others would be dropped row by row. Each of two delimiters splits at least a fifth
 * of the lines into 3 or more fields where the chosen one does not.
 */
function checkOneDelimiter(lines: readonly SampleLine[]): void {
  const body = lines.length >= 3 ? lines.slice(1) : lines;
  if (body.length < 2) return;
  const fields = (l: SampleLine, code: number): number => splitLine(l.text, code).filter((f) => f !== '').length;
  const usesOwn = (code: number): SampleLine[] => body.filter((l) => fields(l, code) >= 3 && [COMMA, TAB, SEMICOLON].every((o) => o === code || fields(l, o) < 3));
  const found = [COMMA, TAB, SEMICOLON].map((code) => ({ code, lines: usesOwn(code) })).filter((u) => u.lines.length * 5 >= body.length);
  if (found.length < 2) return;
  const [a, b] = found.sort((x, y) => y.lines.length - x.lines.length) as [(typeof found)[number], (typeof found)[number]];
  throw new DetectError(
    `the lines use different delimiters: ${a.lines.length} of ${body.length} sampled lines are ${delimiterWord(a.code)}-separated (first: line ${a.lines[0]!.line}) ` +
      `and ${b.lines.length} ${b.lines.length === 1 ? 'is' : 'are'} ${delimiterWord(b.code)}-separated (first: line ${b.lines[0]!.line}); use one delimiter throughout the file ` +
      `(for example replace the ${delimiterWord(b.code)}s with ${delimiterWord(a.code)}s), then import again`,
  );
}

/** Tab, comma or semicolon when one splits the lines consistently (most fields wins, comma on ties), else whitespace. */
function detectDelimiter(lines: readonly SampleLine[]): number {
  const body = lines.length >= 3 ? lines.slice(1) : lines;
  let bestCode = NaN;
  let bestMode = 1;
  for (const code of [COMMA, TAB, SEMICOLON]) {
    const { mode, consistency } = fieldCountStats(body, code);
    if (mode > bestMode && consistency >= 0.8) {
      bestCode = code;
      bestMode = mode;
    }
  }
  const ws = fieldCountStats(body, WHITESPACE);
  // SNAP-style files mixing tabs and spaces ("1<tab>2 100"): a tab that gives only 2 fields loses to
  // whitespace when that splits the lines consistently into src, dst and t
  if (!Number.isNaN(bestCode) && bestMode < 3 && ws.mode >= 3 && ws.consistency >= 0.8) return WHITESPACE;
  if (!Number.isNaN(bestCode)) return bestCode;
  if (ws.mode >= 2) return WHITESPACE;
  // nothing consistent: the candidate with the most fields on most lines
  let fallback = WHITESPACE;
  let fallbackScore = ws.mode * ws.consistency;
  for (const code of [COMMA, TAB, SEMICOLON]) {
    const { mode, consistency } = fieldCountStats(body, code);
    if (mode * consistency > fallbackScore) {
      fallback = code;
      fallbackScore = mode * consistency;
    }
  }
  return fallback;
}

function isKnownName(name: string): boolean {
  const n = name.toLowerCase();
  return TIME_NAMES.has(n) || SRC_NAMES.has(n) || DST_NAMES.has(n) || LABEL_NAMES.has(n) || (n !== '' && SKIP_NAMES.has(n));
}

/** Header when a field of row 0 is text where later rows hold numbers, or row 0 is all text with known names. */
function detectHeader(rows: readonly string[][]): boolean {
  const first = rows[0]!;
  const rest = rows.slice(1);
  if (rest.length > 0) {
    for (let j = 0; j < first.length; j++) {
      if (isNumericText(first[j]!)) continue;
      let numeric = 0;
      let present = 0;
      for (const r of rest) {
        if (j < r.length) {
          present++;
          if (isNumericText(r[j]!)) numeric++;
        }
      }
      if (present > 0 && numeric >= 0.9 * present) return true;
    }
  }
  const known = first.filter(isKnownName).length;
  const numeric = first.filter(isNumericText).length;
  return known >= 2 && numeric === 0;
}

function detectFormat(names: readonly string[] | null): Format {
  if (names === null) return 'plain';
  const n = names.map((s) => s.toLowerCase());
  if (n[0] === 'user_id' && n[1] === 'item_id' && n[2] === 'timestamp') return 'jodie';
  if (n.includes('u') && n.includes('i') && n.includes('ts') && (n[0] === '' || n.includes('idx'))) return 'dyglib';
  return 'plain';
}

interface ColumnStats {
  numeric: number;
  /** values that are ISO-8601 dates or date-times (not numbers) */
  dates: number;
  present: number;
  min: number;
  max: number;
  decreases: number;
  firstNonNumericLine: number;
}

function columnStats(rows: readonly string[][], lineOf: readonly number[], numColumns: number, decimalComma: boolean): ColumnStats[] {
  const stats: ColumnStats[] = [];
  for (let j = 0; j < numColumns; j++) {
    let numeric = 0;
    let dates = 0;
    let present = 0;
    let min = Infinity;
    let max = -Infinity;
    let decreases = 0;
    let prev = -Infinity;
    let firstNonNumericLine = 0;
    rows.forEach((r, k) => {
      if (r.length !== numColumns) return;
      present++;
      const v = parseNumberTextComma(r[j]!, decimalComma);
      if (!Number.isFinite(v)) {
        if (parseIsoDate(r[j]!) !== null) dates++;
        else if (firstNonNumericLine === 0 && r[j] !== '') firstNonNumericLine = lineOf[k]!;
        return;
      }
      numeric++;
      if (v < prev) decreases++;
      prev = v;
      if (v < min) min = v;
      if (v > max) max = v;
    });
    stats.push({ numeric, dates, present, min, max, decreases, firstNonNumericLine });
  }
  return stats;
}

/** A date column: most sampled values are ISO-8601 dates or date-times (bad ones are dropped later, with a message). */
function isDateColumn(s: ColumnStats): boolean {
  return s.dates * 2 > s.present && s.dates > s.numeric;
}

/** Numeric when most sampled values are numbers (bad rows are dropped later, with a message). */
function isNumericColumn(s: ColumnStats): boolean {
  return s.numeric > 0 && s.numeric * 2 > s.present;
}

function fmt(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : String(Number(v.toPrecision(6)));
}

/** Picks the time column among `candidates` from values: sorted + unix-like, unix-like, sorted (last wins), last numeric. */
function detectTimeColumn(
  stats: readonly ColumnStats[],
  candidates: readonly number[],
): { column: number; reason: string; guessed: boolean } | null {
  const numeric = candidates.filter((j) => isNumericColumn(stats[j]!));
  if (numeric.length === 0) return null;
  const varies = (s: ColumnStats): boolean => s.numeric < 2 || s.max > s.min;
  const sorted = (s: ColumnStats): boolean => s.decreases === 0 && varies(s);
  const unix = (s: ColumnStats): boolean => s.min >= 1e8 && s.max < 1e13 && varies(s);
  const last = (pred: (s: ColumnStats) => boolean): number | undefined => numeric.filter((j) => pred(stats[j]!)).pop();
  let j = last((s) => sorted(s) && unix(s));
  if (j !== undefined) {
    const s = stats[j]!;
    return { column: j, reason: `column ${j + 1} is non-decreasing and looks like unix time (sampled values ${fmt(s.min)}..${fmt(s.max)})`, guessed: false };
  }
  j = last(unix);
  if (j !== undefined) {
    const s = stats[j]!;
    return { column: j, reason: `column ${j + 1} looks like unix time (sampled values ${fmt(s.min)}..${fmt(s.max)}), though not sorted`, guessed: false };
  }
  j = last(sorted);
  if (j !== undefined) return { column: j, reason: `column ${j + 1} is non-decreasing (the last such column)`, guessed: false };
  j = numeric[numeric.length - 1]!;
  return { column: j, reason: `guessed: column ${j + 1} is the last numeric column (no column is sorted or looks like unix time)`, guessed: true };
}

function parseColumnsOption(columns: string, numColumns: number, delimiter: DelimiterName): Role[] {
  const parts = columns.split(',').map((s) => s.trim().toLowerCase());
  const roles: Role[] = parts.map((p) => {
    const r = ROLE_ALIASES.get(p);
    if (r === undefined) {
      throw new DetectError(`unknown role '${p}' in columns '${columns}'; use src, dst, t, feat, label or skip, one per column in file order`);
    }
    return r;
  });
  const count = (r: Role): number => roles.filter((x) => x === r).length;
  for (const r of ['src', 'dst', 't'] as const) {
    if (count(r) !== 1) {
      throw new DetectError(`columns '${columns}' must name exactly one ${r} column, got ${count(r)}; e.g. 'src,dst,t' or 'src,dst,feat,t'`);
    }
  }
  if (count('label') > 1) throw new DetectError(`columns '${columns}' names ${count('label')} label columns; at most one is allowed`);
  if (roles.length !== numColumns) {
    throw new DetectError(
      `columns '${columns}' lists ${roles.length} roles but the file has ${numColumns} columns (delimiter ${describeDelimiter(delimiter)}); ` +
        `give one role per column in file order (use skip for columns to ignore)`,
    );
  }
  return roles;
}

/** Runs all detection on the sample. Throws DetectError when the layout cannot hold events. */
export function detect(sample: Sample, options: DetectOptions): Detection {
  const lines = sample.lines;
  const issues: DetectIssue[] = [];
  let code: number;
  if (options.delimiter !== undefined) {
    code = delimiterCode(options.delimiter);
    if (Number.isNaN(code)) {
      throw new DetectError(`unknown delimiter '${String(options.delimiter)}'; use ',', tab, ';', ' ' or 'whitespace'`);
    }
  } else {
    code = detectDelimiter(lines);
    checkOneDelimiter(lines);
  }
  const delimiter = delimiterName(code);
  const rows = lines.map((l) => splitLine(l.text, code));
  const header = options.header ?? detectHeader(rows);
  // a header asked for where the first line looks like an event: it is not read as one; say so
  if (options.header === true && rows[0]!.length >= 3 && rows[0]!.every((f) => isNumericText(f)) && rows.length > 1) {
    issues.push({
      severity: 'warning', line: lines[0]!.line, column: null,
      message: `the first line (${rows[0]!.join(',').slice(0, 60)}) is read as the header, as asked, though it looks like an event; if it is one, read the file without a header`,
    });
  }
  const headerNames = header ? rows[0]! : null;
  const dataRows = header ? rows.slice(1) : rows;
  const dataLines = (header ? lines.slice(1) : lines).map((l) => l.line);
  if (dataRows.length === 0) {
    throw new DetectError(header ? 'the file has a header line but no data rows; add events below the header' : 'no data rows found');
  }
  const { mode: numColumns } = fieldCountStatsRows(dataRows);
  const requestedFormat = options.format ?? 'auto';
  const format: Format = requestedFormat === 'auto' ? detectFormat(headerNames) : requestedFormat;
  if (numColumns < 3 && options.columns === undefined) {
    const detected = options.delimiter === undefined;
    throw new DetectError(
      `found only ${numColumns} column${numColumns === 1 ? '' : 's'} with delimiter ${describeDelimiter(delimiter)} ` +
        `(${detected ? 'detected' : 'as chosen'}); an event needs at least src, dst and t columns`,
      { kind: 'delimiter', tried: delimiter, detected, suggested: suggestDelimiter(lines, delimiter) },
    );
  }
  const decimalComma = code === SEMICOLON && dataRows.some((r) => r.some(hasDecimalComma));
  const stats = columnStats(dataRows, dataLines, numColumns, decimalComma);
  const names = headerNames === null ? null : headerNames.map((s) => s.trim());
  if (names !== null && names.length !== numColumns && format !== 'jodie') {
    issues.push({
      severity: 'warning', line: lines[0]!.line, column: null,
      message: `header has ${names.length} names but data rows have ${numColumns} fields; names were matched to columns by position`,
    });
  }
  const nameOf = (j: number): string => (names !== null && j < names.length ? names[j]! : '');
  let roles: Role[];
  let timeColumnReason: string;
  let bipartite = false;

  if (options.columns !== undefined) {
    roles = parseColumnsOption(options.columns, numColumns, delimiter);
    timeColumnReason = `explicit columns option (column ${roles.indexOf('t') + 1})`;
  } else if (format === 'jodie') {
    if (numColumns < 4) throw new DetectError(`JODIE format needs user_id,item_id,timestamp,state_label[,features…], got ${numColumns} columns`);
    roles = ['src', 'dst', 't', 'label', ...Array.from({ length: numColumns - 4 }, (): Role => 'feat')];
    timeColumnReason = names !== null ? `JODIE format: header name '${nameOf(2)}'` : 'JODIE format: column 3';
    bipartite = true;
  } else if (format === 'dyglib') {
    if (names !== null) {
      roles = names.slice(0, numColumns).map((raw, j): Role => {
        const n = raw.toLowerCase();
        if (j === 0 && n === '') return 'skip';
        if (n === 'u') return 'src';
        if (n === 'i') return 'dst';
        if (n === 'ts') return 't';
        if (n === 'label') return 'label';
        if (SKIP_NAMES.has(n)) return 'skip';
        return 'feat';
      });
      while (roles.length < numColumns) roles.push('feat');
      timeColumnReason = `DyGLib/TGN ml_ format: header name 'ts'`;
    } else {
      if (numColumns < 4) throw new DetectError(`DyGLib/TGN ml_ format needs ,u,i,ts[,label,idx], got ${numColumns} columns`);
      roles = ['skip', 'src', 'dst', 't', 'label', 'skip', ...Array.from({ length: Math.max(0, numColumns - 6) }, (): Role => 'feat')].slice(0, numColumns) as Role[];
      timeColumnReason = 'DyGLib/TGN ml_ format: column 4';
    }
    for (const r of ['src', 'dst', 't'] as const) {
      if (!roles.includes(r)) throw new DetectError(`DyGLib/TGN ml_ header must have u, i and ts columns; pass columns to map them`);
    }
  } else {
    const assigned: (Role | null)[] = new Array<Role | null>(numColumns).fill(null);
    let reason = '';
    if (names !== null) {
      const lower = Array.from({ length: numColumns }, (_, j) => nameOf(j).toLowerCase());
      const claim = (role: Role, set: ReadonlySet<string>): void => {
        const j = lower.findIndex((n, k) => assigned[k] === null && set.has(n));
        if (j >= 0) assigned[j] = role;
      };
      let tj = lower.findIndex((n) => TIME_NAMES.has(n));
      if (tj < 0) tj = lower.findIndex((n, k) => /time|date/.test(n) && (isNumericColumn(stats[k]!) || isDateColumn(stats[k]!)));
      if (tj >= 0) {
        assigned[tj] = 't';
        reason = `header name '${nameOf(tj)}'`;
      }
      claim('src', SRC_NAMES);
      claim('dst', DST_NAMES);
      for (let j = 0; j < numColumns; j++) {
        if (assigned[j] !== null) continue;
        if (LABEL_NAMES.has(lower[j]!) && !assigned.includes('label')) assigned[j] = 'label';
        else if (SKIP_NAMES.has(lower[j]!) && (lower[j] !== '' || j === 0)) assigned[j] = 'skip';
      }
    }
    if (!assigned.includes('t')) {
      const free = Array.from({ length: numColumns }, (_, j) => j).filter((j) => assigned[j] === null);
      // src/dst come first: when they are not named, keep two free columns for them
      const srcDstMissing = (assigned.includes('src') ? 0 : 1) + (assigned.includes('dst') ? 0 : 1);
      const candidates = free.length > srcDstMissing ? free : [];
      const dateColumn = candidates.find((j) => isDateColumn(stats[j]!));
      // dates say they are times: a date column wins over numeric guesses
      const found = dateColumn !== undefined
        ? { column: dateColumn, reason: `column ${dateColumn + 1} holds ISO-8601 dates`, guessed: false }
        : detectTimeColumn(stats, candidates);
      if (found === null) {
        throw new DetectError(
          `could not find a numeric time column among ${numColumns} columns (delimiter ${describeDelimiter(delimiter)}); ` +
            `pass columns, e.g. 'src,dst,t'`,
        );
      }
      assigned[found.column] = 't';
      reason = (names !== null ? 'no time-like header name; ' : '') + found.reason;
      if (found.guessed) {
        issues.push({
          severity: 'warning', line: dataLines[0]!, column: found.column + 1,
          message: `time column guessed as column ${found.column + 1}; if wrong, pass columns (e.g. 'src,dst,t')`,
        });
      }
    }
    for (const r of ['src', 'dst'] as const) {
      if (assigned.includes(r)) continue;
      const j = assigned.indexOf(null);
      if (j < 0) throw new DetectError(`no column left for ${r}; pass columns, e.g. 'src,dst,t'`);
      assigned[j] = r;
    }
    roles = assigned.map((r, j): Role => {
      if (r !== null) return r;
      const s = stats[j]!;
      if (isNumericColumn(s)) return 'feat';
      const label = nameOf(j) !== '' ? ` ('${nameOf(j)}')` : '';
      issues.push({
        severity: 'warning', line: s.firstNonNumericLine || dataLines[0]!, column: j + 1,
        message: `column ${j + 1}${label} is not numeric, so it cannot be an edge feature; it was ignored (pass columns to map it)`,
      });
      return 'skip';
    });
    timeColumnReason = reason;
    // a role named twice in the header (t,t or src,...,src): the second column got another role; say so
    if (names !== null) {
      const roleOfName = (n: string): Role | null =>
        TIME_NAMES.has(n) ? 't' : SRC_NAMES.has(n) ? 'src' : DST_NAMES.has(n) ? 'dst' : LABEL_NAMES.has(n) ? 'label' : null;
      for (let j = 0; j < numColumns; j++) {
        const named = roleOfName(nameOf(j).toLowerCase());
        if (named === null || roles[j] === named) continue;
        const first = roles.indexOf(named);
        if (first < 0) continue;
        issues.push({
          severity: 'warning', line: lines[0]!.line, column: j + 1,
          message: `the header names a ${ROLE_TITLE[named]} column twice (columns ${first + 1} and ${j + 1}); column ${j + 1} ('${nameOf(j)}') was read as ` +
            `${roles[j] === 'feat' ? 'an edge feature' : roles[j] === 'skip' ? 'nothing (ignored)' : `the ${ROLE_TITLE[roles[j]!]}`}; rename it, or say which column is which`,
        });
      }
    }
  }
  const tc = roles.indexOf('t');
  const timeIsDate = tc >= 0 && !isNumericColumn(stats[tc]!) && isDateColumn(stats[tc]!);
  return {
    delimiter, delimiterCode: code, header, headerLine: header ? lines[0]!.line : 0, headerNames: names, format,
    numColumns, roles, timeColumnReason, bipartite, timeIsDate, decimalComma, issues,
  };
}

function fieldCountStatsRows(rows: readonly string[][]): { mode: number } {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let mode = 0;
  let best = 0;
  for (const [c, k] of counts) {
    if (k > best || (k === best && c > mode)) {
      mode = c;
      best = k;
    }
  }
  return { mode };
}
