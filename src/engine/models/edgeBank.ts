import type { EventStream } from '../data/eventStream.ts';
import { quantileSorted, type ChronologicalSplit } from '../data/split.ts';
import { DyGLibNegativeSampler, onOriginalEvents, type PairNegativeSampler } from '../data/negatives.ts';
import type { NegativeStrategy, EdgeBankMemory } from '../../shared/lab.ts';
import { LinkMetricsAccumulator } from '../train/metrics.ts';
import type { LinkMetrics } from '../../shared/training.ts';
import { addMaskedBatch } from '../train/subsetMetrics.ts';

/**
 * EdgeBank (Poursafaei et al. 2022), the no-learning baseline: predicts 1 for an edge it has seen
 * before and 0 otherwise. 'unlimited' remembers every edge of the history; 'window' (DyGLib's
 * fixed_proportion mode) only those since the `windowProportion` quantile of the history's times.
 */
export class EdgeBank {
  private readonly lastSeen = new Map<number, number>();
  private historyEnd = 0;

  constructor(
    readonly stream: EventStream,
    readonly memory: EdgeBankMemory = 'unlimited',
    readonly windowProportion = 0.15,
  ) {}

  /** the history becomes events [0, end) (only grows) */
  advanceTo(end: number): void {
    const { stream } = this;
    for (let e = this.historyEnd; e < end; e++) this.lastSeen.set(stream.src[e]! * stream.numNodes + stream.dst[e]!, stream.t[e]!);
    this.historyEnd = Math.max(this.historyEnd, end);
  }

  /** 1 when (u, v) is in memory, else 0 */
  predict(src: ArrayLike<number>, dst: ArrayLike<number>): Float32Array {
    const n = this.stream.numNodes;
    const since = this.memory === 'window' && this.historyEnd > 0
      ? quantileSorted(this.stream.t.subarray(0, this.historyEnd), 1 - this.windowProportion)
      : -Infinity;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const t = this.lastSeen.get(src[i]! * n + dst[i]!);
      out[i] = t !== undefined && t >= since ? 1 : 0;
    }
    return out;
  }
}

/** Options of `evaluateEdgeBank`. */
export interface EdgeBankEvaluationOptions {
  /**
   * k > 1: each positive is scored against k random negatives (k draws of the sampler per batch, event-major,
   * as the TGN trainer draws them) and the metrics gain TGB's MRR (ties count half); the sampler must be random
   */
  readonly negativesPerPositive?: number;
  /** per event of the stream: 1 for the events of the inductive subset; adds `inductive` metrics over them */
  readonly inductiveMask?: Uint8Array;
}

export interface EdgeBankEvaluation {
  /** every event of the range */
  readonly metrics: LinkMetrics;
  /** only the masked events (batches without one left out of the per-batch means); null without a mask */
  readonly inductive: LinkMetrics | null;
}

/**
 * DyGLib's EdgeBank protocol on events [from, to) in batches: the history is every event before the
 * batch (so the training and validation periods, then the evaluated events as they pass); AP/AUC per
 * batch and over all pairs.
 */
export function evaluateEdgeBank(
  bank: EdgeBank,
  from: number,
  to: number,
  batchSize: number,
  negatives: PairNegativeSampler,
  options: EdgeBankEvaluationOptions = {},
): EdgeBankEvaluation {
  const k = options.negativesPerPositive ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new Error(`evaluateEdgeBank: negativesPerPositive must be an integer ≥ 1, got ${k}`);
  if (k > 1 && negatives.strategy !== 'random') throw new Error(`evaluateEdgeBank: several negatives per positive are drawn at random; got the ${negatives.strategy} sampler`);
  const mask = options.inductiveMask;
  if (mask && mask.length !== bank.stream.numEvents) throw new Error(`evaluateEdgeBank: inductiveMask must have one entry per event (${bank.stream.numEvents}), got ${mask.length}`);
  negatives.reset();
  const acc = new LinkMetricsAccumulator();
  const inductive = new LinkMetricsAccumulator();
  const { stream } = bank;
  for (let a = from; a < to; a += batchSize) {
    const b = Math.min(to, a + batchSize);
    bank.advanceTo(a);
    const pos = bank.predict(stream.src.subarray(a, b), stream.dst.subarray(a, b));
    let neg: Float32Array;
    if (k === 1) {
      const pairs = negatives.sample(a, b);
      neg = bank.predict(pairs.src, pairs.dst);
    } else {
      const draws = Array.from({ length: k }, () => negatives.sample(a, b));
      const src = new Int32Array((b - a) * k);
      const dst = new Int32Array((b - a) * k);
      for (let i = 0; i < b - a; i++) {
        for (let j = 0; j < k; j++) {
          src[i * k + j] = draws[j]!.src[i]!;
          dst[i * k + j] = draws[j]!.dst[i]!;
        }
      }
      neg = bank.predict(src, dst);
      acc.addRanking(pos, neg, k);
    }
    acc.addBatch(pos, neg);
    if (mask) addMaskedBatch(inductive, pos, neg, mask, a);
  }
  return { metrics: acc.result(), inductive: mask ? inductive.result() : null };
}

/** Options of `evaluateEdgeBankSplit`. */
export interface EdgeBankSplitOptions {
  readonly memory: EdgeBankMemory;
  /** DyGLib's negative sampling strategy (`historical`/`inductive` use the split's valTime as the end of training) */
  readonly negatives: NegativeStrategy;
  readonly evalBatchSize: number;
  /** validation negatives are drawn with this seed, test negatives with evalSeed + 1 (as the TGN trainer) */
  readonly evalSeed: number;
  /** as `EdgeBankEvaluationOptions.negativesPerPositive` (default 1) */
  readonly negativesPerPositive?: number;
  /** as `EdgeBankEvaluationOptions.inductiveMask` */
  readonly inductiveMask?: Uint8Array | null;
  /** the 'window' memory's share of the history (DyGLib: 0.15) */
  readonly windowProportion?: number;
  /** draw the negatives from this stream (DyGLib: the full data, while the history is the inductive split's) */
  readonly negativeSource?: { readonly stream: EventStream; readonly originalEvent: Int32Array } | null;
}

/**
 * EdgeBank on the validation and test ranges of a chronological split, each with a fresh bank and a fresh
 * DyGLibNegativeSampler: the one code path of `tgnn train --model edgebank` and the app's baseline.
 */
export function evaluateEdgeBankSplit(
  stream: EventStream,
  split: ChronologicalSplit,
  options: EdgeBankSplitOptions,
): { readonly val: EdgeBankEvaluation; readonly test: EdgeBankEvaluation } {
  const { memory, negatives, evalBatchSize, evalSeed } = options;
  if (!Number.isInteger(evalBatchSize) || evalBatchSize < 1) throw new Error(`evaluateEdgeBankSplit: evalBatchSize must be an integer ≥ 1, got ${evalBatchSize}`);
  const evaluationOptions: EdgeBankEvaluationOptions = {
    negativesPerPositive: options.negativesPerPositive ?? 1,
    ...(options.inductiveMask ? { inductiveMask: options.inductiveMask } : {}),
  };
  const evaluate = (range: readonly [number, number], seed: number): EdgeBankEvaluation =>
    evaluateEdgeBank(new EdgeBank(stream, memory, options.windowProportion ?? 0.15), range[0], range[1], evalBatchSize,
      options.negativeSource
        ? onOriginalEvents(new DyGLibNegativeSampler(options.negativeSource.stream, negatives, seed, split.valTime), options.negativeSource.originalEvent)
        : new DyGLibNegativeSampler(stream, negatives, seed, split.valTime),
      evaluationOptions);
  return { val: evaluate(split.val, evalSeed), test: evaluate(split.test, evalSeed + 1) };
}
