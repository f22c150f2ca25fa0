// The wall clock's threads, independent of what a thread is (worker_threads in the CLI, Web Workers in the
// page): the messages a server thread takes, its handler, and the orchestration that starts one thread per
// server at one absolute time and completes the run (exact answers, summary) when both are done.
import { useBackend } from '../backend.ts';
import { createTgn, type ModelState } from '../models/tgn.ts';
import { tf } from '../tf.ts';
import { threadErrorMessage, type RequestThread } from '../util/threads.ts';
import type { EventStream } from '../data/eventStream.ts';
import type { TgnConfig } from '../../shared/presets.ts';
import type { BackendName } from '../../shared/backend.ts';
import type { ServeOptions, ServeRun } from '../../shared/serving.ts';
import { buildFeed, type Feed } from './feed.ts';
import { fillInitialCache, type ServingBase } from './modes.ts';
import { checkFeed, shownArrivals, summarize, withExactAnswers } from './simulator.ts';
import { allocateShared, runQueryServer, runUpdateServer, warmUp, type QueryServerResult, type SharedServing, type UpdateServerResult } from './wall.ts';

export type ServeRole = 'update' | 'query';

export type ServeThreadRequest =
  | {
    readonly kind: 'init'; readonly role: ServeRole; readonly backend: BackendName; readonly stream: EventStream; readonly config: TgnConfig;
    readonly weights: readonly Float32Array[]; readonly state: ModelState; readonly feedFrom: number; readonly options: ServeOptions;
    readonly feed: Feed; readonly shared: SharedServing;
  }
  | { readonly kind: 'go'; readonly startAt: number };

export type ServeThreadReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'update'; readonly result: UpdateServerResult }
  | { readonly kind: 'query'; readonly result: QueryServerResult }
  | { readonly kind: 'error'; readonly message: string };

/** one server thread, as the orchestration sees it */
export type ServeThread = RequestThread<ServeThreadRequest, ServeThreadReply>;

/**
 * A server thread's message handler: `init` sets up its backend and model (the update server also fills the
 * shared cache) and warms the engine; `go` serves from the given absolute start time and returns the result.
 * Errors come back as an `error` reply.
 */
export function serveThreadHandler(): (message: ServeThreadRequest) => Promise<ServeThreadReply> {
  let job: { readonly base: ServingBase; readonly init: Extract<ServeThreadRequest, { kind: 'init' }> } | null = null;
  const handle = async (msg: ServeThreadRequest): Promise<ServeThreadReply> => {
    if (msg.kind === 'init') {
      tf.env().set('PROD', true);
      await useBackend(msg.backend, `${msg.role} server thread`);
      const model = createTgn(msg.stream, msg.config, 0);
      model.setWeights(msg.weights);
      const base: ServingBase = { model, state: msg.state, feedFrom: msg.feedFrom };
      if (msg.role === 'update' && msg.shared.cache) await fillInitialCache(base, msg.shared.cache);
      await warmUp(base);
      job = { base, init: msg };
      return { kind: 'ready' };
    }
    if (!job) throw new Error('server thread: go before init');
    const { base, init } = job;
    return init.role === 'update'
      ? { kind: 'update', result: await runUpdateServer(base, init.options, init.feed, init.shared, msg.startAt) }
      : { kind: 'query', result: await runQueryServer(base, init.options, init.feed, init.shared, msg.startAt) };
  };
  return (msg) => handle(msg).catch((e: unknown) => ({ kind: 'error' as const, message: threadErrorMessage(e) }));
}

/**
 * Serves `base` on the wall clock: one thread per server from `spawn` (inference-based serving has no
 * update server), both started at the same absolute time; returns what runServing returns for the other
 * clocks. Threads run on `backend` (a tfjs backend each).
 */
export async function serveOnThreads(base: ServingBase, options: ServeOptions, backend: BackendName, spawn: (role: ServeRole) => ServeThread): Promise<ServeRun> {
  if (typeof SharedArrayBuffer !== 'function') throw new Error('the wall clock needs SharedArrayBuffer (a cross-origin isolated page, or Node)');
  const { stream, config } = base.model;
  const feed = buildFeed(base.feedFrom, stream.numEvents, stream.numNodes, options);
  checkFeed(base, feed);
  const shared = allocateShared(base, options.mode);
  const weights = base.model.variables.map((v) => v.dataSync() as Float32Array);
  const roles: ServeRole[] = options.mode === 'inference' ? ['query'] : ['update', 'query'];
  const threads = roles.map((role) => ({ role, t: spawn(role) }));
  const ask = async (t: ServeThread, role: ServeRole, m: ServeThreadRequest): Promise<ServeThreadReply> => {
    const reply = await t.request(m);
    if (reply.kind === 'error') throw new Error(`${role} server thread: ${reply.message}`);
    return reply;
  };
  try {
    await Promise.all(threads.map(({ role, t }) => ask(t, role, { kind: 'init', role, backend, stream, config, weights, state: base.state, feedFrom: base.feedFrom, options, feed, shared })));
    // both start their clocks at the same absolute time, a moment from now
    const startAt = globalThis.performance.timeOrigin + globalThis.performance.now() + 20;
    const replies = await Promise.all(threads.map(({ role, t }) => ask(t, role, { kind: 'go', startAt })));
    const update = replies.find((r): r is Extract<ServeThreadReply, { kind: 'update' }> => r.kind === 'update')?.result ?? null;
    const query = replies.find((r): r is Extract<ServeThreadReply, { kind: 'query' }> => r.kind === 'query')?.result;
    if (!query) throw new Error('serveOnThreads: the query server sent no result');
    const records = await withExactAnswers(base, feed, query.served);
    const applied = update ? { events: update.applied, ms: update.busyMs } : query.replayed;
    return {
      summary: summarize(options, feed, records, update?.updates ?? [], applied, query.sampling),
      records,
      updates: update?.updates ?? [],
      arrivals: shownArrivals(feed, records),
    };
  } finally {
    await Promise.all(threads.map(({ t }) => t.terminate()));
  }
}
