import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allowOnly, boolFlag, enumFlag, numberFlag, requiredString, stringFlag, UserError } from './args.ts';
import type { ParsedArgs } from './args.ts';
import { IMPORT_FLAGS, loadStream } from './load.ts';
import { EXPORT_FORMATS, exportNameFromFile, exportStream, type ExportModel } from '../engine/data/export.ts';
import { MODEL_NAMES, MODEL_PRESETS } from '../engine/models/config.ts';

/** `tgnn export`: writes an event file as DyGLib or TGL files (+ the TGL/DistTGL model config) into --out. */
export async function runExport(args: ParsedArgs): Promise<number> {
  allowOnly(args, [
    ...IMPORT_FLAGS, 'input-format', 'out', 'name', 'model', 'batch-size', 'lr', 'epochs', 'memory-dim', 'time-dim', 'embedding-dim',
    'neighbours', 'mailbox-size', 'node-feature-dim', 'json',
  ]);
  const formatName = requiredString(args, 'format');
  const format = EXPORT_FORMATS.find((f) => f === formatName.toLowerCase());
  if (!format) throw new UserError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${formatName}'`);
  const out = requiredString(args, 'out');
  const preset = enumFlag(args, 'model', MODEL_NAMES, 'tgn');
  const base = MODEL_PRESETS[preset];
  const model: ExportModel = {
    preset,
    config: {
      ...base,
      memoryDim: numberFlag(args, 'memory-dim', base.memoryDim, { integer: true, min: 1 }),
      timeDim: numberFlag(args, 'time-dim', base.timeDim, { integer: true, min: 1 }),
      embeddingDim: numberFlag(args, 'embedding-dim', base.embeddingDim, { integer: true, min: 1 }),
      neighbours: numberFlag(args, 'neighbours', base.neighbours, { integer: true, min: 1 }),
      mailboxSize: numberFlag(args, 'mailbox-size', base.mailboxSize, { integer: true, min: 1 }),
    },
    batchSize: numberFlag(args, 'batch-size', 200, { integer: true, min: 1 }),
    learningRate: numberFlag(args, 'lr', 1e-4, { min: Number.MIN_VALUE }),
    epochs: numberFlag(args, 'epochs', 10, { integer: true, min: 1 }),
  };
  const nodeFeatureDim = numberFlag(args, 'node-feature-dim', 172, { integer: true, min: 0, max: 172 });
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
    mkdirSync(out, { recursive: true });
    for (const f of result.files) writeFileSync(join(out, f.name), f.bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UserError(`cannot write to --out '${out}' (${resolve(out)}): ${code || (e instanceof Error ? e.message : String(e))}; pass a writable folder`);
  }
  const summary = {
    format: result.format,
    name: result.name,
    out: resolve(out),
    events: result.events,
    nodes: result.nodes,
    split: result.split,
    files: result.files.map((f) => ({ name: f.name, bytes: f.bytes.length })),
    notes: result.notes,
  };
  if (json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
  } else {
    const lines = [
      `${format}: ${result.events} events, ${result.nodes} nodes (train/val/test ${result.split.train}/${result.split.val}/${result.split.test}) → ${summary.out}`,
      ...summary.files.map((f) => `  ${f.name} (${f.bytes} bytes)`),
      ...result.notes.map((n) => `- ${n}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}
