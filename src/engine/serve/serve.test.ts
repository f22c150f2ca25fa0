import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { createTgn, type TgnModel } from '../models/tgn.ts';
import { randomStream, TINY_TGN } from '../testing.ts';
import { Rng } from '../util/rng.ts';
import { scoreBatch } from '../train/trainer.ts';
import type { Grouping, QueryRecord, ServeCosts, ServeMode, ServeOptions } from '../../shared/serving.ts';
import { MODEL_NAMES, MODEL_PRESETS } from '../../shared/presets.ts';
import { nextGroup } from './grouping.ts';
import { poissonArrivals, type Feed } from './feed.ts';
import { runServing } from './simulator.ts';
import type { ServingBase } from './modes.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

// 30 events on 6 nodes; the first 20 are history, the last 10 the live feed
const stream = randomStream(30, 6, 5);
const FEED_FROM = 20;

async function baseOf(model: TgnModel): Promise<ServingBase> {
  await model.advance(0, FEED_FROM);
  return { model, state: model.saveState(), feedFrom: FEED_FROM };
}

// feed event i arrives at 10·(i+1) ms; queries at 25, 35, 45 and 95 ms
const FEED: Feed = {
  from: FEED_FROM,
  arrivals: Float64Array.from({ length: 10 }, (_, i) => (i + 1) / 100),
  queries: Float64Array.from([0.025, 0.035, 0.045, 0.095]),
  negatives: Int32Array.from([1, 2, 3, 4]),
};

// each operation's virtual cost is fixed: memory update 5 ms, re-embedding 5 ms, a model query 2 ms, a cache read 1 ms
const COSTS: ServeCosts = {
  advance: { fixedMs: 5, perItemMs: 0 },
  embed: { fixedMs: 5, perItemMs: 0 },
  query: { fixedMs: 2, perItemMs: 0 },
  cached: { fixedMs: 1, perItemMs: 0 },
};

const ONE: Grouping = { size: 1, windowMs: null };

function options(mode: ServeMode, updateGrouping: Grouping, queryGrouping: Grouping = ONE): ServeOptions {
  return { mode, eventRate: 100, queryRate: 40, updateGrouping, queryGrouping, durationS: 0.1, seed: 1, clock: 'virtual', costs: COSTS };
}

async function serve(mode: ServeMode, updateGrouping: Grouping, queryGrouping: Grouping = ONE) {
  const model = createTgn(stream, TINY_TGN, 3);
  try {
    const before = tf.memory().numTensors;
    const run = await runServing(await baseOf(model), options(mode, updateGrouping, queryGrouping), { feed: FEED });
    expect(tf.memory().numTensors).toBe(before);
    return run;
  } finally {
    model.dispose();
  }
}

/** what each query's record pins: [reflected, arrived, latency ms, staleness s, target feed position] */
const pinned = (records: readonly QueryRecord[]) => records.map((r) => [
  r.reflected, r.arrived, Number(r.latencyMs.toFixed(6)), Number(r.stalenessS.toFixed(6)), r.target - FEED_FROM,
]);

describe('grouping', () => {
  const arrivals = [0.01, 0.02, 0.03, 0.1];
  it('by size: due at the G-th arrival, or later when the server is busy (then it still takes G)', () => {
    expect(nextGroup(arrivals, 0, 0, { size: 2, windowMs: null })).toEqual({ start: 0.02, count: 2 });
    expect(nextGroup(arrivals, 0, 0.05, { size: 2, windowMs: null })).toEqual({ start: 0.05, count: 2 });
    // the last items are due when the last arrives
    expect(nextGroup(arrivals, 2, 0, { size: 5, windowMs: null })).toEqual({ start: 0.1, count: 2 });
  });
  it('by window: due W after the oldest waiting arrival, taking what arrived by then', () => {
    expect(nextGroup(arrivals, 0, 0, { size: Infinity, windowMs: 15 })).toEqual({ start: 0.025, count: 2 });
    expect(nextGroup(arrivals, 0, 0, { size: Infinity, windowMs: 0 })).toEqual({ start: 0.01, count: 1 });
  });
  it('both: whichever comes first', () => {
    expect(nextGroup(arrivals, 0, 0, { size: 3, windowMs: 5 })).toEqual({ start: 0.015, count: 1 });
    expect(nextGroup(arrivals, 0, 0, { size: 2, windowMs: 50 })).toEqual({ start: 0.02, count: 2 });
    expect(nextGroup(arrivals, 4, 0, { size: 2, windowMs: 50 })).toBeNull();
  });
});

describe('the feed', () => {
  it('Poisson arrivals are seeded and have the asked mean gap', () => {
    const a = poissonArrivals(200, new Rng(1), 20_000);
    expect(Array.from(poissonArrivals(200, new Rng(1), 5))).toEqual(Array.from(a.subarray(0, 5)));
    expect(a[a.length - 1]! / a.length).toBeCloseTo(1 / 200, 4);
  });
});

describe('TgnModel for serving', () => {
  it('advance leaves the memory, mail and index that plan → forward → commit of the same batches leave', async () => {
    const a = createTgn(stream, TINY_TGN, 3);
    const b = createTgn(stream, { ...TINY_TGN }, 3);
    for (const [from, to] of [[0, 7], [7, 8], [8, 20]] as const) {
      await a.advance(from, to);
      await scoreBatch(b, from, to, stream.dst.slice(from, to), false);
    }
    expect(Array.from(a.memory.state)).toEqual(Array.from(b.memory.state));
    expect(a.mailbox.save()).toEqual(b.mailbox.save());
    expect(a.index.size).toBe(20);
    a.dispose();
    b.dispose();
  });

  it('planQueries scores pairs as the batch of the same events does, and writes nothing', async () => {
    const model = createTgn(stream, TINY_TGN, 3);
    await model.advance(0, 20);
    const saved = model.saveState();
    const neg = Int32Array.from([0, 1, 2, 3, 4]);
    const plan = model.planQueries(stream.src.slice(20, 25), stream.dst.slice(20, 25), stream.t.slice(20, 25), neg);
    const viaQueries = tf.tidy(() => model.forward(plan, false, new Rng(0)).pos.arraySync());
    expect(() => model.commit(plan, new Float32Array(0))).toThrow(/query pairs/);
    expect(model.saveState()).toEqual(saved);
    const batch = await scoreBatch(model, 20, 25, neg, false);
    expect(viaQueries).toEqual(Array.from(batch.pos));
    model.dispose();
  });
});

describe('serving on a 10-event feed, virtual clock', () => {
  it('update-based, groups of 2: groups run at 20–30, 40–50, 60–70, 80–90 ms; each query reads the cache (1 ms) as of the last group ended', async () => {
    const run = await serve('update', { size: 2, windowMs: null });
    expect(run.updates.map((u) => [u.from, u.to, Math.round(u.startS * 1000), Math.round(u.endS * 1000)])).toEqual([
      [0, 2, 20, 30], [2, 4, 40, 50], [4, 6, 60, 70], [6, 8, 80, 90],
    ]);
    // q at 25: group 0 still running; 35: it has ended; 45: group 1 running; 95: groups up to 8 ended
    expect(pinned(run.records)).toEqual([
      [0, 2, 1, 0.015, 2], [2, 3, 1, 0.005, 3], [2, 4, 1, 0.015, 4], [8, 9, 1, 0.005, 9],
    ]);
    expect(run.records.map((r) => r.stalenessEvents)).toEqual([2, 1, 2, 1]);
    expect(run.summary.updateGroups).toBe(4);
    expect(run.summary.meanGroupSize).toBe(2);
    // 8 events in 4 groups of 10 ms
    expect(run.summary.updateEventsPerSec).toBeCloseTo(200, 9);
  });

  it('collaborative, groups of 2: memory-only groups take 5 ms, so the query at 25 ms already sees 2 events; a query costs 2 ms', async () => {
    const run = await serve('collaborative', { size: 2, windowMs: null });
    expect(run.updates.map((u) => [Math.round(u.startS * 1000), Math.round(u.endS * 1000)])).toEqual([[20, 25], [40, 45], [60, 65], [80, 85]]);
    expect(pinned(run.records)).toEqual([
      [2, 2, 2, 0, 2], [2, 3, 2, 0.005, 3], [4, 4, 2, 0, 4], [8, 9, 2, 0.005, 9],
    ]);
  });

  it('inference-based: each query first replays what arrived (5 ms an event): exact answers, latency grows with the backlog', async () => {
    const run = await serve('inference', ONE);
    // 25: replays 2 → 37 ms; 35 waits until 37, replays 1 → 44; 45: replays 1 → 52; 95: replays 5 → 122
    expect(pinned(run.records)).toEqual([
      [2, 2, 12, 0, 2], [3, 3, 9, 0, 3], [4, 4, 7, 0, 4], [9, 9, 27, 0, 9],
    ]);
    expect(run.records.every((r) => r.equalsExact)).toBe(true);
    expect(run.summary.exactFraction).toBe(1);
    expect(run.summary.ap).toBe(run.summary.exactAp);
    expect(run.updates).toEqual([]);
    // 9 events replayed in 45 ms
    expect(run.summary.updateEventsPerSec).toBeCloseTo(200, 9);
  });

  it('query groups of 2: a group is due at its second query and asks about the next two events', async () => {
    const run = await serve('update', { size: 2, windowMs: null }, { size: 2, windowMs: null });
    expect(pinned(run.records)).toEqual([
      [2, 3, 11, 0.005, 3], [2, 3, 1, 0.005, 4], [8, 9, 51, 0.005, 9],
    ]);
    // the last query has no event left to ask about: it goes unanswered
    expect(run.summary.queries).toBe(3);
  });

  it('a query window of 15 ms: the first group waits until 40 ms and takes the two queries arrived by then', async () => {
    const run = await serve('collaborative', { size: 2, windowMs: null }, { size: Infinity, windowMs: 15 });
    expect(run.records.map((r) => [r.group, Math.round(r.startS * 1000)])).toEqual([[0, 40], [0, 40], [1, 60], [2, 95]]);
  });

  it('update windows of 0 ms take whatever waits: each event is its own group here (arrivals 10 ms apart, groups of 10 ms)', async () => {
    const run = await serve('update', { size: Infinity, windowMs: 0 });
    expect(run.updates.slice(0, 3).map((u) => [u.from, u.to, Math.round(u.startS * 1000)])).toEqual([[0, 1, 10], [1, 2, 20], [2, 3, 30]]);
  });

  it('the same options give the same run (all but the sampling times, which are wall time)', async () => {
    const a = await serve('collaborative', { size: 3, windowMs: 12 });
    const b = await serve('collaborative', { size: 3, windowMs: 12 });
    expect(b.records).toEqual(a.records);
    expect(b.updates).toEqual(a.updates);
    expect({ ...b.summary, samplingMs: null }).toEqual({ ...a.summary, samplingMs: null });
    expect(a.summary.samplingMs.hop2.p50).toBeGreaterThan(0);
  });
});

describe('every model preset serves', () => {
  // mailbox 2 with the mean aggregator, edge features, two-layer attention (TGAT), DyRep's embedded mails, static memory
  const featured = randomStream(30, 6, 5, 2);
  for (const name of MODEL_NAMES) {
    it(`${name}: advance matches the batch step, inference answers are exact, each mode runs without leaking tensors`, async () => {
      const config = { ...MODEL_PRESETS[name], memoryDim: 6, timeDim: 4, embeddingDim: 6, neighbours: 3, heads: 2, mailboxSize: 2, aggregator: 'mean' as const };
      const a = createTgn(featured, config, 3);
      const b = createTgn(featured, config, 3);
      try {
        await a.advance(0, 12);
        await a.advance(12, 20);
        await scoreBatch(b, 0, 12, featured.dst.slice(0, 12), false);
        await scoreBatch(b, 12, 20, featured.dst.slice(12, 20), false);
        expect(Array.from(a.memory.state)).toEqual(Array.from(b.memory.state));
        expect(a.mailbox.save()).toEqual(b.mailbox.save());
        const base: ServingBase = { model: a, state: a.saveState(), feedFrom: FEED_FROM };
        const before = tf.memory().numTensors;
        for (const mode of ['update', 'inference', 'collaborative'] as const) {
          const run = await runServing(base, options(mode, { size: 2, windowMs: null }), { feed: FEED });
          expect(run.records).toHaveLength(4);
          if (mode === 'inference') expect(run.summary.exactFraction).toBe(1);
        }
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }
});
