/** Seeded PRNG (mulberry32 seeded through splitmix32). Every random choice in the engine goes through one. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    let z = (seed >>> 0) + 0x9e3779b9;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    let a = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    a = Math.imul(a ^ (a >>> 15), a | 1);
    a ^= a + Math.imul(a ^ (a >>> 7), a | 61);
    return ((a ^ (a >>> 14)) >>> 0) / 4294967296;
  }

  /** uniform integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** uniform in [lo, hi) */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** the whole state (one uint32): `restore` of it continues the same sequence (checkpoints resume training with it) */
  save(): number {
    return this.state;
  }

  restore(state: number): void {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) throw new Error(`Rng.restore: a state is a uint32, got ${state}`);
    this.state = state;
  }

  /** a new generator whose stream is independent of this one's future draws */
  fork(salt: number): Rng {
    return new Rng((this.int(0x7fffffff) ^ Math.imul(salt + 1, 0x27d4eb2d)) >>> 0);
  }
}
