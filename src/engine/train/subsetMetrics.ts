import type { LinkMetricsAccumulator } from './metrics.ts';

/**
 * Adds to `acc` only the events of the batch [from, from + pos.length) that `mask` (indexed by event) selects:
 * their positive scores and their k negative scores each (`neg` is event-major, k = neg.length / pos.length),
 * with TGB's MRR when k > 1. A batch with no selected event adds nothing, so it is left out of the
 * per-batch means instead of counting as NaN.
 */
export function addMaskedBatch(acc: LinkMetricsAccumulator, pos: ArrayLike<number>, neg: ArrayLike<number>, mask: Uint8Array, from: number): void {
  const n = pos.length;
  if (n === 0) return;
  const k = neg.length / n;
  if (!Number.isInteger(k) || k < 1) throw new Error(`addMaskedBatch: expected a whole number of negatives per positive, got ${neg.length} for ${n}`);
  if (from < 0 || from + n > mask.length) throw new Error(`addMaskedBatch: events [${from}, ${from + n}) outside the mask of ${mask.length} events`);
  let selected = 0;
  for (let i = 0; i < n; i++) if (mask[from + i]) selected++;
  if (selected === 0) return;
  const p = new Float32Array(selected);
  const q = new Float32Array(selected * k);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[from + i]) continue;
    p[j] = pos[i]!;
    for (let r = 0; r < k; r++) q[j * k + r] = neg[i * k + r]!;
    j++;
  }
  acc.addBatch(p, q);
  if (k > 1) acc.addRanking(p, q, k);
}
