// test-harness.html: drives the real engine worker through EngineBridge, without the UI, for
// e2e/backend.e2e.ts (page.evaluate calls window.__harness). Not linked from the app.
import type { BackendPreference, BackendReport } from '../shared/backend.ts';
import type { DatasetSummary } from '../shared/data.ts';
import type { ExperimentSettings } from '../shared/settings.ts';
import type { BridgeStatus } from './bridgeApi.ts';
import * as Comlink from 'comlink';
import { EngineBridge } from './bridge.ts';
import type { WorkerSession } from './workerSession.ts';
import type { TrainingProfile } from '../shared/training.ts';

export interface HarnessRun {
  readonly report: BackendReport;
  /** how long bridge.start() took (worker start, adapter probe, backend init; in 'auto' a benchmark only on a hardware adapter seen for the first time) */
  readonly startMs: number;
  readonly summary: DatasetSummary;
  /** training loss per batch */
  readonly loss: number[];
  /** heatmap memory rows (most active nodes) after the last batch, row-major */
  readonly memory: number[];
  readonly memoryNodes: number[];
  readonly numTensors: number;
}

export interface HarnessSpeed {
  readonly report: BackendReport;
  readonly batchSize: number;
  readonly batches: number;
  readonly events: number;
  /** wall clock on the page, bridge and worker messaging included */
  readonly wallMs: number;
  readonly eventsPerSec: number;
  /** the engine's own training events/s (snapshot.eventsPerSec) */
  readonly engineEventsPerSec: number;
}

export interface HarnessEpoch {
  readonly report: BackendReport;
  readonly events: number;
  readonly nodes: number;
  readonly importMs: number;
  readonly epochMs: number;
  readonly trainEventsPerSec: number;
  readonly testAp: number;
  readonly tensorsAfterFirstBatch: number;
  readonly tensorsAfterEpoch: number;
  readonly snapshots: number;
  /** main-thread tasks over 50 ms during the epoch (PerformanceObserver 'longtask') */
  readonly longTasks: readonly number[];
  /** the longest time between two animation frames during the epoch */
  readonly maxFrameGapMs: number;
}

export interface HarnessPlay {
  readonly statuses: BridgeStatus[];
  readonly snapshotsSeen: number;
  readonly batchesTrained: number;
}

export interface HarnessApi {
  /** ms for a fresh engine worker to import the file at `url` as an upload does (a File, read in slices); the summary */
  importTime(url: string): Promise<{ readonly ms: number; readonly events: number; readonly nodes: number; readonly bytes: number }>;
  /** where a training batch's time goes in a fresh engine worker (EngineSession.profileTraining on the file at `url`) */
  profile(preference: BackendPreference, url: string, settings: ExperimentSettings, warm: number, batches: number): Promise<{ readonly backend: BackendReport; readonly profile: TrainingProfile }>;
  /** trains `batches` batches on the ~60-event tiny stream */
  tiny(preference: BackendPreference, batches: number, settings: Partial<ExperimentSettings>): Promise<HarnessRun>;
  /** events/s over `batches` training batches of a bundled dataset (after one warm-up batch) */
  speed(preference: BackendPreference, file: string, batches: number): Promise<HarnessSpeed>;
  /**
   * imports the file at `url` through the bridge (as the app does), plays until the first epoch's report
   * (train, validation, test), then pauses: how long it took, the engine's tensor count after the first
   * batch and at the end, and this page's main-thread tasks over 50 ms and longest gap between frames
   */
  epoch(url: string, settings: ExperimentSettings): Promise<HarnessEpoch>;
  /** plays for `ms` on the tiny stream, then pauses */
  play(preference: BackendPreference, ms: number): Promise<HarnessPlay>;
  /** forced start that is expected to fail: its error message */
  startError(preference: BackendPreference): Promise<string | null>;
}

declare global {
  interface Window {
    __harness?: HarnessApi;
    __harnessReady?: boolean;
  }
}

/** 60 events among 12 nodes with repeated pairs, integer times, one edge feature */
export function tinyCsv(): string {
  const rows = ['src,dst,t,feat'];
  for (let i = 0; i < 60; i++) {
    const u = (i * 7) % 12;
    const v = i % 3 === 0 ? (u + 1) % 12 : (i * 5 + 3) % 12;
    rows.push(`${u},${v},${100 + i * 3 + (i % 4)},${((i * 37) % 100) / 100}`);
  }
  return rows.join('\n');
}

/** the response for `url`, or an error naming it (as `name`) and the HTTP status */
async function fetched(url: string, name = url): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`harness: fetching ${name} gave HTTP ${res.status}`);
  return res;
}

async function withBridge<T>(preference: BackendPreference, f: (b: EngineBridge, report: BackendReport, startMs: number) => Promise<T>): Promise<T> {
  const bridge = new EngineBridge();
  try {
    const t0 = performance.now();
    const report = await bridge.start(preference);
    return await f(bridge, report, performance.now() - t0);
  } finally {
    bridge.dispose();
  }
}

/** a fresh engine worker on its own (no bridge), released and closed after `f` */
async function withWorker<T>(f: (remote: Comlink.Remote<WorkerSession>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  const remote = Comlink.wrap<WorkerSession>(worker);
  try {
    return await f(remote);
  } finally {
    remote[Comlink.releaseProxy]();
    worker.terminate();
  }
}

const api: HarnessApi = {
  importTime: async (url) => {
    const file = new File([await (await fetched(url)).blob()], url.split('/').pop() ?? 'upload.csv');
    return withWorker(async (remote) => {
      // the worker's first answer means its code has loaded: not part of the import
      await remote.backend;
      const t0 = performance.now();
      const imported = await remote.importFile(file.name, file);
      const ms = performance.now() - t0;
      if (!imported.ok) throw new Error(`harness: ${imported.error.message}`);
      return { ms, events: imported.summary.events, nodes: imported.summary.nodes, bytes: file.size };
    });
  },

  profile: async (preference, url, settings, warm, batches) => {
    // the engine worker on its own (no bridge, no page snapshots): the same calls the Node bench makes
    return withWorker(async (remote) => {
      const backend = await remote.setBackend(preference);
      const bytes = new Uint8Array(await (await fetched(url)).arrayBuffer());
      const imported = await remote.importFile(url.split('/').pop() ?? url, Comlink.transfer(bytes, [bytes.buffer]));
      if (!imported.ok) throw new Error(`harness: ${imported.error.message}`);
      await remote.configure(settings);
      return { backend, profile: await remote.profileTraining(warm, batches) };
    });
  },

  tiny: (preference, batches, settings) =>
    withBridge(preference, async (b, report, startMs) => {
      await b.configure({ ...b.getState().settings, ...settings });
      const summary = await b.loadDataset('tiny', tinyCsv());
      await b.step(batches);
      const snap = b.getState().snapshot;
      if (!snap) throw new Error('harness: no snapshot after step()');
      return {
        report, startMs, summary, loss: Array.from(snap.loss), memory: Array.from(snap.heatmap.values), memoryNodes: Array.from(snap.heatmap.nodes),
        numTensors: snap.numTensors,
      };
    }),

  speed: (preference, file, batches) =>
    withBridge(preference, async (b, report) => {
      await b.loadDataset(file, new Uint8Array(await (await fetched(`${import.meta.env.BASE_URL}datasets/${file}`, file)).arrayBuffer()));
      await b.step(1);
      const t0 = performance.now();
      await b.step(batches);
      const wallMs = performance.now() - t0;
      const snap = b.getState().snapshot;
      if (!snap?.lastBatch) throw new Error('harness: no batch after step()');
      if (snap.lastBatch.phase !== 'train') throw new Error(`harness: expected training batches only, the last was ${snap.lastBatch.phase}`);
      const batchSize = b.getState().settings.batchSize;
      const events = batches * batchSize;
      return { report, batchSize, batches, events, wallMs, eventsPerSec: (events * 1000) / wallMs, engineEventsPerSec: snap.eventsPerSec };
    }),

  epoch: (url, settings) =>
    withBridge('wasm', async (b, report) => {
      const bytes = new Uint8Array(await (await fetched(url)).arrayBuffer());
      await b.configure(settings);
      const i0 = performance.now();
      const summary = await b.loadDataset(url.split('/').pop() ?? url, bytes);
      const importMs = performance.now() - i0;
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
      let maxFrameGapMs = 0;
      let lastFrame = performance.now();
      let watching = true;
      const frame = (now: number): void => {
        maxFrameGapMs = Math.max(maxFrameGapMs, now - lastFrame);
        lastFrame = now;
        if (watching) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      let tensorsAfterFirstBatch = -1;
      let snapshots = 0;
      const t0 = performance.now();
      const done = new Promise<void>((resolve) => {
        const unsubscribe = b.subscribe(() => {
          const snap = b.getState().snapshot;
          if (!snap) return;
          snapshots++;
          if (tensorsAfterFirstBatch < 0 && snap.lastBatch) tensorsAfterFirstBatch = snap.numTensors;
          if (snap.epochs.length >= 1) {
            unsubscribe();
            resolve();
          }
        });
      });
      b.play();
      await done;
      const epochMs = performance.now() - t0;
      b.pause();
      watching = false;
      observer.disconnect();
      const snap = b.getState().snapshot!;
      const rep = snap.epochs[0]!;
      return {
        report, events: summary.events, nodes: summary.nodes, importMs, epochMs, trainEventsPerSec: rep.trainEventsPerSec,
        testAp: rep.test.apBatchMean, tensorsAfterFirstBatch, tensorsAfterEpoch: rep.numTensors, snapshots, longTasks, maxFrameGapMs,
      };
    }),

  play: (preference, ms) =>
    withBridge(preference, async (b) => {
      await b.configure({ ...b.getState().settings, batchSize: 5 });
      await b.loadDataset('tiny', tinyCsv());
      const statuses: BridgeStatus[] = [];
      let snapshotsSeen = 0;
      let last = b.getState().snapshot;
      const unsubscribe = b.subscribe(() => {
        const s = b.getState();
        if (statuses.at(-1) !== s.status) statuses.push(s.status);
        if (s.snapshot !== last) {
          last = s.snapshot;
          snapshotsSeen++;
        }
      });
      b.play();
      await new Promise((r) => setTimeout(r, ms));
      b.pause();
      await b.step(1);
      unsubscribe();
      return { statuses, snapshotsSeen, batchesTrained: b.getState().snapshot?.loss.length ?? 0 };
    }),

  startError: async (preference) => {
    const bridge = new EngineBridge();
    try {
      await bridge.start(preference);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    } finally {
      bridge.dispose();
    }
  },
};

window.__harness = api;
window.__harnessReady = true;
