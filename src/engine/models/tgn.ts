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
import { TemporalAttentionEmbedding, TimeProjectionEmbedding, type Embedding } from '../nn/embedding.ts';
import { MlpLinkDecoder, type LinkDecoder } from '../nn/decoder.ts';
import type { Module } from '../nn/module.ts';
import { Rng } from '../util/rng.ts';

/** Sizes and choices of a TGN-family model (one typed config; presets fill it). */
export interface TgnConfig {
  readonly memoryDim: number;
  readonly timeDim: number;
  readonly embeddingDim: number;
  /** temporal neighbours attended to per query */
  readonly neighbours: number;
  readonly heads: number;
  readonly dropout: number;
  /** mails kept per node between updates */
  readonly mailboxSize: number;
  readonly aggregator: 'last' | 'mean' | 'attention';
  /** DistTGL static node memory added to the dynamic memory when read */
  readonly staticMemory: boolean;
  /** memory updater: GRU (TGN) or vanilla RNN (JODIE) */
  readonly updater: 'gru' | 'rnn';
  /** embedding: temporal graph attention (TGN) or JODIE's time projection of the memory */
  readonly embedding: 'attention' | 'time-projection';
}

export const TGN_DEFAULTS: TgnConfig = {
  memoryDim: 100,
  timeDim: 100,
  embeddingDim: 100,
  neighbours: 10,
  heads: 2,
  dropout: 0.1,
  mailboxSize: 1,
  aggregator: 'last',
  staticMemory: false,
  updater: 'gru',
  embedding: 'attention',
};

/**
 * JODIE-style preset (Kumar et al. 2019) from the same modules: RNN memory updater and the time
 * projection embedding z = m ⊙ (1 + w·Δt); no neighbour attention. Embedding dim = memory dim.
 */
export const JODIE_PRESET: TgnConfig = { ...TGN_DEFAULTS, updater: 'rnn', embedding: 'time-projection' };

/** The learnable pieces, injected into the model. */
export interface TgnModules {
  readonly timeEncoder: TimeEncoder & Module;
  readonly message: MessageFunction;
  readonly aggregator: MessageAggregator;
  readonly updater: MemoryUpdater;
  readonly embedding: Embedding;
  readonly decoder: LinkDecoder;
  /** DistTGL static node memory, or null */
  readonly staticMemory: StaticMemory | null;
}

/** Builds TGN's standard modules (GRU updater, identity message, attention embedding, MLP decoder). */
export function tgnModules(config: TgnConfig, numNodes: number, edgeFeatureDim: number, rng: Rng, timeScale = 1): TgnModules {
  const timeEncoder = new CosineTimeEncoder(config.timeDim, rng);
  const message = new IdentityMessage(config.memoryDim, config.timeDim, edgeFeatureDim);
  const aggregator = config.aggregator === 'mean'
    ? new MeanAggregator()
    : config.aggregator === 'attention'
      ? new AttentionAggregator(config.memoryDim, message.dim, config.memoryDim, rng)
      : new LastAggregator();
  return {
    timeEncoder,
    message,
    aggregator,
    updater: config.updater === 'rnn' ? new RnnUpdater(message.dim, config.memoryDim, rng) : new GruUpdater(message.dim, config.memoryDim, rng),
    embedding: config.embedding === 'time-projection'
      ? new TimeProjectionEmbedding(config.memoryDim, timeScale, rng)
      : new TemporalAttentionEmbedding(
        { memoryDim: config.memoryDim, edgeFeatureDim, heads: config.heads, outDim: config.embeddingDim, dropout: config.dropout },
        timeEncoder,
        rng,
      ),
    decoder: new MlpLinkDecoder(config.embedding === 'time-projection' ? config.memoryDim : config.embeddingDim, rng),
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
  /** table rows of the batch's positive endpoints that had mail applied (their memory is written) */
  readonly writeRows: Int32Array;
  /** memory age of each read, source then destination per event: t(event) − last update of the memory read */
  readonly readAges: Float32Array;
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
}

/**
 * TGN (Rossi et al. 2020) over an event stream: node memory + mailbox + temporal neighbour index,
 * with the learnable modules injected. The batch step is split so the trainer owns gradients:
 * `plan` (JS-side reads), `forward` (tensor ops, differentiable), `commit` (write-back). See
 * train/trainer.ts for the order and why it does not leak the future.
 */
export class TgnModel {
  readonly memory: NodeMemory;
  readonly mailbox: Mailbox;
  readonly index: TemporalIndex;
  private readonly rowOf: Int32Array;

  constructor(
    readonly stream: EventStream,
    readonly config: TgnConfig,
    readonly modules: TgnModules,
  ) {
    if (modules.updater.memoryDim !== config.memoryDim) {
      throw new Error(`TgnModel: expected updater memoryDim ${config.memoryDim}, got ${modules.updater.memoryDim}`);
    }
    this.memory = new NodeMemory(stream.numNodes, config.memoryDim, stream.numEvents > 0 ? stream.t[0]! : 0);
    this.mailbox = new Mailbox(stream.numNodes, config.mailboxSize);
    this.index = new TemporalIndex(stream.numNodes, stream.src, stream.dst);
    this.rowOf = new Int32Array(stream.numNodes).fill(-1);
  }

  /** every learnable module, in a fixed order */
  private get learnable(): Module[] {
    const m = this.modules;
    return [m.timeEncoder, m.aggregator, m.updater, m.embedding, m.decoder, ...(m.staticMemory ? [m.staticMemory] : [])];
  }

  get variables(): Variable[] {
    return this.learnable.flatMap((x) => [...x.variables]);
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

  /** Step 1–2 inputs for events [from, to) with one negative destination each. */
  /**
   * Step 1–2 inputs for events [from, to) with one negative destination each; `negativeSources`
   * (DyGLib's historical/inductive negatives replace the source too) defaults to the events' sources.
   */
  plan(from: number, to: number, negatives: Int32Array, negativeSources?: Int32Array): BatchPlan {
    const { stream, memory, mailbox, config } = this;
    const B = to - from;
    // k negative destinations per event (event-major) for ranking metrics; 1 in training
    const k = negatives.length / B;
    if (!Number.isInteger(k) || k < 1) throw new Error(`TgnModel.plan: expected a multiple of ${B} negatives, got ${negatives.length}`);
    if (k > 1 && negativeSources) throw new Error('TgnModel.plan: negative sources are supported with one negative per event only');
    if (negativeSources && negativeSources.length !== B) {
      throw new Error(`TgnModel.plan: expected ${B} negative sources, got ${negativeSources.length}`);
    }
    const d = config.memoryDim;
    const de = stream.edgeFeatureDim;
    const K = config.neighbours;

    // distinct query nodes: an embedding depends on the node only (its memory, its neighbours before
    // the batch and their last updates), so a node read by several events is embedded once
    const rowOf = this.rowOf;
    const queryList: number[] = [];
    const queryTimeList: number[] = [];
    let now = stream.t[from]!;
    // the time a node is first read in the batch (its query time for time-dependent embeddings)
    const queryOf = (v: number): number => {
      if (rowOf[v] === -1) {
        rowOf[v] = queryList.length;
        queryList.push(v);
        queryTimeList.push(now);
      }
      return rowOf[v]!;
    };
    const srcQuery = new Int32Array(B);
    const dstQuery = new Int32Array(B);
    const negQuery = new Int32Array(B * k);
    const negSrcQuery = negativeSources ? new Int32Array(B) : srcQuery;
    for (let i = 0; i < B; i++) {
      now = stream.t[from + i]!;
      srcQuery[i] = queryOf(stream.src[from + i]!);
      dstQuery[i] = queryOf(stream.dst[from + i]!);
      for (let j = 0; j < k; j++) negQuery[i * k + j] = queryOf(negatives[i * k + j]!);
      if (negativeSources) negSrcQuery[i] = queryOf(negativeSources[i]!);
    }
    const queryNodes = Int32Array.from(queryList);
    for (const v of queryNodes) rowOf[v] = -1;
    // neighbours among indexed events, i.e. those of earlier batches only
    const nb = this.index.mostRecent(queryNodes, Infinity, K);

    // the node table: mail nodes first, then the rest
    const touched: number[] = [];
    const visit = (v: number): void => {
      if (rowOf[v] === -1) {
        rowOf[v] = -2;
        touched.push(v);
      }
    };
    for (const v of queryNodes) visit(v);
    for (let q = 0; q < queryNodes.length; q++) for (let j = 0; j < nb.count[q]!; j++) visit(nb.node[q * K + j]!);
    const mailList: number[] = [];
    const restList: number[] = [];
    for (const v of touched) (mailbox.hasMail(v) ? mailList : restList).push(v);
    const mailNodes = Int32Array.from(mailList);
    const restNodes = Int32Array.from(restList);
    mailNodes.forEach((v, r) => (rowOf[v] = r));
    restNodes.forEach((v, r) => (rowOf[v] = mailNodes.length + r));

    // mails to apply
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
      mailOther.set(memory.state.subarray(other * d, other * d + d), i * d);
      mailDt[i] = tm - memory.lastUpdate[v]!;
      if (de > 0) {
        const edge = mailbox.edge[slot]!;
        mailEdge.set(stream.edgeFeatures.subarray(edge * de, edge * de + de), i * de);
      }
      if (tm > mailNodeTime[row]!) mailNodeTime[row] = tm;
    }
    const mailNodeMemory = memory.gather(mailNodes);
    const restMemory = memory.gather(restNodes);

    // a node's last update after this batch's pending mail is applied
    const lastUpdateOf = (v: number): number => {
      const r = rowOf[v]!;
      return r < mailNodes.length ? mailNodeTime[r]! : memory.lastUpdate[v]!;
    };
    const queryRows = new Int32Array(queryNodes.length);
    const queryDt = new Float32Array(queryNodes.length);
    for (let q = 0; q < queryNodes.length; q++) {
      queryRows[q] = rowOf[queryNodes[q]!]!;
      queryDt[q] = queryTimeList[q]! - lastUpdateOf(queryNodes[q]!);
    }
    const slots = queryNodes.length * K;
    const neighbourRows = new Int32Array(slots);
    const neighbourMask = new Float32Array(slots);
    const neighbourDt = new Float32Array(slots);
    const neighbourEdgeFeatures = new Float32Array(slots * de);
    for (let q = 0; q < queryNodes.length; q++) {
      for (let j = 0; j < nb.count[q]!; j++) {
        const s = q * K + j;
        const v = nb.node[s]!;
        neighbourRows[s] = rowOf[v]!;
        neighbourMask[s] = 1;
        // Δt as PyG's TGN example: the neighbour's last update minus the edge's time. Measured on
        // CollegeMsg (1 epoch, seed 1): val AP 0.783 with it, 0.686 with (query time − edge time).
        neighbourDt[s] = lastUpdateOf(v) - nb.t[s]!;
        if (de > 0) {
          const edge = nb.edge[s]!;
          neighbourEdgeFeatures.set(stream.edgeFeatures.subarray(edge * de, edge * de + de), s * de);
        }
      }
    }

    const readAges = new Float32Array(2 * B);
    for (let i = 0; i < B; i++) {
      const te = stream.t[from + i]!;
      readAges[2 * i] = te - lastUpdateOf(stream.src[from + i]!);
      readAges[2 * i + 1] = te - lastUpdateOf(stream.dst[from + i]!);
    }

    // positive endpoints with applied mail get their memory written in commit
    const write: number[] = [];
    for (let i = 0; i < B; i++) {
      for (const v of [stream.src[from + i]!, stream.dst[from + i]!]) {
        const r = rowOf[v]!;
        if (r >= 0 && r < mailNodes.length) {
          write.push(r);
          rowOf[v] = -3; // listed once
        }
      }
    }
    for (const v of touched) rowOf[v] = -1;

    return {
      from, to, negatives, negSrcQuery, mailNodes, selection, mailNodeTime, mailSelf, mailOther, mailDt, mailEdge,
      mailNodeMemory, restNodes, restMemory, queryNodes, queryRows, queryDt, srcQuery, dstQuery, negQuery, neighbourRows, neighbourMask, neighbourDt,
      neighbourEdgeFeatures, writeRows: Int32Array.from(write), readAges,
    };
  }

  /** Steps 1–2 and decoding as tensor ops; call inside tf.tidy or a gradient scope. */
  forward(plan: BatchPlan, training: boolean, rng: Rng): ForwardResult {
    const { config, modules } = this;
    const d = config.memoryDim;
    const de = this.stream.edgeFeatureDim;
    const numMail = plan.mailNodes.length;
    const M = plan.selection.mailSlots.length;

    let updatedMemory: Tensor2D;
    if (numMail > 0) {
      const messages = modules.message.compute({
        self: tf.tensor2d(plan.mailSelf, [M, d]),
        other: tf.tensor2d(plan.mailOther, [M, d]),
        time: modules.timeEncoder.encode(tf.tensor1d(plan.mailDt)),
        edge: de > 0 ? tf.tensor2d(plan.mailEdge, [M, de]) : null,
      });
      const previous = tf.tensor2d(plan.mailNodeMemory, [numMail, d]);
      const aggregated = modules.aggregator.aggregate(messages, plan.selection, numMail, previous);
      updatedMemory = modules.updater.update(aggregated, previous);
    } else {
      updatedMemory = tf.zeros([0, d]);
    }
    const rest = tf.tensor2d(plan.restMemory, [plan.restNodes.length, d]);
    let table = numMail > 0 ? tf.concat([updatedMemory, rest], 0) : rest;
    if (modules.staticMemory) {
      const rows = new Int32Array(numMail + plan.restNodes.length);
      rows.set(plan.mailNodes);
      rows.set(plan.restNodes, numMail);
      table = tf.add(table, modules.staticMemory.read(rows));
    }

    const z = modules.embedding.embed({
      table,
      queryRows: plan.queryRows,
      queryDt: plan.queryDt,
      k: config.neighbours,
      neighbourRows: plan.neighbourRows,
      neighbourMask: plan.neighbourMask,
      neighbourDt: plan.neighbourDt,
      neighbourEdgeFeatures: plan.neighbourEdgeFeatures,
      training,
      rng,
    });
    const zSrc = tf.gather(z, tf.tensor1d(plan.srcQuery, 'int32'));
    const zDst = tf.gather(z, tf.tensor1d(plan.dstQuery, 'int32'));
    const zNeg = tf.gather(z, tf.tensor1d(plan.negQuery, 'int32'));
    const k = plan.negQuery.length / plan.srcQuery.length;
    const zNegSrc = k > 1
      ? tf.gather(z, tf.tensor1d(Int32Array.from({ length: plan.negQuery.length }, (_, i) => plan.srcQuery[Math.floor(i / k)]!), 'int32'))
      : plan.negSrcQuery === plan.srcQuery ? zSrc : tf.gather(z, tf.tensor1d(plan.negSrcQuery, 'int32'));
    return {
      pos: modules.decoder.decode(zSrc, zDst),
      neg: modules.decoder.decode(zNegSrc, zNeg),
      updatedMemory,
    };
  }

  /**
   * Step 4: write the updated memory of the batch's endpoints (consuming their applied mail), then
   * store this batch's mails and index its events. `updatedMemory` holds forward()'s updatedMemory.
   */
  commit(plan: BatchPlan, updatedMemory: Float32Array): void {
    const { memory, mailbox, stream } = this;
    for (const r of plan.writeRows) {
      const v = plan.mailNodes[r]!;
      memory.write(v, updatedMemory, r, plan.mailNodeTime[r]!);
      mailbox.clear(v);
    }
    mailbox.storeEvents(stream.src, stream.dst, stream.t, plan.from, plan.to);
    this.index.insertRange(stream.src, stream.dst, stream.t, plan.from, plan.to);
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
