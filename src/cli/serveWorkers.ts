// `tgnn serve --clock wall`: the update server and the query server as two worker threads
// (src/engine/serve/wallThreads.ts orchestrates them; each runs src/cli/serveWorker.ts through
// bin/serve-worker.mjs).
import { fileURLToPath } from 'node:url';
import { serveOnThreads, type ServeThreadReply, type ServeThreadRequest } from '../engine/serve/wallThreads.ts';
import { nodeThread } from './nodeThreads.ts';
import type { ServingBase } from '../engine/serve/modes.ts';
import type { BackendName } from '../shared/backend.ts';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';

const ENTRY = fileURLToPath(new URL('../../bin/serve-worker.mjs', import.meta.url));

/** serves on the wall clock with worker threads */
export function serveOnNodeThreads(base: ServingBase, options: ServeOptions, backend: BackendName): Promise<ServeRun> {
  return serveOnThreads(base, options, backend, (role) => nodeThread<ServeThreadRequest, ServeThreadReply>(ENTRY, `${role} server thread`));
}
