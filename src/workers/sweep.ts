// A batch-size sweep in parallel engine workers: one extra engine.worker.ts per concurrent point (up to
// `concurrency`, the rest queued), each loaded with the same dataset bytes, each point a fresh model
// trained one epoch (EngineSession.runSweepPoint). Cancelling terminates the workers. The main bridge's
// worker is not used, so the playground's model stays as it was.
import * as Comlink from 'comlink';
import type { SweepJob, SweepJobResult, SweepProgress } from '../shared/lab.ts';
import type { BackendPreference } from '../shared/backend.ts';
import type { WorkerLike } from './bridge.ts';
import type { ImportOutcome, PlainImportOptions, WorkerSession } from './workerSession.ts';
import type { DatasetData } from './importBlob.ts';

/** the bytes (or text, or the uploaded File) of a dataset as the bridge imported it last */
export interface DatasetInput {
  readonly name: string;
  readonly data: DatasetData;
  readonly options: PlainImportOptions;
}

export interface SweepOptions {
  readonly backend: BackendPreference;
  /** workers at once (default: navigator.hardwareConcurrency, at least 1) */
  readonly concurrency?: number;
  /** validation events of the memory-drift measurement (engine default when unset) */
  readonly driftEvents?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SweepProgress) => void;
}

/** thrown by runSweep when its signal aborts */
export class SweepCancelled extends Error {
  override readonly name = 'SweepCancelled';
  constructor() {
    super('the sweep was cancelled');
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function defaultConcurrency(): number {
  const n = globalThis.navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/** Runs every job (each in some worker, one at a time per worker) and returns their results in job order. */
export async function runSweep(
  dataset: DatasetInput,
  jobs: readonly SweepJob[],
  createWorker: () => WorkerLike,
  options: SweepOptions,
): Promise<SweepJobResult[]> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new SweepCancelled();
  if (jobs.length === 0) return [];
  const ids = new Set(jobs.map((j) => j.id));
  if (ids.size !== jobs.length) throw new Error('runSweep: job ids must be distinct');
  const workerCount = Math.max(1, Math.min(jobs.length, Math.floor(options.concurrency ?? defaultConcurrency())));
  const queue = [...jobs];
  const results: SweepJobResult[] = [];
  const running = new Map<string, { batch: number; batches: number }>();
  const live: { worker: WorkerLike; remote: Comlink.Remote<WorkerSession> }[] = [];

  const report = (): void => {
    onProgress?.({
      total: jobs.length,
      done: results.length,
      workers: workerCount,
      running: [...running].map(([id, r]) => ({ id, ...r })),
      results: [...results],
    });
  };

  let stop: (e: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  // a worker that loses the race must not turn into an unhandled rejection
  stopped.catch(() => undefined);
  const onAbort = (): void => stop(new SweepCancelled());
  signal?.addEventListener('abort', onAbort);

  const runWorker = async (slot: number): Promise<void> => {
    const worker = createWorker();
    const remote = Comlink.wrap<WorkerSession>(worker);
    live.push({ worker, remote });
    worker.addEventListener('error', (ev: Event) => {
      ev.preventDefault();
      const msg = (ev as ErrorEvent).message;
      stop(new Error(`sweep worker ${slot + 1} crashed: ${msg || 'unknown error (see the browser console)'}`));
    });
    const call = <T>(f: () => Promise<T>): Promise<T> => Promise.race([f(), stopped]);
    await call(() => remote.setBackend(options.backend));
    const outcome = await call<ImportOutcome>(() => remote.importFile(dataset.name, dataset.data, dataset.options));
    if (!outcome.ok) throw new Error(`sweep worker ${slot + 1} could not import ${dataset.name}: ${outcome.error.message}`);
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { id } = job;
      running.set(id, { batch: 0, batches: 0 });
      report();
      const onBatch = Comlink.proxy((batch: number, batches: number) => {
        if (!running.has(id)) return;
        running.set(id, { batch, batches });
        report();
      });
      const t0 = performance.now();
      let result: SweepJobResult;
      try {
        const point = await call(() => remote.sweepPoint(job.settings, options.driftEvents, onBatch));
        result = { id, point, error: null, ms: performance.now() - t0 };
      } catch (e) {
        if (e instanceof SweepCancelled || signal?.aborted) throw e;
        // a crashed worker fails the sweep; an error inside one point is that point's result
        if (e instanceof Error && /^sweep worker \d+ crashed/.test(e.message)) throw e;
        result = { id, point: null, error: messageOf(e), ms: performance.now() - t0 };
      }
      running.delete(id);
      results.push(result);
      report();
    }
  };

  try {
    report();
    await Promise.all(Array.from({ length: workerCount }, (_, i) => runWorker(i)));
  } catch (e) {
    if (signal?.aborted) throw new SweepCancelled();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const { worker, remote } of live) {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    }
  }
  const byId = new Map(results.map((r) => [r.id, r]));
  return jobs.map((j) => byId.get(j.id)!);
}
