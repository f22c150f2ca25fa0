import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../engine/tf.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import { EngineSession } from '../engine/session/session.ts';
import type { BridgeState } from './bridgeApi.ts';
import { BridgeFailure, EngineBridge, HEARTBEAT_TIMEOUT_MS, localStorageVerdicts, PAGE_WAIT_SHARE, playSnapshotInterval, type WorkerLike } from './bridge.ts';
import { HEARTBEAT_MS, snapshotBuffers, WorkerSession, type BeatPort } from './workerSession.ts';

tf.env().set('PROD', true);

// 40 events among nodes a..f, string ids
const csv = ['src,dst,t', ...Array.from({ length: 40 }, (_, i) => `${'abcdef'[i % 6]},${'abcdef'[(i * 5 + 1) % 6]},${100 + i * 10}`)].join('\n');
// most rows have a time that is not a number: the importer refuses the file with line numbers
const badCsv = ['src,dst,t', 'a,b,1', 'a,c,2', 'b,c,3', 'c,d,oops', 'd,e,nope', 'e,f,bad', 'f,a,x', 'a,d,y', 'b,d,z'].join('\n');
const settings = { ...DEFAULT_SETTINGS, memoryDim: 4, timeDim: 4, embeddingDim: 4, neighbours: 3, batchSize: 5 };

/** a "worker" in this thread: a WorkerSession exposed on one end of a MessageChannel */
interface FakeWorker extends WorkerLike {
  crash(message: string): void;
  /** stops without an error event (as self.close() or a killed worker): no answers, no heartbeats */
  die(): void;
  /** what the worker says when its WebGPU device is lost */
  loseGpu(message: string): void;
  /** stops beating as a long computation would, after saying it may be quiet for `quietMs` (if given) */
  hang(quietMs?: number): void;
  terminated: boolean;
}

function fakeWorker(): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  const session = new WorkerSession();
  Comlink.expose(session, port1);
  const events = new EventTarget();
  const w: FakeWorker = {
    terminated: false,
    postMessage: (message: unknown, transfer?: Transferable[]) => port2.postMessage(message, transfer ?? []),
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) =>
      type === 'message' ? port2.addEventListener('message', listener) : events.addEventListener(type, listener),
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) =>
      type === 'message' ? port2.removeEventListener('message', listener) : events.removeEventListener(type, listener),
    start: () => port2.start(),
    terminate: () => {
      w.terminated = true;
      port1.close();
      port2.close();
      session.dispose();
    },
    crash: (message: string) => events.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message })),
    die: () => {
      port1.close();
      session.dispose();
    },
    loseGpu: (message: string) => (session as unknown as { heartbeat: { port: BeatPort } }).heartbeat.port.postMessage({ lost: message }),
    hang: (quietMs?: number) => {
      const hb = (session as unknown as { heartbeat: { port: BeatPort; timer: ReturnType<typeof setInterval> } }).heartbeat;
      if (quietMs !== undefined) hb.port.postMessage({ quiet: quietMs });
      clearInterval(hb.timer);
    },
  };
  port2.start();
  return w;
}

const workers: FakeWorker[] = [];
const bridges: EngineBridge[] = [];

function makeBridge(extra: Partial<ConstructorParameters<typeof EngineBridge>[0]> = {}): EngineBridge {
  const b = new EngineBridge({
    ...extra,
    createWorker: () => {
      const w = fakeWorker();
      workers.push(w);
      return w;
    },
    playBatches: 2,
    heatmapRows: 4,
  });
  bridges.push(b);
  return b;
}

afterEach(() => {
  for (const b of bridges.splice(0)) b.dispose();
  workers.length = 0;
});

const until = async (f: () => boolean, what: string, ms = 10_000): Promise<void> => {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** a page that holds each yield until the test releases it (release() is a no-op when none waits) */
function heldPage(): { yieldToPage: () => Promise<void>; yields: () => number; waiting: () => boolean; release: () => void } {
  let waiting: (() => void) | null = null;
  let yields = 0;
  return {
    yieldToPage: () => new Promise<void>((resolve) => {
      yields++;
      waiting = resolve;
    }),
    yields: () => yields,
    waiting: () => waiting !== null,
    release: () => {
      const r = waiting;
      waiting = null;
      r?.();
    },
  };
}

describe('EngineBridge (worker replaced by a MessageChannel)', () => {
  it('starts, imports with progress, configures, steps, and notifies subscribers with new state objects', async () => {
    const b = makeBridge();
    const states: BridgeState[] = [];
    b.subscribe(() => states.push(b.getState()));
    expect(b.getState()).toBe(b.getState());
    const report = await b.start('cpu');
    expect(report).toMatchObject({ backend: 'cpu', reason: 'forced by the user (cpu)' });
    expect(b.getState().status).toBe('idle');
    await b.configure(settings);
    const progress: number[] = [];
    const summary = await b.loadDataset('tiny', csv, { onProgress: (f) => progress.push(f) });
    expect([summary.events, summary.nodes]).toEqual([40, 6]);
    expect(progress.at(-1)).toBe(1);
    const s = b.getState();
    expect(s.status).toBe('ready');
    expect(s.importProgress).toBeNull();
    expect(s.settings).toEqual(settings);
    expect(s.snapshot?.heatmap.dim).toBe(4);
    expect(s.timeline?.counts.reduce((a, c) => a + c, 0)).toBe(40);
    expect(states.map((x) => x.status)).toContain('importing');
    expect(new Set(states).size).toBe(states.length);

    await b.step(3);
    expect(b.getState().snapshot?.loss).toHaveLength(3);
    expect(b.getState().snapshot?.lastBatch).toMatchObject({ phase: 'train', batch: 2 });
    await b.reset();
    expect(b.getState().snapshot?.loss).toHaveLength(0);
  });

  it('prestart begins the start early; the first start() with the same preference takes it over (one worker), another one restarts', async () => {
    const b = makeBridge();
    const stages: (string | null)[] = [];
    b.subscribe(() => stages.push(b.getState().stage));
    b.prestart('cpu');
    const report = await b.start('cpu');
    expect(report.backend).toBe('cpu');
    expect(workers).toHaveLength(1);
    expect(b.getState()).toMatchObject({ status: 'idle', stage: null });
    expect(stages).toContain('loading the engine');
    await b.start('cpu');
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('remembers startup verdicts in localStorage, one per adapter, and survives a damaged entry', () => {
    const store = new Map<string, string>();
    const g = globalThis as { localStorage?: unknown };
    const had = g.localStorage;
    g.localStorage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    try {
      const v = localStorageVerdicts();
      expect(v.load()).toEqual({});
      v.save({ adapterKey: 'nvidia|hopper|H100', backend: 'webgpu', benchmarkMs: { webgpu: 5, wasm: 30 }, cached: false });
      v.save({ adapterKey: 'intel|gen-12lp|', backend: 'wasm', benchmarkMs: { webgpu: 90, wasm: 30 }, cached: false });
      expect(Object.keys(v.load())).toEqual(['nvidia|hopper|H100', 'intel|gen-12lp|']);
      expect(v.load()['intel|gen-12lp|']).toEqual({ adapterKey: 'intel|gen-12lp|', backend: 'wasm', benchmarkMs: { webgpu: 90, wasm: 30 }, cached: false });
      store.set([...store.keys()][0]!, '{not json');
      const warn = console.warn;
      console.warn = () => undefined;
      try {
        expect(v.load()).toEqual({});
      } finally {
        console.warn = warn;
      }
    } finally {
      g.localStorage = had;
    }
  });

  it('a failed import keeps the previous dataset and reports the issues with line numbers', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await b.configure(settings);
    const first = await b.loadDataset('tiny', csv);
    const err = await b.loadDataset('bad', badCsv).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeFailure);
    const f = err as BridgeFailure;
    expect(f.message).toMatch(/rows are bad/);
    expect(f.issues.length).toBeGreaterThan(0);
    expect(f.issues[0]).toMatchObject({ severity: 'error', line: 5, column: 3 });
    const s = b.getState();
    expect(s.error?.issues).toEqual(f.issues);
    expect(s.status).toBe('ready');
    expect(s.dataset).toEqual(first);
    await b.step(1);
    expect(b.getState().snapshot?.loss).toHaveLength(1);
  });

  it('plays in the background until paused, pulling snapshots', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    const v0 = b.getState().snapshot!.version;
    b.play();
    expect(b.getState().status).toBe('playing');
    await until(() => (b.getState().snapshot?.loss.length ?? 0) >= 4, 'four training batches while playing');
    b.pause();
    expect(b.getState().status).toBe('ready');
    expect(b.getState().snapshot!.version).toBeGreaterThan(v0);
    // step() waits for the loop to stop, then runs exactly n batches
    await b.step(1);
    const after = b.getState().snapshot!.version;
    await b.step(2);
    expect(b.getState().snapshot!.version).toBe(after + 2);
  });

  it('after pause the page gets the snapshot of where training stopped at once, not after the play-time interval', async () => {
    const b = makeBridge({ snapshotIntervalMs: 60_000 });
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    const v0 = b.getState().snapshot!.version;
    b.play();
    // the first pull is immediate; the next would wait a minute while playing
    await until(() => b.getState().snapshot!.version > v0, 'a snapshot while playing');
    await new Promise((r) => setTimeout(r, 100));
    b.pause();
    await new Promise((r) => setTimeout(r, 300));
    const shown = b.getState().snapshot!.version;
    // what the page shows is the worker's position: one more step lands exactly one batch later
    await b.step(1);
    expect(b.getState().snapshot!.version).toBe(shown + 1);
  });

  it('while playing, training waits after each snapshot until the page says it has drawn it', async () => {
    const page = heldPage();
    const b = makeBridge({ snapshotIntervalMs: 0, yieldToPage: page.yieldToPage });
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    b.play();
    await until(() => page.waiting(), 'the first yield to the page');
    // held: no training batch goes on while the page has not drawn
    const held = b.getState().snapshot!.version;
    await new Promise((r) => setTimeout(r, 200));
    expect(b.getState().snapshot!.version).toBe(held);
    expect(page.yields()).toBe(1);
    page.release();
    await until(() => page.yields() >= 2, 'training to go on and yield again');
    expect(b.getState().snapshot!.version).toBeGreaterThan(held);
    b.pause();
    page.release();
  });

  it('the play-time snapshot interval grows with the page\'s drawing time, so waiting stays at most a fifth of play', () => {
    expect(PAGE_WAIT_SHARE).toBe(0.2);
    // a quick page: the base interval
    expect(playSnapshotInterval(500, 0)).toBe(500);
    expect(playSnapshotInterval(500, 60)).toBe(500);
    // the interval runs from pull to pull, waiting included: 100 ms is exactly a fifth of 500
    expect(playSnapshotInterval(500, 100)).toBe(500);
    // a busy page drawing for 300 ms: a pull every 1,500 ms, 300 of them waiting
    expect(playSnapshotInterval(500, 300)).toBe(1500);
  });

  it('while playing, training also waits after an answer the page will draw (node detail, batch anatomy)', async () => {
    const page = heldPage();
    // one snapshot (the first pull), then none for a minute: every later yield comes from the answers
    const b = makeBridge({ snapshotIntervalMs: 60_000, yieldToPage: page.yieldToPage });
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    b.play();
    await until(() => page.waiting(), 'the first yield (the first snapshot)');
    page.release();
    const detail = await b.nodeDetail(0);
    expect(detail.node).toBe(0);
    await until(() => page.yields() === 2, 'a yield after the node detail arrived');
    page.release();
    await b.anatomy(0, 4, 1);
    await until(() => page.yields() === 3, 'a yield after the batch anatomy arrived');
    b.pause();
    page.release();
  });

  it('a crashed worker → status error; start() recreates it with the last dataset and settings (no auto-restart)', async () => {
    const b = makeBridge({ autoRestart: false });
    await b.start('cpu');
    await b.configure(settings);
    const first = await b.loadDataset('tiny', csv);
    await b.step(2);
    workers[0]!.crash('out of memory');
    const s = b.getState();
    expect(s.status).toBe('error');
    expect(s.error?.message).toBe('the engine worker crashed: out of memory');
    expect(workers[0]!.terminated).toBe(true);
    await expect(b.step(1)).rejects.toThrow(/the training engine is not running yet/);

    await b.start('cpu');
    expect(workers).toHaveLength(2);
    const r = b.getState();
    expect(r.status).toBe('ready');
    expect(r.error).toBeNull();
    expect(r.dataset).toEqual({ ...first, report: { ...first.report, parseMs: r.dataset!.report.parseMs } });
    expect(r.settings).toEqual(settings);
    expect(r.snapshot?.heatmap.dim).toBe(settings.memoryDim);
    expect(r.snapshot?.loss).toHaveLength(0);
  });

  it('a crash during a call rejects that call instead of leaving it pending', async () => {
    const b = makeBridge({ autoRestart: false });
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    const pending = b.step(50);
    await new Promise((r) => setTimeout(r, 5));
    workers[0]!.crash('device lost');
    await expect(pending).rejects.toThrow('the engine worker crashed: device lost');
    expect(b.getState().status).toBe('error');
  });
});

describe('EngineBridge supervision', () => {
  it('a crashed worker is restarted at once on the same backend with the dataset and settings, playing again, and the page is told', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    b.play();
    await until(() => b.getState().snapshot!.version > 0, 'training');
    workers[0]!.crash('out of memory');
    await until(() => b.getState().notice !== null, 'the restart notice');
    const s = b.getState();
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(s.notice).toBe('The engine worker crashed: out of memory, so it was restarted (cpu); tiny and your settings were loaded again, and training starts again from epoch 1.');
    expect(s.error).toBeNull();
    expect(s.status).toBe('playing');
    expect(s.settings).toEqual(settings);
    expect(s.dataset?.name).toBe('tiny');
    await until(() => (b.getState().snapshot?.version ?? 0) > 0, 'training on the new worker');
    b.dismissNotice();
    expect(b.getState().notice).toBeNull();
    // a second crash soon after: restarted, but not playing again (settings that crash would loop)
    workers[1]!.crash('out of memory');
    await until(() => b.getState().notice !== null, 'the second restart notice');
    expect(workers).toHaveLength(3);
    expect(b.getState().status).toBe('ready');
    expect(b.getState().notice).toMatch(/It stopped again soon after the last restart, so training was not resumed: these settings may need more memory/);
  });

  it('a restart after a finished epoch restores the end of the last finished epoch: training goes on from the next one', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    b.play();
    await until(() => (b.getState().snapshot?.epochs.length ?? 0) >= 2, 'two finished epochs', 20_000);
    // let the bridge keep its checkpoint of the last finished training phase
    await new Promise((r) => setTimeout(r, 300));
    workers[0]!.crash('out of memory');
    await until(() => b.getState().notice !== null, 'the restart notice', 20_000);
    const notice = b.getState().notice ?? '';
    expect(notice).toMatch(/^The engine worker crashed: out of memory, so it was restarted \(cpu\); tiny and your settings were loaded again, and training goes on from epoch (\d+) \(the end of epoch \d+'s training was kept\)\.$/);
    const from = Number(/goes on from epoch (\d+)/.exec(notice)![1]);
    expect(from).toBeGreaterThanOrEqual(3);
    b.pause();
    await until(() => b.getState().status === 'ready', 'paused');
    // the new worker stands in epoch `from` (or later), not at epoch 1
    expect(b.getState().snapshot!.lastBatch === null || b.getState().snapshot!.lastBatch!.epoch >= from).toBe(true);
    await b.step(1);
    expect(b.getState().snapshot!.lastBatch!.epoch).toBeGreaterThanOrEqual(from);
  }, 40_000);

  it('a worker that stops without an error event is noticed by its missing heartbeat within 2.5 s and restarted; the next may be silent twice as long', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    // a few heartbeats first (every 250 ms)
    await new Promise((r) => setTimeout(r, 600));
    const died = performance.now();
    workers[0]!.die();
    await until(() => b.getState().notice !== null, 'the restart notice', 8000);
    const noticed = performance.now() - died;
    // the last beat came up to one beat interval before it died; the check runs every 250 ms
    expect(noticed).toBeGreaterThanOrEqual(HEARTBEAT_TIMEOUT_MS - HEARTBEAT_MS);
    expect(noticed).toBeLessThan(HEARTBEAT_TIMEOUT_MS + 500);
    expect(b.getState().notice).toMatch(/^The engine worker stopped answering \(no sign of life for 2 s\), so it was restarted \(cpu\); tiny and your settings/);
    expect(b.getState().status).toBe('ready');
    await b.step(1);
    expect(b.getState().snapshot?.version).toBeGreaterThan(0);
    // a second silence: the limit has doubled, so a batch longer than 2 s cannot restart it over and over
    b.dismissNotice();
    workers[1]!.die();
    await until(() => b.getState().notice !== null, 'the second restart notice', 8000);
    expect(b.getState().notice).toMatch(/^The engine worker stopped answering \(no sign of life for 4 s\), so it was restarted/);
    expect(workers).toHaveLength(3);
  }, 15_000);

});

describe('EngineBridge: a long computation is not a dead worker', () => {
  it('a worker that said it may be quiet for 3 s (one long batch) is left alone that long, then judged as usual', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    await new Promise((r) => setTimeout(r, 400));
    const t0 = performance.now();
    workers[0]!.hang(3000);
    await new Promise((r) => setTimeout(r, 2600));
    // past the usual 2 s: still the first worker
    expect(workers).toHaveLength(1);
    expect(b.getState().notice).toBeNull();
    await until(() => b.getState().notice !== null, 'the restart notice after the quiet time', 8000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3000);
    expect(workers).toHaveLength(2);
  }, 15_000);
});

describe('EngineBridge: a lost GPU device', () => {
  it('restarts the engine on wasm (not the backend it had), with the dataset and settings, and says why', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    workers[0]!.loseGpu('the GPU device was lost (Device was destroyed.)');
    await until(() => b.getState().notice !== null, 'the restart notice', 20_000);
    expect(b.getState().notice).toBe('The GPU device was lost (Device was destroyed.), so it was restarted (wasm); tiny and your settings were loaded again, and training starts again from epoch 1.');
    expect(b.getState().backend?.backend).toBe('wasm');
    expect(workers).toHaveLength(2);
  }, 30_000);
});

describe('EngineBridge.exportDataset', () => {
  it('exports the loaded dataset as DyGLib and TGL files in the worker, with the TGL config of the settings', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await expect(b.exportDataset('dyglib')).rejects.toThrow(/load a dataset before exporting it/);
    await b.configure(settings);
    await b.loadDataset('tiny events.csv', csv);
    const dyglib = await b.exportDataset('dyglib');
    expect(dyglib.files.map((f) => f.name)).toEqual(['ml_tiny_events.csv', 'ml_tiny_events.npy', 'ml_tiny_events_node.npy', 'ml_tiny_events_node_ids.csv']);
    const lines = new TextDecoder().decode(dyglib.files[0]!.bytes).trimEnd().split('\n');
    expect(lines).toHaveLength(41);
    expect(lines.slice(0, 2)).toEqual([',u,i,ts,label,idx', '0,1,2,100.0,0.0,1']);
    const tgl = await b.exportDataset('tgl', 'tiny');
    expect(tgl.files.map((f) => f.name)).toEqual(['edges.csv', 'edge_features.npy', 'node_ids.csv', 'TGN.yml', 'disttgl.yml']);
    expect(new TextDecoder().decode(tgl.files[3]!.bytes)).toMatch(/dim_out: 4\n[^]*batch_size: 5\n/);
    await expect(b.exportDataset('tgl', '../x')).rejects.toThrow(/export failed: export name '\.\.\/x'/);
    expect(b.getState().dataset?.events).toBe(40);
  });

  it('runs the EdgeBank baseline in the worker with the numbers of the engine session, leaving training alone', async () => {
    const b = makeBridge();
    await b.start('cpu');
    await expect(b.edgeBankBaseline('unlimited', 'random')).rejects.toThrow(/load a dataset/);
    await b.configure(settings);
    await b.loadDataset('tiny', csv);
    await b.step(2);
    const r = await b.edgeBankBaseline('window', 'historical');
    const local = new EngineSession();
    await local.setBackend('cpu');
    local.importData('tiny', csv);
    local.configure(settings);
    expect(r).toEqual(local.edgeBankBaseline('window', 'historical'));
    expect(r.evalBatchSize).toBe(settings.batchSize);
    local.dispose();
    expect(b.getState().snapshot?.loss).toHaveLength(2);
    expect(b.getState().status).toBe('ready');
  });
});

describe('WorkerSession', () => {
  it('transferring a snapshot detaches only its own buffers: the engine keeps working, identically', async () => {
    const a = new WorkerSession();
    const twin = new EngineSession();
    for (const s of [a, twin]) {
      await s.setBackend('cpu');
      s.importData('tiny', csv);
      s.configure(settings);
      s.watch([0, 1]);
      await s.step(2);
    }
    const snap = a.snapshot(4);
    const buffers = snapshotBuffers(snap);
    expect(buffers.length).toBeGreaterThanOrEqual(10);
    const moved = structuredClone(snap, { transfer: buffers });
    expect(snap.loss.byteLength).toBe(0); // detached here, delivered there
    expect(moved.loss).toHaveLength(2);
    twin.snapshot(4);
    for (const s of [a, twin]) await s.step(2);
    const x = a.snapshot(4);
    const y = twin.snapshot(4);
    expect(Array.from(x.heatmap.values)).toEqual(Array.from(y.heatmap.values));
    expect(Array.from(x.projection.x)).toEqual(Array.from(y.projection.x));
    expect(Array.from(x.loss)).toEqual(Array.from(y.loss));
    const d = a.nodeDetail(0);
    structuredClone(d, { transfer: [d.memory.buffer as ArrayBuffer, d.eventTimes.buffer as ArrayBuffer] });
    expect(Array.from(a.nodeDetail(0).memory)).toEqual(Array.from(twin.nodeDetail(0).memory));
    a.dispose();
    twin.dispose();
  });
});
