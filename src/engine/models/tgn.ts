import { tf, type Tensor1D, type Tensor2D, type Variable } from '../tf.ts';
import type { EventStream } from '../data/eventStream.ts';
import { TemporalIndex } from '../graph/temporalIndex.ts';
import { NodeMemory } from '../memory/nodeMemory.ts';
import { Mailbox } from '../memory/mailbox.ts';
import { AttentionAggregator, LastAggregator, MeanAggregator, type MailSelection, type MessageAggregator } from '../memory/aggregator.ts';
import { StaticMemory } from '../memory/staticMemory.ts';
import { CosineTimeEncoder, type TimeEncoder } from '../nn/timeEncoder.ts';
import { GruUpdater, RnnUpdater, type MemoryUpdater } from '../nn/updater.ts';
import { IdentityMessage, type MessageFunction } from '../nn/message.ts';
import { IdentityEmbedding, TemporalAttentionEmbedding, TimeProjectionEmbedding, TwoLayerAttentionEmbedding, type Embedding, type NeighbourSlots } from '../nn/embedding.ts';
import { MlpLinkDecoder, type LinkDecoder } from '../nn/decoder.ts';
import type { Module } from '../nn/module.ts';
import { Rng } from '../util/rng.ts';
import type { TgnConfig } from '../../shared/presets.ts';
import { NO_CLOCK, type PhaseClock } from '../train/phases.ts';


/** The learnable pieces, injected into the model. */
export interface TgnModules {
  readonly timeEncoder: TimeEncoder & Module;
  readonly message: MessageFunction;
  readonly aggregator: MessageAggregator;
  readonly updater: MemoryUpdater;
  readonly embedding: Embedding;
  /** DyRep: embeds the other endpoint for its messages (stored with the mail, detached); else null */
  readonly messageEmbedding: Embedding | null;
  readonly decoder: LinkDecoder;
  /** DistTGL static node memory, or null */
  readonly staticMemory: StaticMemory | null;
}

/**
 * Builds the modules a config asks for (GRU or RNN updater, identity message, attention / two-layer
 * attention / time projection / identity embedding, MLP decoder): the presets differ only here.
 */
export function tgnModules(config: TgnConfig, numNodes: number, edgeFeatureDim: number, rng: Rng, timeScale = 1): TgnModules {
  if (config.layers !== 1 && config.layers !== 2) throw new Error(`tgnModules: layers must be 1 or 2, got ${config.layers}`);
  const timeEncoder = new CosineTimeEncoder(config.timeDim, rng);
  const message = new IdentityMessage(config.memoryDim, config.timeDim, edgeFeatureDim);
  const aggregator = config.aggregator === 'mean'
    ? new MeanAggregator()
    : config.aggregator === 'attention'
      ? new AttentionAggregator(config.memoryDim, message.dim, config.memoryDim, rng)
      : new LastAggregator();
  // construction order = the order parameters draw from rng (kept as before the presets existed)
  const updater = config.updater === 'rnn' ? new RnnUpdater(message.dim, config.memoryDim, rng) : new GruUpdater(message.dim, config.memoryDim, rng);
  const attentionConfig = { memoryDim: config.memoryDim, edgeFeatureDim, heads: config.heads, outDim: config.embeddingDim, dropout: config.dropout };
  const attention = (): Embedding => config.layers === 2
    ? new TwoLayerAttentionEmbedding(attentionConfig, timeEncoder, rng)
    : new TemporalAttentionEmbedding(attentionConfig, timeEncoder, rng);
  const embedding = config.embedding === 'time-projection'
    ? new TimeProjectionEmbedding(config.memoryDim, timeScale, rng)
    : config.embedding === 'identity'
      ? new IdentityEmbedding(config.memoryDim)
      : attention();
  let messageEmbedding: Embedding | null = null;
  if (config.messageOther === 'embedding') {
    messageEmbedding = attention();
    if (messageEmbedding.outDim !== config.memoryDim) {
      throw new Error(`tgnModules: a message carrying embeddings needs embeddingDim = memoryDim, got ${config.embeddingDim} and ${config.memoryDim}`);
    }
  }
  return {
    timeEncoder,
    message,
    aggregator,
    updater,
    embedding,
    messageEmbedding,
    decoder: new MlpLinkDecoder(embedding.outDim, rng),
    staticMemory: config.staticMemory ? new StaticMemory(numNodes, config.memoryDim, rng) : null,
  };
}

/** Everything a batch needs, gathered from the JS-side state before any tensor op (step 1 inputs). */
export interface BatchPlan {
  readonly from: number;
  readonly to: number;
  readonly negatives: Int32Array;
  /** per event: index into queryNodes of its negative source (the event's own source unless given) */
  readonly negSrcQuery: Int32Array;
  /** nodes whose pending mail is applied this batch (rows 0..mailNodes.length−1 of the table) */
  readonly mailNodes: Int32Array;
  readonly selection: MailSelection;
  /** t of the newest applied mail per mail node (its new last-update time) */
  readonly mailNodeTime: Float64Array;
  /** per selected mail: receiver memory, other memory, Δt, edge features */
  readonly mailSelf: Float32Array;
  readonly mailOther: Float32Array;
  readonly mailDt: Float32Array;
  readonly mailEdge: Float32Array;
  /** receiver memory per mail node (the updater's hidden state) */
  readonly mailNodeMemory: Float32Array;
  /** nodes read without pending mail (rows after the mail nodes) */
  readonly restNodes: Int32Array;
  readonly restMemory: Float32Array;
  /** distinct nodes embedded this batch (sources, positive and negative destinations) */
  readonly queryNodes: Int32Array;
  /** row in the table of each query node */
  readonly queryRows: Int32Array;
  /** per query node: its first read time in the batch − the last update of its memory */
  readonly queryDt: Float32Array;
  /** per event: index into queryNodes of its source, positive and negative destination */
  readonly srcQuery: Int32Array;
  readonly dstQuery: Int32Array;
  readonly negQuery: Int32Array;
  readonly neighbourRows: Int32Array;
  readonly neighbourMask: Float32Array;
  readonly neighbourDt: Float32Array;
  readonly neighbourEdgeFeatures: Float32Array;
  /** two-layer embeddings: each hop-1 slot's own neighbours before that slot's edge; else null */
  readonly hop2: NeighbourSlots | null;
  /** table rows of the batch's positive endpoints that had mail applied (their memory is written) */
  readonly writeRows: Int32Array;
  /** memory age of each read, source then destination per event: t(event) − last update of the memory read */
  readonly readAges: Float32Array;
}

type NeighbourBatch = ReturnType<TemporalIndex['mostRecent']>;

/** The events a plan reads: the stream's events [from, to), or (planQueries) query pairs [0, n). */
interface PlanEvents {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly t: Float64Array;
  readonly from: number;
  readonly to: number;
  /** query pairs are not the stream's events: they never join the neighbour index and cannot be committed */
  readonly queries: boolean;
}

/** The (node, time) pairs a batch embeds, and which of them each event reads (indices into `nodes`). */
interface BatchQueries {
  /** distinct nodes embedded, in first-read order */
  readonly nodes: Int32Array;
  /** per query: the time it is embedded at (its node's first read in the batch, or per event its event's time) */
  readonly times: Float64Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** k per event, event-major */
  readonly neg: Int32Array;
  /** the same array as `src` unless negative sources were given */
  readonly negSrc: Int32Array;
}

/** Each query's most recent neighbours, and (two-layer attention) each hop-1 slot's own; else null. */
interface SampledNeighbours {
  readonly hop1: NeighbourBatch;
  readonly hop2: NeighbourBatch | null;
}

/** The nodes a batch reads: those with pending mail (table rows 0..mailNodes.length−1), then the rest. */
interface NodeTable {
  readonly mailNodes: Int32Array;
  readonly restNodes: Int32Array;
  readonly restMemory: Float32Array;
  /** every node with a row (their `rowOf` entries are reset at the end of plan) */
  readonly touched: number[];
}

type PendingMail = Pick<BatchPlan, 'selection' | 'mailNodeTime' | 'mailSelf' | 'mailOther' | 'mailDt' | 'mailEdge' | 'mailNodeMemory'>;

interface AttentionInputs {
  readonly queryRows: Int32Array;
  readonly queryDt: Float32Array;
  readonly hop1: NeighbourSlots;
  readonly hop2: NeighbourSlots | null;
}

/** What `saveState` captures. Index slots past the saved cursor are overwritten on the next inserts. */
export interface ModelState {
  readonly memory: ReturnType<NodeMemory['save']>;
  readonly mailbox: ReturnType<Mailbox['save']>;
  readonly index: ReturnType<TemporalIndex['save']>;
}

export interface ForwardResult {
  readonly pos: Tensor1D;
  readonly neg: Tensor1D;
  /** memory of the mail nodes after applying their mail (mailNodes.length × memoryDim) */
  readonly updatedMemory: Tensor2D;
  /**
   * what `commit` needs, to be read back and passed to it: updatedMemory, then (DyRep) each query
   * node's message embedding (queryNodes.length × memoryDim more rows)
   */
  readonly commitValues: Tensor2D;
  /** the embedding of each query node (plan.queryNodes order) */
  readonly z: Tensor2D;
}

/**
 * TGN (Rossi et al. 2020) over an event stream: node memory + mailbox + temporal neighbour index,
 * with the learnable modules injected. The batch step, in order: sample neighbours → apply pending
 * mail → attend → decode → commit. It is split so the trainer owns gradients: `plan` (JS-side reads:
 * `sampleNeighbours`, `pendingMail`, `attentionInputs`), `forward` (tensor ops, differentiable:
 * `applyPendingMail`, `attend`, `decode`), `commit` (write-back after the gradient step: `writeMemory`,
 * the only writer of node memory, then `storeMail` and `indexEvents`). See train/trainer.ts for the
 * order and why it does not leak the future.
 */
export class TgnModel {
  readonly memory: NodeMemory;
  readonly mailbox: Mailbox;
  readonly index: TemporalIndex;
  private readonly rowOf: Int32Array;
  /** plans of query pairs (planQueries): commit refuses them */
  private readonly queryPlans = new WeakSet<BatchPlan>();
  /** where the batch step's time goes (nothing is measured unless a profiler is set: Trainer.profile) */
  clock: PhaseClock = NO_CLOCK;

  constructor(
    readonly stream: EventStream,
    readonly config: TgnConfig,
    readonly modules: TgnModules,
  ) {
    if (modules.updater.memoryDim !== config.memoryDim) {
      throw new Error(`TgnModel: expected updater memoryDim ${config.memoryDim}, got ${modules.updater.memoryDim}`);
    }
    this.memory = new NodeMemory(stream.numNodes, config.memoryDim, stream.numEvents > 0 ? stream.t[0]! : 0);
    this.mailbox = new Mailbox(stream.numNodes, config.mailboxSize, config.messageOther === 'embedding' ? config.memoryDim : 0);
    this.index = new TemporalIndex(stream.numNodes, stream.src, stream.dst);
    this.rowOf = new Int32Array(stream.numNodes).fill(-1);
  }

  /** every learnable module, in a fixed order */
  private get learnable(): Module[] {
    const m = this.modules;
    return [
      m.timeEncoder, m.aggregator, m.updater, m.embedding, m.decoder,
      ...(m.staticMemory ? [m.staticMemory] : []), ...(m.messageEmbedding ? [m.messageEmbedding] : []),
    ];
  }

  get variables(): Variable[] {
    return this.learnable.flatMap((x) => [...x.variables]);
  }

  /** sets every variable to saved values: one float32 array per variable, in `variables` order */
  setWeights(weights: readonly Float32Array[]): void {
    const vars = this.variables;
    if (weights.length !== vars.length) throw new Error(`TgnModel.setWeights: expected ${vars.length} weight arrays, got ${weights.length}`);
    tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(weights[i]!, v.shape, 'float32'))));
  }

  /** A copy of the event-driven state (memory, mailboxes, neighbour index), for `restoreState`. */
  saveState(): ModelState {
    return { memory: this.memory.save(), mailbox: this.mailbox.save(), index: this.index.save() };
  }

  restoreState(saved: ModelState): void {
    this.memory.restore(saved.memory);
    this.mailbox.restore(saved.mailbox);
    this.index.restore(saved.index);
  }

  /** forget all events: zero memory, empty mailboxes and neighbour index */
  resetState(): void {
    this.memory.reset();
    this.mailbox.reset();
    this.index.reset();
  }

  resetParameters(seed: number): void {
    const rng = new Rng(seed);
    for (const x of this.learnable) x.resetParameters(rng);
  }

  dispose(): void {
    for (const x of this.learnable) x.dispose();
  }

  /**
   * The JS-side half of the batch step for events [from, to) with k negative destinations each (k ≥ 1,
   * event-major; 1 in training): every read of node state happens here, before any tensor op.
   * `negativeSources` (DyGLib's historical/inductive negatives replace the source too) defaults to the
   * events' sources. Writes no node memory and no mail (`commit` does).
   */
  plan(from: number, to: number, negatives: Int32Array, negativeSources?: Int32Array): BatchPlan {
    const { src, dst, t } = this.stream;
    return this.planEvents({ src, dst, t, from, to, queries: false }, negatives, negativeSources);
  }

  /**
   * A plan that scores query pairs (src[i], dst[i]) at times t[i] against `negatives` (k per pair) on the
   * current state, as `plan` scores a batch: pending mail applied on the fly, neighbours from the index.
   * The pairs are not the stream's events: they are not indexed and the plan cannot be committed (serving
   * asks about links that have not happened; see serve/).
   */
  planQueries(src: Int32Array, dst: Int32Array, t: Float64Array, negatives: Int32Array): BatchPlan {
    if (dst.length !== src.length || t.length !== src.length) throw new Error(`TgnModel.planQueries: expected ${src.length} destinations and times, got ${dst.length} and ${t.length}`);
    const plan = this.planEvents({ src, dst, t, from: 0, to: src.length, queries: true }, negatives, undefined);
    this.queryPlans.add(plan);
    return plan;
  }

  private planEvents(events: PlanEvents, negatives: Int32Array, negativeSources: Int32Array | undefined): BatchPlan {
    const queries = this.clock.time('gather inputs', () => this.batchQueries(events, negatives, negativeSources));
    const neighbours = this.clock.time('sample neighbours', () => this.sampleNeighbours(events, queries));
    return this.clock.time('gather inputs', () => this.gatherInputs(events, negatives, queries, neighbours));
  }

  /** the rest of plan: the node table, pending mail, attention inputs, read ages and the rows commit writes */
  private gatherInputs(events: PlanEvents, negatives: Int32Array, queries: BatchQueries, neighbours: SampledNeighbours): BatchPlan {
    const { from, to } = events;
    const table = this.nodeTable(queries, neighbours);
    const mail = this.pendingMail(table.mailNodes);
    const lastUpdateOf = this.lastUpdateAfterMail(table.mailNodes.length, mail.mailNodeTime);
    const attention = this.attentionInputs(queries, neighbours, lastUpdateOf);
    const readAges = this.readAges(events, lastUpdateOf);
    const writeRows = this.memoryWriteRows(events, table.mailNodes.length);
    // rowOf is -1 everywhere between batches
    for (const v of table.touched) this.rowOf[v] = -1;
    return {
      from, to, negatives, negSrcQuery: queries.negSrc, mailNodes: table.mailNodes, ...mail,
      restNodes: table.restNodes, restMemory: table.restMemory, queryNodes: queries.nodes, queryRows: attention.queryRows,
      queryDt: attention.queryDt, srcQuery: queries.src, dstQuery: queries.dst, negQuery: queries.neg,
      neighbourRows: attention.hop1.rows, neighbourMask: attention.hop1.mask, neighbourDt: attention.hop1.dt,
      neighbourEdgeFeatures: attention.hop1.edgeFeatures, hop2: attention.hop2, writeRows, readAges,
    };
  }

  /** The tensor half of the batch step (differentiable); call inside tf.tidy or a gradient scope. */
  forward(plan: BatchPlan, training: boolean, rng: Rng): ForwardResult {
    const updatedMemory = this.clock.time('message + updater', () => this.applyPendingMail(plan));
    const { z, messageEmbeddings } = this.clock.time('attention', () => this.attend(plan, updatedMemory, training, rng));
    const { pos, neg } = this.clock.time('decoder + loss', () => this.decode(plan, z));
    // DyRep: the other endpoint's embedding goes into the mail (stored, so no gradient reaches it later)
    const commitValues = messageEmbeddings ? tf.concat([updatedMemory, messageEmbeddings], 0) : updatedMemory;
    return { pos, neg, updatedMemory, commitValues, z };
  }

  /**
   * The write-back, after the gradient step: the batch's endpoints get their updated memory (their
   * applied mail is consumed), then this batch's events become mail (none without node memory) and join
   * the neighbour index. `commitValues` holds forward()'s commitValues, read back.
   */
  commit(plan: BatchPlan, commitValues: Float32Array): void {
    if (this.queryPlans.has(plan)) throw new Error('TgnModel.commit: a plan of query pairs (planQueries) changes no state');
    this.clock.time('commit', () => {
      this.writeMemory(plan, commitValues);
      this.storeMail(plan, commitValues);
      this.indexEvents(plan);
    });
  }

  /**
   * The memory half of the batch step for the stream's events [from, to), without embedding or decoding
   * (serving's update phase): the events' endpoints apply their pending mail and write it, then the events
   * become mail and join the neighbour index (events already indexed are skipped). It leaves the memory,
   * mail and index that plan → forward → commit of the same batch leaves. DyRep's mail carries embeddings,
   * so there it runs the whole step.
   */
  async advance(from: number, to: number): Promise<void> {
    if (from >= to) return;
    const { stream, memory, mailbox, rowOf } = this;
    if (this.modules.messageEmbedding) {
      const plan = this.plan(from, to, stream.dst.slice(from, to));
      const values = tf.tidy(() => this.forward(plan, false, new Rng(0)).commitValues);
      const read = await values.data();
      values.dispose();
      this.commit(plan, read as Float32Array);
      return;
    }
    const nodes: number[] = [];
    for (let i = from; i < to; i++) {
      for (const v of [stream.src[i]!, stream.dst[i]!]) {
        if (rowOf[v] === -1 && mailbox.hasMail(v)) {
          rowOf[v] = nodes.length;
          nodes.push(v);
        }
      }
    }
    for (const v of nodes) rowOf[v] = -1;
    const mailNodes = Int32Array.from(nodes);
    if (mailNodes.length > 0) {
      const mail = this.pendingMail(mailNodes);
      const updated = tf.tidy(() => this.applyPendingMail({ mailNodes, ...mail }));
      const values = (await updated.data()) as Float32Array;
      updated.dispose();
      mailNodes.forEach((v, r) => {
        memory.write(v, values, r, mail.mailNodeTime[r]!);
        mailbox.consumeUpTo(v, mail.mailNodeTime[r]!);
      });
    }
    if (this.config.memory) mailbox.storeEvents(stream.src, stream.dst, stream.t, from, to);
    if (this.index.size < to) this.index.insertRange(stream.src, stream.dst, stream.t, Math.max(from, this.index.size), to);
  }

  /** Which (node, time) pairs the batch embeds, and which of them each event's endpoints and negatives read. */
  private batchQueries(events: PlanEvents, negatives: Int32Array, negativeSources: Int32Array | undefined): BatchQueries {
    const { config } = this;
    const { from, to } = events;
    const B = to - from;
    const k = negatives.length / B;
    if (!Number.isInteger(k) || k < 1) throw new Error(`TgnModel.plan: expected a multiple of ${B} negatives, got ${negatives.length}`);
    if (k > 1 && negativeSources) throw new Error('TgnModel.plan: negative sources are supported with one negative per event only');
    if (negativeSources && negativeSources.length !== B) {
      throw new Error(`TgnModel.plan: expected ${B} negative sources, got ${negativeSources.length}`);
    }
    // With neighbours from earlier batches only, an embedding depends on the node only (its memory, its
    // neighbours before the batch and their last updates), so a node read by several events is embedded
    // once, at the time it is first read. With neighbours before each event, a node is embedded per
    // event time (reads at the same time share one query).
    const perEvent = config.neighbourScope === 'before-event';
    const rowOf = this.rowOf;
    const queryList: number[] = [];
    const queryTimeList: number[] = [];
    let now = events.t[from]!;
    const queryOf = (v: number): number => {
      const q = rowOf[v]!;
      if (q === -1 || (perEvent && queryTimeList[q] !== now)) {
        rowOf[v] = queryList.length;
        queryList.push(v);
        queryTimeList.push(now);
      }
      return rowOf[v]!;
    };
    const src = new Int32Array(B);
    const dst = new Int32Array(B);
    const neg = new Int32Array(B * k);
    const negSrc = negativeSources ? new Int32Array(B) : src;
    for (let i = 0; i < B; i++) {
      now = events.t[from + i]!;
      src[i] = queryOf(events.src[from + i]!);
      dst[i] = queryOf(events.dst[from + i]!);
      for (let j = 0; j < k; j++) neg[i * k + j] = queryOf(negatives[i * k + j]!);
      if (negativeSources) negSrc[i] = queryOf(negativeSources[i]!);
    }
    const nodes = Int32Array.from(queryList);
    for (const v of nodes) rowOf[v] = -1;
    return { nodes, times: Float64Array.from(queryTimeList), src, dst, neg, negSrc };
  }

  /** Sample neighbours: each query's most recent neighbours in the index (and, two-layer, theirs). */
  private sampleNeighbours(events: PlanEvents, queries: BatchQueries): SampledNeighbours {
    const { stream, config } = this;
    const { from, to } = events;
    const K = config.neighbours;
    const perEvent = config.neighbourScope === 'before-event';
    if (perEvent && !events.queries) {
      // this batch's events join the index now; queries below only see those strictly before their time
      if (this.index.size === from) this.index.insertRange(stream.src, stream.dst, stream.t, from, to);
      else if (this.index.size < to) {
        throw new Error(`TgnModel.plan: the neighbour index holds ${this.index.size} events; batches must follow each other (expected ${from})`);
      }
    }
    // neighbours among indexed events: those of earlier batches, or (per event) all strictly before the query
    const hop1 = this.index.mostRecent(queries.nodes, perEvent ? queries.times : Infinity, K);
    if (!(config.embedding === 'attention' && config.layers === 2)) return { hop1, hop2: null };
    // second hop (two-layer attention): each hop-1 neighbour's own neighbours strictly before that edge
    const hopNodes = new Int32Array(hop1.node.length);
    const hopTimes = new Float64Array(hop1.node.length).fill(-Infinity); // padding slots: no neighbours
    for (let q = 0; q < queries.nodes.length; q++) {
      for (let j = 0; j < hop1.count[q]!; j++) {
        hopNodes[q * K + j] = hop1.node[q * K + j]!;
        hopTimes[q * K + j] = hop1.t[q * K + j]!;
      }
    }
    return { hop1, hop2: this.index.mostRecent(hopNodes, hopTimes, K) };
  }

  /** The node table (queries and their neighbours), pending-mail nodes first; rows stay in `rowOf` until plan ends. */
  private nodeTable(queries: BatchQueries, neighbours: SampledNeighbours): NodeTable {
    const K = this.config.neighbours;
    const { mailbox, rowOf } = this;
    const { hop1, hop2 } = neighbours;
    const touched: number[] = [];
    const visit = (v: number): void => {
      if (rowOf[v] === -1) {
        rowOf[v] = -2;
        touched.push(v);
      }
    };
    for (const v of queries.nodes) visit(v);
    for (let q = 0; q < queries.nodes.length; q++) for (let j = 0; j < hop1.count[q]!; j++) visit(hop1.node[q * K + j]!);
    if (hop2) for (let s = 0; s < hop2.count.length; s++) for (let j = 0; j < hop2.count[s]!; j++) visit(hop2.node[s * K + j]!);
    const mailList: number[] = [];
    const restList: number[] = [];
    // without node memory (TGAT) no mail is ever stored, so every node reads as its (zero) initial state
    for (const v of touched) (mailbox.hasMail(v) ? mailList : restList).push(v);
    const mailNodes = Int32Array.from(mailList);
    const restNodes = Int32Array.from(restList);
    mailNodes.forEach((v, r) => (rowOf[v] = r));
    restNodes.forEach((v, r) => (rowOf[v] = mailNodes.length + r));
    return { mailNodes, restNodes, restMemory: this.memory.gather(restNodes), touched };
  }

  /** Apply pending mail, JS side: the mails each mail node applies, with the memories its messages read. */
  private pendingMail(mailNodes: Int32Array): PendingMail {
    const { stream, memory, mailbox } = this;
    const d = this.config.memoryDim;
    const de = stream.edgeFeatureDim;
    const selection = this.modules.aggregator.select(mailbox, mailNodes);
    const M = selection.mailSlots.length;
    const mailSelf = new Float32Array(M * d);
    const mailOther = new Float32Array(M * d);
    const mailDt = new Float32Array(M);
    const mailEdge = new Float32Array(M * de);
    const mailNodeTime = new Float64Array(mailNodes.length).fill(-Infinity);
    for (let i = 0; i < M; i++) {
      const slot = selection.mailSlots[i]!;
      const row = selection.segment[i]!;
      const v = mailNodes[row]!;
      const other = mailbox.other[slot]!;
      const tm = mailbox.t[slot]!;
      mailSelf.set(memory.state.subarray(v * d, v * d + d), i * d);
      if (mailbox.payloadDim > 0) mailOther.set(mailbox.payload.subarray(slot * d, slot * d + d), i * d); // DyRep: stored embedding
      else mailOther.set(memory.state.subarray(other * d, other * d + d), i * d);
      mailDt[i] = tm - memory.lastUpdate[v]!;
      if (de > 0) {
        const edge = mailbox.edge[slot]!;
        mailEdge.set(stream.edgeFeatures.subarray(edge * de, edge * de + de), i * de);
      }
      if (tm > mailNodeTime[row]!) mailNodeTime[row] = tm;
    }
    return { selection, mailNodeTime, mailSelf, mailOther, mailDt, mailEdge, mailNodeMemory: memory.gather(mailNodes) };
  }

  /** a table node's last update once this batch's pending mail is applied (reads rows from `rowOf`) */
  private lastUpdateAfterMail(numMail: number, mailNodeTime: Float64Array): (v: number) => number {
    const { rowOf, memory } = this;
    return (v) => {
      const r = rowOf[v]!;
      return r < numMail ? mailNodeTime[r]! : memory.lastUpdate[v]!;
    };
  }

  /** Attend, JS side: each query's table row and Δt, and its neighbour slots (rows, mask, Δt, edge features). */
  private attentionInputs(queries: BatchQueries, neighbours: SampledNeighbours, lastUpdateOf: (v: number) => number): AttentionInputs {
    const { stream, config, rowOf } = this;
    const K = config.neighbours;
    const de = stream.edgeFeatureDim;
    const n = queries.nodes.length;
    const queryRows = new Int32Array(n);
    const queryDt = new Float32Array(n);
    for (let q = 0; q < n; q++) {
      queryRows[q] = rowOf[queries.nodes[q]!]!;
      queryDt[q] = queries.times[q]! - lastUpdateOf(queries.nodes[q]!);
    }
    // Δt of a slot: as PyG's TGN example, the neighbour's last update minus the edge's time (measured on
    // CollegeMsg, 1 epoch, seed 1: val AP 0.783 with it, 0.686 with query time − edge time); TGAT has no
    // memory and uses the time of the item the slot belongs to − the edge's time
    const slotsOf = (items: number, batch: NeighbourBatch, itemTime: (i: number) => number): NeighbourSlots => {
      const rows = new Int32Array(items * K);
      const mask = new Float32Array(items * K);
      const dt = new Float32Array(items * K);
      const edgeFeatures = new Float32Array(items * K * de);
      for (let i = 0; i < items; i++) {
        for (let j = 0; j < batch.count[i]!; j++) {
          const s = i * K + j;
          const v = batch.node[s]!;
          rows[s] = rowOf[v]!;
          mask[s] = 1;
          dt[s] = (config.neighbourTime === 'query' ? itemTime(i) : lastUpdateOf(v)) - batch.t[s]!;
          if (de > 0) {
            const edge = batch.edge[s]!;
            edgeFeatures.set(stream.edgeFeatures.subarray(edge * de, edge * de + de), s * de);
          }
        }
      }
      return { rows, mask, dt, edgeFeatures };
    };
    const { hop1, hop2 } = neighbours;
    return {
      queryRows,
      queryDt,
      hop1: slotsOf(n, hop1, (q) => queries.times[q]!),
      hop2: hop2 ? slotsOf(hop1.node.length, hop2, (s) => hop1.t[s]!) : null,
    };
  }

  /** memory age of each read, source then destination per event: t(event) − last update of the memory read */
  private readAges(events: PlanEvents, lastUpdateOf: (v: number) => number): Float32Array {
    const { from, to } = events;
    const readAges = new Float32Array(2 * (to - from));
    for (let i = 0; i < to - from; i++) {
      const te = events.t[from + i]!;
      readAges[2 * i] = te - lastUpdateOf(events.src[from + i]!);
      readAges[2 * i + 1] = te - lastUpdateOf(events.dst[from + i]!);
    }
    return readAges;
  }

  /** table rows `writeMemory` will write: the batch's positive endpoints with applied mail, each once */
  private memoryWriteRows(events: PlanEvents, numMail: number): Int32Array {
    const { rowOf } = this;
    const write: number[] = [];
    for (let i = events.from; i < events.to; i++) {
      for (const v of [events.src[i]!, events.dst[i]!]) {
        const r = rowOf[v]!;
        if (r >= 0 && r < numMail) {
          write.push(r);
          rowOf[v] = -3; // listed once (every endpoint is in the table, so plan resets it)
        }
      }
    }
    return Int32Array.from(write);
  }

  /** Apply pending mail: messages → aggregate → updater gives the mail nodes' new memory (written only in `writeMemory`). */
  private applyPendingMail(plan: Pick<BatchPlan, 'mailNodes' | keyof PendingMail>): Tensor2D {
    const { config, modules } = this;
    const d = config.memoryDim;
    const de = this.stream.edgeFeatureDim;
    const numMail = plan.mailNodes.length;
    if (numMail === 0) return tf.zeros([0, d]);
    const M = plan.selection.mailSlots.length;
    const messages = modules.message.compute({
      self: tf.tensor2d(plan.mailSelf, [M, d]),
      other: tf.tensor2d(plan.mailOther, [M, d]),
      time: modules.timeEncoder.encode(tf.tensor1d(plan.mailDt)),
      edge: de > 0 ? tf.tensor2d(plan.mailEdge, [M, de]) : null,
    });
    const previous = tf.tensor2d(plan.mailNodeMemory, [numMail, d]);
    const aggregated = modules.aggregator.aggregate(messages, plan.selection, numMail, previous);
    return modules.updater.update(aggregated, previous);
  }

  /** Attend: embeds every query over the node table (updated mail-node memory, stored rest; DyRep: also for its mails). */
  private attend(plan: BatchPlan, updatedMemory: Tensor2D, training: boolean, rng: Rng): { z: Tensor2D; messageEmbeddings: Tensor2D | null } {
    const { config, modules } = this;
    const numMail = plan.mailNodes.length;
    const rest = tf.tensor2d(plan.restMemory, [plan.restNodes.length, config.memoryDim]);
    let table = numMail > 0 ? tf.concat([updatedMemory, rest], 0) : rest;
    if (modules.staticMemory) {
      const rows = new Int32Array(numMail + plan.restNodes.length);
      rows.set(plan.mailNodes);
      rows.set(plan.restNodes, numMail);
      table = tf.add(table, modules.staticMemory.read(rows));
    }
    const input = {
      table,
      queryRows: plan.queryRows,
      queryDt: plan.queryDt,
      k: config.neighbours,
      neighbourRows: plan.neighbourRows,
      neighbourMask: plan.neighbourMask,
      neighbourDt: plan.neighbourDt,
      neighbourEdgeFeatures: plan.neighbourEdgeFeatures,
      ...(plan.hop2 ? { hop2: plan.hop2 } : {}),
      training,
      rng,
    };
    // in this order: both draw dropout masks from rng
    const z = modules.embedding.embed(input);
    return { z, messageEmbeddings: modules.messageEmbedding ? modules.messageEmbedding.embed(input) : null };
  }

  /** Decode: logits of each event's positive and negative pairs. */
  private decode(plan: BatchPlan, z: Tensor2D): { pos: Tensor1D; neg: Tensor1D } {
    const { decoder } = this.modules;
    const zSrc = tf.gather(z, tf.tensor1d(plan.srcQuery, 'int32'));
    const zDst = tf.gather(z, tf.tensor1d(plan.dstQuery, 'int32'));
    const zNeg = tf.gather(z, tf.tensor1d(plan.negQuery, 'int32'));
    const k = plan.negQuery.length / plan.srcQuery.length;
    const zNegSrc = k > 1
      ? tf.gather(z, tf.tensor1d(Int32Array.from({ length: plan.negQuery.length }, (_, i) => plan.srcQuery[Math.floor(i / k)]!), 'int32'))
      : plan.negSrcQuery === plan.srcQuery ? zSrc : tf.gather(z, tf.tensor1d(plan.negSrcQuery, 'int32'));
    return { pos: decoder.decode(zSrc, zDst), neg: decoder.decode(zNegSrc, zNeg) };
  }

  /**
   * Commit: the one place node memory is written (plan's writeRows, at their newest applied mail's time;
   * the mails up to that time are consumed: pipelined training may have stored newer ones since the plan).
   */
  private writeMemory(plan: BatchPlan, commitValues: Float32Array): void {
    const { memory, mailbox } = this;
    const d = this.config.memoryDim;
    if (plan.writeRows.length > 0 && commitValues.length < plan.mailNodes.length * d) {
      throw new Error(`TgnModel.commit: expected ${plan.mailNodes.length} updated memory rows, got ${Math.floor(commitValues.length / d)}`);
    }
    for (const r of plan.writeRows) {
      const v = plan.mailNodes[r]!;
      memory.write(v, commitValues, r, plan.mailNodeTime[r]!);
      mailbox.consumeUpTo(v, plan.mailNodeTime[r]!);
    }
  }

  /** Commit: this batch's events become mail to their endpoints (DyRep: carrying this batch's embeddings). */
  private storeMail(plan: BatchPlan, commitValues: Float32Array): void {
    const { mailbox, stream, config } = this;
    if (!config.memory) return;
    if (mailbox.payloadDim === 0) {
      mailbox.storeEvents(stream.src, stream.dst, stream.t, plan.from, plan.to);
      return;
    }
    const d = config.memoryDim;
    const values = commitValues.subarray(plan.mailNodes.length * d);
    if (values.length !== plan.queryNodes.length * d) {
      throw new Error(`TgnModel.commit: expected ${plan.queryNodes.length} message embeddings, got ${values.length / d}`);
    }
    const rowOf = this.rowOf;
    plan.queryNodes.forEach((v, q) => (rowOf[v] = q));
    mailbox.storeEvents(stream.src, stream.dst, stream.t, plan.from, plan.to, { values, rowOf: (v) => rowOf[v]! });
    for (const v of plan.queryNodes) rowOf[v] = -1;
  }

  /** Commit: this batch's events join the neighbour index (already there when attention sees same-batch events). */
  private indexEvents(plan: BatchPlan): void {
    const { stream, config } = this;
    if (!(config.neighbourScope === 'before-event' && this.index.size >= plan.to)) {
      this.index.insertRange(stream.src, stream.dst, stream.t, plan.from, plan.to);
    }
  }
}

export function createTgn(stream: EventStream, config: TgnConfig, seed: number): TgnModel {
  return new TgnModel(stream, config, tgnModules(config, stream.numNodes, stream.edgeFeatureDim, new Rng(seed), meanRepeatGap(stream)));
}

/** mean time between consecutive events of the same node (the time projection's Δt unit), 1 if none */
export function meanRepeatGap(stream: EventStream): number {
  const last = new Float64Array(stream.numNodes).fill(NaN);
  let sum = 0;
  let n = 0;
  for (let e = 0; e < stream.numEvents; e++) {
    for (const v of stream.src[e] === stream.dst[e] ? [stream.src[e]!] : [stream.src[e]!, stream.dst[e]!]) {
      if (!Number.isNaN(last[v]!)) {
        sum += stream.t[e]! - last[v]!;
        n++;
      }
      last[v] = stream.t[e]!;
    }
  }
  return n > 0 && sum > 0 ? sum / n : 1;
}
