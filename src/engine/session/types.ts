// Plain, structured-clone-friendly types that cross the worker boundary (engine → bridge → UI).
import type { BackendName } from '../backend.ts';
import type { ImportReport } from '../data/import.ts';
import type { BatchReport, EpochReport, TrainerCursor } from '../train/trainer.ts';
import type { ModelName } from '../models/config.ts';
import type { LinkMetrics } from '../train/metrics.ts';
import type { EdgeBankMemory } from '../models/edgeBank.ts';
import type { NegativeStrategy } from '../data/negatives.ts';

export type BackendPreference = 'auto' | BackendName;

export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

export interface BackendReport {
  readonly backend: BackendName;
  /** why it runs, in words (e.g. "auto: WebGPU adapter is a software fallback; wasm was faster (48 ms vs 610 ms per step)") */
  readonly reason: string;
  readonly adapter: AdapterInfo | null;
  /** ms per benchmark step of each backend tried at startup, when a benchmark decided */
  readonly benchmarkMs: Readonly<Partial<Record<BackendName, number>>> | null;
  /** wasm runs multi-threaded (needs a cross-origin isolated page) */
  readonly wasmThreads: boolean;
  /** the benchmark verdict for this adapter (measured now or remembered), for the page to keep; absent when no benchmark decided */
  readonly verdict?: BackendVerdict;
}

/** What a startup benchmark on one hardware WebGPU adapter decided; the page remembers it per adapter. */
export interface BackendVerdict {
  /** vendor|architecture|description of the adapter (backend.ts adapterKey) */
  readonly adapterKey: string;
  readonly backend: BackendName;
  readonly benchmarkMs: Readonly<Partial<Record<BackendName, number>>>;
  /** true when this verdict was remembered from an earlier page load rather than measured now */
  readonly cached: boolean;
}

/** Startup options that cross the worker boundary: remembered verdicts (by adapter key). */
export interface BackendStartOptions {
  readonly verdicts?: Readonly<Record<string, BackendVerdict>>;
}

/** Everything that defines an experiment (also the URL-hash schema's engine part). */
export interface ExperimentSettings {
  /** model preset (models/config.ts): TGN, JODIE, DyRep, APAN, TGAT or DistTGL's TGN with static memory */
  readonly model: ModelName;
  readonly memoryDim: number;
  readonly timeDim: number;
  readonly embeddingDim: number;
  readonly neighbours: number;
  /** mails kept per node (staleness mitigation when k > 1 with a mean or attention aggregator) */
  readonly mailboxSize: number;
  readonly aggregator: 'last' | 'mean' | 'attention';
  /** DistTGL static node memory added to the dynamic memory when read */
  readonly staticMemory: boolean;
  readonly batchSize: number;
  /** evaluation batch size; 0 = the training batch size */
  readonly evalBatchSize: number;
  /** exact mode: B = 1 memory semantics inside each batch, one gradient step per batch (slow reference) */
  readonly exact: boolean;
  readonly learningRate: number;
  readonly seed: number;
}

export interface DatasetSummary {
  readonly name: string;
  readonly events: number;
  readonly nodes: number;
  readonly edgeFeatureDim: number;
  readonly tMin: number;
  readonly tMax: number;
  readonly report: ImportReport;
  /** [start, end) event ranges */
  readonly split: { readonly train: readonly [number, number]; readonly val: readonly [number, number]; readonly test: readonly [number, number] };
}

/** a finished batch, with the stream times of its first and last event */
export interface BatchSummary extends Omit<BatchReport, 'epochReport' | 'readAges'> {
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

/** The EdgeBank baseline on the loaded dataset's chronological split (EngineSession.edgeBankBaseline). */
export interface EdgeBankBaselineResult {
  readonly dataset: string;
  /** every edge of the history, or only those of its last 15% of time (DyGLib's fixed_proportion) */
  readonly memory: EdgeBankMemory;
  /** DyGLib's negative sampling strategy */
  readonly negatives: NegativeStrategy;
  readonly evalBatchSize: number;
  /** AP/AUC as means of per-batch values (apBatchMean, aucBatchMean) and over all pairs (ap, auc) */
  readonly val: LinkMetrics;
  readonly test: LinkMetrics;
}
