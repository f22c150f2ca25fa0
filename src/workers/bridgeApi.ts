// The contract between the UI and the engine worker(s). `EngineBridge` (bridge.ts) implements it; React
// reads it through useSyncExternalStore (getState/subscribe). Engine types only: no tfjs here.
import type { BridgeError, ImportOptions, ExportFormat, ExportResult, DatasetSummary } from '../shared/data.ts';

import type { BatchAnatomy, StalenessAtBatchSize, EdgeBankBaselineResult, EdgeBankMemory, NegativeStrategy } from '../shared/lab.ts';
import type { BackendPreference, BackendReport } from '../shared/backend.ts';
import type { ExperimentSettings } from '../shared/settings.ts';
import type { NodeDetail, TimelineHistogram, TrainingSnapshot } from '../shared/training.ts';
import type { DatasetInput, SweepOptions } from './sweep.ts';
import type { SweepJob, SweepJobResult } from '../shared/lab.ts';
import type { BrowserCheckpointEntry, CheckpointContinued, CheckpointDownload, CheckpointEvaluationResult, CheckpointFile, CheckpointSummary } from '../shared/checkpoint.ts';
import type { DatasetData } from './importBlob.ts';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';

export type BridgeStatus = 'starting' | 'idle' | 'importing' | 'ready' | 'playing' | 'error';

export interface BridgeState {
  readonly status: BridgeStatus;
  /** what the engine is doing while it starts or loads, in words ("looking for a WebGPU adapter"); null otherwise */
  readonly stage: string | null;
  readonly backend: BackendReport | null;
  readonly dataset: DatasetSummary | null;
  /** 0..1 while a file is being parsed in the worker, else null */
  readonly importProgress: number | null;
  /** the last error; the previous dataset and model stay usable */
  readonly error: BridgeError | null;
  /** the newest snapshot (pulled at most once per animation frame) */
  readonly snapshot: TrainingSnapshot | null;
  readonly timeline: TimelineHistogram | null;
  readonly settings: ExperimentSettings;
  /** what the bridge did on its own that the page should say (a crashed worker restarted), until dismissed */
  readonly notice: string | null;
}

export interface EngineBridgeApi {
  getState(): BridgeState;
  /** React's useSyncExternalStore subscribe: returns the unsubscribe function */
  subscribe(listener: () => void): () => void;
  /** (re)starts the worker with a backend preference; keeps the dataset and settings if any */
  start(backend: BackendPreference): Promise<BackendReport>;
  /** begins start(backend) early (before the UI has loaded); the first start() with that preference takes it over */
  prestart(backend: BackendPreference): void;
  /** parses a file in the worker (with progress); on failure the previous dataset stays loaded */
  /** data: a File is read by the worker in slices (never whole); bytes are copied */
  loadDataset(name: string, data: DatasetData, options?: ImportOptions): Promise<DatasetSummary>;
  configure(settings: ExperimentSettings): Promise<void>;
  play(): void;
  pause(): void;
  /** clears `notice` */
  dismissNotice(): void;
  /** runs `batches` batches then stops (pauses first if playing) */
  step(batches?: number): Promise<void>;
  /** rebuilds the model from the current settings (epoch 1, fresh weights from the seed) */
  reset(): Promise<void>;
  watch(nodes: readonly number[]): Promise<void>;
  nodeDetail(node: number): Promise<NodeDetail>;
  /** the batch-anatomy picture of events [from, from + batchSize) of the loaded stream, with a mailbox of `mailboxSize` */
  anatomy(from: number, batchSize: number, mailboxSize: number): Promise<BatchAnatomy>;
  /** data-level stale and dropped fractions over the training range, per batch size */
  stalenessCurve(batchSizes: readonly number[], mailboxSize: number): Promise<StalenessAtBatchSize[]>;
  /** the loaded dataset as DyGLib or TGL files (+ the TGL/DistTGL config of the current settings); name defaults from the file */
  exportDataset(format: ExportFormat, name?: string): Promise<ExportResult>;
  /** the dataset as last imported (the bridge keeps its bytes), or null */
  datasetInput(): DatasetInput | null;
  /**
   * The EdgeBank baseline (no learning) on the loaded dataset's split, in batches of the evaluation batch size:
   * the numbers `tgnn train --model edgebank` prints. The model and training position are untouched; failures
   * go to the caller, not to the bridge state.
   */
  edgeBankBaseline(memory: EdgeBankMemory, negatives: NegativeStrategy): Promise<EdgeBankBaselineResult>;
  /**
   * Checkpoints (shared/checkpoint.ts). A checkpoint of the current model is made from a copy and
   * evaluated as it is saved; loading evaluates on a separate model against the loaded dataset. Failures
   * (another dataset, a damaged file) reject with a message and leave the model, dataset and bridge state as they were.
   */
  exportCheckpoint(): Promise<CheckpointDownload>;
  saveCheckpointToBrowser(): Promise<{ readonly entry: BrowserCheckpointEntry; readonly summary: CheckpointSummary }>;
  listBrowserCheckpoints(): Promise<BrowserCheckpointEntry[]>;
  deleteBrowserCheckpoint(url: string): Promise<void>;
  evaluateBrowserCheckpoint(url: string): Promise<CheckpointEvaluationResult>;
  evaluateCheckpointFiles(files: readonly CheckpointFile[]): Promise<CheckpointEvaluationResult>;
  /**
   * The checkpoint loaded last becomes the playground's model: its weights, optimizer state and epoch
   * counter, with its settings (now `settings` in the state); play trains on from the next epoch. Pauses first.
   */
  continueFromCheckpoint(): Promise<CheckpointContinued>;
  /**
   * Runs sweep points in extra engine workers (see workers/sweep.ts) on the current dataset, with the
   * backend the main worker runs; the playground's own model is untouched. Rejects with SweepCancelled on abort.
   */
  sweep(jobs: readonly SweepJob[], options?: Omit<SweepOptions, 'backend'>): Promise<SweepJobResult[]>;
  /**
   * The serving lab (engine/serve): serves what a checkpoint of the current model would hold on the test
   * events as a live feed, with `tgnn serve`'s numbers for that checkpoint. Pauses training first; the model
   * and training position are untouched. Fails (the model cannot be checkpointed) with a message.
   */
  serve(options: ServeOptions): Promise<ServeRun>;
  dispose(): void;
}
