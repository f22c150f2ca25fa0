import type { LinearCost, ServeClock } from '../../shared/serving.ts';

/** How long a serving operation takes: its virtual cost, or its measured wall time. */
export interface Stopwatch {
  readonly kind: ServeClock;
  /** runs `work` and returns its duration in ms */
  time(cost: LinearCost, items: number, work: () => Promise<void>): Promise<number>;
}

export const costOf = (cost: LinearCost, items: number): number => cost.fixedMs + cost.perItemMs * items;

/** the virtual clock: the work runs, its duration is the cost model's (same seed, same schedule, same numbers) */
export const VIRTUAL_CLOCK: Stopwatch = {
  kind: 'virtual',
  async time(cost, items, work) {
    await work();
    return costOf(cost, items);
  },
};

/** the measured clock: the work's wall time on this thread */
export const MEASURED_CLOCK: Stopwatch = {
  kind: 'measured',
  async time(_cost, _items, work) {
    const t0 = globalThis.performance.now();
    await work();
    return globalThis.performance.now() - t0;
  },
};

export function stopwatchOf(kind: ServeClock): Stopwatch {
  return kind === 'virtual' ? VIRTUAL_CLOCK : MEASURED_CLOCK;
}
