// `tgnn serve --clock wall`: the update server and the query server as two worker threads serving in real
// time, sharing what the update server publishes through SharedArrayBuffers (src/engine/serve/wall.ts).
// The main thread starts them, gives them one start time, waits, and then computes the exact answers and
// the summary as the simulator does (untimed).
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { buildFeed, type Feed } from '../engine/serve/feed.ts';
import { allocateShared, type QueryServerResult, type SharedServing, type UpdateServerResult } from '../engine/serve/wall.ts';
import { checkFeed, shownArrivals, summarize, withExactAnswers } from '../engine/serve/simulator.ts';
import type { ServingBase } from '../engine/serve/modes.ts';
import type { ModelState } from '../engine/models/tgn.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import type { TgnConfig } from '../shared/presets.ts';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';

export type ServeRole = 'update' | 'query';

export type ServeWorkerRequest =
  | {
    readonly kind: 'init'; readonly role: ServeRole; readonly backend: string; readonly stream: EventStream; readonly config: TgnConfig;
    readonly weights: readonly Float32Array[]; readonly state: ModelState; readonly feedFrom: number; readonly options: ServeOptions;
    readonly feed: Feed; readonly shared: SharedServing;
  }
  | { readonly kind: 'go'; readonly startAt: number };

export type ServeWorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'update'; readonly result: UpdateServerResult }
  | { readonly kind: 'query'; readonly result: QueryServerResult }
  | { readonly kind: 'error'; readonly message: string };

const ENTRY = fileURLToPath(new URL('../../bin/serve-worker.mjs', import.meta.url));

/** a worker thread answering one request at a time */
function thread(role: ServeRole): { request: (m: ServeWorkerRequest) => Promise<ServeWorkerReply>; close: () => Promise<number> } {
  const worker = new Worker(ENTRY);
  let pending: { resolve: (r: ServeWorkerReply) => void; reject: (e: Error) => void } | null = null;
  const fail = (e: Error): void => {
    pending?.reject(e);
    pending = null;
  };
  worker.on('message', (reply: ServeWorkerReply) => {
    const p = pending;
    pending = null;
    if (reply.kind === 'error') p?.reject(new Error(`${role} server thread: ${reply.message}`));
    else p?.resolve(reply);
  });
  worker.on('error', (e) => fail(new Error(`${role} server thread crashed: ${e.message}`)));
  worker.on('exit', (code) => fail(new Error(`${role} server thread exited (code ${code})`)));
  return {
    request: (m) => new Promise((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage(m);
    }),
    close: () => {
      worker.removeAllListeners('exit');
      return worker.terminate();
    },
  };
}

/**
 * Serves `base` on the wall clock: one thread per server (inference-based serving has no update server),
 * both started at the same absolute time; returns what runServing returns for the other clocks.
 */
export async function serveOnThreads(base: ServingBase, options: ServeOptions, backend: string): Promise<ServeRun> {
  const { stream, config } = base.model;
  const feed = buildFeed(base.feedFrom, stream.numEvents, stream.numNodes, options);
  checkFeed(base, feed);
  const shared = allocateShared(base, options.mode);
  const weights = base.model.variables.map((v) => v.dataSync() as Float32Array);
  const roles: ServeRole[] = options.mode === 'inference' ? ['query'] : ['update', 'query'];
  const threads = roles.map((role) => ({ role, t: thread(role) }));
  try {
    await Promise.all(threads.map(({ role, t }) => t.request({ kind: 'init', role, backend, stream, config, weights, state: base.state, feedFrom: base.feedFrom, options, feed, shared })));
    // both start their clocks at the same absolute time, a moment from now
    const startAt = globalThis.performance.timeOrigin + globalThis.performance.now() + 20;
    const replies = await Promise.all(threads.map(({ t }) => t.request({ kind: 'go', startAt })));
    const update = replies.find((r): r is Extract<ServeWorkerReply, { kind: 'update' }> => r.kind === 'update')?.result ?? null;
    const query = replies.find((r): r is Extract<ServeWorkerReply, { kind: 'query' }> => r.kind === 'query')?.result;
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
    await Promise.all(threads.map(({ t }) => t.close()));
  }
}
