import type { LinkMetrics } from '../../shared/training.ts';
/**
 * Average precision as scikit-learn's `average_precision_score`: sum over distinct score thresholds
 * (descending) of (recall_n − recall_{n−1}) · precision_n. Tied scores form one threshold.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = sortedDescending(scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > 0) positives++;
  if (positives === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < order.length; ) {
    const s = scores[order[i]!]!;
    while (i < order.length && scores[order[i]!]! === s) {
      if (labels[order[i]!]! > 0) tp++;
      seen++;
      i++;
    }
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
  }
  return ap;
}

/** ROC-AUC as the Mann–Whitney statistic with average ranks for ties (equals scikit-learn's). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = sortedDescending(scores);
  const n = order.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]! > 0) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  // ranks ascending: the highest score gets rank n
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    const s = scores[order[i]!]!;
    while (j < n && scores[order[j]!]! === s) j++;
    // positions i..j-1 in descending order have ascending ranks n-j+1 .. n-i
    const avgRank = (n - j + 1 + (n - i)) / 2;
    for (let k = i; k < j; k++) if (labels[order[k]!]! > 0) rankSumPos += avgRank;
    i = j;
  }
  return (rankSumPos - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function sortedDescending(scores: ArrayLike<number>): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) {
    if (Number.isNaN(scores[i]!)) throw new Error(`metrics: score ${i} is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order;
}

/**
 * Mean reciprocal rank as TGB computes it: each positive ranked among its own k negatives
 * (`neg` holds k scores per positive, positive-major), ties counted half (the mean of the optimistic
 * and pessimistic rank).
 */
export function meanReciprocalRank(pos: ArrayLike<number>, neg: ArrayLike<number>, k: number): number {
  if (neg.length !== pos.length * k) throw new Error(`meanReciprocalRank: expected ${pos.length * k} negative scores, got ${neg.length}`);
  let sum = 0;
  for (let i = 0; i < pos.length; i++) {
    let above = 0;
    let tied = 0;
    for (let j = 0; j < k; j++) {
      const s = neg[i * k + j]!;
      if (s > pos[i]!) above++;
      else if (s === pos[i]!) tied++;
    }
    sum += 1 / (above + tied / 2 + 1);
  }
  return pos.length > 0 ? sum / pos.length : NaN;
}

/** Accumulates scored positive/negative pairs batch by batch. */
export class LinkMetricsAccumulator {
  private scores: number[] = [];
  private labels: number[] = [];
  private batchAp: number[] = [];
  private batchAuc: number[] = [];

  private rrSum = 0;
  private rrCount = 0;

  /** adds TGB-style reciprocal ranks of positives among their own k negatives (k scores each) */
  addRanking(pos: ArrayLike<number>, neg: ArrayLike<number>, k: number): void {
    this.rrSum += meanReciprocalRank(pos, neg, k) * pos.length;
    this.rrCount += pos.length;
  }

  addBatch(pos: ArrayLike<number>, neg: ArrayLike<number>): void {
    const s = new Float64Array(pos.length + neg.length);
    const l = new Float64Array(pos.length + neg.length);
    for (let i = 0; i < pos.length; i++) {
      s[i] = pos[i]!;
      l[i] = 1;
    }
    for (let i = 0; i < neg.length; i++) s[pos.length + i] = neg[i]!;
    for (let i = 0; i < s.length; i++) {
      this.scores.push(s[i]!);
      this.labels.push(l[i]!);
    }
    this.batchAp.push(averagePrecision(s, l));
    this.batchAuc.push(rocAuc(s, l));
  }

  get count(): number {
    return this.scores.length;
  }

  result(): LinkMetrics {
    return {
      ap: averagePrecision(this.scores, this.labels),
      auc: rocAuc(this.scores, this.labels),
      apBatchMean: mean(this.batchAp),
      aucBatchMean: mean(this.batchAuc),
      ...(this.rrCount > 0 ? { mrr: this.rrSum / this.rrCount } : {}),
    };
  }
}

function mean(xs: readonly number[]): number {
  const ok = xs.filter((x) => !Number.isNaN(x));
  return ok.length === 0 ? NaN : ok.reduce((a, b) => a + b, 0) / ok.length;
}
