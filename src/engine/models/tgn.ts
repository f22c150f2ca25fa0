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

export type { TgnConfig } from '../../shared/presets.ts';
export { TGN_DEFAULTS, JODIE_PRESET } from '../../shared/presets.ts';

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

    // With neighbours from earlier batches only, an embedding depends on the node only (its memory, its
    // neighbours before the batch and their last updates), so a node read by several events is embedded
    // once, at the time it is first read. With neighbours before each event, a node is embedded per
    // event time (reads at the same time share one query).
    const perEvent = config.neighbourScope === 'before-event';
    if (perEvent) {
      // this batch's events join the index now; queries below only see those strictly before their time
      if (this.index.size === from) this.index.insertRange(stream.src, stream.dst, stream.t, from, to);
      else if (this.index.size < to) {
        throw new Error(`TgnModel.plan: the neighbour index holds ${this.index.size} events; batches must follow each other (expected ${from})`);
      }
    }
    const rowOf = this.rowOf;
    const queryList: number[] = [];
    const queryTimeList: number[] = [];
    let now = stream.t[from]!;
    const queryOf = (v: number): number => {
      const q = rowOf[v]!;
      if (q === -1 || (perEvent && queryTimeList[q] !== now)) {
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
    // neighbours among indexed events: those of earlier batches, or (per event) all strictly before the query
    const nb = this.index.mostRecent(queryNodes, perEvent ? Float64Array.from(queryTimeList) : Infinity, K);
    // second hop (two-layer attention): each hop-1 neighbour's own neighbours strictly before that edge
    let nb2: ReturnType<TemporalIndex['mostRecent']> | null = null;
    if (config.embedding === 'attention' && config.layers === 2) {
      const hopNodes = new Int32Array(nb.node.length);
      const hopTimes = new Float64Array(nb.node.length).fill(-Infinity); // padding slots: no neighbours
      for (let q = 0; q < queryNodes.length; q++) {
        for (let j = 0; j < nb.count[q]!; j++) {
          hopNodes[q * K + j] = nb.node[q * K + j]!;
          hopTimes[q * K + j] = nb.t[q * K + j]!;
        }
      }
      nb2 = this.index.mostRecent(hopNodes, hopTimes, K);
    }

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
    if (nb2) for (let s = 0; s < nb2.count.length; s++) for (let j = 0; j < nb2.count[s]!; j++) visit(nb2.node[s * K + j]!);
    const mailList: number[] = [];
    const restList: number[] = [];
    // without node memory (TGAT) no mail is ever stored, so every node reads as its (zero) initial state
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
      if (mailbox.payloadDim > 0) mailOther.set(mailbox.payload.subarray(slot * d, slot * d + d), i * d); // DyRep: stored embedding
      else mailOther.set(memory.state.subarray(other * d, other * d + d), i * d);
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
    // Δt of a slot: as PyG's TGN example, the neighbour's last update minus the edge's time (measured on
    // CollegeMsg, 1 epoch, seed 1: val AP 0.783 with it, 0.686 with query time − edge time); TGAT has no
    // memory and uses the time of the item the slot belongs to − the edge's time
    const slotsOf = (items: number, batch: ReturnType<TemporalIndex['mostRecent']>, itemTime: (i: number) => number): NeighbourSlots => {
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
    const hop1 = slotsOf(queryNodes.length, nb, (q) => queryTimeList[q]!);
    const hop2 = nb2 ? slotsOf(nb.node.length, nb2, (s) => nb.t[s]!) : null;

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
      mailNodeMemory, restNodes, restMemory, queryNodes, queryRows, queryDt, srcQuery, dstQuery, negQuery,
      neighbourRows: hop1.rows, neighbourMask: hop1.mask, neighbourDt: hop1.dt, neighbourEdgeFeatures: hop1.edgeFeatures, hop2, writeRows: Int32Array.from(write), readAges,
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
    const z = modules.embedding.embed(input);
    // DyRep: the other endpoint's embedding goes into the mail (stored, so no gradient reaches it later)
    const commitValues = modules.messageEmbedding
      ? tf.concat([updatedMemory, modules.messageEmbedding.embed(input)], 0)
      : updatedMemory;
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
      commitValues,
    };
  }

  /**
   * Step 4: write the updated memory of the batch's endpoints (consuming their applied mail), then
   * store this batch's mails (none without node memory) and index its events. `commitValues` holds
   * forward()'s commitValues.
   */
  commit(plan: BatchPlan, commitValues: Float32Array): void {
    const { memory, mailbox, stream, config } = this;
    for (const r of plan.writeRows) {
      const v = plan.mailNodes[r]!;
      memory.write(v, commitValues, r, plan.mailNodeTime[r]!);
      mailbox.clear(v);
    }
    if (config.memory) {
      if (mailbox.payloadDim > 0) {
        const d = config.memoryDim;
        const values = commitValues.subarray(plan.mailNodes.length * d);
        if (values.length !== plan.queryNodes.length * d) {
          throw new Error(`TgnModel.commit: expected ${plan.queryNodes.length} message embeddings, got ${values.length / d}`);
        }
        const rowOf = this.rowOf;
        plan.queryNodes.forEach((v, q) => (rowOf[v] = q));
        mailbox.storeEvents(stream.src, stream.dst, stream.t, plan.from, plan.to, { values, rowOf: (v) => rowOf[v]! });
        for (const v of plan.queryNodes) rowOf[v] = -1;
      } else {
        mailbox.storeEvents(stream.src, stream.dst, stream.t, plan.from, plan.to);
      }
    }
    // (indexed in plan already when attention sees same-batch events)
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
