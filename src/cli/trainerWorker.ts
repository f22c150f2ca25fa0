// One trainer thread of `tgnn train --workers N` (started by trainerWorkers.ts through
// bin/trainer-worker.mjs): src/engine/train/trainerThreads.ts's handler on a worker_threads port.
import { parentPort } from 'node:worker_threads';
import { trainerThreadHandler, type TrainerThreadRequest } from '../engine/train/trainerThreads.ts';

const port = parentPort;
if (!port) throw new Error('trainerWorker: not started as a worker thread');
const handle = trainerThreadHandler();
port.on('message', (msg: TrainerThreadRequest) => {
  void handle(msg).then(({ reply, transfer }) => port.postMessage(reply, transfer));
});
