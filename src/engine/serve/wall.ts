import type { ServeOptions, UpdateRecord } from '../../shared/serving.ts';
import type { MemoryArrays } from '../memory/nodeMemory.ts';
import type { MailboxArrays } from '../memory/mailbox.ts';
import type { Feed } from './feed.ts';
import type { TgnModel } from '../models/tgn.ts';
import { nextGroup } from './grouping.ts';
import { upperBound } from '../data/split.ts';
import { embedNodes, endpoints, replay, scoreCached, scorePairs, servingCopy, setNodeRows, type QueryPairs, type Scores, type ServingBase } from './modes.ts';
import { queryPairs, recordSampling, servedQueries, type SamplingTimes, type ServedQuery } from './simulator.ts';

// The wall clock: the update server and the query server as two threads running at once in real time
// (worker threads in the CLI), sharing what the update server publishes through SharedArrayBuffers. A
// seqlock (an even counter, odd while the update server writes) lets the query server read a consistent
// version without ever blocking the writer. What each mode shares:
// - update-based: the embedding cache (numNodes × embedding rows);
// - collaborative: a mirror of memory and mailbox, and a log of the nodes each group changed, so the query
//   server copies only those into its own model;
// - inference-based: nothing (there is no update server).

const SEQ = 0;
const VERSION = 1;
const DIRTY = 2;
const STOP = 3;
const SLEEP = 4;
const CONTROL_WORDS = 5;
/** nodes the dirty log holds; a reader further behind copies every node */
const DIRTY_RING = 1 << 16;

/** what the two threads share (every array over a SharedArrayBuffer) */
export interface SharedServing {
  /** seqlock counter, published version (feed events applied), dirty-log cursor, stop flag, a word to sleep on */
  readonly control: Int32Array;
  readonly dirty: Int32Array;
  /** collaborative: the published memory and mail */
  readonly memory: MemoryArrays | null;
  readonly mailbox: MailboxArrays | null;
  /** update-based: the published embedding cache */
  readonly cache: Float32Array | null;
}

function shared<T extends Int32Array | Float32Array | Float64Array>(make: new (b: SharedArrayBuffer) => T, bytesPer: number, n: number): T {
  return new make(new SharedArrayBuffer(Math.max(1, n) * bytesPer));
}

/** the shared buffers of a run of `base`'s model in `mode`, mirrors filled from the base state */
export function allocateShared(base: ServingBase, mode: ServeOptions['mode']): SharedServing {
  const { stream, config, modules } = base.model;
  const n = stream.numNodes;
  const control = shared(Int32Array, 4, CONTROL_WORDS);
  const dirty = shared(Int32Array, 4, DIRTY_RING);
  if (mode !== 'collaborative') {
    return { control, dirty, memory: null, mailbox: null, cache: mode === 'update' ? shared(Float32Array, 4, n * modules.embedding.outDim) : null };
  }
  const d = config.memoryDim;
  const k = config.mailboxSize;
  const s = base.state;
  const memory: MemoryArrays = { state: shared(Float32Array, 4, n * d), lastUpdate: shared(Float64Array, 8, n), updates: shared(Int32Array, 4, n) };
  const mailbox: MailboxArrays = {
    other: shared(Int32Array, 4, n * k), t: shared(Float64Array, 8, n * k), edge: shared(Int32Array, 4, n * k),
    count: shared(Int32Array, 4, n), head: shared(Int32Array, 4, n), payload: shared(Float32Array, 4, s.mailbox.payload.length),
  };
  memory.state.set(s.memory.state);
  memory.lastUpdate.set(s.memory.lastUpdate);
  memory.updates.set(s.memory.updates);
  for (const key of ['other', 't', 'edge', 'count', 'head', 'payload'] as const) (mailbox[key] as { set(a: ArrayLike<number>): void }).set(s.mailbox[key]);
  return { control, dirty, memory, mailbox, cache: null };
}

/** absolute ms, comparable across threads */
const absNow = (): number => globalThis.performance.timeOrigin + globalThis.performance.now();

/** blocks until absolute time `at` (ms) or the stop flag; true when stopped */
function sleepUntil(s: SharedServing, at: number): boolean {
  for (;;) {
    if (Atomics.load(s.control, STOP) !== 0) return true;
    const left = at - absNow();
    if (left <= 0) return false;
    // sleep in slices (the stop flag is checked between them); the last fraction of a ms is spun
    if (left > 1) Atomics.wait(s.control, SLEEP, 0, Math.min(50, left - 0.5));
  }
}

/** runs `write` as one published version: readers that overlap it retry */
function publish(s: SharedServing, write: () => void): void {
  Atomics.add(s.control, SEQ, 1);
  write();
  Atomics.add(s.control, SEQ, 1);
}

/** runs `read` until it did not overlap a publication; returns its value */
function consistent<T>(s: SharedServing, read: () => T): T {
  for (;;) {
    const before = Atomics.load(s.control, SEQ);
    if (before % 2 === 1) continue;
    const value = read();
    if (Atomics.load(s.control, SEQ) === before) return value;
  }
}

/**
 * Runs every serving operation on the first `events` feed events with a throwaway copy, so a thread's
 * operations on the clock are not its engine's first (kernel set-up, the JIT: the first few hundred memory
 * updates run ~4× slower); the simulator's clocks time a warm engine too.
 */
export async function warmUp(base: ServingBase, events = 256): Promise<void> {
  const model = servingCopy(base);
  const { stream } = model;
  const dim = base.model.modules.embedding.outDim;
  const cache = new Float32Array(stream.numNodes * dim);
  const end = Math.min(stream.numEvents, base.feedFrom + events);
  for (let e = base.feedFrom; e < end; e++) {
    const pairs: QueryPairs = { src: Int32Array.of(stream.src[e]!), dst: Int32Array.of(stream.dst[e]!), t: Float64Array.of(stream.t[e]!), neg: Int32Array.of(stream.dst[e]!) };
    await scorePairs(model, pairs);
    await scoreCached(model, cache, pairs);
    cache.set(await embedNodes(model, pairs.src, stream.t[e]!), stream.src[e]! * dim);
    await model.advance(e, e + 1);
  }
}

export interface UpdateServerResult {
  readonly updates: UpdateRecord[];
  readonly busyMs: number;
  readonly applied: number;
}

/**
 * The update server (update-based, collaborative), in real time from absolute time `startAt` (ms): takes
 * each group when it is due (serve/grouping.ts), applies it to its own model, and publishes what changed.
 * Stops when the query server sets the stop flag or the feed ends.
 */
export async function runUpdateServer(base: ServingBase, options: ServeOptions, feed: Feed, s: SharedServing, startAt: number): Promise<UpdateServerResult> {
  const model = servingCopy(base);
  const dim = base.model.modules.embedding.outDim;
  const nowS = (): number => (absNow() - startAt) / 1000;
  const updates: UpdateRecord[] = [];
  let busyMs = 0;
  let next = 0;
  for (;;) {
    const due = nextGroup(feed.arrivals, next, nowS(), options.updateGrouping);
    if (!due || sleepUntil(s, startAt + due.start * 1000)) break;
    // not before it is due (absolute times round: ~0.2 µs at today's epoch milliseconds)
    const startS = Math.max(nowS(), due.start);
    const count = Math.min(options.updateGrouping.size, upperBound(feed.arrivals, startS) - next);
    const a = base.feedFrom + next;
    const b = a + count;
    const nodes = endpoints(model, a, b);
    await model.advance(a, b);
    const rows = s.cache ? await embedNodes(model, nodes, base.model.stream.t[b - 1]!) : null;
    const version = next + count;
    publish(s, () => {
      if (s.cache && rows) setNodeRows(s.cache, nodes, rows, dim);
      if (s.memory && s.mailbox) {
        model.memory.copyNodesTo(nodes, s.memory);
        model.mailbox.copyNodesTo(nodes, s.mailbox);
        const cursor = Atomics.load(s.control, DIRTY);
        nodes.forEach((v, i) => (s.dirty[(cursor + i) % DIRTY_RING] = v));
        Atomics.store(s.control, DIRTY, cursor + nodes.length);
      }
      Atomics.store(s.control, VERSION, version);
    });
    const endS = nowS();
    updates.push({ from: next, to: version, startS, endS });
    busyMs += (endS - startS) * 1000;
    next = version;
  }
  return { updates, busyMs, applied: next };
}

export interface QueryServerResult {
  readonly served: ServedQuery[];
  readonly sampling: SamplingTimes;
  /** inference-based: events replayed and the time spent replaying them */
  readonly replayed: { readonly events: number; readonly ms: number };
}

/** how the query server of a mode answers a group on the wall clock: scores, and the feed events reflected */
type WallAnswer = (pairs: QueryPairs, arrived: number) => Promise<{ readonly scores: Scores; readonly reflected: number }>;

interface WallQueryContext {
  readonly base: ServingBase;
  readonly model: TgnModel;
  readonly s: SharedServing;
  readonly replayed: { events: number; ms: number };
}

/** update-based: read the rows the group needs from the published cache (one consistent version), decode */
function cachedAnswer({ base, model, s }: WallQueryContext): WallAnswer {
  const cache = s.cache;
  if (!cache) throw new Error('runQueryServer: update-based serving needs the shared cache');
  const dim = base.model.modules.embedding.outDim;
  const local = new Float32Array(cache.length);
  return async (pairs) => {
    const reflected = consistent(s, () => {
      for (const v of [...pairs.src, ...pairs.dst, ...pairs.neg]) local.set(cache.subarray(v * dim, (v + 1) * dim), v * dim);
      return Atomics.load(s.control, VERSION);
    });
    return { scores: await scoreCached(model, local, pairs), reflected };
  };
}

/** collaborative: arrivals join the index; the nodes the update server changed are copied in (one version); embed and score */
function collaborativeAnswer({ base, model, s }: WallQueryContext): WallAnswer {
  const { memory, mailbox } = s;
  if (!memory || !mailbox) throw new Error('runQueryServer: collaborative serving needs the shared memory and mail');
  const { stream } = base.model;
  let dirtyRead = 0;
  return async (pairs, arrived) => {
    if (model.index.size < base.feedFrom + arrived) model.index.insertRange(stream.src, stream.dst, stream.t, model.index.size, base.feedFrom + arrived);
    const [reflected, cursor] = consistent(s, () => {
      const at = Atomics.load(s.control, DIRTY);
      const ids = at - dirtyRead > DIRTY_RING
        ? Int32Array.from({ length: stream.numNodes }, (_, v) => v)
        : Int32Array.from({ length: at - dirtyRead }, (_, i) => s.dirty[(dirtyRead + i) % DIRTY_RING]!);
      model.memory.copyNodesFrom(ids, memory);
      model.mailbox.copyNodesFrom(ids, mailbox);
      return [Atomics.load(s.control, VERSION), at] as const;
    });
    dirtyRead = cursor;
    return { scores: await scorePairs(model, pairs), reflected };
  };
}

/** inference-based: replay every waiting event one at a time, then embed and score */
function inferenceAnswer({ base, model, replayed }: WallQueryContext): WallAnswer {
  return async (pairs, arrived) => {
    const t0 = globalThis.performance.now();
    await replay(model, base.feedFrom, replayed.events, arrived);
    replayed.ms += globalThis.performance.now() - t0;
    replayed.events = arrived;
    return { scores: await scorePairs(model, pairs), reflected: arrived };
  };
}

const WALL_ANSWERS: Readonly<Record<ServeOptions['mode'], (c: WallQueryContext) => WallAnswer>> = {
  update: cachedAnswer,
  collaborative: collaborativeAnswer,
  inference: inferenceAnswer,
};

/**
 * The query server, in real time from absolute time `startAt` (ms): takes each query group when due and
 * answers it as its mode does (serve/modes.ts), reading what the update server published; sets the stop
 * flag when done.
 */
export async function runQueryServer(base: ServingBase, options: ServeOptions, feed: Feed, s: SharedServing, startAt: number): Promise<QueryServerResult> {
  const model = servingCopy(base);
  const replayed = { events: 0, ms: 0 };
  const answer = WALL_ANSWERS[options.mode]({ base, model, s, replayed });
  const nowS = (): number => (absNow() - startAt) / 1000;
  const served: ServedQuery[] = [];
  const sampling: SamplingTimes = [[], []];
  let next = 0;
  let group = 0;
  try {
    while (next < feed.queries.length) {
      const due = nextGroup(feed.queries, next, nowS(), options.queryGrouping)!;
      if (sleepUntil(s, startAt + due.start * 1000)) break;
      const startS = Math.max(nowS(), due.start);
      const count = Math.min(options.queryGrouping.size, upperBound(feed.queries, startS) - next);
      const arrived = upperBound(feed.arrivals, startS);
      const pairs = queryPairs(base, feed, next, count, arrived);
      if (!pairs) break;
      const { scores, reflected } = await answer(pairs, arrived);
      const answerS = nowS();
      recordSampling(sampling, model, pairs);
      served.push(...servedQueries(next, group, feed, startS, answerS, arrived, { ...scores, reflected }));
      next += count;
      group++;
    }
  } finally {
    Atomics.store(s.control, STOP, 1);
    Atomics.notify(s.control, SLEEP);
  }
  return { served, sampling, replayed };
}
