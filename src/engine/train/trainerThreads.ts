// DistTGL's trainers on threads, independent of what a thread is (worker_threads in the CLI, Web Workers in
// the page): the messages a trainer thread takes, its handler (a copy of the model's modules computing the
// trainer tasks it is sent with the weights sent alongside), and an executor that spreads an iteration's
// tasks over the threads. Every read and write of node memory stays with the caller (the memory daemon),
// which plans, commits and steps the optimizer, so the numbers are the one-thread reference's.
import { useBackend } from '../backend.ts';
import { createTgn, type TgnModel } from '../models/tgn.ts';
import { tf } from '../tf.ts';
import { threadErrorMessage, type RequestThread } from '../util/threads.ts';
import { runTrainerTask, type TrainerExecutor, type TrainerTask, type TrainerTaskResult } from './parallel.ts';
import type { EventStream } from '../data/eventStream.ts';
import type { TgnConfig } from '../../shared/presets.ts';
import type { BackendName } from '../../shared/backend.ts';

export type TrainerThreadRequest =
  | { readonly kind: 'init'; readonly backend: BackendName; readonly stream: EventStream; readonly config: TgnConfig }
  | { readonly kind: 'run'; readonly weights: readonly Float32Array[]; readonly tasks: readonly TrainerTask[] };

export type TrainerThreadReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'results'; readonly results: TrainerTaskResult[] }
  | { readonly kind: 'error'; readonly message: string };

/** a trainer thread as the executor sees it */
export type TrainerThread = RequestThread<TrainerThreadRequest, TrainerThreadReply>;

/** A trainer thread's message handler; returns the reply and the buffers to transfer with it. */
export function trainerThreadHandler(): (message: TrainerThreadRequest) => Promise<{ readonly reply: TrainerThreadReply; readonly transfer: ArrayBuffer[] }> {
  let model: TgnModel | null = null;
  const handle = async (msg: TrainerThreadRequest): Promise<TrainerThreadReply> => {
    if (msg.kind === 'init') {
      tf.env().set('PROD', true);
      await useBackend(msg.backend, 'trainer thread');
      model = createTgn(msg.stream, msg.config, 0);
      return { kind: 'ready' };
    }
    if (!model) throw new Error('trainer thread: run before init');
    model.setWeights(msg.weights);
    const results: TrainerTaskResult[] = [];
    for (const task of msg.tasks) results.push(await runTrainerTask(model, task));
    return { kind: 'results', results };
  };
  return async (msg) => {
    try {
      const reply = await handle(msg);
      const transfer = reply.kind === 'results'
        ? reply.results.flatMap((r) => [...r.grads.map((g) => g.buffer as ArrayBuffer), ...(r.commitValues ? [r.commitValues.buffer as ArrayBuffer] : [])])
        : [];
      return { reply, transfer };
    } catch (e) {
      return { reply: { kind: 'error', message: threadErrorMessage(e) }, transfer: [] };
    }
  };
}

/** Runs trainer tasks on threads: task i on thread i mod threads; results in task order. */
export class ThreadExecutor implements TrainerExecutor {
  private constructor(private readonly threads: readonly TrainerThread[]) {}

  get workers(): number {
    return this.threads.length;
  }

  /** starts `workers` threads from `spawn`, each with the stream, the model config and the backend */
  static async start(workers: number, backend: BackendName, stream: EventStream, config: TgnConfig, spawn: (index: number) => TrainerThread): Promise<ThreadExecutor> {
    const threads = Array.from({ length: workers }, (_, i) => spawn(i));
    try {
      const replies = await Promise.all(threads.map((t) => t.request({ kind: 'init', backend, stream, config })));
      const failed = replies.find((r): r is Extract<TrainerThreadReply, { kind: 'error' }> => r.kind === 'error');
      if (failed) throw new Error(`trainer thread: ${failed.message}`);
    } catch (e) {
      for (const t of threads) t.terminate();
      throw e;
    }
    return new ThreadExecutor(threads);
  }

  async run(tasks: readonly TrainerTask[], weights: () => readonly Float32Array[]): Promise<TrainerTaskResult[]> {
    const w = weights();
    const n = Math.min(this.threads.length, tasks.length);
    const replies = await Promise.all(Array.from({ length: n }, (_, k) => this.threads[k]!.request({
      kind: 'run', weights: w, tasks: tasks.filter((_, i) => i % n === k),
    })));
    const out: TrainerTaskResult[] = new Array(tasks.length);
    replies.forEach((reply, k) => {
      if (reply.kind === 'error') throw new Error(`trainer thread ${k}: ${reply.message}`);
      if (reply.kind !== 'results') throw new Error(`trainer thread ${k}: unexpected reply ${reply.kind}`);
      reply.results.forEach((r, idx) => (out[idx * n + k] = r));
    });
    return out;
  }

  dispose(): void {
    for (const t of this.threads) t.terminate();
  }
}

/**
 * An executor whose threads start on its first iteration (a configuration that never trains starts none):
 * what the page attaches to a trainer with parallelism. Until started, `workers` is the planned count.
 */
export class LazyThreadExecutor implements TrainerExecutor {
  private started: Promise<ThreadExecutor> | null = null;
  private disposed = false;

  constructor(readonly workers: number, private readonly start: () => Promise<ThreadExecutor>) {}

  async run(tasks: readonly TrainerTask[], weights: () => readonly Float32Array[]): Promise<TrainerTaskResult[]> {
    if (this.disposed) throw new Error('LazyThreadExecutor: disposed');
    this.started ??= this.start();
    return (await this.started).run(tasks, weights);
  }

  dispose(): void {
    this.disposed = true;
    void this.started?.then((e) => e.dispose(), () => undefined);
  }
}
