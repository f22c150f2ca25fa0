// The serving lab's contract: its knobs (one table: the CLI's `tgnn serve` flags, the page's Serving card
// controls and the engine's options all come from it) and the results that cross the worker boundary.
// The simulator is src/engine/serve/; docs/serving.md explains the modes and the measures.

/** How a trained model keeps its answers current while events arrive (docs/serving.md). */
export type ServeMode = 'update' | 'inference' | 'collaborative';

export const SERVE_MODES: readonly ServeMode[] = ['update', 'inference', 'collaborative'];

export const SERVE_MODE_HELP: Readonly<Record<ServeMode, string>> = {
  update: 'arriving events update memory and cached embeddings in the background; a query reads the cache',
  inference: 'arriving events wait; a query first applies every waiting event, one at a time, then embeds',
  collaborative: 'the background updates memory only (STAG); a query embeds over the freshest neighbours',
};

/**
 * virtual: each operation takes the time the cost model gives (exactly reproducible); measured: its wall
 * time, the two servers scheduled in simulated time on one thread; wall: the two servers as two threads
 * running at once in real time (worker threads in the CLI, Web Workers in a cross-origin isolated page)
 */
export type ServeClock = 'measured' | 'virtual' | 'wall';

export const SERVE_CLOCKS: readonly ServeClock[] = ['virtual', 'measured', 'wall'];


/** an operation's virtual duration: fixedMs + perItemMs × items */
export interface LinearCost {
  readonly fixedMs: number;
  readonly perItemMs: number;
}

/** The virtual clock's cost of each serving operation. */
export interface ServeCosts {
  /** the memory update of a group of events (items: events) */
  readonly advance: LinearCost;
  /** recomputing cached embeddings (items: nodes) */
  readonly embed: LinearCost;
  /** embedding and scoring query pairs on the model (items: pairs) */
  readonly query: LinearCost;
  /** scoring query pairs from cached embeddings, the decoder only (items: pairs) */
  readonly cached: LinearCost;
}

/**
 * Default virtual costs: each operation of TGN on CollegeMsg measured on wasm, Node 20, on this project's
 * 2-core CI machine type (`npm run bench:serve` measures them again: 0.133 + 0.0208·n, 0.283 + 0.0648·n,
 * 0.524 + 0.1445·n, 0.081 + 0.0030·n), rounded.
 */
export const DEFAULT_SERVE_COSTS: ServeCosts = {
  advance: { fixedMs: 0.13, perItemMs: 0.021 },
  embed: { fixedMs: 0.28, perItemMs: 0.065 },
  query: { fixedMs: 0.52, perItemMs: 0.14 },
  cached: { fixedMs: 0.08, perItemMs: 0.003 },
};

/** When a server takes the next group from its queue: at `size` waiting items or after `windowMs`, whichever first. */
export interface Grouping {
  /** most items per group; Infinity: no size limit */
  readonly size: number;
  /** flush when the oldest waiting item has waited this long (ms); null: wait for `size` items */
  readonly windowMs: number | null;
}

export interface ServeOptions {
  readonly mode: ServeMode;
  /** event arrivals per second (a seeded Poisson process) */
  readonly eventRate: number;
  /** query arrivals per second (a seeded Poisson process) */
  readonly queryRate: number;
  readonly updateGrouping: Grouping;
  readonly queryGrouping: Grouping;
  /** queries arrive during this many seconds */
  readonly durationS: number;
  readonly seed: number;
  readonly clock: ServeClock;
  readonly costs: ServeCosts;
}

export interface ServeKnob {
  readonly key: 'eventRate' | 'queryRate' | 'groupSize' | 'groupWindowMs' | 'queryGroupSize' | 'queryGroupWindowMs' | 'durationS' | 'seed';
  readonly flag: string;
  readonly type: 'int' | 'float';
  readonly min: number;
  readonly max: number;
  /** null: off (no window) */
  readonly default: number | null;
  readonly help: string;
}

/** The serving knobs: `tgnn serve` flags, the Serving card's inputs, ServeOptions (servingOptions). */
export const SERVE_KNOBS: readonly ServeKnob[] = [
  { key: 'eventRate', flag: 'event-rate', type: 'float', min: 0.1, max: 100_000, default: 200, help: 'events arriving per second (R)' },
  { key: 'queryRate', flag: 'query-rate', type: 'float', min: 0.1, max: 10_000, default: 20, help: 'link-prediction queries arriving per second (Q)' },
  { key: 'groupSize', flag: 'group-size', type: 'int', min: 1, max: 100_000, default: 10, help: 'events per update group: the update server waits for G events (G)' },
  { key: 'groupWindowMs', flag: 'group-window-ms', type: 'float', min: 0, max: 60_000, default: null, help: 'or flushes an update group once its oldest event waited W ms (W; default: wait for G)' },
  { key: 'queryGroupSize', flag: 'query-group-size', type: 'int', min: 1, max: 10_000, default: 1, help: 'queries answered together' },
  { key: 'queryGroupWindowMs', flag: 'query-group-window-ms', type: 'float', min: 0, max: 60_000, default: null, help: 'or answer a query group once its oldest query waited this long (ms)' },
  { key: 'durationS', flag: 'duration-s', type: 'float', min: 0.1, max: 3600, default: 5, help: 'seconds during which queries arrive' },
  { key: 'seed', flag: 'seed', type: 'int', min: 0, max: 2 ** 31 - 1, default: 1, help: 'seed of the arrival schedules and the negatives' },
];

export type ServeKnobValues = Readonly<Record<ServeKnob['key'], number | null>>;

export const SERVE_KNOB_DEFAULTS: ServeKnobValues = Object.fromEntries(SERVE_KNOBS.map((k) => [k.key, k.default])) as ServeKnobValues;

/** The options of a run from knob values (null window: none). */
export function servingOptions(mode: ServeMode, values: ServeKnobValues, clock: ServeClock, costs: ServeCosts = DEFAULT_SERVE_COSTS): ServeOptions {
  const num = (key: ServeKnob['key']): number => {
    const v = values[key];
    if (v === null) throw new Error(`servingOptions: ${key} needs a value`);
    return v;
  };
  return {
    mode,
    eventRate: num('eventRate'),
    queryRate: num('queryRate'),
    updateGrouping: { size: num('groupSize'), windowMs: values.groupWindowMs },
    queryGrouping: { size: num('queryGroupSize'), windowMs: values.queryGroupWindowMs },
    durationS: num('durationS'),
    seed: num('seed'),
    clock,
    costs,
  };
}

/** what a served answer is measured by, per query */
export interface QueryRecord {
  readonly query: number;
  /** which query group answered it (0-based) */
  readonly group: number;
  readonly arrivalS: number;
  /** when the query server started on its group */
  readonly startS: number;
  readonly answerS: number;
  readonly latencyMs: number;
  /** stream index of the event whose pair is the positive (an event not yet arrived at startS) */
  readonly target: number;
  /** feed events arrived at startS */
  readonly arrived: number;
  /** feed events the answer reflects (applied to the state it read) */
  readonly reflected: number;
  /** arrived − reflected */
  readonly stalenessEvents: number;
  /** age at startS of the oldest arrived event the answer does not reflect (0 when none) */
  readonly stalenessS: number;
  /** served probabilities of the positive pair and of the negative (same source, random destination) */
  readonly pos: number;
  readonly neg: number;
  /** the exact answer: every arrived event applied one at a time (B = 1), the query alone */
  readonly exactPos: number;
  readonly exactNeg: number;
  readonly equalsExact: boolean;
}

/** one update group of the background server */
export interface UpdateRecord {
  /** feed positions [from, to) */
  readonly from: number;
  readonly to: number;
  readonly startS: number;
  readonly endS: number;
}

export interface Quantiles {
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** a run's numbers, with the options it ran with (all but the virtual clock's costs) */
export interface ServeSummary extends Omit<ServeOptions, 'costs'> {
  /** feed events that arrived while queries arrived, and queries answered (queries left without a future event are not) */
  readonly events: number;
  readonly queries: number;
  readonly latencyMs: Quantiles;
  readonly stalenessEvents: Quantiles;
  readonly stalenessSeconds: Quantiles;
  /** AP of the served answers and of the exact answers to the same queries */
  readonly ap: number;
  readonly exactAp: number;
  /** share of answers equal to the exact one (probabilities within 1e-5) */
  readonly exactFraction: number;
  /** events the update server applied per second of its busy time (inference: per second of replay) */
  readonly updateEventsPerSec: number;
  readonly updateGroups: number;
  readonly meanGroupSize: number;
  /** least-squares slope of staleness (events) over query start time: ≈ 0 when updates keep up, > 0 when they fall behind */
  readonly backlogGrowthPerS: number;
  /** wall time of the neighbour sampling each query group needs, 1 and 2 hops */
  readonly samplingMs: { readonly hop1: Quantiles; readonly hop2: Quantiles };
}

export interface ServeRun {
  readonly summary: ServeSummary;
  readonly records: readonly QueryRecord[];
  readonly updates: readonly UpdateRecord[];
  /** arrival time (s) of each feed event up to the last query's start */
  readonly arrivals: readonly number[];
}
