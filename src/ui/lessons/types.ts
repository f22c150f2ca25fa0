// The shape of a guided lesson. Lessons are data (one object per lesson in this folder): every step says
// what experiment state it sets, what the reader predicts, what it runs (one RunAction, interpreted by
// runner.ts), which measured numbers it shows and the sentence of why, chosen by what was measured.
// Text fields are templates (template.ts): `{key}` or `{key|format}` inserts a measured value, and
// `[[term]]` / `[[term|shown words]]` links a glossary entry (glossary.ts).
import type { ExperimentSettings } from '../../shared/settings.ts';
import type { VariantId } from '../lab/labData.ts';
import type { ServeKnobValues, ServeMode } from '../../shared/serving.ts';
import type { ServingAction } from '../lab/servingData.ts';

/**
 * A batch size in a lesson: a number, or one the runner picks for the loaded stream ('small' is quick to
 * watch and fresh; 'large' leaves at least ten training batches, at most 2,000 events): see sizes.ts.
 */
export type BatchSizeRef = number | 'small' | 'large';

/** settings a lesson or step sets, on top of the playground's defaults; batch sizes may be symbolic */
export type LessonSettings = Partial<Omit<ExperimentSettings, 'batchSize' | 'evalBatchSize'>> & {
  readonly batchSize?: BatchSizeRef;
  /** 0 = the training batch size */
  readonly evalBatchSize?: BatchSizeRef | 0;
};

/** the page regions a step can bring into view (their data-testid) */
export type ViewId =
  | 'training-curves' | 'memory-map' | 'stream-timeline' | 'memory-heatmap' | 'node-inspector'
  | 'batch-anatomy' | 'probe-bars' | 'age-histogram' | 'sweep' | 'settings' | 'parallel-card' | 'serving';

/** one sweep point: a variant of the lab's sweep at a batch size, evaluated at the training batch size unless set */
export interface SweepPointSpec {
  readonly variant: VariantId;
  readonly batchSize: BatchSizeRef;
  readonly evalBatchSize?: BatchSizeRef;
}

/**
 * What a step runs. Each kind produces the measured values listed in RUN_OUTPUTS (runner.ts); keys with
 * an `N` there are numbered 1, 2, … after the runs or points of the action.
 */
export type RunAction =
  /** trains batches of the playground's own model (a fresh one when `fresh`), never past the training phase */
  | { readonly kind: 'train-batches'; readonly batches: number | 'rest-of-training'; readonly fresh: boolean }
  /**
   * picks one node, selects it in the memory map and the node inspector, and trains one batch: `has-event`
   * picks a node of the next batch that has a mail waiting; `no-event` a node with a memory that is not
   * in the next batch
   */
  | { readonly kind: 'node-batch'; readonly pick: 'has-event' | 'no-event' }
  /** shows one batch of the stream in the lab's batch anatomy and counts its stale events and dropped mails */
  | { readonly kind: 'anatomy'; readonly batchSize: BatchSizeRef; readonly mailboxSize: number; readonly batch: number }
  /** data-level stale and dropped shares over the whole training range, at each batch size */
  | { readonly kind: 'staleness-curve'; readonly batchSizes: readonly BatchSizeRef[]; readonly mailboxSize: number }
  /**
   * trains a fresh playground model per run (the step's settings plus the run's): first `warmupEvents`
   * unmeasured (whole batches), then the batches that cover `measureEvents`, whose live probes and batch
   * times it averages; the last run stays loaded
   */
  | { readonly kind: 'train-compare'; readonly runs: readonly LessonSettings[]; readonly warmupEvents: number; readonly measureEvents: number }
  /**
   * trains a fresh model per point for one epoch in `workers` parallel workers. `where: 'lab'` runs it in
   * the lab's batch-size sweep (which plots it; points must then be every variant × every batch size and
   * evaluate at the training batch size); `'lesson'` runs the points as given. Points already measured in
   * this lesson (same stream, same settings) are reused, not run again.
   */
  | {
    readonly kind: 'sweep';
    readonly where: 'lab' | 'lesson';
    readonly points: readonly SweepPointSpec[];
    /**
     * a point to compare the others with, not one of the choices (e.g. the plain model at a small batch:
     * the accuracy a fix would have to win back); measured as refAp, refGain = refAp − ap1, refRate
     */
    readonly reference?: SweepPointSpec;
    readonly workers: number;
    /** validation events of the memory-drift check (replayed at B and at B = 1) */
    readonly driftEvents: number;
  }
  | ServeAction;

/**
 * What a serve step asks of the lab's Serving card (virtual clock, so a lesson measures the same numbers
 * every time): one mode (`serve`), the three modes on the same feed (`compare`, runs 1–3 in SERVE_MODES
 * order), or each mode at six event rates around R (`frontier`, mode-major); knob values not given keep
 * the card's.
 */
export interface ServeAction {
  readonly kind: 'serve';
  readonly action: ServingAction;
  readonly mode: ServeMode;
  readonly values: Partial<ServeKnobValues>;
}

export type RunKind = RunAction['kind'];

/** the numbers a run measured, by name (RUN_OUTPUTS), plus the batch sizes it resolved */
export type Measured = Readonly<Record<string, number>>;

/** how a measured value is written */
export type ValueFormat =
  | 'pct' // 0.123 → 12.3 %
  | 'pp' // signed percentage points: 0.021 → +2.1 points
  | 'ap' // 0.8123 → 0.812
  | 'signed-ap' // 0.0123 → +0.012
  | 'int' // 1234 → 1,234
  | 'rate' // events per second: 1234.5 → 1,235 events/s
  | 'ratio' // 2.345 → 2.3×
  | 'span' // a stream-time span (human duration for unix times)
  | 'seconds' // 12.34 → 12 s
  | 'num'; // a plain number

export interface PredictionChoice {
  readonly id: string;
  readonly text: string;
  /** true when the measurement agrees with this choice; absent for a question with no right answer */
  readonly agrees?: (m: Measured) => boolean;
}

export interface ShownValue {
  /** template: may name resolved batch sizes, e.g. 'dropped mails at B = {batch1}' */
  readonly label: string;
  readonly key: string;
  readonly format: ValueFormat;
}

export interface Explanation {
  /** the first explanation whose `when` holds (or has none) is shown */
  readonly when?: (m: Measured) => boolean;
  readonly text: string;
}

export interface LessonStep {
  readonly title: string;
  /** what the reader looks at and why (template; may link glossary terms) */
  readonly text: string;
  /** the state the step sets when it opens: settings on top of the lesson's, and the view in focus */
  readonly setup: {
    readonly settings?: LessonSettings;
    readonly focus: ViewId;
    /** the lab's batch anatomy shows this batch */
    readonly anatomy?: { readonly batchSize: BatchSizeRef; readonly mailboxSize: number; readonly batch: number };
  };
  readonly predict: {
    readonly question: string;
    readonly choices: readonly PredictionChoice[];
  };
  readonly run: RunAction;
  /** label of the Run button, e.g. 'Train one batch' */
  readonly runLabel: string;
  readonly show: readonly ShownValue[];
  readonly why: readonly Explanation[];
}

export interface Lesson {
  /** the `#lesson=` name */
  readonly name: string;
  readonly title: string;
  /** one line for the lesson list */
  readonly summary: string;
  /** a bundled stream by name; absent, or not in the index: the index's first (the default stream) */
  readonly dataset?: string;
  /** the lesson's starting settings, on top of the playground's defaults */
  readonly settings: LessonSettings;
  readonly steps: readonly LessonStep[];
}
