import { allowOnly, boolFlag, out, type ParsedArgs } from './args.ts';
import { formatIssue } from '../engine/data/import.ts';
import { loadStream } from './load.ts';
import { chronologicalSplit } from '../engine/data/split.ts';
import { checkTrainable } from '../engine/data/trainable.ts';
import { COMMANDS } from './commands.ts';

/** `tgnn stats --data PATH`: imports an event file and prints what was detected and basic counts. */
export async function runStats(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.stats.flags);
  const json = boolFlag(args, 'json');
  const { path, stream, report } = loadStream(args);
  const n = stream.numEvents;
  const tMin = stream.t[0]!;
  const tMax = stream.t[n - 1]!;
  const mbPerSec = report.parseMs > 0 ? report.bytes / 1e6 / (report.parseMs / 1000) : null;
  const warnings = report.issues.map(formatIssue);
  // what `train` would say about the times (the page checks the same on upload)
  const trainable = n < 10 ? { errors: [`${n} event${n === 1 ? '' : 's'}; training needs at least 10`], warnings: [] } : (() => {
    const c = checkTrainable(stream, chronologicalSplit(stream));
    return { errors: c.errors.map((e) => e.message), warnings: c.warnings.map(formatIssue) };
  })();
  if (json) {
    const result = {
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
      trainable,
      parseMs: round(report.parseMs, 1),
      mbPerSec: mbPerSec === null ? null : round(mbPerSec, 1),
    };
    out(JSON.stringify(result) + '\n');
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
  lines.push(trainable.errors.length > 0 ? `training: not possible: ${trainable.errors.join('; ')}` : 'training: possible');
  for (const w of trainable.warnings) lines.push(`  times: ${w}`);
  if (warnings.length > 0) {
    lines.push(`warnings (${warnings.length}):`);
    for (const w of warnings.slice(0, 20)) lines.push(`  ${w}`);
    if (warnings.length > 20) lines.push(`  … ${warnings.length - 20} more (use --json to see all)`);
  }
  out(lines.join('\n') + '\n');
  return 0;
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}
