import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../engine/tf.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import type { WorkerLike } from './bridge.ts';
import { runSweep, SweepCancelled } from './sweep.ts';
import type { SweepProgress } from '../shared/lab.ts';
import { WorkerSession } from './workerSession.ts';

tf.env().set('PROD', true);

const csv = ['src,dst,t', ...Array.from({ length: 60 }, (_, i) => `${'abcdefgh'[i % 8]},${'abcdefgh'[(i * 5 + 1) % 8]},${100 + i * 10}`)].join('\n');
const small = { ...DEFAULT_SETTINGS, memoryDim: 4, timeDim: 4, embeddingDim: 4, neighbours: 3 };

const made: WorkerLike[] = [];
/** a "worker" in this thread: a WorkerSession exposed on one end of a MessageChannel */
function fakeWorker(): WorkerLike & { terminated: boolean } {
  const { port1, port2 } = new MessageChannel();
  const session = new WorkerSession();
  Comlink.expose(session, port1);
  const w = {
    terminated: false,
    postMessage: (message: unknown, transfer?: Transferable[]) => port2.postMessage(message, transfer ?? []),
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      if (type === 'message') port2.addEventListener('message', listener);
    },
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      if (type === 'message') port2.removeEventListener('message', listener);
    },
    start: () => port2.start(),
    terminate: () => {
      w.terminated = true;
      port1.close();
      port2.close();
      session.dispose();
    },
  };
  port2.start();
  made.push(w);
  return w;
}

afterEach(() => {
  made.length = 0;
});

describe('sweep pool', () => {
  it('runs every job across a limited number of workers, reports progress, returns results in job order, terminates its workers', async () => {
    const jobs = [5, 10, 20].map((b) => ({ id: `baseline@${b}`, settings: { ...small, batchSize: b } }));
    const seen: SweepProgress[] = [];
    const results = await runSweep({ name: 'tiny', data: csv, options: {} }, jobs, fakeWorker, {
      backend: 'cpu', concurrency: 2, driftEvents: 5, onProgress: (p) => seen.push(p),
    });
    expect(made).toHaveLength(2);
    expect(made.every((w) => (w as WorkerLike & { terminated: boolean }).terminated)).toBe(true);
    expect(results.map((r) => r.id)).toEqual(jobs.map((j) => j.id));
    for (const [i, r] of results.entries()) {
      expect(r.error).toBeNull();
      expect(r.point!.batchSize).toBe(jobs[i]!.settings.batchSize);
      expect(r.point!.valAp).toBeGreaterThan(0);
    }
    expect(seen[seen.length - 1]!.done).toBe(3);
  }, 60_000);

  it('cancels: rejects with SweepCancelled and terminates the workers', async () => {
    const controller = new AbortController();
    const jobs = [5, 10].map((b) => ({ id: `baseline@${b}`, settings: { ...small, batchSize: b } }));
    const run = runSweep({ name: 'tiny', data: csv, options: {} }, jobs, fakeWorker, {
      backend: 'cpu', concurrency: 1, signal: controller.signal,
      onProgress: (p) => {
        if (p.running.length > 0) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(SweepCancelled);
    expect(made.every((w) => (w as WorkerLike & { terminated: boolean }).terminated)).toBe(true);
  }, 60_000);

  it('a bad dataset fails the sweep with the import error', async () => {
    const run = runSweep({ name: 'bad', data: 'src,dst,t\na,b,1', options: {} }, [{ id: 'baseline@5', settings: small }], fakeWorker, { backend: 'cpu' });
    await expect(run).rejects.toThrow(/could not import bad/);
  }, 60_000);
});
