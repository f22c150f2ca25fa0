import type { EventStream } from './eventStream.ts';

/** Contiguous chronological ranges of event indices: [start, end). */
export interface ChronologicalSplit {
  readonly train: readonly [number, number];
  readonly val: readonly [number, number];
  readonly test: readonly [number, number];
  readonly valTime: number;
  readonly testTime: number;
}

/** numpy.quantile with linear interpolation on sorted values. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) throw new Error('quantileSorted: empty input');
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Chronological split by time quantiles, as TGN, DyGLib and PyG do: train = t ≤ q(1−val−test),
 * val = up to t ≤ q(1−test), test = the rest. Events sharing a time never straddle two parts.
 */
export function chronologicalSplit(stream: EventStream, valRatio = 0.15, testRatio = 0.15): ChronologicalSplit {
  if (stream.numEvents < 3) throw new Error(`chronologicalSplit: need at least 3 events, got ${stream.numEvents}`);
  const valTime = quantileSorted(stream.t, 1 - valRatio - testRatio);
  const testTime = quantileSorted(stream.t, 1 - testRatio);
  const trainEnd = upperBound(stream.t, valTime);
  const valEnd = upperBound(stream.t, testTime);
  return { train: [0, trainEnd], val: [trainEnd, valEnd], test: [valEnd, stream.numEvents], valTime, testTime };
}

/** first index with t > x */
function upperBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
