// What training reports: metrics, epochs, and the snapshots the page draws (engine → bridge → UI).
import type { BatchProbe } from './lab.ts';

export interface LinkMetrics {
  /** AP over all scored pairs */
  ap: number;
  auc: number;
  /** mean of per-batch AP, as TGN and PyG report it */
  apBatchMean: number;
  aucBatchMean: number;
  /** mean reciprocal rank of each positive among its own k negatives (TGB), when k > 1 */
  mrr?: number;
}

export type Phase = 'train' | 'val' | 'test';

/** Where the trainer is: the next batch it will run. */
export interface TrainerCursor {
  readonly epoch: number;
  readonly phase: Phase;
  readonly batch: number;
  readonly batches: number;
}

/** DistTGL's parallelism: i mini-batch trainers per unit, j epoch-parallel ranks, k memory copies (all ≥ 1) */
export interface Parallelism {
  readonly minibatch: number;
  readonly epoch: number;
  readonly memory: number;
}

/** What an epoch trained with parallelism adds to its report (engine/train/parallel.ts). */
export interface ParallelEpochStats {
  readonly parallelism: Parallelism;
  /** i·j·k trainers simulated */
  readonly trainers: number;
  /** threads that ran them: 1 for the one-thread reference */
  readonly workers: number;
  /** share of the worker threads' time spent not computing (waiting for plans, weights, each other) */
  readonly waitFraction: number;
  /** optimizer steps in the pass: units + j − 1 */
  readonly iterations: number;
  /** the step's learning rate: the per-trainer rate × trainers, as DistTGL scales it */
  readonly learningRate: number;
  /** over the units memory copy 0 wrote (i·b events each), as `tgnn staleness` counts batches of i·b */
  readonly staleFraction: number;
  readonly droppedMailFraction: number;
  /** events of copies that start mid-stream whose endpoint's history that copy never saw (first read each) */
  readonly coldStartEvents: number;
  /** every trainer's events (each unit counted once per repetition and copy) per second of training */
  readonly processedEventsPerSec: number;
}

/** DistTGL's static memory pre-training, run before the first epoch (engine/train/staticPretrain.ts) */
export interface StaticPretrainReport {
  readonly epochs: number;
  readonly seconds: number;
  /** validation AP (mean of per-batch AP) of the memory-less pre-training model after its last epoch */
  readonly valAp: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly trainSeconds: number;
  readonly trainEventsPerSec: number;
  /** mean training loss over batches */
  readonly loss: number;
  readonly val: LinkMetrics;
  readonly test: LinkMetrics;
  /** metrics over the masked validation/test events only (present when `evalMask` is given) */
  readonly valInductive?: LinkMetrics;
  readonly testInductive?: LinkMetrics;
  readonly evalSeconds: number;
  readonly numTensors: number;
  /** present when the epoch trained with DistTGL's parallelism */
  readonly parallel?: ParallelEpochStats;
  /** present when the static memory was pre-trained (before epoch 1; the same in every epoch's report) */
  readonly staticPretrain?: StaticPretrainReport;
}

/** a finished batch, with the stream times of its first and last event */
/** one batch step of training or evaluation */
export interface BatchStep {
  readonly epoch: number;
  readonly phase: Phase;
  readonly batch: number;
  readonly batches: number;
  readonly from: number;
  readonly to: number;
  /** training loss of the batch (NaN in evaluation) */
  readonly loss: number;
  /** wall time of the batch step */
  readonly ms: number;
  /** staleness probes of this batch (data-level fractions at this batch size, memory age of the reads) */
  readonly probe: BatchProbe;
  /** evaluation batches: the scores (logits) of the positives and of their negatives (event-major, k each) */
  readonly scores?: { readonly pos: Float32Array; readonly neg: Float32Array };
}

export interface BatchSummary extends BatchStep {
  readonly tFrom: number;
  readonly tTo: number;
}

/** What the UI draws, pulled at most once per animation frame. Typed arrays are transferred. */
export interface TrainingSnapshot {
  /** increases with every batch processed */
  readonly version: number;
  readonly cursor: TrainerCursor;
  readonly lastBatch: BatchSummary | null;
  /** stream time of the latest processed event */
  readonly now: number;
  /** training loss per batch since configure(), in order */
  readonly loss: Float32Array;
  /** epoch index (1-based) of each loss entry */
  readonly lossEpoch: Int32Array;
  readonly epochs: readonly EpochReport[];
  /** training events per second over the last few training batches */
  readonly eventsPerSec: number;
  readonly heatmap: {
    /** the most active nodes (most events so far, ties by id), in a stable order */
    readonly nodes: Int32Array;
    readonly rawIds: readonly string[];
    readonly dim: number;
    /** rows × dim, row-major */
    readonly values: Float32Array;
    /** 1 where the row's node is an endpoint of the last batch */
    readonly touched: Uint8Array;
  };
  /** PCA of node memory (every node, or the most active 4,000 on bigger graphs) */
  readonly projection: {
    /** the projected nodes; x, y, memoryAge and seen are indexed like this list */
    readonly nodes: Int32Array;
    readonly x: Float32Array;
    readonly y: Float32Array;
    /** memory age: now − last update of each node's memory (stream time units); NaN for never-updated nodes */
    readonly memoryAge: Float32Array;
    /** 1 where the node has events so far */
    readonly seen: Uint8Array;
    /** share of the total memory variance that PC1 and PC2 explain, each in [0, 1] */
    readonly varianceFraction: readonly [number, number];
  };
  /** projected positions over time of watched nodes (oldest first) */
  readonly trails: readonly { readonly node: number; readonly x: Float32Array; readonly y: Float32Array }[];
  /** staleness probes, one entry per training batch since configure() (aligned with `loss`) */
  readonly probes: {
    readonly staleFraction: Float32Array;
    readonly droppedMailFraction: Float32Array;
    /** memory age of the batch's reads (event time − last update of the memory read): p50, p90, max */
    readonly ageP50: Float32Array;
    readonly ageP90: Float32Array;
    readonly ageMax: Float32Array;
    /** every read's memory age in the last batch (for a histogram); NaN-free */
    readonly lastAges: Float32Array;
  };
  readonly numTensors: number;
}

export interface NodeDetail {
  readonly node: number;
  readonly rawId: string;
  /** the node's events: time, other endpoint, whether it was the source */
  readonly eventTimes: Float64Array;
  readonly eventOther: Int32Array;
  readonly eventIsSource: Uint8Array;
  /** events processed so far (the rest are in the future of the current batch) */
  readonly processedEvents: number;
  readonly memory: Float32Array;
  readonly lastUpdate: number;
  /** now − lastUpdate, NaN when never updated */
  readonly memoryAge: number;
  /** memory after each write since the node was watched: rows × dim, with their stream times */
  readonly history: Float32Array;
  readonly historyTimes: Float64Array;
}

export interface TimelineHistogram {
  readonly tMin: number;
  readonly tMax: number;
  readonly counts: Int32Array;
}

/** one phase of a training batch and its time (src/engine/train/phases.ts names the phases) */
export interface PhaseTime {
  readonly phase: string;
  /** ms per batch */
  readonly ms: number;
  /** share of the batch's measured time, 0..1 */
  readonly share: number;
}

/** where a training batch's time goes (EngineSession.profileTraining), in Node or a browser worker */
export interface TrainingProfile {
  readonly batches: number;
  readonly batchSize: number;
  /** wall time per batch, the snapshot work between batches included */
  readonly wallMs: number;
  readonly eventsPerSec: number;
  readonly phases: readonly PhaseTime[];
}
