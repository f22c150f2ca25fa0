// `tgnn serve --clock wall`: the update server and the query server as two worker threads
// (src/engine/serve/wallThreads.ts orchestrates them; each runs src/cli/serveWorker.ts through
// bin/serve-worker.mjs).
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { serveOnThreads, type ServeRole, type ServeThread, type ServeThreadReply } from '../engine/serve/wallThreads.ts';
import type { ServingBase } from '../engine/serve/modes.ts';
import type { BackendName } from '../shared/backend.ts';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';

const ENTRY = fileURLToPath(new URL('../../bin/serve-worker.mjs', import.meta.url));

/** a worker thread answering one request at a time; a crash rejects the request under way */
export function nodeServeThread(role: ServeRole): ServeThread {
  const worker = new Worker(ENTRY);
  let pending: { resolve: (r: ServeThreadReply) => void; reject: (e: Error) => void } | null = null;
  const fail = (e: Error): void => {
    pending?.reject(e);
    pending = null;
  };
  worker.on('message', (reply: ServeThreadReply) => {
    const p = pending;
    pending = null;
    p?.resolve(reply);
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

/** serves on the wall clock with worker threads */
export function serveOnNodeThreads(base: ServingBase, options: ServeOptions, backend: BackendName): Promise<ServeRun> {
  return serveOnThreads(base, options, backend, nodeServeThread);
}
