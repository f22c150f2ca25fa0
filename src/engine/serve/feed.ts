import { Rng } from '../util/rng.ts';

/** A live feed: the events [from, to) of a stream arriving one by one, and queries arriving beside them. */
export interface Feed {
  /** stream index of feed position 0 */
  readonly from: number;
  /** arrival time (s) of each feed event (position i is stream event from + i) */
  readonly arrivals: Float64Array;
  /** arrival time (s) of each query, all before the duration */
  readonly queries: Float64Array;
  /** each query's negative destination (drawn when it arrives) */
  readonly negatives: Int32Array;
}

/** times of a Poisson process of `rate` per second, drawn until `count` times or past `until` seconds */
export function poissonArrivals(rate: number, rng: Rng, count: number, until = Infinity): Float64Array {
  if (!(rate > 0)) throw new Error(`poissonArrivals: the rate must be > 0, got ${rate}`);
  const out: number[] = [];
  let t = 0;
  while (out.length < count) {
    t += -Math.log(1 - rng.next()) / rate;
    if (t >= until) break;
    out.push(t);
  }
  return Float64Array.from(out);
}

/**
 * The feed of a serving run, seeded: events [from, to) arrive at `eventRate` per second, queries at
 * `queryRate` per second during `durationS` seconds, each with a random negative destination among
 * `numNodes` nodes. Events, queries and negatives draw from separate generators, so changing one rate
 * keeps the other schedule.
 */
export function buildFeed(from: number, to: number, numNodes: number, options: { eventRate: number; queryRate: number; durationS: number; seed: number }): Feed {
  if (to <= from) throw new Error(`buildFeed: the feed needs events, got [${from}, ${to})`);
  const arrivals = poissonArrivals(options.eventRate, new Rng(options.seed * 3 + 1), to - from);
  const queries = poissonArrivals(options.queryRate, new Rng(options.seed * 3 + 2), Number.MAX_SAFE_INTEGER, options.durationS);
  const negRng = new Rng(options.seed * 3 + 3);
  const negatives = Int32Array.from(queries, () => negRng.int(numNodes));
  return { from, arrivals, queries, negatives };
}
