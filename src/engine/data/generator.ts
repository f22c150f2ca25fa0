import { Rng } from '../util/rng.ts';

/**
 * Seeded user–item interaction stream with structure a temporal model can learn:
 * - items belong to communities; each user prefers a few communities, and that preference drifts;
 * - users act in sessions: short bursts of repeated interactions with one to three items;
 * - users return to items they used before (recency), items have Zipf-like popularity;
 * - some users and items only arrive part-way through (inductive nodes).
 * Node ids: users are 0..numUsers-1, items are numUsers..numUsers+numItems-1.
 * Output rows are `src,dst,t,feat` with `t` in whole seconds from 0, non-decreasing.
 */
export interface GeneratorConfig {
  numUsers: number;
  numItems: number;
  numCommunities: number;
  /** exact number of events emitted */
  numEvents: number;
  /** approximate stream length: sessions start as a Poisson process whose rate would fit numEvents into it */
  durationSeconds: number;
  /** mean events per session (geometric, at least 1) */
  meanSessionLength: number;
  /** at most this many distinct items in one session */
  maxItemsPerSession: number;
  /** mean gap between events inside a session, seconds */
  meanGapSeconds: number;
  /** chance that a session item is taken from the user's own history in that community */
  revisitProbability: number;
  /** chance per session that the user's preferred community moves */
  driftProbability: number;
  /** fraction of users / items that arrive uniformly in the middle 80% of the stream instead of at t = 0 */
  lateUserFraction: number;
  lateItemFraction: number;
}

export const GENERATOR_PRESETS = {
  small: {
    numUsers: 200,
    numItems: 100,
    numCommunities: 5,
    numEvents: 3000,
    durationSeconds: 7 * 86_400,
    meanSessionLength: 4,
    maxItemsPerSession: 3,
    meanGapSeconds: 90,
    revisitProbability: 0.5,
    driftProbability: 0.08,
    lateUserFraction: 0.15,
    lateItemFraction: 0.1,
  },
  medium: {
    numUsers: 700,
    numItems: 350,
    numCommunities: 8,
    numEvents: 12_000,
    durationSeconds: 14 * 86_400,
    meanSessionLength: 4,
    maxItemsPerSession: 3,
    meanGapSeconds: 90,
    revisitProbability: 0.5,
    driftProbability: 0.08,
    lateUserFraction: 0.15,
    lateItemFraction: 0.1,
  },
} as const satisfies Record<string, GeneratorConfig>;

export type GeneratorPresetName = keyof typeof GENERATOR_PRESETS;

export interface GeneratedEvents {
  src: Int32Array;
  dst: Int32Array;
  /** whole seconds, non-decreasing */
  tSeconds: Float64Array;
  /** one edge feature per event in [0, 1]: affinity of the user for the item's community, plus noise */
  feat: Float32Array;
  numEvents: number;
  /** number of distinct node ids that occur */
  numNodes: number;
}

function validate(c: GeneratorConfig): void {
  const positiveInts: (keyof GeneratorConfig)[] = [
    'numUsers', 'numItems', 'numCommunities', 'numEvents', 'maxItemsPerSession',
  ];
  for (const k of positiveInts) {
    const v = c[k];
    if (!Number.isInteger(v) || v < 1) throw new Error(`generator: expected ${k} to be a positive integer, got ${v}`);
  }
  if (c.numCommunities > c.numItems) {
    throw new Error(`generator: expected numCommunities <= numItems (${c.numItems}), got ${c.numCommunities}`);
  }
  for (const k of ['durationSeconds', 'meanSessionLength', 'meanGapSeconds'] as const) {
    if (!(c[k] > 0)) throw new Error(`generator: expected ${k} > 0, got ${c[k]}`);
  }
  if (c.meanSessionLength < 1) throw new Error(`generator: expected meanSessionLength >= 1, got ${c.meanSessionLength}`);
  for (const k of ['revisitProbability', 'driftProbability', 'lateUserFraction', 'lateItemFraction'] as const) {
    if (!(c[k] >= 0 && c[k] <= 1)) throw new Error(`generator: expected ${k} in [0, 1], got ${c[k]}`);
  }
}

/** an exponential draw with the given mean */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** a standard normal draw (Box–Muller) */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** index i with probability weights[i] / sum, by linear scan (arrays here are small) */
function pickWeighted(rng: Rng, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let r = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** index into a cumulative-weight array by binary search */
function pickCumulative(rng: Rng, cumulative: Float64Array): number {
  const r = rng.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** zeroed arrays for `n` generated events (numNodes 0 until the generator counts them) */
export function emptyEvents(n: number): GeneratedEvents {
  return { src: new Int32Array(n), dst: new Int32Array(n), tSeconds: new Float64Array(n), feat: new Float32Array(n), numEvents: n, numNodes: 0 };
}

/** Generates the events as typed arrays, sorted by time (stable). Same config and seed give the same events. */
export function generateEvents(config: GeneratorConfig, seed: number): GeneratedEvents {
  validate(config);
  const c = config;
  const rng = new Rng(seed);
  const setupRng = rng.fork(1);
  const sessionRng = rng.fork(2);
  const T = c.durationSeconds;
  const C = c.numCommunities;

  const arrival = (late: boolean) => (late ? setupRng.uniform(0.1 * T, 0.9 * T) : 0);

  // Items: community j % C; popularity Zipf over the item's rank within its community.
  const itemArrival = new Float64Array(c.numItems);
  const itemsOfCommunity: number[][] = Array.from({ length: C }, () => []);
  for (let j = 0; j < c.numItems; j++) {
    itemArrival[j] = arrival(setupRng.next() < c.lateItemFraction);
    itemsOfCommunity[j % C]!.push(j);
  }
  const itemPopularity = new Float64Array(c.numItems);
  for (const members of itemsOfCommunity) {
    members.forEach((j, rank) => (itemPopularity[j] = 1 / Math.pow(rank + 1, 0.8)));
  }

  // Users: heavy-tailed activity, a preference vector concentrated on one or two communities.
  const userArrival = new Float64Array(c.numUsers);
  const activityCumulative = new Float64Array(c.numUsers);
  const preference: Float64Array[] = [];
  let acc = 0;
  for (let u = 0; u < c.numUsers; u++) {
    userArrival[u] = arrival(setupRng.next() < c.lateUserFraction);
    acc += Math.exp(0.9 * gaussian(setupRng));
    activityCumulative[u] = acc;
    const w = new Float64Array(C).fill(0.05 / C);
    w[setupRng.int(C)]! += 0.7;
    w[setupRng.int(C)]! += 0.25;
    preference.push(w);
  }
  const history: number[][][] = Array.from({ length: c.numUsers }, () => Array.from({ length: C }, () => []));

  const src: number[] = [];
  const dst: number[] = [];
  const times: number[] = [];
  const feats: number[] = [];
  const expectedSessions = c.numEvents / c.meanSessionLength;
  const meanSessionGap = T / expectedSessions;
  let clock = 0;
  // floor(Exp(m)) has mean 1 / (e^(1/m) - 1); choose m so sessions average meanSessionLength events
  const extraEventsMean = c.meanSessionLength > 1 ? 1 / Math.log(1 + 1 / (c.meanSessionLength - 1)) : 0;

  while (src.length < c.numEvents) {
    clock += exponential(sessionRng, meanSessionGap);
    const start = clock;

    let u = pickCumulative(sessionRng, activityCumulative);
    for (let tries = 0; userArrival[u]! > start && tries < 32; tries++) u = pickCumulative(sessionRng, activityCumulative);
    if (userArrival[u]! > start) continue;

    const w = preference[u]!;
    const community = pickWeighted(sessionRng, w);
    const active = itemsOfCommunity[community]!.filter((j) => itemArrival[j]! <= start);
    if (active.length === 0) continue;

    const past = history[u]![community]!;
    const numItems = 1 + sessionRng.int(c.maxItemsPerSession);
    const sessionItems: number[] = [];
    for (let k = 0; k < numItems; k++) {
      let item: number;
      if (past.length > 0 && sessionRng.next() < c.revisitProbability) {
        // recent items more likely: pick among the last few
        item = past[past.length - 1 - sessionRng.int(Math.min(past.length, 5))]!;
      } else {
        item = active[pickWeighted(sessionRng, active.map((j) => itemPopularity[j]!))]!;
      }
      if (!sessionItems.includes(item)) sessionItems.push(item);
    }

    // affinity of this user for the chosen community, for the edge feature
    let wMax = 0;
    for (let k = 0; k < C; k++) wMax = Math.max(wMax, w[k]!);
    const affinity = w[community]! / wMax;

    const length = 1 + (extraEventsMean > 0 ? Math.floor(exponential(sessionRng, extraEventsMean)) : 0);
    let t = start;
    for (let e = 0; e < length; e++) {
      if (e > 0) t += Math.max(1, exponential(sessionRng, c.meanGapSeconds));
      // the first item of the session dominates the burst
      const item = sessionItems[sessionRng.next() < 0.6 ? 0 : sessionRng.int(sessionItems.length)]!;
      src.push(u);
      dst.push(c.numUsers + item);
      times.push(Math.floor(t));
      const f = 0.25 + 0.6 * affinity + 0.08 * gaussian(sessionRng);
      feats.push(Math.min(1, Math.max(0, f)));
    }
    for (const item of sessionItems) {
      const i = past.indexOf(item);
      if (i >= 0) past.splice(i, 1);
      past.push(item);
    }

    if (sessionRng.next() < c.driftProbability) {
      const target = sessionRng.int(C);
      for (let k = 0; k < C; k++) w[k] = 0.6 * w[k]! + (k === target ? 0.4 : 0);
    }
  }

  // Sessions overlap, so sort by time; Array.prototype.sort is stable (ties keep generation order).
  const order = Array.from({ length: src.length }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const n = c.numEvents;
  const out = emptyEvents(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const k = order[i]!;
    out.src[i] = src[k]!;
    out.dst[i] = dst[k]!;
    out.tSeconds[i] = times[k]!;
    out.feat[i] = feats[k]!;
    seen.add(src[k]!);
    seen.add(dst[k]!);
  }
  out.numNodes = seen.size;
  return out;
}

/** CSV text (`src,dst,t,feat` header, `\n` line ends, trailing newline) of `generateEvents(config, seed)`. */
export function generateStream(config: GeneratorConfig, seed: number): string {
  return eventsToCsv(generateEvents(config, seed));
}

export function eventsToCsv(ev: GeneratedEvents): string {
  const lines: string[] = ['src,dst,t,feat'];
  for (let i = 0; i < ev.numEvents; i++) {
    lines.push(`${ev.src[i]},${ev.dst[i]},${ev.tSeconds[i]},${ev.feat[i]!.toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}
