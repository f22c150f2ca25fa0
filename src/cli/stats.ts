import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allowOnly, boolFlag, requiredString, stringFlag, UserError } from './args.ts';
import type { ParsedArgs } from './args.ts';
import { formatIssue, importEventStream } from '../engine/data/import.ts';
import type { ImportOptions } from '../engine/data/import.ts';

const DELIMITERS: ReadonlyMap<string, NonNullable<ImportOptions['delimiter']>> = new Map([
  [',', ','], ['comma', ','],
  ['\t', '\t'], ['\\t', '\t'], ['tab', '\t'],
  [';', ';'], ['semicolon', ';'],
  [' ', 'whitespace'], ['space', 'whitespace'], ['whitespace', 'whitespace'], ['ws', 'whitespace'],
]);
const FORMATS = ['auto', 'plain', 'jodie', 'dyglib'] as const;

function readInput(path: string): Uint8Array {
  try {
    const buf = readFileSync(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const full = resolve(path);
    if (code === 'ENOENT') throw new UserError(`--data '${path}' does not exist (looked at ${full}); check the path`);
    if (code === 'EISDIR') throw new UserError(`--data '${path}' is a directory; pass the event file inside it`);
    if (code === 'EACCES') throw new UserError(`--data '${path}' is not readable (permission denied); check its permissions`);
    throw new UserError(`cannot read --data '${path}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

function importOptions(args: ParsedArgs): ImportOptions {
  const options: ImportOptions = {};
  const columns = stringFlag(args, 'columns');
  if (columns !== undefined) options.columns = columns;
  const delimiter = stringFlag(args, 'delimiter');
  if (delimiter !== undefined) {
    const d = DELIMITERS.get(delimiter.toLowerCase()) ?? DELIMITERS.get(delimiter);
    if (d === undefined) throw new UserError(`--delimiter must be one of comma, tab, semicolon, whitespace (or , \\t ;), got '${delimiter}'`);
    options.delimiter = d;
  }
  if (args.flags.has('header')) options.header = boolFlag(args, 'header');
  const format = stringFlag(args, 'format');
  if (format !== undefined) {
    const f = FORMATS.find((x) => x === format.toLowerCase());
    if (f === undefined) throw new UserError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
    options.format = f;
  }
  return options;
}

/** `tgnn stats --data PATH`: imports an event file and prints what was detected and basic counts. */
export async function runStats(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['data', 'columns', 'delimiter', 'header', 'format', 'json']);
  const path = requiredString(args, 'data');
  const json = boolFlag(args, 'json');
  const options = importOptions(args);
  const bytes = readInput(path);
  const { stream, report } = importEventStream(bytes, options);
  const n = stream.numEvents;
  const tMin = stream.t[0]!;
  const tMax = stream.t[n - 1]!;
  const mbPerSec = report.parseMs > 0 ? report.bytes / 1e6 / (report.parseMs / 1000) : null;
  const warnings = report.issues.map(formatIssue);
  if (json) {
    const out = {
      events: n,
      nodes: stream.numNodes,
      tMin,
      tMax,
      edgeFeatureDim: stream.edgeFeatureDim,
      sorted: report.sorted,
      detected: {
        delimiter: report.delimiter,
        header: report.header,
        format: report.format,
        columns: report.columnNames,
        mapping: report.mapping,
        timeColumnReason: report.timeColumnReason,
        bipartite: report.bipartite,
      },
      warnings,
      parseMs: round(report.parseMs, 1),
      mbPerSec: mbPerSec === null ? null : round(mbPerSec, 1),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const delim = report.delimiter === '\t' ? 'tab' : report.delimiter === 'whitespace' ? 'whitespace' : `'${report.delimiter}'`;
  const lines = [
    `${path}: ${n.toLocaleString('en-US')} events, ${stream.numNodes.toLocaleString('en-US')} nodes` +
      (report.bipartite ? ' (bipartite: users then items)' : ''),
    `time: ${tMin} .. ${tMax} (span ${tMax - tMin}); ${report.sorted ? 'already sorted' : 'sorted on import'}`,
    `format ${report.format}, delimiter ${delim}, header ${report.header ? `yes (${(report.headerNames ?? []).join(',')})` : 'no'}`,
    `columns: ${report.columnNames.join(',')}; time: ${report.timeColumnReason}`,
    `edge features: ${stream.edgeFeatureDim}${stream.labels !== null ? ', labels: yes' : ''}`,
    `rows: ${report.rowsRead} read, ${report.rowsDropped} dropped, ${report.commentLines} comment lines`,
    `parsed ${(report.bytes / 1e6).toFixed(2)} MB in ${report.parseMs.toFixed(1)} ms` +
      (mbPerSec === null ? '' : ` (${mbPerSec.toFixed(1)} MB/s)`),
  ];
  if (warnings.length > 0) {
    lines.push(`warnings (${warnings.length}):`);
    for (const w of warnings.slice(0, 20)) lines.push(`  ${w}`);
    if (warnings.length > 20) lines.push(`  … ${warnings.length - 20} more (use --json to see all)`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}
