import type { EventStream } from './eventStream.ts';
import { Rng } from '../util/rng.ts';
import type { NegativeStrategy } from '../../shared/lab.ts';

/** Draws negative destinations for a batch of events. */
export interface NegativeSampler {
  /** one negative destination per event in [from, to) */
  sample(from: number, to: number): Int32Array;
  /** restart the random sequence (evaluation uses the same negatives every epoch) */
  reset(): void;
}

/** Uniform over the distinct destination nodes of the stream (DyGLib's random negatives), seeded. */
export class RandomNegativeSampler implements NegativeSampler {
  private rng: Rng;
  readonly candidates: Int32Array;

  constructor(stream: EventStream, private readonly seed: number) {
    const seen = new Uint8Array(stream.numNodes);
    for (let i = 0; i < stream.numEvents; i++) seen[stream.dst[i]!] = 1;
    const c: number[] = [];
    for (let v = 0; v < seen.length; v++) if (seen[v]) c.push(v);
    this.candidates = Int32Array.from(c);
    this.rng = new Rng(seed);
  }

  sample(from: number, to: number): Int32Array {
    const out = new Int32Array(to - from);
    for (let i = 0; i < out.length; i++) out[i] = this.candidates[this.rng.int(this.candidates.length)]!;
    return out;
  }

  reset(): void {
    this.rng = new Rng(this.seed);
  }

  /** where the random sequence stands (Rng.save), so a resumed run draws the negatives an uninterrupted one would */
  saveRng(): number {
    return this.rng.save();
  }

  restoreRng(state: number): void {
    this.rng.restore(state);
  }
}

/** negative (source, destination) pairs, one per event of the batch */
export interface NegativePairs {
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

/** Draws negative edges (source and destination) for a batch. */
export interface PairNegativeSampler {
  readonly strategy: NegativeStrategy;
  sample(from: number, to: number): NegativePairs;
  reset(): void;
}

/**
 * Negative edges as DyGLib (Yu et al. 2023) defines them, seeded:
 * - random: the batch's sources with uniformly random destinations (from the stream's distinct destinations);
 * - historical: distinct edges seen at or before the batch's first time but not in the batch itself,
 *   drawn without replacement; when there are too few, the rest are random (source, destination) pairs
 *   that are not edges of the batch;
 * - inductive: as historical, but only edges never observed in training (time ≤ `trainEndTime`).
 * Batches must be sampled in time order after a reset (the history is built incrementally).
 */
export class DyGLibNegativeSampler implements PairNegativeSampler {
  private rng: Rng;
  private readonly srcs: Int32Array;
  private readonly dsts: Int32Array;
  private readonly edgeOrder: number[] = [];
  private readonly seen = new Set<number>();
  private cursor = 0;

  constructor(
    private readonly stream: EventStream,
    readonly strategy: NegativeStrategy,
    private readonly seed: number,
    private readonly trainEndTime = -Infinity,
  ) {
    const s = new Uint8Array(stream.numNodes);
    const d = new Uint8Array(stream.numNodes);
    for (let i = 0; i < stream.numEvents; i++) {
      s[stream.src[i]!] = 1;
      d[stream.dst[i]!] = 1;
    }
    const pick = (m: Uint8Array) => Int32Array.from(Array.from(m.keys()).filter((v) => m[v]));
    this.srcs = pick(s);
    this.dsts = pick(d);
    this.rng = new Rng(seed);
  }

  private key(u: number, v: number): number {
    return u * this.stream.numNodes + v;
  }

  reset(): void {
    this.rng = new Rng(this.seed);
    this.edgeOrder.length = 0;
    this.seen.clear();
    this.cursor = 0;
  }

  sample(from: number, to: number): NegativePairs {
    const { stream } = this;
    const n = to - from;
    const src = new Int32Array(n);
    const dst = new Int32Array(n);
    if (this.strategy === 'random') {
      for (let i = 0; i < n; i++) {
        src[i] = stream.src[from + i]!;
        dst[i] = this.dsts[this.rng.int(this.dsts.length)]!;
      }
      return { src, dst };
    }
    const tStart = stream.t[from]!;
    if (this.cursor > from && stream.t[this.cursor - 1]! > tStart) {
      throw new Error('DyGLibNegativeSampler: batches must be sampled in time order; call reset() to start over');
    }
    // history: every edge with time ≤ the batch's first time
    while (this.cursor < stream.numEvents && stream.t[this.cursor]! <= tStart) {
      const k = this.key(stream.src[this.cursor]!, stream.dst[this.cursor]!);
      if (!this.seen.has(k)) {
        this.seen.add(k);
        this.edgeOrder.push(k);
      }
      this.cursor++;
    }
    const tEnd = stream.t[to - 1]!;
    const inBatch = new Set<number>();
    for (let e = from; e < stream.numEvents && stream.t[e]! <= tEnd; e++) inBatch.add(this.key(stream.src[e]!, stream.dst[e]!));
    for (let e = from - 1; e >= 0 && stream.t[e]! >= tStart; e--) inBatch.add(this.key(stream.src[e]!, stream.dst[e]!));
    const observed = this.strategy === 'inductive' ? this.observedEdges() : null;
    const candidates = this.edgeOrder.filter((k) => !inBatch.has(k) && !(observed?.has(k) ?? false));
    let filled = 0;
    if (candidates.length <= n) {
      // all candidates, then random pairs that are not edges of the batch
      for (let i = 0; i < n - candidates.length; i++) {
        let u: number;
        let v: number;
        let tries = 0;
        do {
          u = this.srcs[this.rng.int(this.srcs.length)]!;
          v = this.dsts[this.rng.int(this.dsts.length)]!;
        } while (inBatch.has(this.key(u, v)) && ++tries < 100);
        src[filled] = u;
        dst[filled] = v;
        filled++;
      }
      for (const k of candidates) {
        src[filled] = Math.floor(k / stream.numNodes);
        dst[filled] = k % stream.numNodes;
        filled++;
      }
      return { src, dst };
    }
    // n distinct candidates, uniformly (partial Fisher–Yates)
    const pool = candidates.slice();
    for (let i = 0; i < n; i++) {
      const j = i + this.rng.int(pool.length - i);
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
      src[i] = Math.floor(pool[i]! / stream.numNodes);
      dst[i] = pool[i]! % stream.numNodes;
    }
    return { src, dst };
  }

  private observedCache: Set<number> | null = null;

  /** edges of the training period */
  private observedEdges(): Set<number> {
    if (!this.observedCache) {
      this.observedCache = new Set();
      for (let e = 0; e < this.stream.numEvents && this.stream.t[e]! <= this.trainEndTime; e++) {
        this.observedCache.add(this.key(this.stream.src[e]!, this.stream.dst[e]!));
      }
    }
    return this.observedCache;
  }
}

/**
 * A sampler for the events of a derived stream (the inductive split's) that draws from the original
 * stream, as DyGLib draws its evaluation negatives from the full data while training without the new
 * test nodes: `originalEvent[e]` is the original index of derived event e, and every sampled range must
 * be contiguous there (validation and test ranges are).
 */
export function onOriginalEvents(base: PairNegativeSampler, originalEvent: Int32Array): PairNegativeSampler {
  return {
    strategy: base.strategy,
    reset: () => base.reset(),
    sample: (from, to) => {
      const a = originalEvent[from];
      const last = originalEvent[to - 1];
      if (a === undefined || last === undefined || last - a !== to - 1 - from) {
        throw new Error(`onOriginalEvents: events [${from}, ${to}) are not contiguous in the original stream`);
      }
      return base.sample(a, last + 1);
    },
  };
}
