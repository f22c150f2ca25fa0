import type { Grouping } from '../../shared/serving.ts';

/** the next group a server takes from its queue: when it starts and how many items it takes */
export interface NextGroup {
  readonly start: number;
  readonly count: number;
}

/**
 * When a server free at `freeAt` (s) takes its next group from a queue whose items arrive at `arrivals`
 * (s, non-decreasing), the first waiting one being `first`: the group is due when `size` items have
 * arrived or the first has waited `windowMs`, whichever comes first (the last items of the feed are due
 * when the last arrives); it starts when due and the server is free, and takes the items arrived by then,
 * at most `size`. Null when nothing waits.
 */
export function nextGroup(arrivals: ArrayLike<number>, first: number, freeAt: number, grouping: Grouping): NextGroup | null {
  const n = arrivals.length;
  if (first >= n) return null;
  const size = grouping.size;
  if (!(size >= 1)) throw new Error(`nextGroup: a group holds at least 1 item, got size ${size}`);
  const fill = Number.isFinite(size) && first + size - 1 < n ? arrivals[first + size - 1]! : arrivals[n - 1]!;
  const window = grouping.windowMs === null ? Infinity : arrivals[first]! + grouping.windowMs / 1000;
  const start = Math.max(freeAt, Math.min(fill, window));
  let end = first;
  while (end < n && end - first < size && arrivals[end]! <= start) end++;
  return { start, count: end - first };
}
