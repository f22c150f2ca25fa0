import type { EventStream } from '../data/eventStream.ts';
import { quantileSorted } from '../data/split.ts';
import type { PairNegativeSampler } from '../data/negatives.ts';
import { LinkMetricsAccumulator, type LinkMetrics } from '../train/metrics.ts';

export type EdgeBankMemory = 'unlimited' | 'window';

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

/**
 * DyGLib's EdgeBank protocol on events [from, to) in batches: the history is every event before the
 * batch (so the training and validation periods, then the evaluated events as they pass); AP/AUC per
 * batch and over all pairs.
 */
export function evaluateEdgeBank(bank: EdgeBank, from: number, to: number, batchSize: number, negatives: PairNegativeSampler): LinkMetrics {
  negatives.reset();
  const acc = new LinkMetricsAccumulator();
  const { stream } = bank;
  for (let a = from; a < to; a += batchSize) {
    const b = Math.min(to, a + batchSize);
    bank.advanceTo(a);
    const neg = negatives.sample(a, b);
    acc.addBatch(bank.predict(stream.src.subarray(a, b), stream.dst.subarray(a, b)), bank.predict(neg.src, neg.dst));
  }
  return acc.result();
}
