import { averagePrecision } from '../train/metrics.ts';
import type { Grouping, QueryRecord, ServeOptions, ServeRun, ServeSummary, UpdateRecord } from '../../shared/serving.ts';
import { buildFeed, type Feed } from './feed.ts';
import { nextGroup } from './grouping.ts';
import { quantiles, slope } from './measures.ts';
import { replay, scorePairs, servingCopy, servingMode, type QueryPairs, type ServingBase, type ServingMode } from './modes.ts';
import { stopwatchOf } from './clock.ts';
import type { ModelState, TgnModel } from '../models/tgn.ts';
import { upperBound, type ChronologicalSplit } from '../data/split.ts';

export interface ServeHooks {
  /** a hand-made feed instead of the seeded one (the tests' 10-event feed) */
  readonly feed?: Feed;
}

/** answers equal the exact ones when both probabilities are within this */
export const EXACT_TOLERANCE = 1e-5;

/**
 * The background update server, simulated lazily: its groups depend only on the event arrivals and its own
 * durations, so it runs ahead only as far as a query needs: `until(t)` runs every group that starts by t
 * and publishes those that have ended by t (at most one is in flight past t). A group is published before
 * the next one runs: a mode may copy what it publishes from its update model when publishing.
 */
class UpdateChain {
  readonly records: UpdateRecord[] = [];
  busyMs = 0;
  private free = 0;
  private next = 0;
  private inFlight: { readonly endS: number; readonly publish: () => void } | null = null;

  constructor(
    private readonly arrivals: Float64Array,
    private readonly grouping: Grouping,
    private readonly update: NonNullable<ServingMode['update']>,
  ) {}

  get applied(): number {
    return this.next;
  }

  async until(t: number): Promise<void> {
    for (;;) {
      if (this.inFlight && this.inFlight.endS <= t) {
        this.inFlight.publish();
        this.inFlight = null;
      }
      if (this.inFlight) return;
      const group = nextGroup(this.arrivals, this.next, this.free, this.grouping);
      if (!group || group.start > t) return;
      const from = this.next;
      const to = from + group.count;
      const { ms, publish } = await this.update(from, to);
      const endS = group.start + ms / 1000;
      this.records.push({ from, to, startS: group.start, endS });
      this.busyMs += ms;
      this.free = endS;
      this.next = to;
      this.inFlight = { endS, publish };
    }
  }
}

/** the neighbour sampling a query group needs (wall time, ms): 1 hop for its nodes, and the second hop */
function samplingTimes(model: TgnModel, pairs: QueryPairs): [number, number] {
  const nodes = Int32Array.from(new Set([...pairs.src, ...pairs.dst, ...pairs.neg]));
  const K = model.config.neighbours;
  const t0 = globalThis.performance.now();
  const hop1 = model.index.mostRecent(nodes, Infinity, K);
  const t1 = globalThis.performance.now();
  const hopNodes = hop1.node.map((v) => Math.max(v, 0));
  const hopTimes = Float64Array.from(hop1.node, (v, s) => (v >= 0 ? hop1.t[s]! : -Infinity));
  model.index.mostRecent(hopNodes, hopTimes, K);
  const t2 = globalThis.performance.now();
  return [t1 - t0, t2 - t0];
}

/**
 * Serves a trained model on a live feed (docs/serving.md): the stream's events from `base.feedFrom` on
 * arrive at the event rate, queries at the query rate; the mode's update server and query server run
 * side by side in simulated time, each operation taking its virtual cost or its measured wall time. Each
 * query asks about an event that has not arrived when the server starts on it (the j-th query of a group
 * about the j-th next one), with a random negative destination; its exact answer applies every arrived
 * event one at a time and answers the query alone.
 */
export async function runServing(base: ServingBase, options: ServeOptions, hooks: ServeHooks = {}): Promise<ServeRun> {
  const { stream } = base.model;
  const feed = hooks.feed ?? buildFeed(base.feedFrom, stream.numEvents, stream.numNodes, options);
  checkFeed(base, feed);
  const clock = stopwatchOf(options.clock);
  const mode = await servingMode(options.mode, base, clock, options.costs);
  const chain = mode.update ? new UpdateChain(feed.arrivals, options.updateGrouping, mode.update) : null;
  const served: ServedQuery[] = [];
  const sampling: SamplingTimes = [[], []];
  let free = 0;
  let next = 0;
  let groupIndex = 0;
  while (next < feed.queries.length) {
    const group = nextGroup(feed.queries, next, free, options.queryGrouping)!;
    await chain?.until(group.start);
    const arrived = upperBound(feed.arrivals, group.start);
    const pairs = queryPairs(base, feed, next, group.count, arrived);
    if (!pairs) break;
    const answer = await mode.answer(pairs, arrived);
    const answerS = group.start + answer.ms / 1000;
    recordSampling(sampling, mode.sampler, pairs);
    served.push(...servedQueries(next, groupIndex, feed, group.start, answerS, arrived, answer));
    free = answerS;
    next += group.count;
    groupIndex++;
  }
  const records = await withExactAnswers(base, feed, served);
  return {
    summary: summarize(options, feed, records, chain?.records ?? [], chain ? { events: chain.applied, ms: chain.busyMs } : mode.applyWork?.() ?? { events: 0, ms: 0 }, sampling),
    records,
    updates: chain?.records ?? [],
    arrivals: shownArrivals(feed, records),
  };
}

/** a query answered, before its exact answer is known */
export interface ServedQuery {
  readonly query: number;
  readonly group: number;
  readonly startS: number;
  readonly answerS: number;
  readonly target: number;
  readonly arrived: number;
  readonly reflected: number;
  readonly pos: number;
  readonly neg: number;
}

/** wall times (ms) of each query group's 1-hop and 2-hop sampling */
export type SamplingTimes = [number[], number[]];

export function checkFeed(base: ServingBase, feed: Feed): void {
  const feedLength = base.model.stream.numEvents - feed.from;
  if (feed.from !== base.feedFrom) throw new Error(`runServing: the feed starts at event ${feed.from}, the state at ${base.feedFrom}`);
  if (feed.arrivals.length !== feedLength) throw new Error(`runServing: expected ${feedLength} event arrivals, got ${feed.arrivals.length}`);
}

/**
 * The pairs of the query group of `count` queries from query `first`, started with `arrived` feed events
 * arrived: the j-th asks about the j-th event not arrived yet; queries past the feed's end go unanswered
 * (the group is cut; null when none is left).
 */
export function queryPairs(base: ServingBase, feed: Feed, first: number, count: number, arrived: number): QueryPairs | null {
  const { stream } = base.model;
  const n = Math.min(count, stream.numEvents - feed.from - arrived);
  if (n <= 0) return null;
  const targets = Int32Array.from({ length: n }, (_, j) => feed.from + arrived + j);
  return {
    src: targets.map((e) => stream.src[e]!),
    dst: targets.map((e) => stream.dst[e]!),
    t: Float64Array.from(targets, (e) => stream.t[e]!),
    neg: feed.negatives.slice(first, first + n),
  };
}

/** one ServedQuery per pair of a group's answer */
export function servedQueries(first: number, group: number, feed: Feed, startS: number, answerS: number, arrived: number, answer: { readonly pos: Float32Array; readonly neg: Float32Array; readonly reflected: number }): ServedQuery[] {
  return Array.from(answer.pos, (pos, j) => ({
    query: first + j, group, startS, answerS, target: feed.from + arrived + j, arrived, reflected: answer.reflected, pos, neg: answer.neg[j]!,
  }));
}

export function recordSampling(sampling: SamplingTimes, model: TgnModel, pairs: QueryPairs): void {
  const [hop1, hop2] = samplingTimes(model, pairs);
  sampling[0].push(hop1);
  sampling[1].push(hop2);
}

/**
 * The records of served queries (in the order they were served: events arrived never decrease), each with
 * its exact answer: every arrived event applied one at a time to a copy of the base state, the query alone.
 */
export async function withExactAnswers(base: ServingBase, feed: Feed, served: readonly ServedQuery[]): Promise<QueryRecord[]> {
  const { stream } = base.model;
  const exact = servingCopy(base);
  let applied = 0;
  const out: QueryRecord[] = [];
  for (const q of served) {
    if (q.arrived < applied) throw new Error(`withExactAnswers: query ${q.query} saw ${q.arrived} events after one that saw ${applied}`);
    await replay(exact, feed.from, applied, q.arrived);
    applied = q.arrived;
    const e = q.target;
    const one = await scorePairs(exact, { src: Int32Array.of(stream.src[e]!), dst: Int32Array.of(stream.dst[e]!), t: Float64Array.of(stream.t[e]!), neg: Int32Array.of(feed.negatives[q.query]!) });
    const exactPos = one.pos[0]!;
    const exactNeg = one.neg[0]!;
    const arrivalS = feed.queries[q.query]!;
    out.push({
      query: q.query, group: q.group, arrivalS, startS: q.startS, answerS: q.answerS, latencyMs: (q.answerS - arrivalS) * 1000,
      target: q.target, arrived: q.arrived, reflected: q.reflected, stalenessEvents: q.arrived - q.reflected,
      stalenessS: q.reflected < q.arrived ? q.startS - feed.arrivals[q.reflected]! : 0,
      pos: q.pos, neg: q.neg, exactPos, exactNeg,
      equalsExact: Math.abs(q.pos - exactPos) <= EXACT_TOLERANCE && Math.abs(q.neg - exactNeg) <= EXACT_TOLERANCE,
    });
  }
  return out;
}

/** the run's summary from its records, its update groups, the update work and the sampling times */
export function summarize(
  options: ServeOptions, feed: Feed, records: readonly QueryRecord[], updates: readonly UpdateRecord[],
  applied: { readonly events: number; readonly ms: number }, sampling: SamplingTimes,
): ServeSummary {
  return {
    mode: options.mode,
    clock: options.clock,
    eventRate: options.eventRate,
    queryRate: options.queryRate,
    updateGrouping: options.updateGrouping,
    queryGrouping: options.queryGrouping,
    durationS: options.durationS,
    seed: options.seed,
    events: upperBound(feed.arrivals, options.durationS),
    queries: records.length,
    latencyMs: quantiles(records.map((r) => r.latencyMs)),
    stalenessEvents: quantiles(records.map((r) => r.stalenessEvents)),
    stalenessSeconds: quantiles(records.map((r) => r.stalenessS)),
    ap: apOf(records.map((r) => r.pos), records.map((r) => r.neg)),
    exactAp: apOf(records.map((r) => r.exactPos), records.map((r) => r.exactNeg)),
    exactFraction: records.length > 0 ? records.filter((r) => r.equalsExact).length / records.length : 0,
    updateEventsPerSec: applied.ms > 0 ? applied.events / (applied.ms / 1000) : 0,
    updateGroups: updates.length,
    meanGroupSize: updates.length > 0 ? updates.reduce((s, u) => s + u.to - u.from, 0) / updates.length : 0,
    backlogGrowthPerS: slope(records.map((r) => r.startS), records.map((r) => r.stalenessEvents)),
    samplingMs: { hop1: quantiles(sampling[0]), hop2: quantiles(sampling[1]) },
  };
}

/** the feed's arrival times up to the last query's start */
export function shownArrivals(feed: Feed, records: readonly QueryRecord[]): number[] {
  const lastStart = records.length > 0 ? records[records.length - 1]!.startS : 0;
  return Array.from(feed.arrivals.subarray(0, upperBound(feed.arrivals, lastStart) + 1));
}

/** AP of positives against negatives (0 for none) */
function apOf(pos: readonly number[], neg: readonly number[]): number {
  if (pos.length === 0) return 0;
  return averagePrecision([...pos, ...neg], [...pos.map(() => 1), ...neg.map(() => 0)]);
}

/**
 * The state serving starts from, for a model trained up to `split.val[0]` (a checkpoint, the page's last
 * epoch): the validation events applied in batches of `batchSize`, as evaluation applies them; the feed
 * is the test part. The model's own state is left as it was.
 */
export async function prepareServing(model: TgnModel, trained: ModelState, split: ChronologicalSplit, batchSize: number): Promise<ServingBase> {
  const copy = servingCopy({ model, state: trained, feedFrom: split.val[0] });
  for (let from = split.val[0]; from < split.val[1]; from += batchSize) await copy.advance(from, Math.min(split.val[1], from + batchSize));
  return { model, state: copy.saveState(), feedFrom: split.test[0] };
}
