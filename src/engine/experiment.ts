// buildRun: the one mapping from experiment settings (src/shared/knobs.ts) to what the engine runs — the model
// config, the trainer options, the stream and split trained on, the evaluation mask and the source of the
// evaluation negatives. The CLI (train, sweep, export), the page's session, its sweep points, the EdgeBank
// baseline and the exports all build from here, so a setting means the same thing everywhere.
import type { EventStream } from './data/eventStream.ts';
import { chronologicalSplit, inductiveSplit, type ChronologicalSplit, type InductiveSplit } from './data/split.ts';
import { STATIC_PRETRAIN_EPOCHS } from './train/staticPretrain.ts';
import { TRAINER_DEFAULTS, type TrainerOptions } from './train/trainer.ts';
import { MODEL_PRESETS, type TgnConfig } from '../shared/presets.ts';
import { evalBatchSizeOf, parallelismOf, settingsProblems } from '../shared/knobs.ts';
import type { ExperimentSettings } from '../shared/settings.ts';

/** settings that break a rule across knobs (knobs.ts settingsProblems), named by their hash keys */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** DyGLib fixes the seed of the choice of new test nodes */
export const INDUCTIVE_SPLIT_SEED = 2020;

/** Everything a run of these settings trains and evaluates on. */
export interface ExperimentRun {
  readonly settings: ExperimentSettings;
  readonly config: TgnConfig;
  /**
   * the trainer's options; in the inductive setting with `evalMask` (the validation/test events with a node
   * unseen in training) and `negativeSource` (negatives from the full stream, as DyGLib samples them)
   */
  readonly options: TrainerOptions;
  /** the stream trained on: the loaded one, or (inductive) the one without the new test nodes' training events */
  readonly stream: EventStream;
  readonly split: ChronologicalSplit;
  /** inductive: DyGLib's split, for reports; null in the transductive setting */
  readonly inductive: InductiveSplit | null;
}

/** the model config of these settings: the preset, with every knob the settings carry */
export function modelConfigOf(settings: ExperimentSettings): TgnConfig {
  return {
    ...MODEL_PRESETS[settings.model],
    memoryDim: settings.memoryDim,
    timeDim: settings.timeDim,
    embeddingDim: settings.embeddingDim,
    neighbours: settings.neighbours,
    layers: settings.layers,
    neighbourScope: settings.neighbourScope,
    neighbourTime: settings.neighbourTime,
    mailboxSize: settings.mailboxSize,
    aggregator: settings.aggregator,
    staticMemory: settings.staticMemory,
  };
}

/** the trainer's options of these settings (without an evaluation mask: buildRun adds it) */
export function trainerOptionsOf(settings: ExperimentSettings): TrainerOptions {
  return {
    ...TRAINER_DEFAULTS,
    batchSize: settings.batchSize,
    evalBatchSize: evalBatchSizeOf(settings),
    learningRate: settings.learningRate,
    seed: settings.seed,
    exact: settings.exact,
    evalNegatives: settings.evalNegatives,
    negativesPerPositive: settings.negativesPerPositive,
    parallelism: parallelismOf(settings),
    pipelineStaleness: settings.pipelineStaleness,
    staticPretrainEpochs: settings.staticMemory && settings.staticMemoryTraining === 'pretrained' ? STATIC_PRETRAIN_EPOCHS : 0,
  };
}

/** throws SettingsError for settings that break a rule across knobs (the CLI and the page check first, in their words) */
export function checkSettings(settings: ExperimentSettings): void {
  const errors = settingsProblems(settings).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new SettingsError(errors.map((p) => p.message((k) => k)).join('; '));
}

/**
 * The run of `settings` on `stream`. Transductive: the whole stream and its chronological split (`split`
 * when the caller has it already), no mask. Inductive (DyGLib's protocol, `inductiveSplit`): 10% of the
 * nodes, drawn with seed 2020 among those active after the validation time, lose all their training
 * events; the mask marks the validation/test events with a node unseen in training.
 */
export function buildRun(stream: EventStream, settings: ExperimentSettings, split?: ChronologicalSplit): ExperimentRun {
  checkSettings(settings);
  const config = modelConfigOf(settings);
  const options = trainerOptionsOf(settings);
  if (settings.evalSetting === 'transductive') {
    return { settings, config, options, stream, split: split ?? chronologicalSplit(stream), inductive: null };
  }
  const s = inductiveSplit(stream, { seed: INDUCTIVE_SPLIT_SEED });
  if (s.split.train[1] < 1) throw new SettingsError('no training event is left once the new test nodes are removed');
  return {
    settings, config, options: { ...options, evalMask: s.inductiveMask, negativeSource: { stream, originalEvent: s.originalEvent } },
    stream: s.stream, split: s.split, inductive: s,
  };
}
