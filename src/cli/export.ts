import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allowOnly, boolFlag, out, requiredString, stringFlag, UserError, type ParsedArgs } from './args.ts';
import { numberOption, settingsFromFlags } from './settings.ts';
import { COMMANDS } from './commands.ts';
import { loadStream } from './load.ts';
import { EXPORT_FORMATS } from '../shared/data.ts';
import { exportNameFromFile, exportStream, type ExportModel } from '../engine/data/export.ts';
import { modelConfigOf } from '../engine/experiment.ts';

/** `tgnn export`: writes an event file as DyGLib or TGL files (+ the TGL/DistTGL model config) into --out. */
export async function runExport(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.export.flags);
  const formatName = requiredString(args, 'format');
  const format = EXPORT_FORMATS.find((f) => f === formatName.toLowerCase());
  if (!format) throw new UserError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${formatName}'`);
  const outDir = requiredString(args, 'out');
  const { settings } = settingsFromFlags(args, 'export');
  const model: ExportModel = {
    preset: settings.model,
    config: modelConfigOf(settings),
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    epochs: numberOption(args, 'export', 'epochs'),
  };
  const nodeFeatureDim = numberOption(args, 'export', 'node-feature-dim');
  const json = boolFlag(args, 'json');

  // --format names the export format here; the importer's own --format is --input-format
  const importFlags = new Map([...args.flags].filter(([k]) => k !== 'format' && k !== 'input-format'));
  const inputFormat = args.flags.get('input-format');
  if (inputFormat !== undefined) importFlags.set('format', inputFormat);
  const { path, stream } = loadStream({ command: args.command, flags: importFlags });
  const name = stringFlag(args, 'name') ?? exportNameFromFile(path);
  let result;
  try {
    result = exportStream(stream, format, { name, model, nodeFeatureDim });
  } catch (e) {
    // the engine's messages say what is wrong (bad name, too many features, no validation/test events)
    if (e instanceof Error) throw new UserError(e.message);
    throw e;
  }
  try {
    mkdirSync(outDir, { recursive: true });
    for (const f of result.files) writeFileSync(join(outDir, f.name), f.bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UserError(`cannot write to --out '${outDir}' (${resolve(outDir)}): ${code || (e instanceof Error ? e.message : String(e))}; pass a writable folder`);
  }
  const summary = {
    format: result.format,
    name: result.name,
    out: resolve(outDir),
    events: result.events,
    nodes: result.nodes,
    split: result.split,
    files: result.files.map((f) => ({ name: f.name, bytes: f.bytes.length })),
    notes: result.notes,
  };
  if (json) {
    out(JSON.stringify(summary) + '\n');
  } else {
    const lines = [
      `${format}: ${result.events} events, ${result.nodes} nodes (train/val/test ${result.split.train}/${result.split.val}/${result.split.test}) → ${summary.out}`,
      ...summary.files.map((f) => `  ${f.name} (${f.bytes} bytes)`),
      ...result.notes.map((n) => `- ${n}`),
    ];
    out(lines.join('\n') + '\n');
  }
  return 0;
}
