// DistTGL's parallel schedule (Zhou et al., SC'23), pure: which unit of events each memory copy's each
// epoch-parallel rank trains at each iteration of a pass, which repetition (negative set) it is on, and when
// a copy resets. The engine's parallel trainer (src/engine/train/parallel.ts, where the three kinds of
// parallelism are explained) runs it; the page's Parallel training card draws it.
import type { Parallelism } from './training.ts';

export const NO_PARALLELISM: Parallelism = { minibatch: 1, epoch: 1, memory: 1 };

export function isParallel(p: Parallelism | undefined): p is Parallelism {
  return p !== undefined && (p.minibatch > 1 || p.epoch > 1 || p.memory > 1);
}

export function checkParallelism(p: Parallelism): void {
  for (const [name, v] of [['minibatch', p.minibatch], ['epoch', p.epoch], ['memory', p.memory]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`parallelism: ${name} must be an integer ≥ 1, got ${v}`);
  }
}

/** trainers of one configuration: i·j·k */
export const trainersOf = (p: Parallelism): number => p.minibatch * p.epoch * p.memory;

/** The shape of one pass over the training range. */
export interface ParallelSchedule {
  readonly parallelism: Parallelism;
  /** events per trainer batch (b) */
  readonly batchSize: number;
  /** first and end event of the training range */
  readonly start: number;
  readonly end: number;
  /** units of i·b events in the range */
  readonly units: number;
  /** iterations (optimizer steps) per pass: units + j − 1 */
  readonly iterations: number;
  /** per memory copy: the local iteration its pass starts at */
  readonly copyStart: readonly number[];
}

export function parallelSchedule(start: number, end: number, batchSize: number, parallelism: Parallelism): ParallelSchedule {
  checkParallelism(parallelism);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`parallelism: batch size must be an integer ≥ 1, got ${batchSize}`);
  if (end <= start) throw new Error('parallelism: the training range is empty');
  const units = Math.ceil((end - start) / (parallelism.minibatch * batchSize));
  const iterations = units + parallelism.epoch - 1;
  const k = parallelism.memory;
  const copyStart = Array.from({ length: k }, (_, g) => (g === 0 ? 0 : (Math.floor(iterations / k) * (k - g)) % iterations));
  return { parallelism, batchSize, start, end, units, iterations, copyStart };
}

/** events [from, to) of unit u */
export function unitRange(s: ParallelSchedule, u: number): readonly [number, number] {
  const size = s.parallelism.minibatch * s.batchSize;
  const from = s.start + u * size;
  return [from, Math.min(s.end, from + size)];
}

/** the event ranges of the unit's mini-batch trainers that have events (the last unit may leave some empty) */
export function trainerRanges(s: ParallelSchedule, u: number): (readonly [number, number])[] {
  const [from, to] = unitRange(s, u);
  const out: (readonly [number, number])[] = [];
  for (let t = 0; t < s.parallelism.minibatch; t++) {
    const a = from + t * s.batchSize;
    if (a < to) out.push([a, Math.min(to, a + s.batchSize)]);
  }
  return out;
}

/** the local iteration of memory copy g at the pass's global iteration m */
export function localIteration(s: ParallelSchedule, g: number, m: number): number {
  return (s.copyStart[g]! + m) % s.iterations;
}

/** What one epoch-parallel rank does at a local iteration: its unit and which repetition (0 writes memory). */
export interface RankWork {
  readonly unit: number;
  readonly repetition: number;
}

/**
 * Rank r of memory copy g at global iteration m: the unit it trains on and the repetition (negative set),
 * or null when it idles (before its first unit, after the last, or on a unit planned before the copy's
 * current run began).
 */
export function rankWork(s: ParallelSchedule, g: number, r: number, m: number): RankWork | null {
  const j = s.parallelism.epoch;
  const l = localIteration(s, g, m);
  // the copy's current run began at its start (before wrapping) or at local iteration 0 (after)
  const since = l >= s.copyStart[g]! ? s.copyStart[g]! : 0;
  const unit = l - ((((l - r) % j) + j) % j);
  if (unit < since || unit >= s.units) return null;
  return { unit, repetition: l - unit };
}

/** whether memory copy g starts from zeroed memory at global iteration m (each pass's start, and its wrap) */
export function copyResets(s: ParallelSchedule, g: number, m: number): boolean {
  return m === 0 || localIteration(s, g, m) === 0;
}

