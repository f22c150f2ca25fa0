// One trainer thread of `tgnn train --workers N` (DistTGL's trainers in parallel; started by
// trainerWorkers.ts through bin/trainer-worker.mjs). It holds a copy of the model's modules and computes the
// trainer tasks it is sent (forward, backward, read-back) with the weights sent alongside; every read and
// write of node memory stays in the main thread, which plans, commits and steps the optimizer.
import { parentPort } from 'node:worker_threads';
import { useBackend } from '../engine/backend.ts';
import { createTgn, type TgnModel } from '../engine/models/tgn.ts';
import { runTrainerTask, type TrainerTask } from '../engine/train/parallel.ts';
import { tf } from '../engine/tf.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import type { TgnConfig } from '../shared/presets.ts';
import type { BackendName } from '../shared/backend.ts';
import type { WorkerReply, WorkerRequest } from './trainerWorkers.ts';

const port = parentPort;
if (!port) throw new Error('trainerWorker: not started as a worker thread');
let model: TgnModel | null = null;

async function handle(msg: WorkerRequest): Promise<WorkerReply> {
  if (msg.kind === 'init') {
    tf.env().set('PROD', true);
    await useBackend(msg.backend as BackendName, 'trainer worker');
    model = createTgn(msg.stream as EventStream, msg.config as TgnConfig, 0);
    return { kind: 'ready' };
  }
  if (!model) throw new Error('trainerWorker: run before init');
  const vars = model.variables;
  if (msg.weights.length !== vars.length) throw new Error(`trainerWorker: ${msg.weights.length} weights for ${vars.length} variables`);
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(msg.weights[i]!, v.shape))));
  const results = [];
  for (const task of msg.tasks as TrainerTask[]) results.push(await runTrainerTask(model, task));
  return { kind: 'results', results };
}

port.on('message', (msg: WorkerRequest) => {
  handle(msg).then(
    (reply) => port.postMessage(reply, reply.kind === 'results' ? reply.results.flatMap((r) => [...r.grads.map((g) => g.buffer as ArrayBuffer), ...(r.commitValues ? [r.commitValues.buffer as ArrayBuffer] : [])]) : []),
    (e: unknown) => port.postMessage({ kind: 'error', message: e instanceof Error ? `${e.message}\n${(e.stack ?? '').split('\n').slice(1, 4).join('\n')}` : String(e) } satisfies WorkerReply),
  );
});
