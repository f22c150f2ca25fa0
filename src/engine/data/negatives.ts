import type { EventStream } from './eventStream.ts';
import { Rng } from '../util/rng.ts';

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
}
