import { tf, type Tensor2D, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';
import { combineVariables, type Module } from './module.ts';
import { Linear } from './linear.ts';
import type { TimeEncoder } from './timeEncoder.ts';
import { neighbourAttention } from '../kernels/fused.ts';

/** What an embedding module reads for Q query (node, time) pairs with K neighbour slots each. */
export interface EmbeddingInput {
  /** U × memoryDim: memory of every node the batch touches (already updated with pending mail) */
  readonly table: Tensor2D;
  /** Q: row of each query node in `table` */
  readonly queryRows: Int32Array;
  /** Q: query time − last update of the query node's memory */
  readonly queryDt: Float32Array;
  readonly k: number;
  /** Q·K: row in `table` of each neighbour slot (any valid row for padding) */
  readonly neighbourRows: Int32Array;
  /** Q·K: 1 for a real neighbour, 0 for padding */
  readonly neighbourMask: Float32Array;
  /** Q·K: query time − neighbour edge time (≥ 0) */
  readonly neighbourDt: Float32Array;
  /** Q·K × edgeFeatureDim features of the neighbour edges (zeros for padding) */
  readonly neighbourEdgeFeatures: Float32Array;
  readonly training: boolean;
  /** draws the dropout masks when training */
  readonly rng: Rng;
  /** two-layer embeddings only: per hop-1 slot (Q·K), K slots of that neighbour's own neighbours before the slot's edge */
  readonly hop2?: NeighbourSlots;
}

/** K neighbour slots per item, as in EmbeddingInput (rows into `table`, padding masked). */
export interface NeighbourSlots {
  readonly rows: Int32Array;
  readonly mask: Float32Array;
  readonly dt: Float32Array;
  readonly edgeFeatures: Float32Array;
}

export interface Embedding extends Module {
  readonly outDim: number;
  /** Q × outDim */
  embed(input: EmbeddingInput): Tensor2D;
}

/** Embedding = the node's memory (TGN-id / JODIE without projection). */
export class IdentityEmbedding implements Embedding {
  readonly variables: readonly Variable[] = [];
  constructor(readonly outDim: number) {}
  embed(input: EmbeddingInput): Tensor2D {
    return tf.gather(input.table, tf.tensor1d(input.queryRows, 'int32'));
  }
  resetParameters(): void {}
  dispose(): void {}
}

export interface AttentionConfig {
  readonly memoryDim: number;
  readonly edgeFeatureDim: number;
  readonly heads: number;
  /** total output width (heads × per-head width) */
  readonly outDim: number;
  readonly dropout: number;
}

/**
 * One layer of graph attention over the most recent temporal neighbours, in the form of PyG's
 * TransformerConv as used by its TGN example: query from the node's memory; key and value from the
 * neighbour's memory plus a projection of [time encoding of Δt, edge features]; softmax per head over
 * the neighbours (padding masked; a node with no neighbours gets only its root term); dropout on the
 * attention weights; heads concatenated; plus a root (skip) projection of the node's own memory.
 */
export class TemporalAttentionEmbedding implements Embedding {
  readonly outDim: number;
  private readonly query: Linear;
  private readonly keyValue: Linear;
  private readonly edge: Linear;
  private readonly root: Linear;

  constructor(readonly config: AttentionConfig, private readonly timeEncoder: TimeEncoder, rng: Rng) {
    if (config.outDim % config.heads !== 0) {
      throw new Error(`TemporalAttentionEmbedding: outDim ${config.outDim} is not divisible by heads ${config.heads}`);
    }
    this.outDim = config.outDim;
    this.query = new Linear(config.memoryDim, config.outDim, rng);
    // key and value projections side by side, so the node table is projected once
    this.keyValue = new Linear(config.memoryDim, 2 * config.outDim, rng);
    this.edge = new Linear(timeEncoder.dim + config.edgeFeatureDim, config.outDim, rng, { bias: false });
    this.root = new Linear(config.memoryDim, config.outDim, rng);
  }

  get variables(): readonly Variable[] {
    return combineVariables([this.query, this.keyValue, this.edge, this.root]);
  }

  resetParameters(rng: Rng): void {
    for (const m of [this.query, this.keyValue, this.edge, this.root]) m.resetParameters(rng);
  }

  dispose(): void {
    for (const m of [this.query, this.keyValue, this.edge, this.root]) m.dispose();
  }

  embed(input: EmbeddingInput): Tensor2D {
    const { heads, edgeFeatureDim, dropout } = this.config;
    const Q = input.queryRows.length;
    const K = input.k;
    const queryRows = tf.tensor1d(input.queryRows, 'int32');
    const x = tf.gather(input.table, queryRows);
    const q = this.query.apply(x);

    const kvTable = this.keyValue.apply(input.table);
    // time encoding and edge projection for the real slots only (about half of them on CollegeMsg)
    const { eRows, dt, features } = realSlots(input.neighbourMask, input.neighbourDt, input.neighbourEdgeFeatures, edgeFeatureDim);
    let edgeIn = this.timeEncoder.encode(tf.tensor1d(dt));
    if (edgeFeatureDim > 0) edgeIn = tf.concat([edgeIn, tf.tensor2d(features, [dt.length, edgeFeatureDim])], 1);
    const e = this.edge.apply(edgeIn);
    const keep = new Float32Array(Q * K * heads).fill(1);
    if (input.training && dropout > 0) {
      const scale = 1 / (1 - dropout);
      for (let i = 0; i < keep.length; i++) keep[i] = input.rng.next() < dropout ? 0 : scale;
    }
    const aggregated = neighbourAttention({
      kv: kvTable, rows: tf.tensor1d(input.neighbourRows, 'int32'), e, eRows: tf.tensor1d(eRows, 'int32'),
      q, mask: tf.tensor1d(input.neighbourMask), keep: tf.tensor1d(keep), heads,
    });
    return tf.add(aggregated, this.root.apply(x));
  }
}

/** the real (unmasked) slots' Δt and edge features, in slot order, and each slot's row among them (padding: 0) */
function realSlots(mask: Float32Array, dt: Float32Array, features: Float32Array, de: number): { eRows: Int32Array; dt: Float32Array; features: Float32Array } {
  let real = 0;
  for (let s = 0; s < mask.length; s++) if (mask[s] !== 0) real++;
  const eRows = new Int32Array(mask.length);
  const realDt = new Float32Array(real);
  const realFeatures = new Float32Array(real * de);
  let r = 0;
  for (let s = 0; s < mask.length; s++) {
    if (mask[s] === 0) continue;
    eRows[s] = r;
    realDt[r] = dt[s]!;
    if (de > 0) realFeatures.set(features.subarray(s * de, (s + 1) * de), r * de);
    r++;
  }
  return { eRows, dt: realDt, features: realFeatures };
}

/**
 * JODIE's time projection: z = m ⊙ (1 + w·Δt/scale + b), with Δt the time since the node's memory was
 * last updated and `scale` a typical gap (the stream's mean time between a node's events), so an idle
 * node's embedding drifts along a learned direction.
 */
export class TimeProjectionEmbedding implements Embedding {
  readonly outDim: number;
  private readonly projection: Linear;

  constructor(memoryDim: number, private readonly timeScale: number, rng: Rng) {
    this.outDim = memoryDim;
    this.projection = new Linear(1, memoryDim, rng);
  }

  get variables(): readonly Variable[] {
    return this.projection.variables;
  }

  resetParameters(rng: Rng): void {
    this.projection.resetParameters(rng);
  }

  dispose(): void {
    this.projection.dispose();
  }

  embed(input: EmbeddingInput): Tensor2D {
    const m = tf.gather(input.table, tf.tensor1d(input.queryRows, 'int32'));
    const dt = tf.div(tf.tensor2d(input.queryDt, [input.queryDt.length, 1]), this.timeScale);
    return tf.mul(m, tf.add(1, this.projection.apply(dt as Tensor2D))) as Tensor2D;
  }
}

/**
 * Two layers of temporal attention (TGAT): layer 1 embeds each query node at its query time from its
 * neighbours, and each neighbour at its edge's time from the neighbour's own earlier neighbours (hop 2);
 * layer 2 embeds each query node from its layer-1 self (query and skip) and its neighbours' layer-1
 * embeddings (keys and values), with the hop-1 time encodings and edge features.
 */
export class TwoLayerAttentionEmbedding implements Embedding {
  readonly outDim: number;
  private readonly first: TemporalAttentionEmbedding;
  private readonly second: TemporalAttentionEmbedding;

  constructor(config: AttentionConfig, timeEncoder: TimeEncoder, rng: Rng) {
    this.outDim = config.outDim;
    this.first = new TemporalAttentionEmbedding(config, timeEncoder, rng);
    this.second = new TemporalAttentionEmbedding({ ...config, memoryDim: config.outDim }, timeEncoder, rng);
  }

  get variables(): readonly Variable[] {
    return combineVariables([this.first, this.second]);
  }

  resetParameters(rng: Rng): void {
    this.first.resetParameters(rng);
    this.second.resetParameters(rng);
  }

  dispose(): void {
    this.first.dispose();
    this.second.dispose();
  }

  embed(input: EmbeddingInput): Tensor2D {
    const hop2 = input.hop2;
    if (!hop2) throw new Error('TwoLayerAttentionEmbedding: the plan has no second hop (config.layers must be 2)');
    const Q = input.queryRows.length;
    const slots = input.neighbourRows.length;
    const h1 = this.first.embed({
      ...input,
      queryRows: concatInt(input.queryRows, input.neighbourRows),
      queryDt: concatFloat(input.queryDt, new Float32Array(slots)),
      neighbourRows: concatInt(input.neighbourRows, hop2.rows),
      neighbourMask: concatFloat(input.neighbourMask, hop2.mask),
      neighbourDt: concatFloat(input.neighbourDt, hop2.dt),
      neighbourEdgeFeatures: concatFloat(input.neighbourEdgeFeatures, hop2.edgeFeatures),
      hop2: undefined,
    });
    const selfRows = Int32Array.from({ length: Q }, (_, q) => q);
    const neighbourRows = Int32Array.from({ length: slots }, (_, s) => Q + s);
    return this.second.embed({ ...input, table: h1, queryRows: selfRows, neighbourRows, hop2: undefined });
  }
}

function concatInt(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concatFloat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
