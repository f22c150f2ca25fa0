// One server thread of `tgnn serve --clock wall` (started by serveWorkers.ts through bin/serve-worker.mjs):
// the update or query server of src/engine/serve/wall.ts, driven by the shared thread handler.
import { parentPort } from 'node:worker_threads';
import { serveThreadHandler, type ServeThreadRequest } from '../engine/serve/wallThreads.ts';

const port = parentPort;
if (!port) throw new Error('serveWorker: not started as a worker thread');
const handle = serveThreadHandler();
port.on('message', (msg: ServeThreadRequest) => {
  void handle(msg).then((reply) => port.postMessage(reply));
});
