// Where a batch's time goes: a clock the trainer and the model report their phases to (issue 13's profile).
// The default clock measures nothing; a PhaseProfiler sums wall time per phase. On wasm and cpu every
// tfjs op runs synchronously in the calling thread, so the time of a phase is its compute; on WebGPU ops
// are queued, and the time lands where results are read back.

/** the phases of a training batch, in the order they run */
export const BATCH_PHASES = [
  'negatives',
  'sample neighbours',
  'gather inputs',
  'message + updater',
  'attention',
  'decoder + loss',
  'backward',
  'read-back',
  'Adam',
  'commit',
  'probes',
] as const;

export type BatchPhase = (typeof BATCH_PHASES)[number];

export interface PhaseClock {
  /** runs `work`, counting its wall time to `phase` */
  time<T>(phase: BatchPhase, work: () => T): T;
  /** adds `ms` to `phase` (for a phase measured as a difference: backward = gradient scope − forward) */
  add(phase: BatchPhase, ms: number): void;
  /** wall time counted so far, all phases together */
  total(): number;
}

/** measures nothing (the trainer's and the model's default) */
export const NO_CLOCK: PhaseClock = {
  time: (_phase, work) => work(),
  add: () => undefined,
  total: () => 0,
};

export interface PhaseRow {
  readonly phase: BatchPhase;
  /** ms per batch */
  readonly ms: number;
  /** share of the batch's measured time, 0..1 */
  readonly share: number;
}

/** Sums wall time per phase over the batches it watched. */
export class PhaseProfiler implements PhaseClock {
  private readonly ms = new Map<BatchPhase, number>();
  private sum = 0;

  constructor(private readonly now: () => number = () => globalThis.performance.now()) {}

  time<T>(phase: BatchPhase, work: () => T): T {
    const t0 = this.now();
    try {
      return work();
    } finally {
      this.add(phase, this.now() - t0);
    }
  }

  add(phase: BatchPhase, ms: number): void {
    this.ms.set(phase, (this.ms.get(phase) ?? 0) + ms);
    this.sum += ms;
  }

  total(): number {
    return this.sum;
  }

  reset(): void {
    this.ms.clear();
    this.sum = 0;
  }

  /** ms per batch of each phase over `batches` batches, in the order they run */
  rows(batches: number): PhaseRow[] {
    if (!(batches > 0)) throw new Error(`PhaseProfiler.rows: batches must be > 0, got ${batches}`);
    return BATCH_PHASES.map((phase) => {
      const ms = this.ms.get(phase) ?? 0;
      return { phase, ms: ms / batches, share: this.sum > 0 ? ms / this.sum : 0 };
    });
  }
}
