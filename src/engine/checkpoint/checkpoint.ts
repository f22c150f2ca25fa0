/**
 * Model checkpoints as tfjs `tf.io.ModelArtifacts`: weights, node memory and the config, so a model
 * trained by the CLI evaluates in the browser (and back) with identical AP.
 *
 * What a checkpoint holds:
 * - `modelTopology`: the JSON `CheckpointMeta` (format, version, preset name, the TgnConfig as an opaque
 *   object, the trainer options evaluation depends on, a fingerprint of the stream, the split, the
 *   stream position the memory corresponds to, and the evaluation computed when it was saved);
 * - weights (`tf.io.encodeWeights`): every parameter by its position in `model.variables`
 *   (`param/000`, …; tf variable names are global counters and mean nothing across runs), then the
 *   event-driven state: node memory, last-update times and mailboxes. Float64 arrays are stored as
 *   their exact bits (int32 pairs, little-endian). The neighbour index is not stored: it is rebuilt by
 *   re-inserting events [0, position).
 *
 * The checkpoint's memory is the state after the training range. Given the model as its last training
 * phase left it (`CheckpointSource.trained`: the weights then and the memory they wrote), the checkpoint
 * holds exactly that, so its AP is that epoch's val/test AP. Otherwise the memory is computed with the
 * saved weights: the training events are replayed in training-size batches without gradients. (During
 * training the memory is written by weights that change every batch, so it cannot be reproduced from
 * the final weights alone; `memory` in the metadata says which.) Evaluating a checkpoint = restore that state, then score validation and
 * test exactly as the Trainer does (same fixed negatives, evaluation batch size), reporting the mean
 * of per-batch AP/AUC. `createCheckpoint` runs that evaluation on the saved bytes' values and records it.
 *
 * Version 2 adds what resuming training needs (`resume` in the metadata, `optimizer/m/…` and
 * `optimizer/v/…` tensors): Adam's step count, its running beta powers and its moments per variable, the
 * training random generators and the completed epochs, all as they were at the end of the saved epoch's
 * training phase (which is also the state at the start of the next epoch: validation and test change none
 * of them). A resumed run starts the next epoch from fresh memory, as every epoch does, so it continues
 * exactly as the uninterrupted run would have (Trainer.restore). Version-1 files still load and evaluate;
 * they carry no resume state (`LoadedCheckpoint.resume` is null).
 */
import { tf, type Tensor } from '../tf.ts';
import type { EventStream } from '../data/eventStream.ts';
import { chronologicalSplit, type ChronologicalSplit } from '../data/split.ts';
import type { NegativeStrategy } from '../../shared/lab.ts';
import { createTgn, type ModelState, type TgnModel } from '../models/tgn.ts';
import type { TgnConfig } from '../../shared/presets.ts';
import { ADAM, evaluationNegatives, scoreBatch, type ResumeState, type TrainedModel } from '../train/trainer.ts';
import { LinkMetricsAccumulator } from '../train/metrics.ts';
import type { LinkMetrics } from '../../shared/training.ts';

export const CHECKPOINT_FORMAT = 'tgnn-checkpoint';
export const CHECKPOINT_VERSION = 2;
/** the format versions this build reads (1: no resume state) */
export const READABLE_VERSIONS: readonly number[] = [1, 2];
/** the file names `tf.io.browserDownloads('downloads://model')` produces; the CLI writes the same */
export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'model.weights.bin';
const GENERATED_BY = 'TGNN Playground';

/** the trainer options that evaluation from a checkpoint depends on */
export interface CheckpointOptions {
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly evalSeed: number;
  readonly evalNegatives: NegativeStrategy;
  readonly negativesPerPositive: number;
  readonly exact: boolean;
}

/** identifies the event stream a checkpoint belongs to */
export interface DatasetFingerprint {
  /** the name it was loaded under (informative only) */
  readonly name: string;
  readonly numEvents: number;
  readonly numNodes: number;
  readonly edgeFeatureDim: number;
  /** 64-bit hash (hex) of src, dst, t and the edge features */
  readonly hash: string;
}

export interface CheckpointEvaluation {
  readonly val: LinkMetrics;
  readonly test: LinkMetrics;
}

export interface CheckpointMeta {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  /** model preset name (e.g. tgn, jodie), informative: `config` is what builds the model */
  readonly preset: string;
  /** the model's TgnConfig, serialised whole and passed back to createTgn */
  readonly config: TgnConfig;
  readonly options: CheckpointOptions;
  readonly dataset: DatasetFingerprint;
  readonly split: { readonly train: readonly [number, number]; readonly val: readonly [number, number]; readonly test: readonly [number, number] };
  /** events [0, position) are in the memory, mailboxes and neighbour index */
  readonly position: number;
  /** how the memory/mailbox state is stored (written by encodeCheckpoint): kinds of the `state/…` tensors, numbers */
  readonly state?: { readonly kinds: Readonly<Record<string, StateKind>>; readonly scalars: Readonly<Record<string, number>> } | undefined;
  /** training epochs behind the weights, when known */
  readonly epochs: number | null;
  /** ISO time of saving */
  readonly createdAt: string;
  /** val/test metrics of this checkpoint, computed when it was saved */
  readonly evaluation: CheckpointEvaluation | null;
  /** 'trained': the memory training wrote with these weights; 'replayed': rebuilt from them (absent in older files) */
  readonly memory?: CheckpointMemory;
  /** version 2: what resuming training needs (null when the source had none; absent in version 1) */
  readonly resume?: CheckpointResumeMeta | null;
}

export type CheckpointMemory = 'trained' | 'replayed';

/** What resuming training from a checkpoint needs besides its weights (Trainer.restore), with the settings it ran with. */
export interface CheckpointResume {
  readonly learningRate: number;
  /** the run's seed (its initial weights and random generators; the generators' states are in `state`) */
  readonly seed: number;
  readonly state: ResumeState;
}

/** `resume` in the metadata (version 2): CheckpointResume without the moments, which are tensors */
export interface CheckpointResumeMeta {
  readonly epochs: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly optimizer: {
    readonly kind: 'adam';
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
    readonly iterations: number;
    readonly beta1Power: number;
    readonly beta2Power: number;
    /** whether `optimizer/m/…` and `optimizer/v/…` are stored (false before the first step) */
    readonly moments: boolean;
  };
  readonly rng: { readonly negatives: number; readonly dropout: number };
}

/** What a checkpoint is made from. */
export interface CheckpointSource {
  readonly model: TgnModel;
  readonly stream: EventStream;
  readonly options: CheckpointOptions;
  readonly preset: string;
  readonly datasetName: string;
  readonly epochs?: number | null;
  /**
   * the model as its last training phase left it (weights and the memory they wrote): when given, the
   * checkpoint holds these weights and that memory instead of the model's current weights and a replay
   */
  readonly trained?: TrainedModel | null;
  /**
   * what resuming needs, consistent with the saved weights (for `trained`: its `resume`); null or absent:
   * the checkpoint can be evaluated, and continued only with a fresh optimizer
   */
  readonly resume?: CheckpointResume | null;
}

/** The model.json of a checkpoint: the layout `tf.io.browserDownloads` writes. */
export interface CheckpointModelJson {
  readonly modelTopology: CheckpointMeta;
  readonly format: string;
  readonly generatedBy: string;
  readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** A checkpoint loaded against a stream: the model with its weights, and the state to evaluate from. */
export interface LoadedCheckpoint {
  readonly meta: CheckpointMeta;
  readonly model: TgnModel;
  readonly split: ChronologicalSplit;
  readonly state: ModelState;
  /** what resuming training needs; null for a version-1 file or one saved without it */
  readonly resume: CheckpointResume | null;
}

/** An error whose message is meant for the user (wrong dataset, corrupt file). */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

const fmt = new Intl.NumberFormat('en-US');

// ---- fingerprint ----

/** 64-bit FNV-1a style hash (two independent 32-bit lanes) over the bytes of src, dst, t and edge features. */
export function streamHash(stream: EventStream): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const feed = (view: ArrayBufferView): void => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      a = Math.imul(a ^ bytes[i]!, 0x01000193);
      b = Math.imul(b ^ bytes[i]!, 0x5bd1e995) ^ (b >>> 15);
    }
  };
  feed(stream.src);
  feed(stream.dst);
  feed(stream.t);
  feed(stream.edgeFeatures);
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export function fingerprint(stream: EventStream, name: string): DatasetFingerprint {
  return { name, numEvents: stream.numEvents, numNodes: stream.numNodes, edgeFeatureDim: stream.edgeFeatureDim, hash: streamHash(stream) };
}

function describeStream(f: Omit<DatasetFingerprint, 'name' | 'hash'>): string {
  const features = f.edgeFeatureDim === 1 ? '1 edge feature' : `${f.edgeFeatureDim} edge features`;
  return `${fmt.format(f.numEvents)} events / ${fmt.format(f.numNodes)} nodes / ${features}`;
}

/** Throws a CheckpointError saying how `stream` differs from the one the checkpoint was saved for. */
export function checkFingerprint(saved: DatasetFingerprint, stream: EventStream, streamName: string): void {
  const now = fingerprint(stream, streamName);
  const sizesDiffer = saved.numEvents !== now.numEvents || saved.numNodes !== now.numNodes || saved.edgeFeatureDim !== now.edgeFeatureDim;
  if (sizesDiffer) {
    throw new CheckpointError(
      `this checkpoint was saved for a stream of ${describeStream(saved)} (${saved.name}); the loaded stream ` +
        `${streamName} has ${describeStream(now)}; load the same file`,
    );
  }
  if (saved.hash !== now.hash) {
    throw new CheckpointError(
      `this checkpoint was saved for another stream of the same size (${describeStream(saved)}, ${saved.name}): its events ` +
        `differ from ${streamName}'s (hash ${saved.hash} vs ${now.hash}); load the same file with the same column settings`,
    );
  }
}

// ---- replay and evaluation ----

/**
 * Recomputes the memory after the training range with the model's current weights: events
 * [train start, train end) in training-size batches (one at a time in exact mode), no gradients,
 * from fresh memory. Returns the resulting state.
 */
export async function replayTraining(model: TgnModel, stream: EventStream, split: ChronologicalSplit, options: CheckpointOptions): Promise<ModelState> {
  model.resetState();
  const [start, end] = split.train;
  for (let from = start; from < end; from += options.batchSize) {
    const to = Math.min(end, from + options.batchSize);
    // the positive destination stands in for the negative: the memory written depends only on the
    // batch's events and their mail, not on which negatives are scored
    await scoreBatch(model, from, to, stream.dst.slice(from, to), options.exact);
  }
  return model.saveState();
}

/**
 * The memory and mailboxes training left after the training range, in `model` (a copy with the same
 * weights), with its own neighbour index rebuilt from events [0, train end). Returns the resulting state.
 */
function adoptTrainedState(model: TgnModel, stream: EventStream, split: ChronologicalSplit, trained: ModelState): ModelState {
  model.index.reset();
  model.index.insertRange(stream.src, stream.dst, stream.t, 0, split.train[1]);
  model.restoreState({ memory: trained.memory, mailbox: trained.mailbox, index: model.index.save() });
  return model.saveState();
}

/**
 * Scores validation then test from `state` (the memory after training) exactly as the Trainer's val
 * and test phases do: the same fixed negatives (evalSeed, evalSeed + 1), batch size and metrics.
 */
export async function evaluateFromState(
  model: TgnModel,
  stream: EventStream,
  split: ChronologicalSplit,
  options: CheckpointOptions,
  state: ModelState,
  signal?: AbortSignal,
): Promise<CheckpointEvaluation> {
  model.restoreState(state);
  const out: LinkMetrics[] = [];
  for (const [i, [a, b]] of [split.val, split.test].entries()) {
    const sampler = evaluationNegatives(stream, options.evalNegatives, options.evalSeed + i, split.valTime);
    sampler.reset();
    const metrics = new LinkMetricsAccumulator();
    const k = options.negativesPerPositive;
    for (let from = a; from < b; from += options.evalBatchSize) {
      signal?.throwIfAborted();
      const to = Math.min(b, from + options.evalBatchSize);
      if (k > 1) {
        const draws = Array.from({ length: k }, () => sampler.sample(from, to).dst);
        const dst = new Int32Array((to - from) * k);
        for (let e = 0; e < to - from; e++) for (let j = 0; j < k; j++) dst[e * k + j] = draws[j]![e]!;
        const scored = await scoreBatch(model, from, to, dst, options.exact);
        metrics.addBatch(scored.pos, scored.neg);
        metrics.addRanking(scored.pos, scored.neg, k);
      } else {
        const negatives = sampler.sample(from, to);
        const sources = sampler.strategy === 'random' ? undefined : negatives.src;
        const scored = await scoreBatch(model, from, to, negatives.dst, options.exact, sources);
        metrics.addBatch(scored.pos, scored.neg);
      }
    }
    out.push(metrics.result());
  }
  return { val: out[0]!, test: out[1]! };
}

/** Restores the checkpoint's state and evaluates val and test (what `tgnn eval` and the browser report). */
export function evaluateCheckpoint(loaded: LoadedCheckpoint, stream: EventStream, signal?: AbortSignal): Promise<CheckpointEvaluation> {
  return evaluateFromState(loaded.model, stream, loaded.split, loaded.meta.options, loaded.state, signal);
}

// ---- saving ----

/** float64 values as their exact bits: int32 pairs (little-endian, as every platform tfjs runs on) */
function float64Bits(values: Float64Array): Int32Array {
  return new Int32Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

export function paramName(i: number): string {
  return `param/${String(i).padStart(3, '0')}`;
}

type StateArray = Float32Array | Int32Array | Float64Array;
type StateKind = 'float32' | 'int32' | 'float64';

/** the parts of ModelState not stored as tensors: the neighbour index is rebuilt from the events */
const REBUILT_PARTS: readonly string[] = ['index'];

function kindOf(x: unknown): StateKind | null {
  return x instanceof Float32Array ? 'float32' : x instanceof Int32Array ? 'int32' : x instanceof Float64Array ? 'float64' : null;
}

/**
 * The typed arrays and numbers of the memory and mailbox state, by name (`memory/state`,
 * `mailbox/t`, …), read generically from `save()` so a field added there is saved too.
 */
function stateEntries(state: ModelState): { arrays: Map<string, StateArray>; scalars: Record<string, number> } {
  const arrays = new Map<string, StateArray>();
  const scalars: Record<string, number> = {};
  for (const [part, fields] of Object.entries(state)) {
    if (REBUILT_PARTS.includes(part)) continue;
    for (const [key, value] of Object.entries(fields as object)) {
      const name = `${part}/${key}`;
      if (kindOf(value)) arrays.set(name, value as StateArray);
      else if (typeof value === 'number') scalars[name] = value;
      else throw new Error(`checkpoint: state field ${name} is neither a typed array nor a number`);
    }
  }
  return { arrays, scalars };
}

export function momentName(which: 'm' | 'v', i: number): string {
  return `optimizer/${which}/${String(i).padStart(3, '0')}`;
}

/** the metadata form of a resume state (the moments go into tensors) */
function resumeMeta(r: CheckpointResume): CheckpointResumeMeta {
  const o = r.state.optimizer;
  return {
    epochs: r.state.epochs,
    learningRate: r.learningRate,
    seed: r.seed,
    optimizer: { kind: 'adam', ...ADAM, iterations: o.iterations, beta1Power: o.beta1Power, beta2Power: o.beta2Power, moments: o.firstMoments.length > 0 },
    rng: { negatives: r.state.rng.negatives, dropout: r.state.rng.dropout },
  };
}

/**
 * Builds the artifacts of `model` (weights as they are) with the given state (after the training range)
 * and, when given, the resume state (its moments as `optimizer/…` tensors, the rest in `meta.resume`).
 */
export async function encodeCheckpoint(
  model: TgnModel,
  state: ModelState,
  meta: CheckpointMeta,
  resume: CheckpointResume | null = null,
): Promise<tf.io.ModelArtifacts> {
  const owned: Tensor[] = [];
  try {
    const named: tf.NamedTensorMap = {};
    model.variables.forEach((v, i) => (named[paramName(i)] = v));
    if (resume) {
      const { firstMoments, secondMoments } = resume.state.optimizer;
      for (const [which, moments] of [['m', firstMoments], ['v', secondMoments]] as const) {
        moments.forEach((values, i) => {
          const v = model.variables[i];
          if (!v || v.size !== values.length) throw new Error(`encodeCheckpoint: optimizer moment ${which}/${i} does not fit variable ${i}`);
          const t = tf.tensor(values, v.shape, 'float32');
          owned.push(t);
          named[momentName(which, i)] = t;
        });
      }
    }
    const { arrays, scalars } = stateEntries(state);
    const kinds: Record<string, StateKind> = {};
    for (const [name, values] of arrays) {
      const kind = kindOf(values)!;
      kinds[name] = kind;
      // float64 as its exact bits: an int32 pair per value
      const t = kind === 'float64'
        ? tf.tensor(float64Bits(values as Float64Array), [values.length, 2], 'int32')
        : tf.tensor(values as Float32Array | Int32Array, [values.length], kind);
      owned.push(t);
      named[`state/${name}`] = t;
    }
    const { data, specs } = await tf.io.encodeWeights(named);
    return {
      modelTopology: { ...meta, state: { kinds, scalars }, resume: resume ? resumeMeta(resume) : null } as unknown as object,
      format: CHECKPOINT_FORMAT,
      generatedBy: GENERATED_BY,
      weightSpecs: specs,
      weightData: data,
    };
  } finally {
    tf.dispose(owned);
  }
}

/**
 * Makes a checkpoint of `source.model` without touching it: a copy with the same weights replays the
 * training range (see the header), is evaluated on val and test (recorded in the metadata unless
 * `evaluate` is false), and is encoded.
 */
export async function createCheckpoint(
  source: CheckpointSource,
  opts: { evaluate?: boolean; signal?: AbortSignal; now?: Date } = {},
): Promise<{ artifacts: tf.io.ModelArtifacts; meta: CheckpointMeta }> {
  const { stream, options } = source;
  const { copy, split, state, memory } = await checkpointedCopy(source);
  try {
    const { trained } = source;
    const evaluation = opts.evaluate === false ? null : await evaluateFromState(copy, stream, split, options, state, opts.signal);
    const meta: CheckpointMeta = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      preset: source.preset,
      config: { ...source.model.config },
      options: {
        batchSize: options.batchSize,
        evalBatchSize: options.evalBatchSize,
        evalSeed: options.evalSeed,
        evalNegatives: options.evalNegatives,
        negativesPerPositive: options.negativesPerPositive,
        exact: options.exact,
      },
      dataset: fingerprint(stream, source.datasetName),
      split: { train: [...split.train], val: [...split.val], test: [...split.test] },
      position: split.train[1],
      epochs: source.epochs ?? null,
      createdAt: (opts.now ?? new Date()).toISOString(),
      evaluation,
      memory,
    };
    const resume = source.resume ?? null;
    if (resume && trained && resume.state.epochs !== trained.epoch) {
      throw new Error(`createCheckpoint: the resume state is after ${resume.state.epochs} epochs; the trained weights after ${trained.epoch}`);
    }
    const artifacts = await encodeCheckpoint(copy, state, meta, resume);
    return { artifacts, meta: artifacts.modelTopology as unknown as CheckpointMeta };
  } finally {
    copy.dispose();
  }
}

/**
 * What a checkpoint of `source.model` holds, as a model of its own: a copy with the weights of the last
 * finished training phase (or the current ones) and the state after the training range (the one training
 * left, or a replay). Serving the page's model (serve/) starts from it, so the page serves what
 * `tgnn serve` does from the downloaded checkpoint. The caller disposes the copy.
 */
export async function checkpointedCopy(source: CheckpointSource): Promise<{ copy: TgnModel; split: ChronologicalSplit; state: ModelState; memory: CheckpointMemory }> {
  const { stream, options, trained } = source;
  const split = chronologicalSplit(stream);
  const copy = createTgn(stream, source.model.config, 0);
  try {
    if (trained) copy.setWeights(trained.weights);
    else copyWeights(source.model, copy);
    const state = trained ? adoptTrainedState(copy, stream, split, trained.state) : await replayTraining(copy, stream, split, options);
    return { copy, split, state, memory: trained ? 'trained' : 'replayed' };
  } catch (e) {
    copy.dispose();
    throw e;
  }
}

/**
 * Points the copy's variables at the source's current values. Variable.assign shares the tensor data
 * (reference-counted) and training replaces a variable's data rather than writing into it, so the copy
 * keeps these values while the source trains on; synchronous, so no training step interleaves.
 */
function copyWeights(from: TgnModel, to: TgnModel): void {
  const a = from.variables;
  const b = to.variables;
  if (a.length !== b.length) throw new Error(`copyWeights: expected ${a.length} variables, got ${b.length}`);
  a.forEach((v, i) => {
    const target = b[i]!;
    if (v.shape.join('x') !== target.shape.join('x')) throw new Error(`copyWeights: variable ${i} has shape [${v.shape}] vs [${target.shape}]`);
    target.assign(v);
  });
}

// ---- files (the browserDownloads layout) ----

/** model.json of the artifacts, weights in one file at `weightsPath` (as tf.io.browserDownloads writes it). */
export function checkpointModelJson(artifacts: tf.io.ModelArtifacts, weightsPath = `./${WEIGHTS_FILE}`): CheckpointModelJson {
  if (!artifacts.weightSpecs) throw new Error('checkpointModelJson: the artifacts have no weight specs');
  return {
    modelTopology: artifacts.modelTopology as unknown as CheckpointMeta,
    format: artifacts.format ?? CHECKPOINT_FORMAT,
    generatedBy: artifacts.generatedBy ?? GENERATED_BY,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
  };
}

/** the weights as one ArrayBuffer */
export function weightBuffer(artifacts: tf.io.ModelArtifacts): ArrayBuffer {
  if (!artifacts.weightData) throw new Error('weightBuffer: the artifacts have no weight data');
  return tf.io.CompositeArrayBuffer.join(artifacts.weightData);
}

/**
 * Artifacts from a parsed model.json and its weight files: `readWeights(path)` returns the bytes of each
 * path of the manifest, in order (they are concatenated, as tfjs shards are).
 */
export async function artifactsFromModelJson(
  json: unknown,
  readWeights: (path: string) => ArrayBuffer | Promise<ArrayBuffer>,
): Promise<tf.io.ModelArtifacts> {
  if (json === null || typeof json !== 'object') throw new CheckpointError('model.json is not a JSON object; pick the model.json of a TGNN checkpoint');
  const j = json as Partial<Record<string, unknown>>;
  if (j.modelTopology === undefined) throw new CheckpointError('this model.json has no modelTopology, so it is not a model file saved by tgnn or the playground');
  const manifest = j.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new CheckpointError('model.json has no weightsManifest: it lists no weights file');
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest as unknown[]) {
    const g = (group ?? {}) as Partial<Record<string, unknown>>;
    if (!Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new CheckpointError('model.json: a weightsManifest entry lacks paths or weights');
    specs.push(...(g.weights as tf.io.WeightsManifestEntry[]));
    for (const p of g.paths as unknown[]) {
      if (typeof p !== 'string') throw new CheckpointError('model.json: a weights path is not a string');
      buffers.push(await readWeights(p));
    }
  }
  return {
    modelTopology: j.modelTopology as object,
    format: typeof j.format === 'string' ? j.format : undefined,
    generatedBy: typeof j.generatedBy === 'string' ? j.generatedBy : undefined,
    weightSpecs: specs,
    weightData: buffers.length === 1 ? buffers[0]! : tf.io.concatenateArrayBuffers(buffers),
  };
}

/** the basename of a manifest path ("./model.weights.bin" → "model.weights.bin") */
export function weightsBasename(path: string): string {
  return path.split('/').pop() ?? path;
}

// ---- loading ----

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function isRange(x: unknown): x is [number, number] {
  return Array.isArray(x) && x.length === 2 && x.every((v) => Number.isInteger(v));
}

/** Validates the metadata of a checkpoint (format, version, field types) with messages for the user. */
export function parseCheckpointMeta(topology: unknown): CheckpointMeta {
  if (!isObject(topology) || topology.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(`this is not a TGNN checkpoint (model.json's modelTopology has no format '${CHECKPOINT_FORMAT}'); pick a model.json saved by tgnn or the playground`);
  }
  if (!READABLE_VERSIONS.includes(topology.version as number)) {
    throw new CheckpointError(`this checkpoint has format version ${String(topology.version)}; this build reads versions ${READABLE_VERSIONS.join(' and ')}`);
  }
  const { config, options, dataset, split, position } = topology;
  const bad = (field: string): CheckpointError => new CheckpointError(`this checkpoint's model.json is damaged: '${field}' is missing or malformed`);
  if (!isObject(config)) throw bad('config');
  if (!isObject(options) || !['batchSize', 'evalBatchSize', 'evalSeed', 'negativesPerPositive'].every((k) => Number.isInteger(options[k]) && (options[k] as number) >= 0)
    || (options.batchSize as number) < 1 || (options.evalBatchSize as number) < 1 || (options.negativesPerPositive as number) < 1
    || !['random', 'historical', 'inductive'].includes(options.evalNegatives as string) || typeof options.exact !== 'boolean') throw bad('options');
  if (!isObject(dataset) || !['numEvents', 'numNodes', 'edgeFeatureDim'].every((k) => Number.isInteger(dataset[k])) || typeof dataset.hash !== 'string') throw bad('dataset');
  if (!isObject(split) || !isRange(split.train) || !isRange(split.val) || !isRange(split.test)) throw bad('split');
  if (!Number.isInteger(position)) throw bad('position');
  if (typeof topology.preset !== 'string') throw bad('preset');
  if (topology.version !== 1 && topology.resume !== null && topology.resume !== undefined) {
    const r = topology.resume;
    const o = isObject(r) ? r.optimizer : undefined;
    const rng = isObject(r) ? r.rng : undefined;
    const uint32 = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;
    if (!isObject(r) || !Number.isInteger(r.epochs) || (r.epochs as number) < 0 || typeof r.learningRate !== 'number' || !(r.learningRate > 0)
      || !Number.isInteger(r.seed) || !isObject(o) || !isObject(rng) || !uint32(rng.negatives) || !uint32(rng.dropout)
      || !Number.isInteger(o.iterations) || (o.iterations as number) < 0 || typeof o.beta1Power !== 'number' || typeof o.beta2Power !== 'number'
      || typeof o.moments !== 'boolean') throw bad('resume');
    if (o.kind !== 'adam' || o.beta1 !== ADAM.beta1 || o.beta2 !== ADAM.beta2 || o.epsilon !== ADAM.epsilon) {
      throw new CheckpointError(`this checkpoint's optimizer (${String(o.kind)}, beta1 ${String(o.beta1)}, beta2 ${String(o.beta2)}, epsilon ${String(o.epsilon)}) is not the Adam this build trains with (beta1 ${ADAM.beta1}, beta2 ${ADAM.beta2}, epsilon ${ADAM.epsilon})`);
    }
  }
  return topology as unknown as CheckpointMeta;
}

/**
 * Loads artifacts against `stream`: validates format, version and the stream fingerprint, builds the
 * model from the saved config, assigns the weights by position (with shape checks) and prepares the
 * saved state (the neighbour index is rebuilt from events [0, position)). The caller owns the model.
 */
export function loadCheckpoint(artifacts: tf.io.ModelArtifacts, stream: EventStream, streamName: string): LoadedCheckpoint {
  const meta = parseCheckpointMeta(artifacts.modelTopology);
  checkFingerprint(meta.dataset, stream, streamName);
  const split = chronologicalSplit(stream);
  const same = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1];
  if (!same(split.train, meta.split.train) || !same(split.val, meta.split.val) || !same(split.test, meta.split.test)) {
    throw new CheckpointError(`this checkpoint's train/val/test split (${meta.split.train[1]}/${meta.split.val[1]}/${meta.split.test[1]}) differs from this build's (${split.train[1]}/${split.val[1]}/${split.test[1]})`);
  }
  if (meta.position !== split.train[1]) throw new CheckpointError(`this checkpoint's memory is at event ${meta.position}; expected the end of training, ${split.train[1]}`);

  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  if (!data || specs.length === 0) throw new CheckpointError('this checkpoint has no weights (weights file missing or empty)');
  const bytes = tf.io.CompositeArrayBuffer.join(data);
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : NaN), 0);
  if (!Number.isFinite(expected)) throw new CheckpointError('this checkpoint lists weights of a type other than float32/int32; it was not saved by tgnn');
  if (expected !== bytes.byteLength) {
    throw new CheckpointError(`the weights file has ${fmt.format(bytes.byteLength)} bytes; model.json expects ${fmt.format(expected)}: it is truncated or belongs to another checkpoint`);
  }
  const bySpec = new Map(specs.map((s) => [s.name, s]));

  let model: TgnModel;
  try {
    model = createTgn(stream, meta.config, 0);
  } catch (e) {
    throw new CheckpointError(`this checkpoint's config cannot build a model here: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const vars = model.variables;
    const params = specs.filter((s) => s.name.startsWith('param/'));
    if (params.length !== vars.length) {
      throw new CheckpointError(`this checkpoint has ${params.length} parameter tensors; its config builds a model with ${vars.length}: it was saved by an incompatible version`);
    }
    const expectShape = (name: string, shape: readonly number[], dtype: string): void => {
      const s = bySpec.get(name);
      if (!s) throw new CheckpointError(`this checkpoint lacks the tensor '${name}'`);
      if (s.dtype !== dtype || s.shape.length !== shape.length || s.shape.some((d, i) => d !== shape[i])) {
        throw new CheckpointError(`this checkpoint's tensor '${name}' is ${s.dtype} [${s.shape.join(', ')}]; the model needs ${dtype} [${shape.join(', ')}]`);
      }
    };
    vars.forEach((v, i) => expectShape(paramName(i), v.shape, 'float32'));
    const resumeMetaOf = meta.version === 1 ? null : meta.resume ?? null;
    if (resumeMetaOf?.optimizer.moments) {
      vars.forEach((v, i) => {
        expectShape(momentName('m', i), v.shape, 'float32');
        expectShape(momentName('v', i), v.shape, 'float32');
      });
    }
    // the state fields a fresh model of this config has, with their sizes
    const template = stateEntries(model.saveState());
    const kinds = meta.state?.kinds ?? {};
    const scalars = meta.state?.scalars ?? {};
    for (const [name, values] of template.arrays) {
      const kind = kindOf(values)!;
      if (!bySpec.has(`state/${name}`) && values.length === 0) continue;
      if (kinds[name] !== undefined && kinds[name] !== kind) throw new CheckpointError(`this checkpoint stores '${name}' as ${kinds[name]}; the model keeps ${kind}`);
      expectShape(`state/${name}`, kind === 'float64' ? [values.length, 2] : [values.length], kind === 'float64' ? 'int32' : kind);
    }
    for (const name of Object.keys(template.scalars)) {
      if (typeof scalars[name] !== 'number') throw new CheckpointError(`this checkpoint lacks the state value '${name}'`);
    }

    const decoded = tf.io.decodeWeights(bytes, specs);
    try {
      vars.forEach((v, i) => v.assign(decoded[paramName(i)]!));
    } finally {
      tf.dispose(Object.values(decoded));
    }
    // state arrays straight from the bytes (no backend round trip: WebGPU has no synchronous reads)
    const offsets = new Map<string, number>();
    let offset = 0;
    for (const spec of specs) {
      offsets.set(spec.name, offset);
      offset += spec.shape.reduce((a, b) => a * b, 1) * 4;
    }
    const restored: Record<string, Record<string, StateArray | number>> = {};
    for (const [name, values] of template.arrays) {
      const [part, key] = name.split('/') as [string, string];
      restored[part] ??= {};
      const at = offsets.get(`state/${name}`);
      const kind = kindOf(values)!;
      const size = kind === 'float64' ? values.length * 8 : values.length * 4;
      const slice = at === undefined ? null : bytes.slice(at, at + size);
      restored[part]![key] = slice === null ? values : kind === 'float64' ? new Float64Array(slice) : kind === 'float32' ? new Float32Array(slice) : new Int32Array(slice);
    }
    for (const name of Object.keys(template.scalars)) {
      const [part, key] = name.split('/') as [string, string];
      restored[part] ??= {};
      restored[part]![key] = scalars[name]!;
    }
    model.index.reset();
    model.index.insertRange(stream.src, stream.dst, stream.t, 0, meta.position);
    model.restoreState({ ...restored, index: model.index.save() } as unknown as ModelState);
    let resume: CheckpointResume | null = null;
    if (resumeMetaOf) {
      const momentsOf = (which: 'm' | 'v'): Float32Array[] => !resumeMetaOf.optimizer.moments ? [] : vars.map((v, i) => {
        const at = offsets.get(momentName(which, i))!;
        return new Float32Array(bytes.slice(at, at + v.size * 4));
      });
      const o = resumeMetaOf.optimizer;
      resume = {
        learningRate: resumeMetaOf.learningRate,
        seed: resumeMetaOf.seed,
        state: {
          epochs: resumeMetaOf.epochs,
          optimizer: { iterations: o.iterations, beta1Power: o.beta1Power, beta2Power: o.beta2Power, firstMoments: momentsOf('m'), secondMoments: momentsOf('v') },
          rng: { negatives: resumeMetaOf.rng.negatives, dropout: resumeMetaOf.rng.dropout },
        },
      };
    }
    return { meta, model, split, state: model.saveState(), resume };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
