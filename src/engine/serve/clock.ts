import type { LinearCost, ServeClock } from '../../shared/serving.ts';

/** How long a serving operation takes: its virtual cost, or its measured wall time. */
export interface Stopwatch {
  /** runs `work` and returns its duration in ms */
  time(cost: LinearCost, items: number, work: () => Promise<void>): Promise<number>;
}

/** the virtual clock: the work runs, its duration is the cost model's (same seed, same schedule, same numbers) */
const VIRTUAL_CLOCK: Stopwatch = {
  async time(cost, items, work) {
    await work();
    return cost.fixedMs + cost.perItemMs * items;
  },
};

/** the measured clock: the work's wall time on this thread */
const MEASURED_CLOCK: Stopwatch = {
  async time(_cost, _items, work) {
    const t0 = globalThis.performance.now();
    await work();
    return globalThis.performance.now() - t0;
  },
};

const STOPWATCHES: Readonly<Record<ServeClock, Stopwatch | null>> = { virtual: VIRTUAL_CLOCK, measured: MEASURED_CLOCK, wall: null };

/** the one-thread simulator's stopwatch for a clock (the wall clock runs on two threads: serve/wall.ts) */
export function stopwatchOf(kind: ServeClock): Stopwatch {
  const s = STOPWATCHES[kind];
  if (!s) throw new Error('the wall clock runs the update and query servers on two threads (serve/wall.ts, tgnn serve --clock wall), not in the one-thread simulator');
  return s;
}
