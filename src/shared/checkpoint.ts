// Plain types of the checkpoint calls between the UI and the engine worker (no tfjs: the page bundle may
// import them). The worker side is src/workers/checkpointWorker.ts; the format is src/engine/checkpoint/checkpoint.ts.
import type { LinkMetrics } from './training.ts';
import type { ExperimentSettings } from './settings.ts';

/** val/test metrics of a checkpoint (mean of per-batch AP/AUC, as training reports them) */
export interface CheckpointMetrics {
  readonly val: LinkMetrics;
  readonly test: LinkMetrics;
}

/** what the UI shows about a checkpoint */
export interface CheckpointSummary {
  readonly preset: string;
  /** the dataset name it was saved on */
  readonly datasetName: string;
  readonly numEvents: number;
  readonly numNodes: number;
  readonly epochs: number | null;
  /** ISO time */
  readonly createdAt: string;
  /** its evaluation when it was saved, if recorded */
  readonly saved: CheckpointMetrics | null;
  /** 'trained': the memory training wrote (AP = that epoch's); 'replayed': rebuilt with the weights; null when not recorded */
  readonly memory: 'trained' | 'replayed' | null;
}

/** a checkpoint of the current model as the two files tf.io.browserDownloads would write */
export interface CheckpointDownload {
  readonly modelJsonName: string;
  readonly modelJson: string;
  readonly weightsName: string;
  readonly weights: ArrayBuffer;
  readonly summary: CheckpointSummary;
}

export interface BrowserCheckpointEntry {
  /** indexeddb://tgnn-… */
  readonly url: string;
  /** the url without its scheme */
  readonly name: string;
  /** ISO time */
  readonly dateSaved: string;
  readonly bytes: number;
}

/** a file the user picked: model.json as text, weight files as bytes */
export interface CheckpointFile {
  readonly name: string;
  readonly data: string | ArrayBuffer;
}

/** what continuing training from a loaded checkpoint did */
export interface CheckpointContinued {
  /** where it came from (as in CheckpointEvaluationResult) */
  readonly source: string;
  /** the checkpoint's settings, now the page's */
  readonly settings: ExperimentSettings;
  /** epochs behind it: training goes on with epoch `epochs + 1` */
  readonly epochs: number;
  /** true when it held no optimizer state (format 1, or saved before any epoch finished): a fresh optimizer goes on from its weights */
  readonly freshOptimizer: boolean;
}

/** a checkpoint loaded against the current dataset and evaluated */
export interface CheckpointEvaluationResult extends CheckpointMetrics {
  /** where it came from (file names or the browser storage name) */
  readonly source: string;
  readonly summary: CheckpointSummary;
  /** the tfjs backend that evaluated it */
  readonly backend: string;
}
