// Export of an imported EventStream for the multi-GPU systems a run can outgrow the browser into:
// DyGLib (yule-BUAA/DyGLib: processed_data/NAME/ml_NAME.csv + ml_NAME.npy + ml_NAME_node.npy), TGL
// (amazon-science/tgl: DATA/NAME/edges.csv + edge features) and a TGL-style model config (YAML), plus a
// DistTGL variant of it. Pure TS: every file comes back as bytes; the CLI writes them, the page downloads them.
//
// Layouts, as those projects read them:
// - DyGLib `ml_NAME.csv`: pandas `to_csv` of columns u,i,ts,label,idx with the unnamed row index first
//   (header `,u,i,ts,label,idx`); node ids 1..N (0 is DyGLib's padding node), idx 1..E; ts and label are
//   floats written as Python writes them (`5.0`). `ml_NAME.npy`: edge features (E+1) × d with a zero row 0
//   (edge ids start at 1). `ml_NAME_node.npy`: zero node features (N+1) × 172 as DyGLib's preprocess_data.py
//   writes them. DyGLib's DataLoader zero-pads both to 172 columns and asserts d <= 172.
// - TGL `edges.csv`: header `,src,dst,time,int_roll,ext_roll`; the unnamed first column is the edge id
//   0..E−1 (train.py reads it as `Unnamed: 0`), node ids 0..N−1, ext_roll 0/1/2 = train/val/test by the
//   chronological split (split.ts), int_roll = ext_roll (TGL's interpolation roll, unused for
//   extrapolation). Edge features: TGL loads `edge_features.pt` (a torch pickle we do not write);
//   `edge_features.npy` is E × d float32, converted with one line of torch (see README).

import type { TgnConfig } from '../../shared/presets.ts';
import type { EventStream } from './eventStream.ts';
import { chronologicalSplit } from './split.ts';
import { decodeNpy, encodeNpyFloat32, type NpyArray } from './npy.ts';
import { csvTextField } from '../../shared/csv.ts';
import { type ExportFormat, type ExportedFile, type ExportResult, EXPORT_FORMATS } from '../../shared/data.ts';

/** The model fields the TGL mapping reads (the engine's one model config). */
export type ExportModelConfig = TgnConfig;

export interface ExportModel {
  /** preset name: tgn, jodie, dyrep, apan, tgat, tgn-static */
  readonly preset: string;
  readonly config: ExportModelConfig;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly epochs: number;
}

export interface ExportOptions {
  /** dataset name used in file names and paths: letters, digits, _ . - */
  readonly name: string;
  /** writes the TGL config (and DistTGL variant) for this model; DyGLib gets the matching command line */
  readonly model?: ExportModel;
  /** columns of DyGLib's zero node features (DyGLib's preprocess_data.py default: 172) */
  readonly nodeFeatureDim?: number;
}

/** DyGLib's DataLoader pads node and edge features to this many columns and asserts nothing is wider. */
export const DYGLIB_FEATURE_DIM = 172;
export const TGL_PRESETS = ['tgn', 'jodie', 'dyrep', 'apan', 'tgat', 'tgn-static'] as const;

const CSV = 'text/csv';
const NPY = 'application/octet-stream';
const YAML = 'application/yaml';

export function checkExportName(name: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new Error(`export name '${name}' must be letters, digits, '_', '.' or '-' (it becomes a folder and file name), e.g. 'collegemsg'`);
  }
  return name;
}

/** A file name (e.g. 'CollegeMsg.txt') as an export name: extension dropped, other characters → '_'. */
export function exportNameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/^ml_/, '');
  const clean = base.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.-]+/, '');
  return clean === '' ? 'dataset' : clean;
}

/**
 * Python's repr of a float (what pandas writes for a float64 column): shortest round-trip digits,
 * fixed notation with a '.0' for 1e-4 <= |x| < 1e16, else 'd.ddde±XX'.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const decpt = Number(expText) + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const e = decpt - 1;
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** the shortest decimal that reads back as the same float32 (so a label 0.1f is written 0.1) */
function shortestFloat32(x: number): number {
  for (let p = 1; p <= 9; p++) {
    const v = Number(x.toPrecision(p));
    if (Math.fround(v) === x) return v;
  }
  return x;
}

const encoder = new TextEncoder();

/** ext_roll per event: 0 train, 1 validation, 2 test, by the chronological 70/15/15 split */
export function extRoll(stream: EventStream): Uint8Array {
  const split = chronologicalSplit(stream);
  const roll = new Uint8Array(stream.numEvents);
  roll.fill(1, split.val[0], split.val[1]);
  roll.fill(2, split.test[0], split.test[1]);
  return roll;
}

function splitCounts(roll: Uint8Array): { train: number; val: number; test: number } {
  const c = [0, 0, 0];
  for (const r of roll) c[r]!++;
  return { train: c[0]!, val: c[1]!, test: c[2]! };
}

/** node id map: the exported id of each node and the raw id it had in the imported file */
function nodeIdsCsv(stream: EventStream, offset: number): Uint8Array {
  const lines = ['id,raw_id'];
  for (let v = 0; v < stream.numNodes; v++) lines.push(`${v + offset},${csvTextField(stream.rawNodeIds[v] ?? String(v))}`);
  return encoder.encode(lines.join('\n') + '\n');
}

/** edge features with one zero column when the stream has none (both loaders want at least one) */
function featureMatrix(stream: EventStream, notes: string[]): { values: Float32Array; dim: number } {
  if (stream.edgeFeatureDim > 0) return { values: stream.edgeFeatures, dim: stream.edgeFeatureDim };
  notes.push('the stream has no edge features: the feature file holds one zero column (DyGLib and TGL expect at least one)');
  return { values: new Float32Array(stream.numEvents), dim: 1 };
}

/** DyGLib's processed files for `stream`. */
export function exportDyglib(stream: EventStream, options: ExportOptions): ExportResult {
  const name = checkExportName(options.name);
  const nodeDim = options.nodeFeatureDim ?? DYGLIB_FEATURE_DIM;
  if (!Number.isInteger(nodeDim) || nodeDim < 0 || nodeDim > DYGLIB_FEATURE_DIM) {
    throw new Error(`node feature dim must be an integer in 0..${DYGLIB_FEATURE_DIM} (DyGLib pads to ${DYGLIB_FEATURE_DIM}), got ${nodeDim}`);
  }
  const notes: string[] = [];
  const { values, dim } = featureMatrix(stream, notes);
  if (dim > DYGLIB_FEATURE_DIM) {
    throw new Error(`the stream has ${dim} edge features; DyGLib's DataLoader asserts at most ${DYGLIB_FEATURE_DIM}`);
  }
  const n = stream.numEvents;
  const roll = extRoll(stream);
  const parts: string[] = [',u,i,ts,label,idx\n'];
  for (let e = 0; e < n; e++) {
    const label = stream.labels === null ? '0.0' : pyFloatRepr(shortestFloat32(stream.labels[e]!));
    parts.push(`${e},${stream.src[e]! + 1},${stream.dst[e]! + 1},${pyFloatRepr(stream.t[e]!)},${label},${e + 1}\n`);
  }
  const edgeFeatures = new Float32Array((n + 1) * dim);
  edgeFeatures.set(values, dim);
  const files: ExportedFile[] = [
    { name: `ml_${name}.csv`, bytes: encoder.encode(parts.join('')), mime: CSV },
    { name: `ml_${name}.npy`, bytes: encodeNpyFloat32(edgeFeatures, [n + 1, dim]), mime: NPY },
    { name: `ml_${name}_node.npy`, bytes: encodeNpyFloat32(new Float32Array((stream.numNodes + 1) * nodeDim), [stream.numNodes + 1, nodeDim]), mime: NPY },
    { name: `ml_${name}_node_ids.csv`, bytes: nodeIdsCsv(stream, 1), mime: CSV },
  ];
  notes.push(
    `put the files in DyGLib's processed_data/${name}/ and add '${name}' to the choices of --dataset_name in utils/load_configs.py`,
    `node ids are 1..${stream.numNodes} (0 is DyGLib's padding node); ml_${name}_node_ids.csv maps them back to the raw ids`,
  );
  if (options.model) notes.push(`train: ${dyglibCommand(name, options.model)}`);
  return { format: 'dyglib', name, files, events: n, nodes: stream.numNodes, split: splitCounts(roll), notes };
}

const DYGLIB_MODEL: Readonly<Record<string, string>> = { tgn: 'TGN', jodie: 'JODIE', dyrep: 'DyRep', tgat: 'TGAT', 'tgn-static': 'TGN', apan: 'TGN' };

/** DyGLib's train_link_prediction.py command line closest to the model. */
export function dyglibCommand(name: string, model: ExportModel): string {
  const m = DYGLIB_MODEL[model.preset];
  if (m === undefined) throw new Error(unknownPreset(model.preset));
  const c = model.config;
  return `python train_link_prediction.py --dataset_name ${name} --model_name ${m} --num_neighbors ${c.neighbours} ` +
    `--num_layers ${c.layers} --num_heads ${c.heads} --time_feat_dim ${c.timeDim} --dropout ${pyFloatRepr(c.dropout)} ` +
    `--batch_size ${model.batchSize} --learning_rate ${pyFloatRepr(model.learningRate)} --num_epochs ${model.epochs} --num_runs 1 --gpu 0`;
}

/** TGL's dataset files for `stream` (and the model configs when options.model is given). */
export function exportTgl(stream: EventStream, options: ExportOptions): ExportResult {
  const name = checkExportName(options.name);
  const notes: string[] = [];
  const n = stream.numEvents;
  const roll = extRoll(stream);
  const split = splitCounts(roll);
  if (split.val === 0 || split.test === 0) {
    throw new Error(`TGL needs validation and test events, but the chronological split gave ${split.train}/${split.val}/${split.test} ` +
      `(train/val/test; many events share the last timestamps); use a stream with more distinct times`);
  }
  const { values, dim } = featureMatrix(stream, notes);
  const parts: string[] = [',src,dst,time,int_roll,ext_roll\n'];
  for (let e = 0; e < n; e++) {
    parts.push(`${e},${stream.src[e]!},${stream.dst[e]!},${pyFloatRepr(stream.t[e]!)},${roll[e]!},${roll[e]!}\n`);
  }
  const files: ExportedFile[] = [
    { name: 'edges.csv', bytes: encoder.encode(parts.join('')), mime: CSV },
    { name: 'edge_features.npy', bytes: encodeNpyFloat32(values, [n, dim]), mime: NPY },
    { name: 'node_ids.csv', bytes: nodeIdsCsv(stream, 0), mime: CSV },
  ];
  const tMax = n > 0 ? Math.max(Math.abs(stream.t[0]!), Math.abs(stream.t[n - 1]!)) : 0;
  if (tMax > 2 ** 24) {
    notes.push(`TGL casts times to float32 (exact only up to 2^24 = 16,777,216); times here reach ${tMax}, so nearby times may merge there`);
  }
  notes.push(
    `put the files in TGL's DATA/${name}/, convert the features with ` +
      `python -c "import numpy,torch; torch.save(torch.from_numpy(numpy.load('DATA/${name}/edge_features.npy')), 'DATA/${name}/edge_features.pt')"` +
      `, then python gen_graph.py --data ${name}`,
  );
  if (options.model) {
    const tgl = tglConfig(options.model);
    files.push({ name: tgl.fileName, bytes: encoder.encode(tgl.yaml), mime: YAML });
    notes.push(...tgl.notes, `train: python train.py --data ${name} --config DATA/${name}/${tgl.fileName}`);
    const dist = distTglConfig(options.model);
    if (dist.yaml !== null) files.push({ name: dist.fileName, bytes: encoder.encode(dist.yaml), mime: YAML });
    notes.push(...dist.notes);
  }
  return { format: 'tgl', name, files, events: n, nodes: stream.numNodes, split, notes };
}

export function exportStream(stream: EventStream, format: ExportFormat, options: ExportOptions): ExportResult {
  if (format === 'dyglib') return exportDyglib(stream, options);
  if (format === 'tgl') return exportTgl(stream, options);
  throw new Error(`unknown export format '${String(format)}'; use ${EXPORT_FORMATS.join(' or ')}`);
}

function unknownPreset(preset: string): string {
  return `no TGL/DyGLib mapping for model preset '${preset}'; known presets: ${TGL_PRESETS.join(', ')}`;
}

/** a float as PyYAML reads it back as a float (PyYAML needs a '.' in the mantissa of 1.0e-05) */
function yamlFloat(x: number): string {
  const s = pyFloatRepr(x);
  return /e/.test(s) && !/\./.test(s) ? s.replace('e', '.0e') : s;
}

type YamlValue = number | boolean | string | readonly number[] | { readonly float: number };
type YamlSection = ReadonlyArray<readonly [string, YamlValue]>;

function yamlScalar(v: YamlValue): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v}'`;
  if ('float' in v) return yamlFloat(v.float);
  throw new Error('yamlScalar: lists are written by yamlSections');
}

/** TGL's layout: each section is a one-element list of a mapping */
function yamlSections(comments: readonly string[], sections: ReadonlyArray<readonly [string, YamlSection]>): string {
  const out: string[] = comments.map((c) => `# ${c}`);
  for (const [section, entries] of sections) {
    out.push(`${section}:`);
    entries.forEach(([k, v], i) => {
      const lead = i === 0 ? '  - ' : '    ';
      if (Array.isArray(v)) {
        out.push(`${lead}${k}:`);
        for (const x of v as readonly number[]) out.push(`      - ${x}`);
      } else {
        out.push(`${lead}${k}: ${yamlScalar(v as Exclude<YamlValue, readonly number[]>)}`);
      }
    });
  }
  return out.join('\n') + '\n';
}

function checkModel(model: ExportModel): void {
  if (!(TGL_PRESETS as readonly string[]).includes(model.preset)) throw new Error(unknownPreset(model.preset));
  const c = model.config;
  for (const [k, v] of [['memoryDim', c.memoryDim], ['timeDim', c.timeDim], ['embeddingDim', c.embeddingDim], ['neighbours', c.neighbours],
    ['heads', c.heads], ['mailboxSize', c.mailboxSize], ['batchSize', model.batchSize], ['epochs', model.epochs]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`TGL config: ${k} must be a positive integer, got ${v}`);
  }
  if (!(model.learningRate > 0)) throw new Error(`TGL config: learning rate must be > 0, got ${model.learningRate}`);
}

/** TGL's sampling / memory / gnn / train sections (as in TGL's config/*.yml) for a model preset. */
export function tglConfig(model: ExportModel): { fileName: string; yaml: string; notes: string[] } {
  checkModel(model);
  const c = model.config;
  const layers = c.layers;
  const notes: string[] = [];
  const comments = [`TGL config for our '${model.preset}' preset (tgnn export); sections as in TGL's config/*.yml`];
  const recent = (l: number, extra: YamlSection = []): YamlSection => [
    ['layer', l], ['neighbor', Array.from({ length: l }, () => c.neighbours)], ['strategy', 'recent'], ['prop_time', false],
    ['history', 1], ['duration', 0], ['num_thread', 32], ...extra,
  ];
  const noSample: YamlSection = [['no_sample', true], ['history', 1]];
  const nodeMemory = (update: string, extra: YamlSection = [], combine = true): YamlSection => [
    ['type', 'node'], ['dim_time', c.timeDim], ['deliver_to', extra.length > 0 ? 'neighbors' : 'self'], ['mail_combine', 'last'],
    ['memory_update', update], ...extra, ['mailbox_size', c.mailboxSize], ['combine_node_feature', combine], ['dim_out', c.memoryDim],
  ];
  const attention = (l: number): YamlSection => [
    ['arch', 'transformer_attention'], ['layer', l], ['att_head', c.heads], ['dim_time', c.timeDim], ['dim_out', c.embeddingDim],
  ];
  const train: YamlSection = [
    ['epoch', model.epochs], ['batch_size', model.batchSize], ['lr', { float: model.learningRate }],
    ['dropout', { float: c.dropout }], ['att_dropout', { float: c.dropout }], ['all_on_gpu', true],
  ];
  let sections: ReadonlyArray<readonly [string, YamlSection]>;
  let fileName: string;
  switch (model.preset) {
    case 'tgn':
    case 'tgn-static':
      fileName = 'TGN.yml';
      sections = [['sampling', recent(1)], ['memory', nodeMemory(c.updater)], ['gnn', attention(layers)], ['train', train]];
      if (c.staticMemory || model.preset === 'tgn-static') {
        notes.push('TGL has no static node memory: TGN.yml is TGN without it; DistTGL adds it (disttgl.yml)');
        comments.push('static node memory: not in TGL (see disttgl.yml for DistTGL)');
      }
      break;
    case 'jodie':
      fileName = 'JODIE.yml';
      sections = [['sampling', noSample], ['memory', nodeMemory(c.updater)], ['gnn', [['arch', 'identity'], ['time_transform', 'JODIE']]],
        ['train', train.filter(([k]) => k !== 'att_dropout')]];
      break;
    case 'dyrep':
      fileName = 'DyRep.yml';
      sections = [['sampling', noSample], ['memory', nodeMemory(c.updater)], ['gnn', [['arch', 'identity']]],
        ['train', train.filter(([k]) => k !== 'att_dropout')]];
      notes.push('TGL has no DyRep: DyRep.yml is the closest TGL model (RNN memory, memory read directly); its messages carry the other node\'s memory, not its attention embedding');
      comments.push('closest TGL model to DyRep: messages carry memory, not the attention embedding');
      break;
    case 'apan':
      fileName = 'APAN.yml';
      sections = [['sampling', recent(1, [['no_neg', true]])], ['memory', nodeMemory('transformer', [['attention_head', c.heads]], false)],
        ['gnn', [['arch', 'identity']]], ['train', train]];
      notes.push('TGL\'s APAN delivers mails to neighbours too (ours: to the two endpoints only)');
      break;
    case 'tgat':
      fileName = 'TGAT.yml';
      sections = [['sampling', recent(layers)], ['memory', [['type', 'none'], ['dim_out', 0]]], ['gnn', attention(layers)], ['train', train]];
      notes.push('TGAT.yml samples the most recent neighbours as our TGAT does (TGL\'s own TGAT.yml samples uniformly)');
      break;
    default:
      throw new Error(unknownPreset(model.preset));
  }
  if (c.aggregator !== 'last' && model.preset !== 'apan') {
    notes.push(`TGL combines mails with 'last' only; our '${c.aggregator}' aggregator is not carried over`);
  }
  return { fileName, yaml: yamlSections(comments, sections), notes };
}

/**
 * DistTGL's parameters for a TGN preset. DistTGL (amazon-science/disttgl) takes them from the dicts in its
 * get_config.py rather than a file: this YAML lists the same keys (memory_update 'smart' = GRU memory plus
 * a static node memory read from DATA/NAME/node_features.pt or learned_node_feats.pt when present).
 */
export function distTglConfig(model: ExportModel): { fileName: string; yaml: string | null; notes: string[] } {
  checkModel(model);
  const c = model.config;
  if ((model.preset !== 'tgn' && model.preset !== 'tgn-static') || c.updater !== 'gru') {
    return { fileName: 'disttgl.yml', yaml: null, notes: [`DistTGL trains TGN only: no disttgl.yml for '${model.preset}'`] };
  }
  const yaml = yamlSections([
    'DistTGL parameters for our TGN (tgnn export). DistTGL reads these from the dicts in its get_config.py:',
    'copy the values there. memory_update \'smart\' = GRU memory + static node memory, which DistTGL reads',
    'from DATA/NAME/node_features.pt or learned_node_feats.pt when present (otherwise it is plain TGN).',
  ], [
    ['sampling', [['layer', 1], ['neighbor', [c.neighbours]], ['strategy', 'recent'], ['prop_time', false], ['history', 1], ['duration', 0], ['num_thread', 32]]],
    ['memory', [['type', 'node'], ['dim_time', c.timeDim], ['deliver_to', 'self'], ['mail_combine', 'last'], ['memory_update', 'smart'],
      ['mailbox_size', 1], ['combine_node_feature', true], ['dim_out', c.memoryDim]]],
    ['gnn', [['arch', 'transformer_attention'], ['layer', 1], ['att_head', c.heads], ['dim_time', c.timeDim], ['dim_out', c.embeddingDim]]],
    ['train', [['epoch', model.epochs], ['batch_size', model.batchSize], ['lr', { float: model.learningRate }], ['dropout', { float: c.dropout }],
      ['att_dropout', { float: c.dropout }], ['train_neg_samples', 1], ['eval_neg_samples', 49]]],
  ]);
  const notes = ['DistTGL: same DATA/NAME folder; disttgl.yml lists the values for its get_config.py (DistTGL scales lr and epochs by the number of GPUs there)'];
  if (c.mailboxSize !== 1) notes.push(`DistTGL keeps one mail per node; mailbox size ${c.mailboxSize} is not carried over`);
  return { fileName: 'disttgl.yml', yaml, notes };
}

/**
 * Attaches edge features read from a DyGLib `ml_NAME.npy` (row 0 = padding, dropped) or a TGL
 * `edge_features.npy` (one row per event) to a stream re-imported from the matching CSV.
 */
export function withEdgeFeatures(stream: EventStream, npy: NpyArray | Uint8Array, layout: ExportFormat): EventStream {
  const arr = npy instanceof Uint8Array ? decodeNpy(npy) : npy;
  if (arr.shape.length !== 2) throw new Error(`edge features must be a 2-d array, got shape (${arr.shape.join(', ')})`);
  const [rows, dim] = arr.shape as [number, number];
  const pad = layout === 'dyglib' ? 1 : 0;
  if (rows !== stream.numEvents + pad) {
    throw new Error(`expected ${stream.numEvents + pad} feature rows (${stream.numEvents} events${pad ? ' + padding row 0' : ''}), got ${rows}`);
  }
  // row e (+ padding) belongs to event e: the file's order, which the importer keeps when it was in time order
  for (let e = 1; e < stream.numEvents; e++) {
    if (stream.sourceLine[e]! <= stream.sourceLine[e - 1]!) {
      throw new Error(`the CSV was not in time order (line ${stream.sourceLine[e]} was moved), so its rows no longer line up with the feature rows`);
    }
  }
  const features = arr.data.slice(pad * dim, (stream.numEvents + pad) * dim);
  return { ...stream, edgeFeatures: features, edgeFeatureDim: dim };
}
