// The allowed range of every number the CLI reads from a flag. Where the page has the same knob the range
// is the page's (FIELDS in src/ui/state.ts; bounds.test.ts asserts they agree, so they cannot drift);
// elsewhere it is what a user would expect and what the engine runs without internal errors.

export interface Bound {
  readonly min: number;
  readonly max: number;
  /** whole numbers only */
  readonly integer: boolean;
  /** the page's FIELDS entry for the same knob, when the page has one */
  readonly page?: string;
}

const SEED_MAX = 2 ** 31 - 1;

/** one value of a size flag, `--NAME V` */
export const BOUNDS = {
  'memory-dim': { min: 2, max: 256, integer: true, page: 'memoryDim' },
  'time-dim': { min: 2, max: 256, integer: true, page: 'timeDim' },
  'embedding-dim': { min: 2, max: 256, integer: true, page: 'embeddingDim' },
  neighbours: { min: 1, max: 50, integer: true, page: 'neighbours' },
  'batch-size': { min: 1, max: 2000, integer: true, page: 'batchSize' },
  /** 0: the training batch size */
  'eval-batch-size': { min: 0, max: 2000, integer: true, page: 'evalBatchSize' },
  'mailbox-size': { min: 1, max: 16, integer: true, page: 'mailboxSize' },
  lr: { min: 1e-6, max: 1, integer: false, page: 'learningRate' },
  seed: { min: 0, max: SEED_MAX, integer: true, page: 'seed' },
  epochs: { min: 1, max: 1000, integer: true },
  patience: { min: 0, max: 1000, integer: true },
  layers: { min: 1, max: 2, integer: true },
  'negatives-per-positive': { min: 1, max: 100, integer: true },
  'drift-events': { min: 0, max: 100_000, integer: true },
  'node-feature-dim': { min: 0, max: 172, integer: true },
} as const satisfies Record<string, Bound>;

export type BoundedFlag = keyof typeof BOUNDS;

/** Per-command ranges that differ from BOUNDS (the flag means something else there). */
export const COMMAND_BOUNDS: Readonly<Record<string, Readonly<Partial<Record<BoundedFlag, Bound>>>>> = {
  // one epoch per point, as DistTGL's Fig. 3
  sweep: { epochs: { min: 1, max: 1, integer: true } },
  // settings written into a DyGLib/TGL config for training elsewhere (GPU batch sizes run to thousands)
  export: { 'batch-size': { min: 1, max: 100_000, integer: true } },
};

/** a comma list flag, `--NAME a,b,c`: the range of each item and how many items */
export interface ListBound extends Bound {
  readonly minItems: number;
  readonly maxItems: number;
}

export const LIST_BOUNDS = {
  seeds: { ...BOUNDS.seed, page: undefined, minItems: 1, maxItems: 100 },
  'sweep batch-sizes': { ...BOUNDS['batch-size'], page: 'batchSize', minItems: 1, maxItems: 20 },
  'sweep eval-batch-sizes': { ...BOUNDS['batch-size'], page: 'batchSize', minItems: 1, maxItems: 20 },
  // data-level probe, no model: any batch size up to the longest streams
  'staleness batch-sizes': { min: 1, max: 1_000_000, integer: true, minItems: 1, maxItems: 50 },
} as const satisfies Record<string, ListBound>;

export type ListFlag = keyof typeof LIST_BOUNDS;

/** the range of `--name` in `command` */
export function boundOf(command: string | undefined, name: BoundedFlag): Bound {
  return (command !== undefined ? COMMAND_BOUNDS[command]?.[name] : undefined) ?? BOUNDS[name];
}

/** "between 1 and 512" (or "1" when the range is one value), as the messages and the help say it */
export function rangeText(b: Bound): string {
  return b.min === b.max ? String(b.min) : `between ${b.min} and ${b.max}`;
}
