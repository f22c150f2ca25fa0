// `tgnn train --workers N`: DistTGL's trainers (a parallel pass's trainer tasks) computed by N worker
// threads (src/engine/train/trainerThreads.ts; each runs src/cli/trainerWorker.ts through
// bin/trainer-worker.mjs). The main thread stays the memory daemon, so the numbers are the one-thread
// reference's (src/engine/train/parallel.ts); only the time changes.
import { fileURLToPath } from 'node:url';
import { ThreadExecutor, type TrainerThreadReply, type TrainerThreadRequest } from '../engine/train/trainerThreads.ts';
import { nodeThread } from './nodeThreads.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import type { TgnConfig } from '../shared/presets.ts';
import type { BackendName } from '../shared/backend.ts';

const ENTRY = fileURLToPath(new URL('../../bin/trainer-worker.mjs', import.meta.url));

/** starts `workers` trainer threads for the stream and model config */
export function startTrainerWorkers(workers: number, backend: BackendName, stream: EventStream, config: TgnConfig): Promise<ThreadExecutor> {
  return ThreadExecutor.start(workers, backend, stream, config, (i) => nodeThread<TrainerThreadRequest, TrainerThreadReply>(ENTRY, `trainer worker ${i}`));
}
