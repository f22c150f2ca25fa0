import type { LinkMetrics } from './training.ts';
import type { ExperimentSettings } from './settings.ts';

// Staleness and information-loss probes (ARCHITECTURE §2), as plain data for the CLI, the worker and the UI.

/** Data-level staleness of consecutive batches of one size (no model needed). */
export interface StalenessAtBatchSize {
  readonly batchSize: number;
  readonly batches: number;
  /** events whose source or destination already occurs in an earlier event of the same batch / events */
  readonly staleFraction: number;
  /** 1 − (mails that survive a mailbox of `mailboxSize` per node per batch) / (mails sent) */
  readonly droppedMailFraction: number;
}

/** One event of a batch, as the batch-anatomy picture draws it. */
export interface AnatomyEvent {
  /** index in the stream */
  readonly index: number;
  readonly src: number;
  readonly dst: number;
  readonly t: number;
  readonly stale: boolean;
  /** the latest earlier same-batch event touching this event's source (its update is missed), or -1 */
  readonly missedViaSrc: number;
  /** the same for the destination, or -1 */
  readonly missedViaDst: number;
}

/** One mail of the batch: event `event` sends it to `node`; dropped = overwritten within the batch. */
export interface AnatomyMail {
  readonly event: number;
  readonly node: number;
  readonly dropped: boolean;
}

export interface BatchAnatomy {
  readonly from: number;
  readonly to: number;
  readonly mailboxSize: number;
  readonly events: readonly AnatomyEvent[];
  readonly mails: readonly AnatomyMail[];
  readonly staleFraction: number;
  readonly droppedMailFraction: number;
}

/** Per-batch probe values recorded while training/evaluating (model-level). */
export interface BatchProbe {
  readonly staleFraction: number;
  readonly droppedMailFraction: number;
  /** memory age of the reads (event time − last update of the node's memory as read): p50, p90, max */
  readonly ageP50: number;
  readonly ageP90: number;
  readonly ageMax: number;
}

/** Mitigations of staleness / information loss (each a toggle in engine, CLI and UI). */
export interface Mitigations {
  /** mails kept per node (k > 1 only helps with a non-'last' aggregator) */
  readonly mailboxSize: number;
  readonly aggregator: 'last' | 'mean' | 'attention';
  /** DistTGL static node memory: a learnable per-node vector added to the dynamic memory when read */
  readonly staticMemory: boolean;
  /** evaluation batch size (smaller = fresher memory at inference); null = the training batch size */
  readonly evalBatchSize: number | null;
  /** exact mode: memory with B = 1 semantics inside each batch, one gradient step per batch (slow) */
  readonly exact: boolean;
}

/** the mitigations of these settings, as a sweep point reports them (an evaluation batch of 0 is null: the training one) */
export function mitigationsOf(s: ExperimentSettings): Mitigations {
  return { mailboxSize: s.mailboxSize, aggregator: s.aggregator, staticMemory: s.staticMemory, evalBatchSize: s.evalBatchSize > 0 ? s.evalBatchSize : null, exact: s.exact };
}

/** One point of a batch-size sweep: a fresh model trained one epoch at `batchSize`. */
export interface SweepPoint {
  readonly batchSize: number;
  readonly mitigations: Mitigations;
  readonly trainEventsPerSec: number;
  readonly valAp: number;
  readonly testAp: number;
  /** data-level fractions over the training range at this batch size and mailbox size */
  readonly staleFraction: number;
  readonly droppedMailFraction: number;
  /**
   * with the trained weights frozen, the same events (the first `driftEvents` of validation, from the
   * same starting state) processed at batch size B and at batch size 1: mean relative L2 distance of the
   * touched nodes' memory, and AP(B) − AP(1) on those events
   */
  readonly memoryDrift: number;
  readonly driftApDelta: number;
  readonly driftEvents: number;
}

/** DyGLib's negative sampling strategies for evaluation. */
export type NegativeStrategy = 'random' | 'historical' | 'inductive';

export type EdgeBankMemory = 'unlimited' | 'window';

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

// A batch-size sweep in the page: the points asked for and what came back (src/workers/sweep.ts runs them).

/** one point to run: an id of the caller's choosing and the full settings (batch size and mitigations) */
export interface SweepJob {
  readonly id: string;
  readonly settings: ExperimentSettings;
}

export interface SweepJobResult {
  readonly id: string;
  /** null when the point failed (see `error`) */
  readonly point: SweepPoint | null;
  readonly error: string | null;
  /** wall time of the point in its worker, import excluded */
  readonly ms: number;
}

export interface SweepProgress {
  readonly total: number;
  readonly done: number;
  readonly workers: number;
  /** the points in progress: id and training batches done / total */
  readonly running: readonly { readonly id: string; readonly batch: number; readonly batches: number }[];
  /** finished points, in the order they finished */
  readonly results: readonly SweepJobResult[];
}
