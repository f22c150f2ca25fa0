import { averagePrecision } from '../train/metrics.ts';
import type { Grouping, QueryRecord, ServeOptions, ServeRun, ServeSummary, UpdateRecord } from '../../shared/serving.ts';
import { buildFeed, type Feed } from './feed.ts';
import { arrivedBy, nextGroup } from './grouping.ts';
import { quantiles, slope } from './measures.ts';
import { replay, scorePairs, servingCopy, servingMode, type QueryPairs, type ServingBase, type ServingMode } from './modes.ts';
import { stopwatchOf } from './clock.ts';
import type { ModelState, TgnModel } from '../models/tgn.ts';
import type { ChronologicalSplit } from '../data/split.ts';

export interface ServeHooks {
  /** a hand-made feed instead of the seeded one (tests, the page's step-by-step replay) */
  readonly feed?: Feed;
  /** after each query group: queries answered so far, queries in the run */
  readonly onProgress?: (answered: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** answers equal the exact ones when both probabilities are within this */
export const EXACT_TOLERANCE = 1e-5;

/**
 * The background update server, simulated lazily: its groups depend only on the event arrivals and its own
 * durations, so it runs ahead only as far as a query needs: `until(t)` runs every group that starts by t
 * and publishes those that have ended by t (at most one is in flight past t).
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
  return [t1 - t0, t1 - t0 + (t2 - t1)];
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
  if (feed.from !== base.feedFrom) throw new Error(`runServing: the feed starts at event ${feed.from}, the state at ${base.feedFrom}`);
  const feedLength = stream.numEvents - feed.from;
  if (feed.arrivals.length !== feedLength) throw new Error(`runServing: expected ${feedLength} event arrivals, got ${feed.arrivals.length}`);
  const clock = stopwatchOf(options.clock);
  const mode = await servingMode(options.mode, base, clock, options.costs);
  const chain = mode.update ? new UpdateChain(feed.arrivals, options.updateGrouping, mode.update) : null;
  const exact = servingCopy(base);
  let exactApplied = 0;

  const records: QueryRecord[] = [];
  const sampling: [number[], number[]] = [[], []];
  const total = feed.queries.length;
  let free = 0;
  let next = 0;
  let groupIndex = 0;
  while (next < total) {
    hooks.signal?.throwIfAborted();
    const group = nextGroup(feed.queries, next, free, options.queryGrouping)!;
    await chain?.until(group.start);
    const arrived = arrivedBy(feed.arrivals, group.start);
    // the j-th query asks about the j-th event not arrived yet; queries past the feed's end go unanswered
    const count = Math.min(group.count, feedLength - arrived);
    if (count <= 0) break;
    const targets = Int32Array.from({ length: count }, (_, j) => feed.from + arrived + j);
    const pairs: QueryPairs = {
      src: targets.map((e) => stream.src[e]!),
      dst: targets.map((e) => stream.dst[e]!),
      t: Float64Array.from(targets, (e) => stream.t[e]!),
      neg: feed.negatives.slice(next, next + count),
    };
    const answer = await mode.answer(pairs, arrived);
    const answerS = group.start + answer.ms / 1000;
    const [hop1, hop2] = samplingTimes(mode.sampler, pairs);
    sampling[0].push(hop1);
    sampling[1].push(hop2);
    await replay(exact, feed.from, exactApplied, arrived);
    exactApplied = arrived;
    for (let j = 0; j < count; j++) {
      const q = next + j;
      const one = await scorePairs(exact, { src: pairs.src.subarray(j, j + 1), dst: pairs.dst.subarray(j, j + 1), t: pairs.t.subarray(j, j + 1), neg: pairs.neg.subarray(j, j + 1) });
      const pos = answer.pos[j]!;
      const neg = answer.neg[j]!;
      const exactPos = one.pos[0]!;
      const exactNeg = one.neg[0]!;
      records.push({
        query: q, group: groupIndex, arrivalS: feed.queries[q]!, startS: group.start, answerS,
        latencyMs: (answerS - feed.queries[q]!) * 1000, target: targets[j]!, arrived, reflected: answer.reflected,
        stalenessEvents: arrived - answer.reflected,
        stalenessS: answer.reflected < arrived ? group.start - feed.arrivals[answer.reflected]! : 0,
        pos, neg, exactPos, exactNeg,
        equalsExact: Math.abs(pos - exactPos) <= EXACT_TOLERANCE && Math.abs(neg - exactNeg) <= EXACT_TOLERANCE,
      });
    }
    free = answerS;
    next += group.count;
    groupIndex++;
    hooks.onProgress?.(records.length, total);
  }

  const applied = chain ? { events: chain.applied, ms: chain.busyMs } : mode.applyWork();
  const updates = chain?.records ?? [];
  const lastStart = records.length > 0 ? records[records.length - 1]!.startS : 0;
  const summary: ServeSummary = {
    mode: options.mode,
    clock: options.clock,
    eventRate: options.eventRate,
    queryRate: options.queryRate,
    updateGrouping: options.updateGrouping,
    queryGrouping: options.queryGrouping,
    durationS: options.durationS,
    seed: options.seed,
    events: arrivedBy(feed.arrivals, options.durationS),
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
  return { summary, records, updates, arrivals: Array.from(feed.arrivals.subarray(0, arrivedBy(feed.arrivals, lastStart) + 1)) };
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
