import { CheckpointError, type CheckpointMeta, type CheckpointResume } from '../checkpoint/checkpoint.ts';
import { MODEL_NAMES, type ModelName, type TgnConfig } from '../../shared/presets.ts';
import { modelConfigOf } from '../experiment.ts';
import { TRAINER_DEFAULTS } from '../train/trainer.ts';
import type { ExperimentSettings } from '../../shared/settings.ts';

/**
 * The settings a checkpoint holds: its model preset and every knob of its config, batch sizes, exact mode,
 * evaluation negatives and (with resume state) learning rate and seed; without resume state the learning
 * rate and seed stay `current`'s. Config fields that are no knob (dropout, heads) are not in settings:
 * settingsOfCheckpoint refuses a checkpoint whose config settings cannot build.
 */
export function checkpointSettings(meta: CheckpointMeta, resume: CheckpointResume | null, current: ExperimentSettings): ExperimentSettings {
  if (!(MODEL_NAMES as readonly string[]).includes(meta.preset)) throw new CheckpointError(`this checkpoint's model '${meta.preset}' is not one the page trains; ${ELSEWHERE}`);
  const model = meta.preset as ModelName;
  const c = meta.config;
  const o = meta.options;
  return {
    model,
    memoryDim: c.memoryDim,
    timeDim: c.timeDim,
    embeddingDim: c.embeddingDim,
    neighbours: c.neighbours,
    layers: c.layers,
    neighbourScope: c.neighbourScope,
    neighbourTime: c.neighbourTime,
    mailboxSize: c.mailboxSize,
    aggregator: c.aggregator,
    staticMemory: c.staticMemory,
    // checkpoints are refused with a pre-trained static memory (its frozen table is no variable yet)
    staticMemoryTraining: 'joint',
    batchSize: o.batchSize,
    // 0: the training batch size (the page's way to say "the same")
    evalBatchSize: o.evalBatchSize === o.batchSize ? 0 : o.evalBatchSize,
    exact: o.exact,
    learningRate: resume?.learningRate ?? current.learningRate,
    seed: resume?.seed ?? current.seed,
    // checkpoints follow the chronological split
    evalSetting: 'transductive',
    evalNegatives: o.evalNegatives,
    metric: o.negativesPerPositive > 1 ? 'mrr' : 'ap',
    negativesPerPositive: o.negativesPerPositive,
    // checkpoints are refused with parallelism (session.canCheckpoint, the CLI): they train without it
    minibatchParallelism: 1,
    epochParallelism: 1,
    memoryParallelism: 1,
    pipelineStaleness: 0,
  };
}

const ELSEWHERE = 'continue it with tgnn train --resume';

/**
 * The playground settings a checkpoint was trained with, so the page can continue it (checkpointSettings).
 * A checkpoint whose config no settings can build (a field that is not a knob differs from the preset's)
 * or that evaluates with other fixed negatives is refused, naming what differs.
 */
export function settingsOfCheckpoint(meta: CheckpointMeta, resume: CheckpointResume | null, current: ExperimentSettings): ExperimentSettings {
  const settings = checkpointSettings(meta, resume, current);
  const c = meta.config;
  const o = meta.options;
  // the settings build MODEL_PRESETS[model] with their knobs: every other config field must be the preset's
  const built = modelConfigOf(settings);
  for (const key of new Set([...Object.keys(built), ...Object.keys(c)]) as Set<keyof TgnConfig>) {
    if (built[key] !== c[key]) {
      throw new CheckpointError(`this checkpoint's ${String(key)} is ${String(c[key])}; the page's ${settings.model} has ${String(built[key])} and cannot change it; ${ELSEWHERE}`);
    }
  }
  if (o.evalSeed !== TRAINER_DEFAULTS.evalSeed) {
    throw new CheckpointError(`this checkpoint evaluates with negatives of seed ${o.evalSeed}; the page uses seed ${TRAINER_DEFAULTS.evalSeed}; ${ELSEWHERE}`);
  }
  return settings;
}
