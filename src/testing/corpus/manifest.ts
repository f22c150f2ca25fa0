// The bad-input corpus (issue 11, point 9): awkward or broken event files, each with what importing it must
// give. corpus.test.ts runs every case through the importer in-process and through the CLI (`tgnn stats`,
// and `tgnn train` where a case says so); e2e/corpus.e2e.ts uploads the cases marked `browser` in the page.
//
// Inputs are the files in inputs/ (each a few KB at most); the few that need size are written by the test
// into a temporary folder (`generate`). An expectation is what a user should get, checked by hand before it
// was written down: the events read (nothing lost without a message naming its line), or one message naming
// what is wrong and how to fix it. A case whose current behaviour is wrong carries `knownFailure` (why) and
// is run with it.fails, so it turns red when someone fixes it and the mark can go.

import type { ImportOptions } from '../../shared/data.ts';

/** exact text, or a pattern for the parts that are fixed */
export type Text = string | RegExp;

export interface Loads {
  events: number;
  nodes: number;
  /** first and last time after import (seconds, or whatever unit the file uses) */
  times: readonly [number, number];
  /** the report's issues as `tgnn stats` prints them ("line N[, column C]: message"), in order */
  warnings: readonly Text[];
  /** how many issues in all, when only the first few are listed in `warnings` */
  warningCount?: number;
  /** what `tgnn stats --json` says about training on it (`trainable`); none of either when absent */
  trainable?: { errors?: readonly string[]; warnings?: readonly string[] };
}

export interface Refused {
  error: {
    /** the line the message names ("line L"), when the problem has one */
    line?: number;
    /** the importer's message (ImportError.message) */
    message: Text;
    /** what the CLI appends to it, in its flags (the stderr line is `tgnn: ${message}${cliFix}`, with the
     * importer's hints in the CLI's terms: cli/load.ts cliImportText) */
    cliFix?: string;
  };
}

/** `tgnn train --epochs 1` (tiny model, cpu): what training says (stats's `trainable` says the same without training) */
export interface TrainOutcome {
  exit: 0 | 2;
  /** a line of stderr, exactly */
  stderr: string;
}

export type Area = 'delimiter' | 'header' | 'quote' | 'time' | 'id' | 'encoding' | 'line ending' | 'structure' | 'layout' | 'flags';

export interface CorpusCase {
  /** a file in inputs/, or the name `generate` writes */
  name: string;
  area: Area;
  about: string;
  /** the bytes, written by the test (inputs too large to check in) */
  generate?: () => Uint8Array;
  /** import options; the CLI gets the same as flags (--columns, --delimiter, --header, --format) */
  options?: ImportOptions;
  /** `tgnn stats` exits 0 for Loads and 2 for Refused (never 1) */
  expect: Loads | Refused;
  train?: TrainOutcome;
  /** also uploaded in the page by e2e/corpus.e2e.ts */
  browser?: true;
  /** a finding: what is wrong today (the expectation says what is right); the case runs with it.fails */
  knownFailure?: string;
}

const enc = new TextEncoder();
/** n rows `i % 7, (i + 1) % 7, i + 1` (the same rows as most files in inputs/) */
const rows = (n: number, from = 0): string[] => Array.from({ length: n }, (_, k) => {
  const i = k + from;
  return `${i % 7},${(i + 1) % 7},${i + 1}`;
});
const file = (lines: readonly string[]): Uint8Array => enc.encode(lines.join('\n') + '\n');
const MB = 1 << 20;

const ISO = 'times are ISO-8601 dates, read as seconds since 1970-01-01 00:00 UTC';
const NO_OFFSET = (k: number) => `line 2, column 3: ${ISO}; ${k} of them name no UTC offset (the first here) and were taken as UTC`;
const LONG_LINE = (line: number) =>
  `line ${line} is longer than 1 MB without a line break; an event file has one short event per line (such as src,dst,t); check that this is the right file, or fix or delete the line`;
const LAYOUT_FIX = '; if that is wrong, pass --delimiter, --columns or --header, otherwise fix the file';
const SEPARATOR_FIX = '; if the file uses another separator, pass --delimiter comma, tab, semicolon or whitespace';
const JSON_MESSAGE = 'the file looks like JSON; the importer reads delimited text with one event per line (CSV such as src,dst,t, TSV or ' +
  'whitespace-separated); convert it to CSV first, for example with one row per event: source id, destination id, time';
const UTF16 = (endian: string, bom: string) =>
  `line 1: the file is UTF-16 text (${endian}-endian, ${bom} a byte-order mark); it was read as such (saving it as UTF-8 makes it half the size)`;
const TIES_BY_ORDER = (line: number, t: number) =>
  `line ${line}: 3 of 12 events share the time ${t}, so splitting by time would leave the test part empty; the events are split by their ` +
  'order instead (8 training, 2 validation, 2 test), so events at the same time can fall in two parts; finer times (e.g. seconds instead of days) avoid this';
const BEYOND_2POW53 = (first: string, step: string) =>
  `line 2: 12 of 12 times are at or beyond 2^53 = 9007199254740992 (the first: ${first}); numbers that large are stored only in steps of ${step} or more, ` +
  'so these times may have been rounded and nearby times may have become equal; if they are milliseconds or nanoseconds, convert them to seconds';
const ALL_EQUAL = 'all 12 events happen at the same time (5): the model learns from when events happen and the training, validation and test parts follow time, so the times must differ; check that the time column is the right one';
const SPAN_1E300 = 'the times span 1.1e+301 (from 1e+300 to 1.2e+301), but the model computes with 32-bit numbers, which end at about 3.4e38, so training would give only NaN; divide the times by 1e293 (or give them in seconds) and load the file again';
const SPAN_TINY = 'the times span only 1.1e-49 (from 1e-50 to 1.2e-49), but the model computes with 32-bit numbers, which cannot tell differences below about 1.2e-38 from 0; multiply the times by 1e58 and load the file again';
const MULTI_LINE = (line: number) =>
  `line ${line}: 1 quoted value spans lines (the first opens here) and was read as one value; if a quote was not meant to be there, delete it`;
const NOT_A_NUMBER = (line: number, v: string) => `line ${line}, column 3: time '${v}' is not a number; fix or delete the row`;

export const CORPUS: readonly CorpusCase[] = [
  // ── delimiters
  { name: 'delim-comma.csv', area: 'delimiter', about: 'plain comma CSV with a src,dst,t header (the reference case)', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'delim-tab.tsv', area: 'delimiter', about: 'tab-separated with a header', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'delim-semicolon.csv', area: 'delimiter', about: 'semicolon-separated with a header', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'delim-whitespace-snap.txt', area: 'delimiter', about: 'SNAP style: # comment lines, single spaces, no header', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'delim-mixed-spaces-tabs.txt', area: 'delimiter', about: 'whitespace file whose rows alternate two spaces and a tab', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'delim-comma-with-spaces.csv', area: 'delimiter', about: '", " between fields (blanks around values are trimmed)', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'delim-trailing-comma.csv', area: 'delimiter', about: 'every line (header too) ends with a comma: an empty 4th column, ignored with a note', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ['line 2, column 4: column 4 is not numeric, so it cannot be an edge feature; it was ignored (pass columns to map it)'] } },
  { name: 'delim-tab-trailing-tabs.tsv', area: 'delimiter', about: 'tab file, header ending in a tab, rows in two: empty columns ignored, said so', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ['line 1: header has 4 names but data rows have 5 fields; names were matched to columns by position', 'line 2, column 4: column 4 is not numeric, so it cannot be an edge feature; it was ignored (pass columns to map it)', 'line 2, column 5: column 5 is not numeric, so it cannot be an edge feature; it was ignored (pass columns to map it)'] } },
  { name: 'delim-whitespace-leading-blanks.txt', area: 'delimiter', about: 'whitespace file, every line indented', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'delim-whitespace-id-with-space.txt', area: 'delimiter', about: "whitespace file, an unquoted id 'Anna Maria': that row (4 fields) dropped, named", expect: { events: 11, nodes: 7, times: [1, 12], warnings: ['line 4, column 4: the row has 4 fields, expected 3 (src,dst,t); remove the extra fields or quote values that contain the delimiter'] } },
  {
    name: 'delim-mixed-comma-tab-rows.csv', area: 'delimiter', about: 'header, then rows alternating comma and tab: refused naming both delimiters and their first lines', browser: true,
    expect: { error: { line: 2, message: 'the lines use different delimiters: 6 of 12 sampled lines are comma-separated (first: line 2) and 6 are tab-separated (first: line 3); use one delimiter throughout the file (for example replace the tabs with commas), then import again' } },
  },
  {
    // finding (minor): line 1 is left out of the count as a possible header, so "6 of 11" and "first: line 3"
    // although line 1 is comma-separated; the pattern pins only what is right
    name: 'delim-mixed-comma-tab-rows-no-header.csv', area: 'delimiter', about: 'no header, rows alternating comma and tab: refused naming both delimiters',
    expect: { error: { message: /^the lines use different delimiters: \d+ of \d+ sampled lines are tab-separated \(first: line 2\) and \d+ are comma-separated \(first: line \d+\); use one delimiter throughout the file \(for example replace the commas with tabs\), then import again$/ } },
  },
  { name: 'delim-one-tab-row-in-comma-file.csv', area: 'delimiter', about: 'one tab-separated row in a comma file: that row dropped, named as a tab row', expect: { events: 11, nodes: 7, times: [1, 12], warnings: ['line 7, column 2: the row has 1 field, expected 3 (src,dst,t), but it is tab-separated while the file is comma-separated; use one delimiter throughout, or fix or delete the row'] } },
  {
    // finding (minor): '|' is not a delimiter the importer knows, and none of the delimiters the fix offers
    // would read the file; the pattern pins the diagnosis, not the fix
    name: 'delim-pipe.txt', area: 'delimiter', about: "'|'-separated (not supported): refused, one column found",
    expect: { error: { message: 'found only 1 column with delimiter whitespace (detected); an event needs at least src, dst and t columns', cliFix: SEPARATOR_FIX } },
  },

  // ── headers
  { name: 'header-absent.csv', area: 'header', about: 'no header line: roles by position', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'header-aliases.csv', area: 'header', about: 'source,target,timestamp', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'header-time-first.csv', area: 'header', about: 'time,src,dst: the header puts the time first', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'header-unknown-names.csv', area: 'header', about: 'from_user,to_user,when: no known name; time = the last non-decreasing numeric column', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'header-duplicate-t.csv', area: 'header', about: 'src,dst,t,t: the second t becomes a feature, with a warning', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ["line 1, column 4: the header names a time column twice (columns 3 and 4); column 4 ('t') was read as an edge feature; rename it, or say which column is which"] } },
  { name: 'header-duplicate-src.csv', area: 'header', about: 'src,dst,t,src: the second src becomes a feature, with a warning', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ["line 1, column 4: the header names a source column twice (columns 1 and 4); column 4 ('src') was read as an edge feature; rename it, or say which column is which"] } },
  { name: 'header-extra-names.csv', area: 'header', about: 'header names 4 columns, rows have 3', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ['line 1: header has 4 names but data rows have 3 fields; names were matched to columns by position'] } },
  { name: 'header-missing-names.csv', area: 'header', about: 'header names 2 columns, rows have 3', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ['line 1: header has 2 names but data rows have 3 fields; names were matched to columns by position'] } },
  { name: 'header-repeated-mid-file.csv', area: 'header', about: 'two CSVs concatenated: the second header at line 8 is a dropped row', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [NOT_A_NUMBER(8, 't')] } },
  { name: 'header-repeated-with-bom.csv', area: 'header', about: 'two UTF-8-with-BOM CSVs concatenated: the BOM before the second header does not hide it', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [NOT_A_NUMBER(8, 't')] } },
  { name: 'header-bom-quoted.csv', area: 'header', about: 'a BOM, then a quoted header', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  {
    // note: Excel's 'sep=,' first line is taken as a 2-name header and the real header as a bad row; no event
    // is lost and both lines are named, but a hint that 'sep=' lines can go would be clearer
    name: 'header-excel-sep-line.csv', area: 'header', about: "Excel's 'sep=,' line before the header",
    expect: { events: 12, nodes: 7, times: [1, 12], warnings: ['line 1: header has 2 names but data rows have 3 fields; names were matched to columns by position', NOT_A_NUMBER(2, 't')] },
  },
  { name: 'header-only.csv', area: 'header', about: 'a header and nothing else', browser: true, expect: { error: { message: 'the file has a header line but no data rows; add events below the header' } } },

  // ── quotes
  { name: 'quote-ids.csv', area: 'quote', about: 'quoted header names and ids', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'quote-escaped.csv', area: 'quote', about: 'doubled quotes and a comma inside quoted ids ("say ""0""", "x,1")', expect: { events: 12, nodes: 14, times: [1, 12], warnings: [] } },
  { name: 'quote-number-time.csv', area: 'quote', about: 'quoted times ("3")', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'quote-inside-unquoted-field.csv', area: 'quote', about: 'O"Brien: a quote inside an unquoted id is part of the id', expect: { events: 12, nodes: 8, times: [1, 12], warnings: [] } },
  {
    name: 'quote-stray-unclosed.csv', area: 'quote', about: 'a stray " at the start of line 6 of 31: only that row is dropped, named', browser: true,
    expect: { events: 29, nodes: 7, times: [1, 30], warnings: ['line 6, column 1: the quote opened in the source id is never closed (the rest of the file would be one value); close the quote or delete it'] },
  },
  { name: 'quote-stray-at-line-100.csv', area: 'quote', about: "issue 11's CollegeMsg case: a stray \" at line 100 of 201 no longer swallows the rest", expect: { events: 199, nodes: 7, times: [1, 200], warnings: ['line 100, column 1: the quote opened in the source id is never closed (the rest of the file would be one value); close the quote or delete it'] } },
  {
    name: 'quote-closes-lines-later-number.csv', area: 'quote', about: 'a quote opened before the time on line 5 closes after the time on line 7: both rows dropped, line 6 kept',
    expect: { events: 10, nodes: 7, times: [1, 12], warnings: ['line 5, column 3: the quote opened in the time closes only on line 7, so lines 5–7 would be one value; close the quote on this line or delete it', `line 7, column 3: time '6"' is not a number; fix or delete the row`] },
  },
  { name: 'quote-multiline-id.csv', area: 'quote', about: 'a quoted id spanning two lines: read as one id, with a warning', expect: { events: 12, nodes: 8, times: [1, 12], warnings: ['line 4: 1 quoted value spans lines (the first opens here) and was read as one value; if a quote was not meant to be there, delete it'] } },
  { name: 'quote-unclosed-last-line.csv', area: 'quote', about: 'the last line opens a quote that never closes', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ['line 14, column 3: the quote opened in the time is never closed (the rest of the file would be one value); close the quote or delete it'] } },

  // ── times
  { name: 'time-unsorted.csv', area: 'time', about: 'times out of order: sorted, with the first decrease named', train: { exit: 0, stderr: 'backend cpu (--backend cpu)' }, expect: { events: 12, nodes: 7, times: [1, 12], warnings: ['line 5, column 3: times are not in ascending order (first decrease here: 4 after 11); events were sorted stably by time (ties keep file order)'] } },
  { name: 'time-ties.csv', area: 'time', about: 'three events per time; the last time tied: trains on the order split, warned', train: { exit: 0, stderr: `times: ${TIES_BY_ORDER(11, 4)}` }, expect: { events: 12, nodes: 7, times: [1, 4], warnings: [], trainable: { warnings: [TIES_BY_ORDER(11, 4)] } } },
  { name: 'time-tied-last.csv', area: 'time', about: '9 events at 0, 3 at 1: by time the test part would be empty; trains on the order split, warned', train: { exit: 0, stderr: `times: ${TIES_BY_ORDER(11, 1)}` }, expect: { events: 12, nodes: 7, times: [0, 1], warnings: [], trainable: { warnings: [TIES_BY_ORDER(11, 1)] } } },
  {
    name: 'time-all-equal.csv', area: 'time', about: 'every event at time 5: cannot train, one line',
    train: { exit: 2, stderr: `tgnn: time-all-equal.csv: ${ALL_EQUAL}` },
    expect: { events: 12, nodes: 7, times: [5, 5], warnings: [], trainable: { errors: [ALL_EQUAL] } },
  },
  { name: 'time-iso-utc.csv', area: 'time', about: 'ISO-8601 date-times with Z', train: { exit: 0, stderr: 'backend cpu (--backend cpu)' }, expect: { events: 12, nodes: 7, times: [1609502400, 1609503060], warnings: [`line 2, column 3: ${ISO}`] } },
  { name: 'time-iso-offsets.csv', area: 'time', about: 'ISO-8601 with +02:00 (14:00+02:00 = 12:00 UTC)', expect: { events: 12, nodes: 7, times: [1609502400, 1609503060], warnings: [`line 2, column 3: ${ISO}`] } },
  { name: 'time-iso-no-offset.csv', area: 'time', about: 'ISO-8601 without an offset: taken as UTC, said so', expect: { events: 12, nodes: 7, times: [1609502400, 1609503060], warnings: [NO_OFFSET(12)] } },
  { name: 'time-iso-space-separator.csv', area: 'time', about: "'2021-01-01 12:00:00' (space instead of T)", expect: { events: 12, nodes: 7, times: [1609502400, 1609503060], warnings: [NO_OFFSET(12)] } },
  { name: 'time-iso-date-only.csv', area: 'time', about: 'dates without a time of day', expect: { events: 12, nodes: 7, times: [1609459200, 1610409600], warnings: [NO_OFFSET(12)] } },
  { name: 'time-iso-millis.csv', area: 'time', about: 'ISO-8601 with milliseconds (.550Z)', expect: { events: 12, nodes: 7, times: [1609502400, 1609502400.55], warnings: [`line 2, column 3: ${ISO}`] } },
  { name: 'time-bad-date.csv', area: 'time', about: '2021-13-45 among dates: that row dropped, named', expect: { events: 11, nodes: 7, times: [1609459200, 1610409600], warnings: [NO_OFFSET(11), "line 8, column 3: time '2021-13-45' is not a date like 2021-01-31 or 2021-01-31T12:00:00Z; fix or delete the row"] } },
  { name: 'time-iso-bad-offset.csv', area: 'time', about: 'an offset of +25:00: that row dropped, named', expect: { events: 11, nodes: 7, times: [1609502400, 1609503060], warnings: [`line 2, column 3: ${ISO}`, "line 7, column 3: time '2021-01-01T12:05:00+25:00' is not a date like 2021-01-31 or 2021-01-31T12:00:00Z; fix or delete the row"] } },
  { name: 'time-mixed-iso-and-numbers.csv', area: 'time', about: 'one epoch-seconds number among ISO dates: that row dropped, named', expect: { events: 11, nodes: 7, times: [1609502400, 1609503060], warnings: [`line 2, column 3: ${ISO}`, "line 7, column 3: time '1609502700' is not a date like 2021-01-31 or 2021-01-31T12:00:00Z; fix or delete the row"] } },
  { name: 'time-iso-first-row-bad.csv', area: 'time', about: "'yesterday' in the first row of ISO dates: that row dropped, named", expect: { events: 11, nodes: 7, times: [1609502460, 1609503060], warnings: [`line 2, column 3: ${ISO}`, "line 2, column 3: time 'yesterday' is not a date like 2021-01-31 or 2021-01-31T12:00:00Z; fix or delete the row"] } },
  { name: 'time-us-dates.csv', area: 'time', about: '01/31/2021-style dates (not ISO): refused, first bad row named', expect: { error: { line: 2, message: `no events could be read: all 12 data rows are bad (first: ${NOT_A_NUMBER(2, '01/01/2021')}); read with delimiter ',', columns src,dst,t`, cliFix: LAYOUT_FIX } } },
  { name: 'time-decimal-comma-semicolon.csv', area: 'time', about: "';' file with times like 1,5: read as 1.5, said so", train: { exit: 0, stderr: 'backend cpu (--backend cpu)' }, expect: { events: 12, nodes: 7, times: [1.5, 12.5], warnings: ["line 2: 12 numbers with a decimal comma (such as 3,5) were read as decimals (3.5), as usual in ';'-separated files"] } },
  { name: 'time-decimal-comma-feature.csv', area: 'time', about: "';' file with a feature like 0,3", expect: { events: 12, nodes: 7, times: [1, 12], warnings: ["line 2: 12 numbers with a decimal comma (such as 3,5) were read as decimals (3.5), as usual in ';'-separated files"] } },
  { name: 'time-semicolon-comma-thousands.csv', area: 'time', about: "'1,000' … '12,000' in a ';' file: read as decimals (1 … 12), and said so", expect: { events: 12, nodes: 7, times: [1, 12], warnings: ["line 2: 12 numbers with a decimal comma (such as 3,5) were read as decimals (3.5), as usual in ';'-separated files"] } },
  { name: 'time-semicolon-dot-thousands-decimal-comma.csv', area: 'time', about: "'1.230,5' (thousands dot and decimal comma) in a ';' file: refused, first bad row named", expect: { error: { line: 2, message: `no events could be read: all 12 data rows are bad (first: ${NOT_A_NUMBER(2, '1.230,5')}); read with delimiter ';', columns src,dst,t`, cliFix: LAYOUT_FIX } } },
  { name: 'time-with-unit.csv', area: 'time', about: "times with a unit ('1s'): refused, first bad row named", expect: { error: { line: 2, message: `no events could be read: all 12 data rows are bad (first: ${NOT_A_NUMBER(2, '1s')}); read with delimiter ',', columns src,dst,t`, cliFix: LAYOUT_FIX } } },
  { name: 'time-thousands-separator.csv', area: 'time', about: 'quoted "1,000" times in a comma file: refused, first bad row named', expect: { error: { line: 2, message: `no events could be read: all 12 data rows are bad (first: ${NOT_A_NUMBER(2, '1,000')}); read with delimiter ',', columns src,dst,t`, cliFix: LAYOUT_FIX } } },
  {
    // the importer itself rounds 9007199254740993 to …992 without an issue; stats, train and the page's
    // upload all run the times check, which says so
    name: 'time-beyond-2pow53.csv', area: 'time', about: 'times from 2^53 + 1 in steps of 1000: rounded, and stats and train say so',
    train: { exit: 0, stderr: `times: ${BEYOND_2POW53('9007199254740992', '2')}` },
    expect: { events: 12, nodes: 7, times: [9007199254740992, 9007199254751992], warnings: [], trainable: { warnings: [BEYOND_2POW53('9007199254740992', '2')] } },
  },
  {
    name: 'time-1e300.csv', area: 'time', about: 'times 1e300 … 1.2e301: beyond float32, train (and the page) refuse with the fix', browser: true,
    train: { exit: 2, stderr: `tgnn: time-1e300.csv: ${SPAN_1E300}` },
    expect: { events: 12, nodes: 7, times: [1e300, 1.2e301], warnings: [], trainable: { errors: [SPAN_1E300], warnings: [BEYOND_2POW53('1e+300', '1.487016908477783e+284')] } },
  },
  {
    name: 'time-tiny-span.csv', area: 'time', about: 'times 1e-50 … 1.2e-49: below float32, train refuses with the fix',
    train: { exit: 2, stderr: `tgnn: time-tiny-span.csv: ${SPAN_TINY}` },
    expect: { events: 12, nodes: 7, times: [1e-50, 1.2e-49], warnings: [], trainable: { errors: [SPAN_TINY] } },
  },
  { name: 'time-nan-text.csv', area: 'time', about: "'NaN' as a time: that row dropped, named", expect: { events: 11, nodes: 7, times: [1, 12], warnings: ["line 6, column 3: time 'NaN' is not finite; fix or delete the row"] } },
  { name: 'time-inf-text.csv', area: 'time', about: "'inf' and '-Infinity' as times: those rows dropped, named", expect: { events: 10, nodes: 7, times: [1, 12], warnings: ["line 6, column 3: time 'inf' is not finite; fix or delete the row", "line 9, column 3: time '-Infinity' is not finite; fix or delete the row"] } },
  { name: 'time-empty-cells.csv', area: 'time', about: 'two empty time cells: those rows dropped, named', expect: { events: 10, nodes: 7, times: [1, 12], warnings: ['line 5, column 3: time is empty; fill it in or delete the row', 'line 10, column 3: time is empty; fill it in or delete the row'] } },
  { name: 'time-hex.csv', area: 'time', about: '0x1 … 0xc as times: refused, first bad row named', expect: { error: { line: 2, message: `no events could be read: all 12 data rows are bad (first: ${NOT_A_NUMBER(2, '0x1')}); read with delimiter ',', columns src,dst,t`, cliFix: LAYOUT_FIX } } },
  { name: 'time-negative.csv', area: 'time', about: 'times -6 … 5', train: { exit: 0, stderr: 'backend cpu (--backend cpu)' }, expect: { events: 12, nodes: 7, times: [-6, 5], warnings: [] } },
  { name: 'time-fractional.csv', area: 'time', about: 'times 0.01 … 0.12', expect: { events: 12, nodes: 7, times: [0.01, 0.12], warnings: [] } },
  { name: 'time-leading-plus-exponent.csv', area: 'time', about: "'+1.0E0'-style times", expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'time-unix-ms.csv', area: 'time', about: 'Unix milliseconds (1.6e12)', expect: { events: 12, nodes: 7, times: [1609459200000, 1609459211000], warnings: [] } },

  // ── ids
  { name: 'ids-empty.csv', area: 'id', about: 'an empty source id and an empty destination id: those rows dropped, named', expect: { events: 10, nodes: 7, times: [1, 12], warnings: ['line 4, column 1: source id is empty; fill it in or delete the row', 'line 8, column 2: destination id is empty; fill it in or delete the row'] } },
  { name: 'ids-whitespace-only.csv', area: 'id', about: 'a source id of three spaces is empty', expect: { events: 11, nodes: 7, times: [1, 12], warnings: ['line 5, column 1: source id is empty; fill it in or delete the row'] } },
  { name: 'ids-long.csv', area: 'id', about: '2000-character ids', expect: { events: 12, nodes: 8, times: [1, 12], warnings: [] } },
  { name: 'ids-unicode.csv', area: 'id', about: 'ids in Latin, CJK, Cyrillic, Arabic, an emoji', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'ids-numeric-and-text.csv', area: 'id', about: "ids are text: 1, 01, 1.0 and one are four nodes; ' 1' and \"1\" are 1", expect: { events: 12, nodes: 10, times: [1, 12], warnings: [] } },
  { name: 'ids-formula.csv', area: 'id', about: 'an id =HYPERLINK("http://x") is kept as text', expect: { events: 12, nodes: 8, times: [1, 12], warnings: [] } },
  { name: 'ids-quoted-spaces.csv', area: 'id', about: 'a quoted id " 1 " is trimmed to 1', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'ids-self-loops.csv', area: 'id', about: 'every event from a node to itself', expect: { events: 12, nodes: 3, times: [1, 12], warnings: [] } },

  // ── encodings
  { name: 'enc-utf8-bom.csv', area: 'encoding', about: 'UTF-8 with a byte-order mark (the header is still recognised)', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'enc-utf16le-bom.csv', area: 'encoding', about: 'UTF-16 LE with BOM (Excel "Unicode text")', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [UTF16('little', 'with')] } },
  { name: 'enc-utf16be-bom.csv', area: 'encoding', about: 'UTF-16 BE with BOM', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [UTF16('big', 'with')] } },
  { name: 'enc-utf16le-no-bom.csv', area: 'encoding', about: 'UTF-16 LE without BOM', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [UTF16('little', 'without')] } },
  { name: 'enc-utf16be-no-bom.csv', area: 'encoding', about: 'UTF-16 BE without BOM', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [UTF16('big', 'without')] } },
  { name: 'enc-utf16le-cjk-bom.csv', area: 'encoding', about: 'UTF-16 LE with BOM, Japanese ids', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [UTF16('little', 'with')] } },
  {
    // without a BOM, UTF-16 is found by zero bytes on one side of the pairs (ids in Japanese have none)
    name: 'enc-utf16le-cjk-no-bom.csv', area: 'encoding', about: 'UTF-16 LE without BOM, Japanese ids: read as UTF-16',
    expect: { events: 12, nodes: 7, times: [1, 12], warnings: [UTF16('little', 'without')] },
  },
  {
    // ids that are not UTF-8 are read as Windows-1252 with a warning, so René and Renè (Latin-1 0xE9, 0xE8)
    // stay two nodes (a replacement character would merge them)
    name: 'enc-latin1.csv', area: 'encoding', about: 'Latin-1 ids René (line 3) and Renè (line 4): two nodes, and a warning that the file is not UTF-8',
    expect: { events: 12, nodes: 9, times: [1, 12], warnings: [/^line 3(, column 1)?: .*UTF-8/] },
  },
  { name: 'enc-binary.bin', area: 'encoding', about: '1 KB of random bytes', browser: true, expect: { error: { message: 'the file looks binary (NUL byte at offset 1); expected delimited text such as CSV (src,dst,t per line)' } } },
  { name: 'enc-binary-no-nul.bin', area: 'encoding', about: '1 KB of random bytes without NUL', expect: { error: { message: 'the file looks binary (776 control bytes in the first 1024); expected delimited text such as CSV' } } },
  { name: 'enc-gzip.csv.gz', area: 'encoding', about: 'a gzip-compressed CSV', browser: true, expect: { error: { message: 'the file is gzip-compressed; decompress it first (e.g. gunzip) and import the text file' } } },
  { name: 'enc-zip.zip', area: 'encoding', about: 'a zip archive holding a CSV (an .xlsx is one too)', expect: { error: { message: 'the file is a zip archive; extract the CSV/text file from it and import that' } } },
  { name: 'enc-json-array.json', area: 'encoding', about: 'a JSON array of {src,dst,t} objects', browser: true, expect: { error: { message: JSON_MESSAGE } } },
  { name: 'enc-json-lines.jsonl', area: 'encoding', about: 'JSON lines', expect: { error: { message: JSON_MESSAGE } } },
  {
    // an HTML page (a 404 saved as .csv) is named as a web page, not blamed on its time column
    name: 'enc-html-error-page.csv', area: 'encoding', about: 'an HTML "404 Not Found" page saved as .csv',
    expect: { error: { message: /HTML|web page/ } },
  },

  // ── line endings
  { name: 'eol-crlf.csv', area: 'line ending', about: 'Windows line ends (CRLF)', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'eol-cr.csv', area: 'line ending', about: 'old Mac line ends (lone CR)', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'eol-mixed-crlf-lf.csv', area: 'line ending', about: 'CRLF and LF alternating', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'eol-no-final-newline.csv', area: 'line ending', about: 'no line break after the last row', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'eol-blank-lines.csv', area: 'line ending', about: 'blank and blanks-only lines before the header, between and after rows', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'eol-comment-lines.csv', area: 'line ending', about: '# and % comment lines before the header and between rows', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'eol-crlf-multiline-quote.csv', area: 'line ending', about: 'CRLF file, a quoted id spanning lines', expect: { events: 12, nodes: 8, times: [1, 12], warnings: [MULTI_LINE(4)] } },
  { name: 'eol-cr-multiline-quote.csv', area: 'line ending', about: 'lone-CR file, a quoted id spanning lines', expect: { events: 12, nodes: 8, times: [1, 12], warnings: [MULTI_LINE(4)] } },

  // ── structure
  { name: 'empty.csv', area: 'structure', about: 'a file of 0 bytes', browser: true, expect: { error: { message: 'the file is empty; expected rows like src,dst,t' } } },
  { name: 'whitespace-only.csv', area: 'structure', about: 'only blanks, tabs and line breaks', expect: { error: { message: 'the file is empty; expected rows like src,dst,t' } } },
  { name: 'comments-only.txt', area: 'structure', about: 'only # and % lines', expect: { error: { message: 'the file has only comment lines (# or %) and no events; expected rows like src,dst,t' } } },
  { name: 'one-row.csv', area: 'structure', about: 'one event: stats reads it, train (and the page) refuse', browser: true, train: { exit: 2, stderr: 'tgnn: one-row.csv has 1 event; training needs at least 10' }, expect: { events: 1, nodes: 2, times: [3, 3], warnings: [], trainable: { errors: ['1 event; training needs at least 10'] } } },
  { name: 'nine-events.csv', area: 'structure', about: 'nine events: stats reads them, train refuses', train: { exit: 2, stderr: 'tgnn: nine-events.csv has 9 events; training needs at least 10' }, expect: { events: 9, nodes: 7, times: [1, 9], warnings: [], trainable: { errors: ['9 events; training needs at least 10'] } } },
  {
    name: 'half-bad.csv', area: 'structure', about: '7 of 12 rows have a bad time: refused (more than half), first bad row named', browser: true,
    expect: { error: { line: 2, message: `7 of 12 data rows are bad (first: ${NOT_A_NUMBER(2, 'x')}); read with delimiter ',', columns src,dst,t`, cliFix: LAYOUT_FIX } },
  },
  { name: 'exactly-half-bad.csv', area: 'structure', about: '6 of 12 rows bad (not more than half): the 6 good ones read, each bad row named', expect: { events: 6, nodes: 7, times: [2, 12], warnings: [2, 4, 6, 8, 10, 12].map((l) => NOT_A_NUMBER(l, 'x')), trainable: { errors: ['6 events; training needs at least 10'] } } },
  { name: 'feature-columns.csv', area: 'structure', about: 'two numeric extra columns become edge features', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'feature-empty-cells.csv', area: 'structure', about: 'an empty feature cell: that row dropped, named', expect: { events: 11, nodes: 7, times: [1, 12], warnings: ['line 6, column 4: feature is empty; fill it in or delete the row'] } },
  { name: 'label-column.csv', area: 'structure', about: 'a label column', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'text-column.csv', area: 'structure', about: 'a text column: ignored, said so', expect: { events: 12, nodes: 7, times: [1, 12], warnings: ["line 2, column 4: column 4 ('comment') is not numeric, so it cannot be an edge feature; it was ignored (pass columns to map it)"] } },
  { name: 'row-missing-field.csv', area: 'structure', about: 'one row with 2 fields: dropped, named', expect: { events: 11, nodes: 7, times: [1, 12], warnings: ['line 9, column 3: missing field: the row has 2 fields, expected 3 (src,dst,t); fix or delete the row'] } },
  { name: 'row-extra-field.csv', area: 'structure', about: 'one row with 4 fields: dropped, named', expect: { events: 11, nodes: 7, times: [1, 12], warnings: ['line 9, column 4: the row has 4 fields, expected 3 (src,dst,t); remove the extra fields or quote values that contain the delimiter'] } },
  { name: 'two-columns.csv', area: 'structure', about: 'src,dst only (no time)', browser: true, expect: { error: { message: "found only 2 columns with delimiter ',' (detected); an event needs at least src, dst and t columns", cliFix: SEPARATOR_FIX } } },
  { name: 'one-column.txt', area: 'structure', about: 'one number per line', expect: { error: { message: 'found only 1 column with delimiter whitespace (detected); an event needs at least src, dst and t columns', cliFix: SEPARATOR_FIX } } },
  { name: 'no-numeric-column.csv', area: 'structure', about: 'a,b,c header, every value text', expect: { error: { message: "could not find a numeric time column among 3 columns (delimiter ','); pass columns, e.g. 'src,dst,t'" } } },
  { name: 'no-numeric-column-no-header.csv', area: 'structure', about: 'every value text, no header', expect: { error: { message: "could not find a numeric time column among 3 columns (delimiter ','); pass columns, e.g. 'src,dst,t'" } } },
  { name: 'gen-commas-1mb-line.csv', area: 'structure', about: 'line 1 is 1.1 MB of commas: refused naming line 1', generate: () => file([','.repeat(1.1 * MB), ...rows(12)]), expect: { error: { line: 1, message: LONG_LINE(1) } } },
  { name: 'gen-id-1.5mb-line5.csv', area: 'structure', about: 'a 1.5 MB id on line 5: refused naming line 5', generate: () => file(['src,dst,t', ...rows(3), `${'x'.repeat(1.5 * MB)},1,4`, ...rows(8, 4)]), expect: { error: { line: 5, message: LONG_LINE(5) } } },
  { name: 'gen-id-under-1mb-line5.csv', area: 'structure', about: 'an id just under 1 MB on line 5: read', generate: () => file(['src,dst,t', ...rows(3), `${'x'.repeat(MB - 100)},1,4`, ...rows(8, 4)]), expect: { events: 12, nodes: 8, times: [1, 12], warnings: [] } },
  { name: 'gen-last-line-1mb-no-newline.csv', area: 'structure', about: 'the last line is a 1 MB number without a line break: refused naming it', generate: () => enc.encode(['src,dst,t', ...rows(12), `1,2,${'9'.repeat(MB)}`].join('\n')), expect: { error: { line: 14, message: LONG_LINE(14) } } },
  {
    name: 'gen-stray-quote-after-sample.csv', area: 'structure', about: '30,000 rows, a stray quote at line 25,002 (past the 256 KB detection sample)',
    generate: () => file(['src,dst,t', ...rows(30000).map((r, i) => (i === 25000 ? `"${r}` : r))]),
    expect: { events: 29999, nodes: 7, times: [1, 30000], warnings: ['line 25002, column 1: the quote opened in the source id is never closed (the rest of the file would be one value); close the quote or delete it'] },
  },
  {
    name: 'gen-tab-row-after-sample.csv', area: 'structure', about: '30,000 comma rows, one tab row at line 25,002',
    generate: () => file(['src,dst,t', ...rows(30000).map((r, i) => (i === 25000 ? r.split(',').join('\t') : r))]),
    expect: { events: 29999, nodes: 7, times: [1, 30000], warnings: ['line 25002, column 2: the row has 1 field, expected 3 (src,dst,t), but it is tab-separated while the file is comma-separated; use one delimiter throughout, or fix or delete the row'] },
  },
  {
    name: 'gen-bad-third-after-sample.csv', area: 'structure', about: 'the last 10,000 of 30,000 rows bad: 20,000 read, 100 rows named, the rest counted',
    generate: () => file(['src,dst,t', ...rows(30000).map((r, i) => (i >= 20000 ? r.replace(/[^,]+$/, 'x') : r))]),
    expect: {
      events: 20000, nodes: 7, times: [1, 20000], warningCount: 101,
      // the first 100 bad rows (lines 20002 … 20101), then one line counting the other 9,900
      warnings: [...Array.from({ length: 100 }, (_, k) => NOT_A_NUMBER(20002 + k, 'x')), 'line 20102: 9900 more issues not shown (from this line on); fix the rows above and import again to see them'],
    },
  },
  {
    name: 'gen-bad-two-thirds-after-sample.csv', area: 'structure', about: 'the last 20,000 of 30,000 rows bad (good ones in the sample): refused',
    generate: () => file(['src,dst,t', ...rows(30000).map((r, i) => (i >= 10000 ? r.replace(/[^,]+$/, 'x') : r))]),
    expect: { error: { line: 10002, message: `20000 of 30000 data rows are bad (first: ${NOT_A_NUMBER(10002, 'x')}); read with delimiter ',', columns src,dst,t`, cliFix: LAYOUT_FIX } },
  },
  {
    name: 'gen-many-columns.csv', area: 'structure', about: '1,000 columns: 997 numeric features',
    generate: () => file([`src,dst,t,${Array.from({ length: 997 }, (_, j) => `f${j}`).join(',')}`, ...rows(12).map((r) => `${r},${Array.from({ length: 997 }, (_, j) => j % 10).join(',')}`)]),
    expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] },
  },
  {
    // the binary check looks at the first 64 KB; an id with NUL bytes later drops its row, named
    name: 'gen-nul-after-64k.csv', area: 'structure', about: 'three NUL bytes at the start of line 10,002 (past the first 64 KB): that row named',
    generate: () => enc.encode(['src,dst,t', ...rows(10000), `\0\0\0${rows(1, 10000)[0]}`, ...rows(9, 10001)].join('\n') + '\n'),
    expect: { events: 10009, nodes: 7, times: [1, 10010], warnings: [/^line 10002(, column 1)?: .*(NUL|binary|control)/i] },
  },

  // ── layouts
  { name: 'dyglib-ml.csv', area: 'layout', about: 'DyGLib/TGN ml_ file (,u,i,ts,label,idx)', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'dyglib-ml-no-index.csv', area: 'layout', about: 'ml_ header without the leading index column (u,i,ts,label,idx)', expect: { events: 12, nodes: 7, times: [1, 12], warnings: [] } },
  { name: 'jodie.csv', area: 'layout', about: 'JODIE (user_id,item_id,timestamp,state_label,features): users and items are separate nodes', expect: { events: 12, nodes: 14, times: [1, 12], warnings: [] } },
  { name: 'jodie-too-few-columns.csv', area: 'layout', about: 'JODIE header names but only 3 columns', expect: { error: { message: 'JODIE format needs user_id,item_id,timestamp,state_label[,features…], got 3 columns' } } },

  // ── import flags (the CLI's --delimiter, --header, --columns, --format; the page's Delimiter and Column roles)
  { name: 'delim-comma.csv', area: 'flags', about: '--delimiter tab on a comma file: refused, the fix names comma', options: { delimiter: '\t' }, expect: { error: { message: 'found only 1 column with delimiter tab (as chosen); an event needs at least src, dst and t columns', cliFix: '; with comma most lines have 3 or more columns: pass --delimiter comma' } } },
  { name: 'delim-tab.tsv', area: 'flags', about: '--delimiter comma on a tab file: refused, the fix names tab', options: { delimiter: ',' }, expect: { error: { message: "found only 1 column with delimiter ',' (as chosen); an event needs at least src, dst and t columns", cliFix: '; with tab most lines have 3 or more columns: pass --delimiter tab' } } },
  { name: 'delim-comma.csv', area: 'flags', about: '--header false on a file with a header: the header line is a dropped row, named', options: { header: false }, expect: { events: 12, nodes: 7, times: [1, 12], warnings: [NOT_A_NUMBER(1, 't')] } },
  { name: 'delim-comma.csv', area: 'flags', about: '--columns src,dst: no time column', options: { columns: 'src,dst' }, expect: { error: { message: "columns 'src,dst' must name exactly one t column, got 0; e.g. 'src,dst,t' or 'src,dst,feat,t'" } } },
  { name: 'delim-comma.csv', area: 'flags', about: '--columns src,dst,when: an unknown role', options: { columns: 'src,dst,when' }, expect: { error: { message: "unknown role 'when' in columns 'src,dst,when'; use src, dst, t, feat, label or skip, one per column in file order" } } },
  { name: 'delim-comma.csv', area: 'flags', about: '--format jodie on a 3-column file', options: { format: 'jodie' }, expect: { error: { message: 'JODIE format needs user_id,item_id,timestamp,state_label[,features…], got 3 columns' } } },
  { name: 'delim-comma.csv', area: 'flags', about: '--format dyglib on a src,dst,t file', options: { format: 'dyglib' }, expect: { error: { message: 'DyGLib/TGN ml_ header must have u, i and ts columns; pass columns to map them' } } },
];

/** the flags the CLI gets for a case's import options */
export function cliFlags(options: ImportOptions | undefined): string[] {
  if (!options) return [];
  const flags: string[] = [];
  if (options.columns !== undefined) flags.push('--columns', options.columns);
  if (options.delimiter !== undefined) {
    const words = { ',': 'comma', '\t': 'tab', ';': 'semicolon', ' ': 'whitespace', whitespace: 'whitespace' } as const;
    flags.push('--delimiter', words[options.delimiter]);
  }
  if (options.header !== undefined) flags.push('--header', String(options.header));
  if (options.format !== undefined) flags.push('--format', options.format);
  return flags;
}

/** a short unique title for a case */
export function caseTitle(c: CorpusCase): string {
  const flags = cliFlags(c.options);
  return `${c.name}${flags.length > 0 ? ` ${flags.join(' ')}` : ''}: ${c.about}`;
}

export function isRefused(e: Loads | Refused): e is Refused {
  return 'error' in e;
}
