// `tgnn train --workers N`: DistTGL's trainers (a parallel pass's trainer tasks) computed by N worker
// threads, each with its own tfjs backend and a copy of the model's modules. The main thread stays the
// memory daemon: it plans every unit (all reads of node memory), commits the writes in order, averages the
// gradients in task order and steps the optimizer, then sends the new weights with the next tasks. So the
// numbers are the one-thread reference's (src/engine/train/parallel.ts); only the time changes.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { TrainerExecutor, TrainerTask, TrainerTaskResult } from '../engine/train/parallel.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import type { TgnConfig } from '../shared/presets.ts';

export type WorkerRequest =
  | { readonly kind: 'init'; readonly backend: string; readonly stream: EventStream; readonly config: TgnConfig }
  | { readonly kind: 'run'; readonly weights: readonly Float32Array[]; readonly tasks: readonly TrainerTask[] };

export type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'results'; readonly results: TrainerTaskResult[] }
  | { readonly kind: 'error'; readonly message: string };

const ENTRY = fileURLToPath(new URL('../../bin/trainer-worker.mjs', import.meta.url));

/** one worker thread, one request at a time */
class TrainerThread {
  private readonly worker: Worker;
  private pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(readonly index: number) {
    this.worker = new Worker(ENTRY);
    this.worker.on('message', (reply: WorkerReply) => {
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (reply.kind === 'error') p.reject(new Error(`trainer worker ${index}: ${reply.message}`));
      else p.resolve(reply);
    });
    const fail = (e: Error) => {
      this.failure = e;
      this.pending?.reject(e);
      this.pending = null;
    };
    this.worker.on('error', (e) => fail(new Error(`trainer worker ${index} crashed: ${e.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`trainer worker ${index} exited (code ${code})`)));
  }

  request(msg: WorkerRequest): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error(`trainer worker ${this.index}: a request is already running`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(msg);
    });
  }

  terminate(): Promise<number> {
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }
}

/** Runs trainer tasks on `workers` threads: task i on thread i mod workers; results in task order. */
export class WorkerExecutor implements TrainerExecutor {
  private constructor(private readonly threads: readonly TrainerThread[]) {}

  get workers(): number {
    return this.threads.length;
  }

  /** starts the threads, each with the stream, the model config and the backend */
  static async start(workers: number, backend: string, stream: EventStream, config: TgnConfig): Promise<WorkerExecutor> {
    const threads = Array.from({ length: workers }, (_, i) => new TrainerThread(i));
    try {
      await Promise.all(threads.map((t) => t.request({ kind: 'init', backend, stream, config })));
    } catch (e) {
      await Promise.all(threads.map((t) => t.terminate()));
      throw e;
    }
    return new WorkerExecutor(threads);
  }

  async run(tasks: readonly TrainerTask[], weights: () => readonly Float32Array[]): Promise<TrainerTaskResult[]> {
    const w = weights();
    const n = Math.min(this.threads.length, tasks.length);
    const replies = await Promise.all(Array.from({ length: n }, (_, k) => this.threads[k]!.request({
      kind: 'run', weights: w, tasks: tasks.filter((_, i) => i % n === k),
    })));
    const out: TrainerTaskResult[] = new Array(tasks.length);
    replies.forEach((reply, k) => {
      if (reply.kind !== 'results') throw new Error(`trainer worker ${k}: unexpected reply ${reply.kind}`);
      reply.results.forEach((r, idx) => (out[idx * n + k] = r));
    });
    return out;
  }

  dispose(): void {
    for (const t of this.threads) void t.terminate();
  }
}
