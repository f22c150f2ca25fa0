// One server thread of `tgnn serve --clock wall` (started by serveWorkers.ts through bin/serve-worker.mjs):
// the update server or the query server of src/engine/serve/wall.ts, with its own tfjs backend and a copy of
// the model (weights and the state serving starts from), sharing the published state with the other thread.
import { parentPort } from 'node:worker_threads';
import { useBackend } from '../engine/backend.ts';
import { createTgn } from '../engine/models/tgn.ts';
import { tf } from '../engine/tf.ts';
import { runQueryServer, runUpdateServer, warmUp } from '../engine/serve/wall.ts';
import { fillInitialCache, type ServingBase } from '../engine/serve/modes.ts';
import type { BackendName } from '../shared/backend.ts';
import type { ServeWorkerReply, ServeWorkerRequest } from './serveWorkers.ts';

const port = parentPort;
if (!port) throw new Error('serveWorker: not started as a worker thread');
let job: { readonly role: 'update' | 'query'; readonly base: ServingBase; readonly init: Extract<ServeWorkerRequest, { kind: 'init' }> } | null = null;

async function handle(msg: ServeWorkerRequest): Promise<ServeWorkerReply> {
  if (msg.kind === 'init') {
    tf.env().set('PROD', true);
    await useBackend(msg.backend as BackendName, `${msg.role} server thread`);
    const model = createTgn(msg.stream, msg.config, 0);
    tf.tidy(() => model.variables.forEach((v, i) => v.assign(tf.tensor(msg.weights[i]!, v.shape))));
    const base: ServingBase = { model, state: msg.state, feedFrom: msg.feedFrom };
    // the update server fills the shared cache before the clock starts (update-based serving's starting state)
    if (msg.role === 'update' && msg.shared.cache) await fillInitialCache(base, msg.shared.cache);
    await warmUp(base);
    job = { role: msg.role, base, init: msg };
    return { kind: 'ready' };
  }
  if (!job) throw new Error('serveWorker: go before init');
  const { base, init } = job;
  return job.role === 'update'
    ? { kind: 'update', result: await runUpdateServer(base, init.options, init.feed, init.shared, msg.startAt) }
    : { kind: 'query', result: await runQueryServer(base, init.options, init.feed, init.shared, msg.startAt) };
}

port.on('message', (msg: ServeWorkerRequest) => {
  handle(msg).then(
    (reply) => port.postMessage(reply),
    (e: unknown) => port.postMessage({ kind: 'error', message: e instanceof Error ? `${e.message}\n${(e.stack ?? '').split('\n').slice(1, 4).join('\n')}` : String(e) } satisfies ServeWorkerReply),
  );
});
