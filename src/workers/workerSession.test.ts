import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import { WorkerSession } from './workerSession.ts';

tf.env().set('PROD', true);

// 200 events among 12 nodes: 140 training events, one exact-mode batch of all of them
const csv = ['src,dst,t', ...Array.from({ length: 200 }, (_, i) => `${i % 12},${(i * 5 + 1) % 12},${100 + i}`)].join('\n');
const settings = { ...DEFAULT_SETTINGS, memoryDim: 8, timeDim: 4, embeddingDim: 8, neighbours: 3, batchSize: 140, exact: true };

/** raises the shared counter from inside the batch, at its `at`-th progress report (as the page's thread would, meanwhile) */
class StoppedSession extends WorkerSession {
  progress = 0;
  constructor(readonly counter: Int32Array, readonly at: number) {
    super();
  }
  protected override onProgress(): void {
    super.onProgress();
    if (++this.progress === this.at) Atomics.add(this.counter, 0, 1);
  }
}

async function session(s: WorkerSession = new WorkerSession()): Promise<WorkerSession> {
  await s.setBackend('cpu');
  s.importData('tiny', csv);
  s.configure(settings);
  return s;
}

describe('WorkerSession: stopping a running step', () => {
  it('raising the shared counter stops an exact-mode batch part-way; the next step finishes it with the numbers of an uninterrupted run', async () => {
    const whole = await session();
    await whole.step(1, Infinity);
    const expected = whole.snapshot().lastBatch;
    whole.dispose();

    const control = new Int32Array(new SharedArrayBuffer(4));
    // exact mode reports progress twice per event: stop after 20 of the 140 events
    const s = new StoppedSession(control, 40);
    await session(s);
    s.attachControl(control.buffer as SharedArrayBuffer);
    const before = s.snapshot().version;
    await s.step(1, Infinity, 0);
    expect(s.progress).toBe(40);
    // no batch completed; memory moved (the events so far), which the snapshot shows
    const stopped = s.snapshot();
    expect(stopped.lastBatch).toBeNull();
    expect(stopped.version).toBeGreaterThan(before);
    // an old token stops at once; the current one runs the batch to its end
    await s.step(1, Infinity, 0);
    expect(s.snapshot().lastBatch).toBeNull();
    await s.step(1, Infinity, 1);
    const done = s.snapshot().lastBatch;
    // 40 reports to stop, 280 in all for the rest of the batch after carrying on
    expect(s.progress).toBe(40 + 240);
    expect(done).toEqual({ ...expected, ms: expect.any(Number) });
    s.dispose();
  });
});
