// The UI's one handle on the engine worker: owns the Worker and its comlink proxy, keeps the state React
// reads (useSyncExternalStore), runs the play loop (training in the worker, at most one snapshot pull per
// animation frame), and recovers from crashes by restarting the worker with the last dataset and settings.
import * as Comlink from 'comlink';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';
import type { ImportOptions, ExportFormat, ExportResult, DatasetSummary } from '../shared/data.ts';
import { exportNameFromFile } from '../engine/data/export.ts';
import { DEFAULT_SETTINGS, type ExperimentSettings } from '../shared/settings.ts';
import type { BatchAnatomy, StalenessAtBatchSize, EdgeBankBaselineResult, EdgeBankMemory, NegativeStrategy } from '../shared/lab.ts';
import type { BackendPreference, BackendReport, BackendVerdict } from '../shared/backend.ts';
import type { NodeDetail } from '../shared/training.ts';
import type { BridgeState, EngineBridgeApi } from './bridgeApi.ts';
import type { BridgeError } from '../shared/data.ts';
import { runSweep, type DatasetInput, type SweepOptions } from './sweep.ts';
import type { SweepJob, SweepJobResult } from '../shared/lab.ts';
// the page's sweep control uses these through the bridge
export { defaultConcurrency, SweepCancelled } from './sweep.ts';
import type { BrowserCheckpointEntry, CheckpointContinued, CheckpointDownload, CheckpointEvaluationResult, CheckpointFile, CheckpointSummary } from '../shared/checkpoint.ts';
import type { BeatMessage, ExportOutcome, ImportOutcome, WorkerSession } from './workerSession.ts';
import { takeEarlyWorker } from './earlyWorker.ts';
import type { DatasetData } from './importBlob.ts';

/** a counter to share with the worker, where memory can be shared (SharedArrayBuffer in an isolated page, or Node) */
function sharedControl(): Int32Array | null {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (typeof SharedArrayBuffer !== 'function' || isolated === false) return null;
  return new Int32Array(new SharedArrayBuffer(4));
}

/** the part of a Worker the bridge uses (a MessagePort-backed fake in tests) */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

/** An error with the import issues (line/column) when it came from a file. */
export class BridgeFailure extends Error implements BridgeError {
  override readonly name = 'BridgeFailure';
  constructor(message: string, readonly issues: BridgeError['issues'] = []) {
    super(message);
  }
}

export interface EngineBridgeOptions {
  createWorker?: () => WorkerLike;
  /** batches per worker call while playing, and the time budget of one call */
  playBatches?: number;
  playBudgetMs?: number;
  /** heatmap rows per snapshot */
  heatmapRows?: number;
  /**
   * while playing, at least this long between snapshot pulls (ms); longer when the page takes long to draw
   * them (playSnapshotInterval)
   */
  snapshotIntervalMs?: number;
  /**
   * While playing, after each snapshot (or an answer the page will draw: a node's detail, a batch's
   * anatomy) the next training call waits for this (the page: until its charts have drawn it), so the
   * worker's training never competes with the page's drawing for a core.
   */
  yieldToPage?: () => Promise<void>;
  /** where startup benchmark verdicts are remembered per WebGPU adapter (default: localStorage when there is one) */
  verdicts?: VerdictStore;
  /** a worker that crashes or stops answering is restarted at once with the same backend, dataset and settings (default true) */
  autoRestart?: boolean;
}

/** Remembered startup-benchmark verdicts, by adapter key. */
export interface VerdictStore {
  load(): Record<string, BackendVerdict>;
  save(verdict: BackendVerdict): void;
}

const VERDICTS_KEY = 'tgnn-playground.backend-verdicts.v1';

/** verdicts in localStorage (one JSON object); a store that keeps nothing where there is no localStorage */
export function localStorageVerdicts(): VerdictStore {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  if (!storage) return { load: () => ({}), save: () => undefined };
  const read = (): Record<string, BackendVerdict> => {
    const text = storage.getItem(VERDICTS_KEY);
    if (!text) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, BackendVerdict>) : {};
    } catch (e) {
      // a damaged entry is dropped: the next start measures again
      console.warn(`ignoring unreadable ${VERDICTS_KEY}: ${messageOf(e)}`);
      return {};
    }
  };
  return {
    load: read,
    save: (v) => storage.setItem(VERDICTS_KEY, JSON.stringify({ ...read(), [v.adapterKey]: { ...v, cached: false } })),
  };
}

/** the worker index.html started early (earlyWorker.ts), for the page's first start; then a new one each time */
const defaultWorker = (): WorkerLike => takeEarlyWorker() ?? new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });

type LastDataset = DatasetInput;

interface Connection {
  readonly worker: WorkerLike;
  readonly remote: Comlink.Remote<WorkerSession>;
  /** rejects when the worker crashes, so pending calls do not wait forever */
  readonly crashed: Promise<never>;
  dead: boolean;
  /** heartbeats received, and when the last one came (performance.now ms); when the connection opened */
  beats: number;
  lastBeat: number;
  readonly opened: number;
  /** the bridge's end of the heartbeat channel, null where there is no MessageChannel */
  readonly beatPort: MessagePort | null;
  /** the supervision timer (HEARTBEAT_CHECK_MS) */
  watchdog: ReturnType<typeof setInterval> | null;
  /** until then the worker said it may give no sign of life (one long computation) */
  quietUntil: number;
  /**
   * A counter shared with the worker (WorkerSession.attachControl): each training call carries its value,
   * and raising it stops the running call within one event of an exact-mode batch. Null where memory
   * cannot be shared (a page that is not cross-origin isolated): a running batch then ends first.
   */
  readonly control: Int32Array | null;
}

/** no heartbeat from a started worker for this long: it is dead or hung, and is restarted */
export const HEARTBEAT_TIMEOUT_MS = 2000;
/** before its first heartbeat a worker may take this long to load its code */
export const FIRST_BEAT_TIMEOUT_MS = 30_000;
const HEARTBEAT_CHECK_MS = 250;
/** a crash this soon after the last restart does not resume playing (no crash–restart loop) */
const REPEAT_CRASH_MS = 30_000;
/** the most silence ever allowed (see EngineBridge.silenceMs) */
const MAX_SILENCE_MS = 60_000;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** a performance mark per startup stage (e2e/perf.e2e.ts reads them to say where the seconds go) */
const mark = (stage: string): void => {
  globalThis.performance?.mark?.(`tgnn: ${stage}`);
};

/** while playing, rounds of waiting for the page's answers and their drawing between two training calls */
const PAGE_ROUNDS = 3;

/** at most this share of play time goes to waiting for the page to draw */
export const PAGE_WAIT_SHARE = 0.2;

/**
 * The play-time interval between snapshot pulls: `baseMs`, or longer when the page has lately needed
 * `pageWaitMs` per snapshot to draw it (training waits meanwhile), so that waiting takes at most
 * PAGE_WAIT_SHARE of the time: a slow or busy machine sees fewer, not slower, updates.
 */
export function playSnapshotInterval(baseMs: number, pageWaitMs: number): number {
  // the interval runs from one pull to the next, so it holds the waiting that follows a pull
  return Math.max(baseMs, pageWaitMs / PAGE_WAIT_SHARE);
}

const nextFrame = (f: () => void): void => {
  if (typeof globalThis.requestAnimationFrame === 'function') globalThis.requestAnimationFrame(() => f());
  else setTimeout(f, 16);
};

export class EngineBridge implements EngineBridgeApi {
  private state: BridgeState = {
    status: 'starting', stage: null, backend: null, dataset: null, importProgress: null, error: null, snapshot: null, timeline: null, settings: DEFAULT_SETTINGS,
    notice: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly createWorker: () => WorkerLike;
  private readonly playBatches: number;
  private readonly playBudgetMs: number;
  private readonly heatmapRows: number;
  private readonly verdicts: VerdictStore;
  private readonly snapshotIntervalMs: number;
  private readonly yieldToPage: () => Promise<void>;
  private lastSnapshotAt = -Infinity;
  /** ms training waited for the page per round of drawing, lately (a moving average) */
  private pageWaitMs = 0;
  /** a start begun early (prestart), taken over by the first start() with the same preference */
  private prestarted: { readonly backend: BackendPreference; readonly done: Promise<BackendReport> } | null = null;
  private conn: Connection | null = null;
  private lastDataset: LastDataset | null = null;
  private playing: AbortController | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private frameScheduled = false;
  /** a pull held back by the play-time interval (pulled at once when play stops) */
  private snapshotTimer: { readonly timer: ReturnType<typeof setTimeout>; readonly pull: () => void } | null = null;
  private snapshotInFlight: Promise<void> | null = null;
  private snapshotWanted = false;
  /** answers the page asked for and will draw (node detail, batch anatomy): play waits for them and their drawing */
  private readonly pageCalls = new Set<Promise<unknown>>();
  /** page answers that have arrived, and how many of them play has waited for the page to draw */
  private pageAnswers = 0;
  private pageAnswersDrawn = 0;
  /** increases with every start(); work of an older worker is ignored */
  private generation = 0;
  /** the backend preference of the last start (a crashed worker is restarted with it) */
  private preference: BackendPreference = 'auto';
  private readonly autoRestart: boolean;
  /**
   * How long a worker may be silent before it counts as dead: HEARTBEAT_TIMEOUT_MS, at least twice the
   * longest silence a live worker has shown (one long batch on a slow machine), doubled after each restart
   * for silence (so a batch longer than the limit cannot restart the worker over and over), at most 60 s.
   */
  private silenceMs = HEARTBEAT_TIMEOUT_MS;
  private longestLiveSilence = 0;
  /** the engine's checkpoint of the last finished epoch's training, restored after a crash (keepResumePoint) */
  private epochCheckpoint: { readonly dataset: string; readonly settings: ExperimentSettings; readonly epochs: number; readonly files: readonly CheckpointFile[] } | null = null;
  /** when the last restart after a crash finished (performance.now ms) */
  private lastRestartAt = -Infinity;

  constructor(options: EngineBridgeOptions = {}) {
    this.createWorker = options.createWorker ?? defaultWorker;
    this.playBatches = options.playBatches ?? 8;
    this.playBudgetMs = options.playBudgetMs ?? 30;
    this.heatmapRows = options.heatmapRows ?? 40;
    this.verdicts = options.verdicts ?? localStorageVerdicts();
    this.snapshotIntervalMs = options.snapshotIntervalMs ?? 500;
    this.yieldToPage = options.yieldToPage ?? (() => Promise.resolve());
    this.autoRestart = options.autoRestart ?? true;
  }

  getState = (): BridgeState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Starts the worker and its backend now (while the page's own code is still loading); the first
   * start() with the same preference takes it over instead of starting again.
   */
  prestart(backend: BackendPreference): void {
    if (this.conn || this.prestarted) return;
    const done = this.startNow(backend);
    // a failure reaches whoever calls start(); until then it must not count as unhandled
    done.catch(() => undefined);
    this.prestarted = { backend, done };
  }

  start(backend: BackendPreference): Promise<BackendReport> {
    const pre = this.prestarted;
    this.prestarted = null;
    if (pre && pre.backend === backend) return pre.done;
    return this.startNow(backend);
  }

  private async startNow(backend: BackendPreference): Promise<BackendReport> {
    await this.stopPlaying();
    this.disconnect();
    this.preference = backend;
    const generation = ++this.generation;
    const conn = this.connect(generation);
    const onStage = (stage: string): void => {
      mark(stage);
      if (generation === this.generation && this.state.status === 'starting') this.set({ stage });
    };
    this.set({ status: 'starting', error: null, importProgress: null });
    onStage('loading the engine');
    try {
      const report = await this.call(conn, (r) => r.setBackend(backend, { verdicts: this.verdicts.load() }, Comlink.proxy(onStage)));
      mark('backend ready');
      if (report.verdict && !report.verdict.cached) this.verdicts.save(report.verdict);
      this.set({ backend: report, stage: null });
      const last = this.lastDataset;
      if (last) {
        const outcome = await this.call<ImportOutcome>(conn, (r) => r.importFile(last.name, last.data, last.options));
        if (!outcome.ok) throw new BridgeFailure(`re-importing ${last.name} after a restart failed: ${outcome.error.message}`, outcome.error.issues);
        this.set({ dataset: outcome.summary });
        await this.call(conn, (r) => r.configure(this.state.settings));
        await this.refresh(conn);
      }
      if (generation === this.generation) this.set({ status: this.state.dataset ? 'ready' : 'idle', stage: null });
      return report;
    } catch (e) {
      if (generation === this.generation) this.set({ status: 'error', stage: null, error: toBridgeError(e) });
      throw e;
    }
  }

  async loadDataset(name: string, data: DatasetData, options: ImportOptions = {}): Promise<DatasetSummary> {
    await this.stopPlaying();
    const conn = await this.ready();
    const { onProgress, ...plain } = options;
    // keep our own copy for restarts: the caller may reuse its buffer (a File is kept as it is: the worker
    // reads it in slices, again after a restart, and the page never holds it whole)
    const kept: LastDataset = { name, data: typeof data === 'string' || data instanceof Blob ? data : data.slice(), options: plain };
    mark(`reading ${name}`);
    this.set({ status: 'importing', stage: `reading ${name}`, importProgress: 0, error: null });
    // progress arrives on its own message channel, possibly after the result: late calls are dropped
    let importing = true;
    let lastFraction = 0;
    const progress = Comlink.proxy((f: number) => {
      if (!importing) return;
      lastFraction = f;
      if (conn === this.conn) this.set({ importProgress: f });
      onProgress?.(f);
    });
    let outcome: ImportOutcome;
    try {
      outcome = await this.call<ImportOutcome>(conn, (r) => r.importFile(name, kept.data, plain, progress));
    } catch (e) {
      importing = false;
      this.fail(conn, e);
      throw e;
    }
    importing = false;
    if (outcome.ok && lastFraction !== 1) onProgress?.(1);
    if (!outcome.ok) {
      this.set({ status: this.state.dataset ? 'ready' : 'idle', stage: null, importProgress: null, error: outcome.error });
      throw new BridgeFailure(outcome.error.message, outcome.error.issues);
    }
    this.lastDataset = kept;
    this.epochCheckpoint = null;
    mark('building the model');
    this.set({ dataset: outcome.summary, importProgress: null, stage: 'building the model' });
    try {
      await this.call(conn, (r) => r.configure(this.state.settings));
      mark('first snapshot');
      await this.refresh(conn);
    } catch (e) {
      this.fail(conn, e);
      throw e;
    }
    mark('ready');
    this.set({ status: 'ready', stage: null });
    return outcome.summary;
  }

  async configure(settings: ExperimentSettings): Promise<void> {
    await this.stopPlaying();
    if (!this.state.dataset) {
      this.set({ settings });
      return;
    }
    const conn = await this.ready();
    try {
      await this.call(conn, (r) => r.configure(settings));
    } catch (e) {
      this.fail(conn, e);
      throw e;
    }
    this.set({ settings, error: null });
    this.epochCheckpoint = null;
    await this.refresh(conn);
  }

  play(): void {
    const conn = this.conn;
    if (!conn || conn.dead || this.playing || !this.state.dataset || this.state.status !== 'ready') return;
    const controller = new AbortController();
    this.playing = controller;
    this.set({ status: 'playing', error: null });
    this.loopDone = this.playLoop(conn, controller.signal);
  }

  dismissNotice(): void {
    if (this.state.notice !== null) this.set({ notice: null });
  }

  pause(): void {
    if (!this.playing) return;
    this.stopRunning();
    this.playing.abort();
    this.playing = null;
    if (this.state.status === 'playing') this.set({ status: 'ready' });
  }

  async step(batches = 1): Promise<void> {
    await this.stopPlaying();
    const conn = await this.ready();
    try {
      const token = this.stopToken(conn);
      await this.call(conn, (r) => r.step(batches, Infinity, token));
    } catch (e) {
      this.fail(conn, e);
      throw e;
    }
    await this.refresh(conn, false);
  }

  async reset(): Promise<void> {
    await this.configure(this.state.settings);
  }

  async watch(nodes: readonly number[]): Promise<void> {
    const conn = await this.ready();
    await this.call(conn, (r) => r.watch([...nodes]));
  }

  async nodeDetail(node: number): Promise<NodeDetail> {
    const conn = await this.ready();
    return this.forPage(this.call(conn, (r) => r.nodeDetail(node)));
  }

  async anatomy(from: number, batchSize: number, mailboxSize: number): Promise<BatchAnatomy> {
    const conn = await this.ready();
    return this.forPage(this.call(conn, (r) => r.anatomy(from, batchSize, mailboxSize)));
  }

  /** an answer the page will draw: while it is on its way, play waits for it (and then for the page) */
  private forPage<T>(answer: Promise<T>): Promise<T> {
    const settled = answer.then(() => undefined, () => undefined);
    this.pageCalls.add(settled);
    void settled.then(() => {
      this.pageCalls.delete(settled);
      this.pageAnswers++;
    });
    return answer;
  }

  async stalenessCurve(batchSizes: readonly number[], mailboxSize: number): Promise<StalenessAtBatchSize[]> {
    const conn = await this.ready();
    return this.call(conn, (r) => r.stalenessCurve([...batchSizes], mailboxSize));
  }

  async exportDataset(format: ExportFormat, name?: string): Promise<ExportResult> {
    const last = this.lastDataset;
    if (!last) throw new BridgeFailure('load a dataset before exporting it');
    const conn = await this.ready();
    const outcome = await this.call<ExportOutcome>(conn, (r) => r.exportDataset(last.data, last.options, format, name ?? exportNameFromFile(last.name), this.state.settings));
    if (!outcome.ok) throw new BridgeFailure(`export failed: ${outcome.error.message}`, outcome.error.issues);
    return outcome.result;
  }

  datasetInput(): DatasetInput | null {
    return this.lastDataset;
  }

  /** no pause needed: EdgeBank reads only the stream, never the model */
  async edgeBankBaseline(memory: EdgeBankMemory, negatives: NegativeStrategy): Promise<EdgeBankBaselineResult> {
    if (!this.state.dataset) throw new BridgeFailure('load a dataset before running the EdgeBank baseline');
    const conn = await this.ready();
    return this.call(conn, (r) => r.edgeBankBaseline(memory, negatives));
  }

  exportCheckpoint(): Promise<CheckpointDownload> {
    return this.checkpointCall((r) => r.exportCheckpoint());
  }

  saveCheckpointToBrowser(): Promise<{ readonly entry: BrowserCheckpointEntry; readonly summary: CheckpointSummary }> {
    return this.checkpointCall((r) => r.saveCheckpointToBrowser());
  }

  listBrowserCheckpoints(): Promise<BrowserCheckpointEntry[]> {
    return this.checkpointCall((r) => r.listBrowserCheckpoints());
  }

  deleteBrowserCheckpoint(url: string): Promise<void> {
    return this.checkpointCall((r) => r.deleteBrowserCheckpoint(url));
  }

  evaluateBrowserCheckpoint(url: string): Promise<CheckpointEvaluationResult> {
    return this.checkpointCall((r) => r.evaluateBrowserCheckpoint(url));
  }

  evaluateCheckpointFiles(files: readonly CheckpointFile[]): Promise<CheckpointEvaluationResult> {
    return this.checkpointCall((r) => r.evaluateCheckpointFiles([...files]));
  }

  async serve(options: ServeOptions): Promise<ServeRun> {
    if (!this.state.dataset) throw new BridgeFailure('load a dataset before serving a model');
    await this.stopPlaying();
    const conn = await this.ready();
    return this.call(conn, (r) => r.serve(options));
  }

  async continueFromCheckpoint(): Promise<CheckpointContinued> {
    await this.stopPlaying();
    const conn = await this.ready();
    const done = await this.call(conn, (r) => r.continueFromCheckpoint(this.state.settings));
    this.set({ settings: done.settings, error: null });
    this.epochCheckpoint = null;
    await this.refresh(conn, false);
    return done;
  }

  /** a checkpoint call: no pause needed (the worker copies the weights in one synchronous step); failures go to the caller, not to the bridge state */
  private async checkpointCall<T>(f: (remote: Comlink.Remote<WorkerSession>) => Promise<T>): Promise<T> {
    const conn = await this.ready();
    return this.call(conn, f);
  }

  sweep(jobs: readonly SweepJob[], options: Omit<SweepOptions, 'backend'> = {}): Promise<SweepJobResult[]> {
    const dataset = this.lastDataset;
    if (!dataset) return Promise.reject(new BridgeFailure('load a dataset before running a sweep'));
    // the backend the main worker resolved to (so 'auto' does not benchmark again in every sweep worker)
    const backend: BackendPreference = this.state.backend?.backend ?? 'auto';
    return runSweep(dataset, jobs, this.createWorker, { ...options, backend });
  }

  dispose(): void {
    this.prestarted = null;
    this.pause();
    this.generation++;
    this.disconnect();
    this.listeners.clear();
  }

  // ---- internals ----

  private set(patch: Partial<BridgeState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private connect(generation: number): Connection {
    const worker = this.createWorker();
    let crash: (e: Error) => void = () => undefined;
    const crashed = new Promise<never>((_, reject) => {
      crash = reject;
    });
    // a pending call that loses the race must not turn into an unhandled rejection
    crashed.catch(() => undefined);
    const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
    const now = (): number => globalThis.performance.now();
    const conn: Connection = {
      worker, remote: Comlink.wrap<WorkerSession>(worker), crashed, dead: false,
      beats: 0, lastBeat: now(), opened: now(), beatPort: channel?.port1 ?? null, watchdog: null, control: sharedControl(), quietUntil: -Infinity,
    };
    const onCrash = (message: string, restartOn?: BackendPreference) => {
      if (conn.dead) return;
      this.closeConnection(conn);
      crash(new BridgeFailure(message));
      if (generation !== this.generation) return;
      const wasPlaying = this.playing !== null;
      this.playing?.abort();
      this.playing = null;
      this.conn = null;
      this.set({ status: 'error', stage: null, importProgress: null, error: { message, issues: [] } });
      if (this.autoRestart) void this.recover(message, wasPlaying, restartOn);
    };
    if (channel) {
      channel.port1.onmessage = (ev: MessageEvent<BeatMessage>) => {
        const t = now();
        const data = ev.data;
        if (typeof data === 'object') {
          // one long computation ahead (a batch, building a model): no beats for up to that long
          if ('quiet' in data) {
            conn.quietUntil = t + data.quiet;
            conn.lastBeat = t;
            return;
          }
          // a lost GPU device: the worker cannot go on on webgpu; a new one starts on wasm
          onCrash(data.lost, 'wasm');
          return;
        }
        if (conn.beats > 0 && t > conn.quietUntil) this.longestLiveSilence = Math.max(this.longestLiveSilence, t - conn.lastBeat);
        // beating again: the long computation it announced is over
        conn.quietUntil = -Infinity;
        conn.beats++;
        conn.lastBeat = t;
      };
      // the first message the worker gets: it beats from then on (a worker that cannot take it is broken)
      conn.remote.attachHeartbeat(Comlink.transfer(channel.port2, [channel.port2])).catch((e: unknown) => onCrash(`the engine worker could not be supervised: ${messageOf(e)}`));
      let lastCheck = now();
      conn.watchdog = setInterval(() => {
        const t = now();
        // a page that was frozen or throttled (a hidden tab) checks again before judging
        const onTime = t - lastCheck < 4 * HEARTBEAT_CHECK_MS;
        lastCheck = t;
        if (!onTime || conn.dead || t < conn.quietUntil) return;
        const allowed = Math.min(MAX_SILENCE_MS, Math.max(this.silenceMs, 2 * this.longestLiveSilence));
        if (conn.beats === 0 ? t - conn.opened > FIRST_BEAT_TIMEOUT_MS : t - conn.lastBeat > allowed) {
          if (conn.beats > 0) this.silenceMs = Math.min(MAX_SILENCE_MS, 2 * allowed);
          onCrash(conn.beats === 0
            ? `the engine worker did not start within ${FIRST_BEAT_TIMEOUT_MS / 1000} s`
            : `the engine worker stopped answering (no sign of life for ${Math.round(allowed / 100) / 10} s)`);
        }
      }, HEARTBEAT_CHECK_MS);
    }
    worker.addEventListener('error', (ev: Event) => {
      ev.preventDefault();
      const msg = (ev as ErrorEvent).message;
      onCrash(`the engine worker crashed: ${msg || 'unknown error (see the browser console)'}`);
    });
    worker.addEventListener('messageerror', () => onCrash('the engine worker sent a message that could not be read'));
    const buffer = conn.control?.buffer;
    if (buffer instanceof SharedArrayBuffer) {
      conn.remote.attachControl(buffer).catch((e: unknown) => onCrash(`the engine worker could not share its stop counter: ${messageOf(e)}`));
    }
    this.conn = conn;
    return conn;
  }

  private disconnect(): void {
    const conn = this.conn;
    this.conn = null;
    if (!conn) return;
    this.closeConnection(conn);
    conn.remote[Comlink.releaseProxy]();
  }

  private closeConnection(conn: Connection): void {
    conn.dead = true;
    if (conn.watchdog !== null) clearInterval(conn.watchdog);
    conn.watchdog = null;
    if (conn.beatPort) conn.beatPort.onmessage = null;
    conn.beatPort?.close();
    conn.worker.terminate();
  }

  /**
   * After a crash: a new worker on the same backend, the dataset re-imported and the settings applied
   * (start() does both), the last finished epoch restored where there is one (restoreKept), and the page
   * told so. Playing resumes if it was playing, unless it crashed again soon after the last restart.
   */
  private async recover(reason: string, wasPlaying: boolean, restartOn?: BackendPreference): Promise<void> {
    const backend = restartOn ?? this.preference;
    try {
      await this.startNow(backend);
    } catch (e) {
      this.set({ status: 'error', error: { message: `${reason}; restarting it failed: ${messageOf(e)}. Reload the page to try again.`, issues: [] } });
      return;
    }
    const restored = this.state.dataset ? `; ${this.state.dataset.name} and your settings were loaded again, and ${await this.restoreKept()}` : '';
    const said = reason.charAt(0).toUpperCase() + reason.slice(1);
    // a second crash soon after a restart is likely the settings themselves (out of memory): no loop of
    // restarts and crashes; training waits for the user
    const t = globalThis.performance.now();
    const again = wasPlaying && t - this.lastRestartAt < REPEAT_CRASH_MS;
    this.lastRestartAt = t;
    const held = again
      ? ' It stopped again soon after the last restart, so training was not resumed: these settings may need more memory than the browser gives; try a smaller batch size, fewer neighbours or smaller dimensions, then press Play.'
      : '';
    this.set({ error: null, notice: `${said}, so it was restarted (${this.state.backend?.backend ?? backend})${restored}.${held}` });
    if (wasPlaying && !again) this.play();
  }

  /**
   * After a restart: the engine's own checkpoint of the last finished epoch becomes the new worker's
   * model (if it is of this dataset and these settings); says where training goes on from.
   */
  private async restoreKept(): Promise<string> {
    const kept = this.epochCheckpoint;
    const conn = this.conn;
    if (!kept || !conn || kept.dataset !== this.state.dataset?.name || kept.settings !== this.state.settings) return 'training starts again from epoch 1';
    try {
      const files = kept.files.map((f) => ({ name: f.name, data: typeof f.data === 'string' ? f.data : f.data.slice(0) }));
      const done = await this.call(conn, (r) => r.continueFromCheckpointFiles(files, this.state.settings));
      await this.refresh(conn, false);
      return `training goes on from epoch ${done.epochs + 1} (the end of epoch ${done.epochs}'s training was kept)`;
    } catch (e) {
      return `training starts again from epoch 1 (the last finished epoch could not be restored: ${messageOf(e)})`;
    }
  }

  /**
   * Keeps the engine's checkpoint of the last finished training phase (no evaluation: weights,
   * optimizer, generators, epoch count), fetched once per epoch, for restoreKept.
   */
  private async keepResumePoint(conn: Connection): Promise<void> {
    const snapshot = this.state.snapshot;
    const dataset = this.state.dataset;
    if (!snapshot || !dataset) return;
    // epochs whose training phase has ended: the finished ones, and the current one once it evaluates
    const trained = snapshot.epochs.length + (snapshot.lastBatch && snapshot.lastBatch.phase !== 'train' ? 1 : 0);
    if (trained <= (this.epochCheckpoint?.epochs ?? 0)) return;
    const settings = this.state.settings;
    const point = await this.call(conn, (r) => r.resumePoint());
    if (point && conn === this.conn && settings === this.state.settings && dataset === this.state.dataset) {
      this.epochCheckpoint = { dataset: dataset.name, settings, epochs: point.epochs, files: point.files };
    }
  }

  /** the live connection; the first use starts the worker with 'auto', after a crash start() must be called */
  private async ready(): Promise<Connection> {
    if (this.generation === 0) await this.start('auto');
    const conn = this.conn;
    if (!conn || conn.dead) throw new BridgeFailure('the training engine is not running yet (it starts with the page); wait a moment, or reload the page if this stays');
    return conn;
  }

  private call<T>(conn: Connection, f: (remote: Comlink.Remote<WorkerSession>) => Promise<T>): Promise<T> {
    if (conn.dead) return Promise.reject(new BridgeFailure('the engine worker was stopped'));
    return Promise.race([f(conn.remote), conn.crashed]);
  }

  /** a failed call: the worker keeps its previous dataset and model; a crash already set status 'error' */
  private fail(conn: Connection, e: unknown): void {
    if (conn !== this.conn || conn.dead) return;
    this.set({ status: this.state.dataset ? 'ready' : 'idle', stage: null, importProgress: null, error: toBridgeError(e) });
  }

  private async refresh(conn: Connection, withTimeline = true): Promise<void> {
    const [snapshot, timeline] = await Promise.all([
      this.call(conn, (r) => r.snapshot(this.heatmapRows)),
      withTimeline ? this.call(conn, (r) => r.timeline()) : Promise.resolve(this.state.timeline),
    ]);
    if (conn === this.conn) this.set({ snapshot, timeline });
  }

  /** the value the next training call carries; raising the shared counter stops that call (stopRunning) */
  private stopToken(conn: Connection): number | undefined {
    return conn.control ? Atomics.load(conn.control, 0) : undefined;
  }

  /** stops the worker's running training call, if any, within one event of an exact-mode batch */
  private stopRunning(): void {
    const control = this.conn?.control;
    if (control) Atomics.add(control, 0, 1);
  }

  private async stopPlaying(): Promise<void> {
    this.pause();
    this.stopRunning();
    await this.loopDone;
    if (this.snapshotInFlight) await this.snapshotInFlight;
  }

  private async playLoop(conn: Connection, signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        const token = this.stopToken(conn);
        await this.call(conn, (r) => r.step(this.playBatches, this.playBudgetMs, token));
        this.wantSnapshot(conn);
        // a snapshot or another answer for the page on its way: let it arrive and be drawn before the
        // worker trains on; what the page asks for while it draws (the anatomy of the batch it shows) too,
        // a few rounds at most
        const waitStart = globalThis.performance.now();
        let rounds = 0;
        for (; rounds < PAGE_ROUNDS && !signal.aborted; rounds++) {
          const pulling = [...(this.snapshotInFlight ? [this.snapshotInFlight] : []), ...this.pageCalls];
          // an answer that arrived while the worker trained is drawn now too: wait for that as well
          if (pulling.length === 0 && this.pageAnswers === this.pageAnswersDrawn) break;
          await Promise.all(pulling);
          this.pageAnswersDrawn = this.pageAnswers;
          if (!signal.aborted) await this.yieldToPage();
        }
        if (rounds > 0) this.pageWaitMs = 0.7 * this.pageWaitMs + 0.3 * (globalThis.performance.now() - waitStart);
        if (!signal.aborted) await this.keepResumePoint(conn);
      }
    } catch (e) {
      if (this.playing?.signal === signal) this.playing = null;
      this.fail(conn, e);
    }
  }

  /**
   * Pulls a snapshot on an animation frame; while playing at most one per playSnapshotInterval (every view
   * redraws from each one, so more would only load the page), and at once when play has stopped, so the
   * page shows where training stopped; never more than one request in flight.
   */
  private wantSnapshot(conn: Connection): void {
    this.snapshotWanted = true;
    const held = this.snapshotTimer;
    if (held && !this.playing) {
      clearTimeout(held.timer);
      this.snapshotTimer = null;
      held.pull();
      return;
    }
    if (this.frameScheduled || this.snapshotInFlight) return;
    this.frameScheduled = true;
    const wait = this.playing ? this.lastSnapshotAt + playSnapshotInterval(this.snapshotIntervalMs, this.pageWaitMs) - globalThis.performance.now() : 0;
    const pull = (): void => nextFrame(() => {
      this.frameScheduled = false;
      if (!this.snapshotWanted || conn !== this.conn || conn.dead) return;
      this.snapshotWanted = false;
      this.lastSnapshotAt = globalThis.performance.now();
      this.snapshotInFlight = this.call(conn, (r) => r.snapshot(this.heatmapRows))
        .then((snapshot) => {
          if (conn === this.conn) this.set({ snapshot });
        })
        .catch((e: unknown) => this.fail(conn, e))
        .finally(() => {
          this.snapshotInFlight = null;
          if (this.snapshotWanted) this.wantSnapshot(conn);
        });
    });
    if (wait > 0) {
      const timer = setTimeout(() => {
        this.snapshotTimer = null;
        pull();
      }, wait);
      this.snapshotTimer = { timer, pull };
    } else {
      pull();
    }
  }
}

function toBridgeError(e: unknown): BridgeError {
  if (e instanceof BridgeFailure) return { message: e.message, issues: e.issues };
  return { message: messageOf(e), issues: [] };
}
