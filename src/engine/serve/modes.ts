import { tf } from '../tf.ts';
import { TgnModel, type ModelState } from '../models/tgn.ts';
import { Rng } from '../util/rng.ts';
import type { ServeCosts, ServeMode } from '../../shared/serving.ts';
import type { Stopwatch } from './clock.ts';

/**
 * The state serving starts from: a trained model (its modules are shared, never changed) and its
 * event-driven state once the stream's events before the feed are applied.
 */
export interface ServingBase {
  readonly model: TgnModel;
  readonly state: ModelState;
  /** stream index of the first feed event (the state holds the events before it) */
  readonly feedFrom: number;
}

/** the query pairs of one query group: positives (src, dst) of future events at their times, and negatives */
export interface QueryPairs {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly t: Float64Array;
  readonly neg: Int32Array;
}

export interface Scores {
  /** probabilities of the positive and the negative pair of each query */
  readonly pos: Float32Array;
  readonly neg: Float32Array;
}

export interface Answer extends Scores {
  /** feed events the answer reflects */
  readonly reflected: number;
  /** the query server's time on the group (ms) */
  readonly ms: number;
}

/**
 * One serving mode, injected into the simulator (serve/simulator.ts): what the background update server
 * does with a group of arrived events (null: there is none) and how the query server answers a group.
 */
export interface ServingMode {
  /**
   * The update server's work on feed events [from, to): runs it and returns its duration (ms) and the
   * step that makes it visible to queries, taken when it ends.
   */
  readonly update: ((from: number, to: number) => Promise<{ ms: number; publish: () => void }>) | null;
  /** answers a query group with `arrived` feed events arrived (and, for modes with updates, what is published) */
  answer(pairs: QueryPairs, arrived: number): Promise<Answer>;
  /** the model whose neighbour index holds the arrived events (sampling latency is measured on it) */
  readonly sampler: TgnModel;
  /** events the query server applied itself and its time on them, ms (inference-based serving's replay) */
  applyWork?(): { readonly events: number; readonly ms: number };
}

/**
 * A model sharing the trained modules, holding `base`'s memory and mail and the events before the feed. It holds
 * no tensors of its own (never dispose it: that would dispose the shared modules).
 */
export function servingCopy(base: ServingBase): TgnModel {
  const { stream, config, modules } = base.model;
  const copy = new TgnModel(stream, config, modules);
  copy.memory.restore(base.state.memory);
  copy.mailbox.restore(base.state.mailbox);
  copy.index.insertRange(stream.src, stream.dst, stream.t, 0, base.feedFrom);
  return copy;
}

/** scores query pairs on a model's current state (pending mail applied on the fly, nothing written) */
export async function scorePairs(model: TgnModel, pairs: QueryPairs): Promise<Scores> {
  const plan = model.planQueries(pairs.src, pairs.dst, pairs.t, pairs.neg);
  return readScores(tf.tidy(() => {
    const out = model.forward(plan, false, new Rng(0));
    return [tf.sigmoid(out.pos), tf.sigmoid(out.neg)];
  }));
}

/** reads back (and disposes) the positive and negative probabilities */
async function readScores([p, n]: tf.Tensor[]): Promise<Scores> {
  const [pos, neg] = await Promise.all([p!.data(), n!.data()]);
  tf.dispose([p!, n!]);
  return { pos: pos as Float32Array, neg: neg as Float32Array };
}

/** the embeddings of `nodes` (distinct) at time t on a model's current state, row per node */
export async function embedNodes(model: TgnModel, nodes: Int32Array, t: number): Promise<Float32Array> {
  const times = new Float64Array(nodes.length).fill(t);
  const plan = model.planQueries(nodes, nodes, times, nodes);
  const z = tf.tidy(() => model.forward(plan, false, new Rng(0)).z);
  const values = (await z.data()) as Float32Array;
  z.dispose();
  return values;
}

/** scores query pairs from cached embeddings (rows of `cache`, one per node): the decoder only */
export async function scoreCached(model: TgnModel, cache: Float32Array, pairs: QueryPairs): Promise<Scores> {
  const n = pairs.src.length;
  const dim = model.modules.embedding.outDim;
  const rowsOf = (nodes: Int32Array): Float32Array => {
    const out = new Float32Array(nodes.length * dim);
    nodes.forEach((v, i) => out.set(cache.subarray(v * dim, (v + 1) * dim), i * dim));
    return out;
  };
  return readScores(tf.tidy(() => {
    const decoder = model.modules.decoder;
    const zSrc = tf.tensor2d(rowsOf(pairs.src), [n, dim]);
    return [
      tf.sigmoid(decoder.decode(zSrc, tf.tensor2d(rowsOf(pairs.dst), [n, dim]))),
      tf.sigmoid(decoder.decode(zSrc, tf.tensor2d(rowsOf(pairs.neg), [n, dim]))),
    ];
  }));
}

/** writes row r of `rows` as node nodes[r]'s row of `table` (dim wide): a group's fresh embeddings into a cache */
export function setNodeRows(table: Float32Array, nodes: Int32Array, rows: Float32Array, dim: number): void {
  nodes.forEach((v, r) => table.set(rows.subarray(r * dim, (r + 1) * dim), v * dim));
}

/** applies feed events [from, to) one at a time (B = 1: the exact state) */
export async function replay(model: TgnModel, feedFrom: number, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await model.advance(feedFrom + i, feedFrom + i + 1);
}

/** distinct endpoints of the stream's events [from, to), in first-seen order */
export function endpoints(model: TgnModel, from: number, to: number): Int32Array {
  const seen = new Set<number>();
  for (let e = from; e < to; e++) {
    seen.add(model.stream.src[e]!);
    seen.add(model.stream.dst[e]!);
  }
  return Int32Array.from(seen);
}

/**
 * Writes every node's embedding at the feed's start into `cache` (numNodes rows): update-based serving's
 * cache before the run (not timed: the server's state when serving starts).
 */
export async function fillInitialCache(base: ServingBase, cache: Float32Array): Promise<void> {
  const { stream } = base.model;
  const warm = servingCopy(base);
  const dim = base.model.modules.embedding.outDim;
  const t = base.feedFrom > 0 ? stream.t[base.feedFrom - 1]! : stream.t[0]!;
  const chunk = 512;
  for (let v0 = 0; v0 < stream.numNodes; v0 += chunk) {
    const nodes = Int32Array.from({ length: Math.min(chunk, stream.numNodes - v0) }, (_, i) => v0 + i);
    cache.set(await embedNodes(warm, nodes, t), v0 * dim);
  }
}

/**
 * Update-based serving: the update server applies each group to memory, then re-embeds the group's
 * endpoints into a cache; a query reads the cache (decoder only). Embeddings of nodes outside the groups
 * stay as cached, even when their neighbours changed.
 */
export class UpdateBased implements ServingMode {
  /** the update server's model (its index holds what the groups applied: sampling is measured on it) */
  readonly sampler: TgnModel;
  private readonly dim: number;
  /** the events the cache reflects */
  private published = 0;

  /** `cache`: what queries read, one embedding row per node */
  private constructor(private readonly base: ServingBase, private readonly clock: Stopwatch, private readonly costs: ServeCosts, private readonly cache: Float32Array) {
    this.sampler = servingCopy(base);
    this.dim = base.model.modules.embedding.outDim;
  }

  /** with its cache filled: every node embedded at the feed's start */
  static async create(base: ServingBase, clock: Stopwatch, costs: ServeCosts): Promise<UpdateBased> {
    const cache = new Float32Array(base.model.stream.numNodes * base.model.modules.embedding.outDim);
    await fillInitialCache(base, cache);
    return new UpdateBased(base, clock, costs, cache);
  }

  readonly update = async (from: number, to: number): Promise<{ ms: number; publish: () => void }> => {
    const { sampler: model, costs } = this;
    const a = this.base.feedFrom + from;
    const b = this.base.feedFrom + to;
    const nodes = endpoints(model, a, b);
    let rows: Float32Array = new Float32Array(0);
    const advanceMs = await this.clock.time(costs.advance, to - from, () => model.advance(a, b));
    const embedMs = await this.clock.time(costs.embed, nodes.length, async () => {
      rows = await embedNodes(model, nodes, model.stream.t[b - 1]!);
    });
    return {
      ms: advanceMs + embedMs,
      publish: () => {
        setNodeRows(this.cache, nodes, rows, this.dim);
        this.published = to;
      },
    };
  };

  async answer(pairs: QueryPairs): Promise<Answer> {
    let scores: Scores = { pos: new Float32Array(0), neg: new Float32Array(0) };
    const ms = await this.clock.time(this.costs.cached, pairs.src.length, async () => {
      scores = await scoreCached(this.sampler, this.cache, pairs);
    });
    return { ...scores, reflected: this.published, ms };
  }
}

/**
 * Collaborative serving (STAG): the update server applies each group to memory only; the query server's
 * neighbour index takes every arrived event at once (a structural append), and a query embeds over it
 * with the published memory and mail.
 */
export class Collaborative implements ServingMode {
  private readonly updater: TgnModel;
  private readonly querier: TgnModel;
  private published = 0;

  constructor(private readonly base: ServingBase, private readonly clock: Stopwatch, private readonly costs: ServeCosts) {
    this.updater = servingCopy(base);
    this.querier = servingCopy(base);
  }

  get sampler(): TgnModel {
    return this.querier;
  }

  readonly update = async (from: number, to: number): Promise<{ ms: number; publish: () => void }> => {
    const { updater, querier } = this;
    const a = this.base.feedFrom;
    const ms = await this.clock.time(this.costs.advance, to - from, () => updater.advance(a + from, a + to));
    // a group changes only its endpoints' memory and mail; the simulator publishes a group before it runs
    // the next, so the updater's rows are still this group's when they are copied
    const nodes = endpoints(updater, a + from, a + to);
    return {
      ms,
      publish: () => {
        querier.memory.copyNodesFrom(nodes, updater.memory);
        querier.mailbox.copyNodesFrom(nodes, updater.mailbox.arrays());
        this.published = to;
      },
    };
  };

  async answer(pairs: QueryPairs, arrived: number): Promise<Answer> {
    const { querier, base } = this;
    const s = querier.stream;
    // arrivals join the index when they arrive (appending is the only work an arrival costs here)
    if (querier.index.size < base.feedFrom + arrived) querier.index.insertRange(s.src, s.dst, s.t, querier.index.size, base.feedFrom + arrived);
    let scores: Scores = { pos: new Float32Array(0), neg: new Float32Array(0) };
    const ms = await this.clock.time(this.costs.query, pairs.src.length, async () => {
      scores = await scorePairs(querier, pairs);
    });
    return { ...scores, reflected: this.published, ms };
  }
}

/**
 * Inference-based serving: arriving events only wait; a query group first applies every waiting event
 * one at a time (the exact state), then embeds and scores its pairs. Fresh, and each query pays.
 */
export class InferenceBased implements ServingMode {
  readonly update = null;
  readonly sampler: TgnModel;
  private applied = 0;
  private replayMs = 0;

  constructor(private readonly base: ServingBase, private readonly clock: Stopwatch, private readonly costs: ServeCosts) {
    this.sampler = servingCopy(base);
  }

  async answer(pairs: QueryPairs, arrived: number): Promise<Answer> {
    const model = this.sampler;
    let ms = 0;
    for (; this.applied < arrived; this.applied++) {
      const i = this.applied;
      ms += await this.clock.time(this.costs.advance, 1, () => replay(model, this.base.feedFrom, i, i + 1));
    }
    this.replayMs += ms;
    let scores: Scores = { pos: new Float32Array(0), neg: new Float32Array(0) };
    ms += await this.clock.time(this.costs.query, pairs.src.length, async () => {
      scores = await scorePairs(model, pairs);
    });
    return { ...scores, reflected: arrived, ms };
  }

  applyWork(): { events: number; ms: number } {
    return { events: this.applied, ms: this.replayMs };
  }
}

/** the mode object of a run */
export async function servingMode(mode: ServeMode, base: ServingBase, clock: Stopwatch, costs: ServeCosts): Promise<ServingMode> {
  const modes: Record<ServeMode, () => Promise<ServingMode>> = {
    update: () => UpdateBased.create(base, clock, costs),
    inference: async () => new InferenceBased(base, clock, costs),
    collaborative: async () => new Collaborative(base, clock, costs),
  };
  return modes[mode]();
}
