// The EngineSession as the worker exposes it: snapshots hand their typed arrays over (transferred, not
// copied), and import errors come back as data with their line/column issues (comlink would keep only
// an Error's message). No engine logic here.
import * as Comlink from 'comlink';
import { ImportError, importEventStream } from '../engine/data/import.ts';
import type { ImportOptions, ExportFormat, ExportResult, DatasetSummary } from '../shared/data.ts';
import type { BridgeError } from '../shared/data.ts';
import { exportStream } from '../engine/data/export.ts';
import { modelConfigOf } from '../engine/experiment.ts';
import { EngineSession } from '../engine/session/session.ts';
import { whenGpuDeviceLost } from '../engine/backend.ts';
import type { StalenessAtBatchSize, SweepPoint, EdgeBankMemory, NegativeStrategy, EdgeBankBaselineResult } from '../shared/lab.ts';
import type { BackendPreference, BackendReport, BackendStartOptions } from '../shared/backend.ts';
import type { BatchSummary, NodeDetail, TimelineHistogram, TrainingSnapshot } from '../shared/training.ts';
import type { ExperimentSettings } from '../shared/settings.ts';
import type { BrowserCheckpointEntry, CheckpointContinued, CheckpointDownload, CheckpointEvaluationResult, CheckpointFile, CheckpointSummary } from '../shared/checkpoint.ts';
import * as checkpoints from './checkpointWorker.ts';
import { serveModel } from './servingWorker.ts';
import { webThread } from './webThreads.ts';
import { LazyThreadExecutor, ThreadExecutor, type TrainerThreadReply, type TrainerThreadRequest } from '../engine/train/trainerThreads.ts';
import type { TrainerExecutor } from '../engine/train/parallel.ts';
import type { ExperimentRun } from '../engine/experiment.ts';
import { parallelismOf, trainerThreadsBlocker } from '../shared/knobs.ts';
import { trainersOf } from '../shared/parallelSchedule.ts';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';
import { importBlob, type DatasetData } from './importBlob.ts';
import { pageImportMessage, pageImportReport, pageIssues } from './importMessages.ts';

export type ImportOutcome = { readonly ok: true; readonly summary: DatasetSummary } | { readonly ok: false; readonly error: BridgeError };

export type ExportOutcome = { readonly ok: true; readonly result: ExportResult } | { readonly ok: false; readonly error: BridgeError };

/** ImportOptions without the callback, which cannot cross the worker boundary by value */
export type PlainImportOptions = Omit<ImportOptions, 'onProgress'>;

type View = { readonly buffer: ArrayBufferLike };

function buffersOf(views: readonly View[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

/** every buffer of a snapshot (all freshly allocated by EngineSession.snapshot) */
export function snapshotBuffers(s: TrainingSnapshot): ArrayBuffer[] {
  return buffersOf([
    s.loss, s.lossEpoch, s.heatmap.nodes, s.heatmap.values, s.heatmap.touched,
    s.projection.nodes, s.projection.x, s.projection.y, s.projection.memoryAge, s.projection.seen,
    ...s.trails.flatMap((t) => [t.x, t.y]),
    s.probes.staleFraction, s.probes.droppedMailFraction, s.probes.ageP50, s.probes.ageP90, s.probes.ageMax, s.probes.lastAges,
  ]);
}

export function nodeDetailBuffers(d: NodeDetail): ArrayBuffer[] {
  return buffersOf([d.eventTimes, d.eventOther, d.eventIsSource, d.memory, d.history, d.historyTimes]);
}

/** how long a checkpoint call (evaluation, replay) may go without a heartbeat */
const LONG_CALL_QUIET_MS = 60_000;

/** ms between two heartbeats of the worker (the bridge calls it unresponsive after HEARTBEAT_TIMEOUT_MS) */
export const HEARTBEAT_MS = 250;

/** what the worker sends on the heartbeat channel: a beat (its count), or that the GPU device was lost */
export type BeatMessage = number | { readonly lost: string } | { readonly quiet: number };

/** the part of a MessagePort the heartbeat uses */
export interface BeatPort {
  postMessage(message: BeatMessage): void;
}

export class WorkerSession extends EngineSession {
  private heartbeat: { readonly port: BeatPort; last: number; count: number; timer: ReturnType<typeof setInterval> } | null = null;

  /**
   * Starts sending heartbeats (a counter) on `port`: every HEARTBEAT_MS while the worker's thread is free,
   * and from inside long batches between their parts (Trainer.onProgress), so the bridge can tell a busy
   * worker from a dead one.
   */
  attachHeartbeat(port: BeatPort): void {
    if (this.heartbeat) clearInterval(this.heartbeat.timer);
    this.heartbeat = { port, last: 0, count: 0, timer: setInterval(() => this.beat(), HEARTBEAT_MS) };
    this.beat();
  }

  private beat(): void {
    const hb = this.heartbeat;
    if (!hb) return;
    hb.count++;
    hb.last = globalThis.performance.now();
    hb.port.postMessage(hb.count);
  }

  /**
   * A shared counter the bridge raises to stop the running step (pause, reset, another dataset): a step
   * given the counter's value when it was asked for stops as soon as the counter has moved on, before its
   * next batch or between two events of an exact-mode batch (which the next step carries on).
   */
  attachControl(buffer: SharedArrayBuffer): void {
    this.control = new Int32Array(buffer);
  }

  private control: Int32Array | null = null;
  private stopToken: number | null = null;

  override async step(maxBatches = 1, budgetMs = Infinity, stopToken?: number): Promise<BatchSummary | null> {
    this.stopToken = stopToken ?? null;
    try {
      return await super.step(maxBatches, budgetMs);
    } finally {
      this.stopToken = null;
    }
  }

  protected override shouldStop(): boolean {
    return this.control !== null && this.stopToken !== null && Atomics.load(this.control, 0) !== this.stopToken;
  }

  /** tells the bridge that the next `ms` may pass without a beat (one long computation) */
  protected override beforeLongWork(ms: number): void {
    this.heartbeat?.port.postMessage({ quiet: ms });
  }

  protected override onProgress(): void {
    const hb = this.heartbeat;
    if (hb && globalThis.performance.now() - hb.last >= HEARTBEAT_MS) this.beat();
  }

  override dispose(): void {
    if (this.heartbeat) clearInterval(this.heartbeat.timer);
    this.heartbeat = null;
    super.dispose();
  }

  /**
   * importData with progress through a (comlink-proxied) callback; failures return their issues. A File
   * (Blob) is read in slices (importBlob), never whole.
   */
  async importFile(name: string, input: DatasetData, options: PlainImportOptions = {}, onProgress?: (fractionDone: number) => void): Promise<ImportOutcome> {
    try {
      const withProgress: ImportOptions = onProgress ? { ...options, onProgress: (f) => void onProgress(f) } : options;
      const summary = this.importData(name, input instanceof Blob ? await importBlob(name, input, withProgress) : input, withProgress);
      return { ok: true, summary: { ...summary, report: pageImportReport(summary.report) } };
    } catch (e) {
      if (e instanceof ImportError) return { ok: false, error: { message: pageImportMessage(e), issues: pageIssues(e.issues) } };
      if (e instanceof Error) return { ok: false, error: { message: e.message, issues: [] } };
      throw e;
    }
  }

  /**
   * DyGLib / TGL files of a dataset (the bytes the bridge kept, parsed again here: EngineSession keeps its
   * stream private), with the TGL/DistTGL config of `settings`; the file buffers are transferred.
   */
  async exportDataset(input: DatasetData, options: PlainImportOptions, format: ExportFormat, name: string, settings: ExperimentSettings): Promise<ExportOutcome> {
    try {
      const { stream } = input instanceof Blob ? await importBlob(name, input, options) : importEventStream(input, options);
      // written into the TGL/DistTGL config: the model the settings build, at the CLI export's default of 10 epochs
      const model = { preset: settings.model, config: modelConfigOf(settings), batchSize: settings.batchSize, learningRate: settings.learningRate, epochs: 10 };
      const result = exportStream(stream, format, { name, model });
      return Comlink.transfer({ ok: true, result }, buffersOf(result.files.map((f) => f.bytes)));
    } catch (e) {
      if (e instanceof ImportError) return { ok: false, error: { message: pageImportMessage(e), issues: e.issues } };
      if (e instanceof Error) return { ok: false, error: { message: e.message, issues: [] } };
      throw e;
    }
  }

  /** runSweepPoint with training progress through a (comlink-proxied) callback */
  sweepPoint(settings: ExperimentSettings, driftEvents?: number, onBatch?: (done: number, total: number) => void): Promise<SweepPoint> {
    return this.runSweepPoint(settings, driftEvents, onBatch ? (done, total) => void onBatch(done, total) : undefined);
  }

  // checkpoints (workers/checkpointWorker.ts): made from a copy and evaluated on a separate model, so this
  // session's model, dataset and training position stay as they are
  exportCheckpoint(): Promise<CheckpointDownload> {
    return this.quietly(() => checkpoints.exportCheckpoint(this));
  }

  saveCheckpointToBrowser(): Promise<{ readonly entry: BrowserCheckpointEntry; readonly summary: CheckpointSummary }> {
    return this.quietly(() => checkpoints.saveCheckpointToBrowser(this));
  }

  listBrowserCheckpoints(): Promise<BrowserCheckpointEntry[]> {
    return checkpoints.listBrowserCheckpoints();
  }

  deleteBrowserCheckpoint(url: string): Promise<void> {
    return checkpoints.deleteBrowserCheckpoint(url);
  }

  evaluateBrowserCheckpoint(url: string): Promise<CheckpointEvaluationResult> {
    return this.quietly(() => checkpoints.evaluateBrowserCheckpoint(this, url));
  }

  evaluateCheckpointFiles(files: readonly CheckpointFile[]): Promise<CheckpointEvaluationResult> {
    return this.quietly(() => checkpoints.evaluateCheckpointFiles(this, files));
  }

  /**
   * Runs `f` (evaluating a checkpoint, replaying the training range: batch after batch with no turn of
   * the event loop, so no timed heartbeat) telling the bridge it may be silent for up to `ms` meanwhile.
   */
  private async quietly<T>(f: () => Promise<T>, ms = LONG_CALL_QUIET_MS): Promise<T> {
    this.beforeLongWork(ms);
    try {
      return await f();
    } finally {
      this.beforeLongWork(0);
    }
  }

  /**
   * The model as its last finished training phase left it, as checkpoint files without an evaluation
   * (cheap: the bridge keeps one per epoch to restore after a crash); null before an epoch's training ends.
   */
  async resumePoint(): Promise<{ readonly epochs: number; readonly files: CheckpointFile[] } | null> {
    // the inductive setting trains on another stream than checkpoints follow: a restart starts it from epoch 1
    if (!this.canCheckpoint) return null;
    const source = this.checkpointSource();
    if (!source.trained) return null;
    const d = await this.quietly(() => checkpoints.exportCheckpoint(this, false));
    const files: CheckpointFile[] = [{ name: d.modelJsonName, data: d.modelJson }, { name: d.weightsName, data: d.weights }];
    return Comlink.transfer({ epochs: source.trained.epoch, files }, [d.weights]);
  }

  /** a checkpoint given as files becomes this session's model at once (the bridge's restore after a crash) */
  continueFromCheckpointFiles(files: readonly CheckpointFile[], current: ExperimentSettings): Promise<CheckpointContinued> {
    return this.quietly(() => checkpoints.continueFromFiles(this, files, current));
  }

  /** the last loaded checkpoint becomes this session's model (the one exception to "the model stays") */
  continueFromCheckpoint(current: ExperimentSettings): Promise<CheckpointContinued> {
    return this.quietly(() => checkpoints.continueFromLoaded(this, current));
  }

  /** setBackend with startup stages through a (comlink-proxied) callback; a lost WebGPU device is reported on the heartbeat channel */
  override async setBackend(preference: BackendPreference, options: BackendStartOptions = {}, onStage?: (stage: string) => void): Promise<BackendReport> {
    const report = await super.setBackend(preference, options, onStage ? (stage) => void onStage(stage) : undefined);
    void whenGpuDeviceLost()?.then((message) => this.heartbeat?.port.postMessage({ lost: message }));
    return report;
  }

  /**
   * DistTGL's trainers on Web Workers (one per trainer, at most one per core; started on the first
   * iteration), with the numbers of the one-thread reference; only on wasm and cpu (trainer threads run the
   * session's backend, and a GPU device per thread would be too many), with two cores or more, and not with
   * a pre-trained static memory (trainerThreadsBlocker).
   */
  protected override trainerExecutor(experiment: ExperimentRun): TrainerExecutor | null {
    const backend = this.backend?.backend;
    if ((backend !== 'wasm' && backend !== 'cpu') || trainerThreadsBlocker(experiment.settings) !== null) return null;
    const workers = Math.min(trainersOf(parallelismOf(experiment.settings)), globalThis.navigator?.hardwareConcurrency ?? 1);
    if (workers < 2) return null;
    return new LazyThreadExecutor(workers, () => ThreadExecutor.start(workers, backend, experiment.stream, experiment.config, (i) => webThread<TrainerThreadRequest, TrainerThreadReply>(
      new Worker(new URL('./trainerThread.worker.ts', import.meta.url), { type: 'module' }), `trainer thread ${i}`,
    )));
  }

  /** the serving lab on what a checkpoint of the model holds (servingWorker.ts) */
  serve(options: ServeOptions): Promise<ServeRun> {
    return this.quietly(() => serveModel(this, options));
  }

  // one synchronous pass over the stream each (no heartbeat meanwhile): announced as quiet
  override edgeBankBaseline(memory: EdgeBankMemory, negatives: NegativeStrategy): EdgeBankBaselineResult {
    return this.quietSync(() => super.edgeBankBaseline(memory, negatives));
  }

  override stalenessCurve(batchSizes: readonly number[], mailboxSize?: number): StalenessAtBatchSize[] {
    return this.quietSync(() => super.stalenessCurve(batchSizes, mailboxSize));
  }

  private quietSync<T>(f: () => T): T {
    this.beforeLongWork(LONG_CALL_QUIET_MS);
    try {
      return f();
    } finally {
      this.beforeLongWork(0);
    }
  }

  override snapshot(heatmapRows?: number): TrainingSnapshot {
    const s = super.snapshot(heatmapRows);
    return Comlink.transfer(s, snapshotBuffers(s));
  }

  override nodeDetail(node: number): NodeDetail {
    const d = super.nodeDetail(node);
    return Comlink.transfer(d, nodeDetailBuffers(d));
  }

  override timeline(bins?: number): TimelineHistogram {
    const t = super.timeline(bins);
    return Comlink.transfer(t, buffersOf([t.counts]));
  }
}
