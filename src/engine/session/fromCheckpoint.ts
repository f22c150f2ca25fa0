import { CheckpointError, type CheckpointMeta, type CheckpointResume } from '../checkpoint/checkpoint.ts';
import { MODEL_NAMES, MODEL_PRESETS, type ModelName, type TgnConfig } from '../../shared/presets.ts';
import { TRAINER_DEFAULTS } from '../train/trainer.ts';
import type { ExperimentSettings } from '../../shared/settings.ts';

/**
 * The playground settings a checkpoint was trained with, so the page can continue it: its model preset and
 * sizes, batch sizes, exact mode, and (with resume state) learning rate and seed; without resume state the
 * learning rate and seed stay `current`'s. A checkpoint whose settings the page cannot set (a config beyond
 * the preset's page knobs, other evaluation negatives) is refused, naming what differs.
 */
export function settingsOfCheckpoint(meta: CheckpointMeta, resume: CheckpointResume | null, current: ExperimentSettings): ExperimentSettings {
  const elsewhere = 'continue it with tgnn train --resume';
  if (!(MODEL_NAMES as readonly string[]).includes(meta.preset)) throw new CheckpointError(`this checkpoint's model '${meta.preset}' is not one the page trains; ${elsewhere}`);
  const model = meta.preset as ModelName;
  const c = meta.config;
  const o = meta.options;
  const settings: ExperimentSettings = {
    model,
    memoryDim: c.memoryDim,
    timeDim: c.timeDim,
    embeddingDim: c.embeddingDim,
    neighbours: c.neighbours,
    mailboxSize: c.mailboxSize,
    aggregator: c.aggregator,
    staticMemory: c.staticMemory,
    batchSize: o.batchSize,
    // 0: the training batch size (the page's way to say "the same")
    evalBatchSize: o.evalBatchSize === o.batchSize ? 0 : o.evalBatchSize,
    exact: o.exact,
    learningRate: resume?.learningRate ?? current.learningRate,
    seed: resume?.seed ?? current.seed,
  };
  // the page builds MODEL_PRESETS[model] with its knobs: every other config field must be the preset's
  const built: TgnConfig = {
    ...MODEL_PRESETS[model], memoryDim: settings.memoryDim, timeDim: settings.timeDim, embeddingDim: settings.embeddingDim,
    neighbours: settings.neighbours, mailboxSize: settings.mailboxSize, aggregator: settings.aggregator, staticMemory: settings.staticMemory,
  };
  for (const key of new Set([...Object.keys(built), ...Object.keys(c)]) as Set<keyof TgnConfig>) {
    if (built[key] !== c[key]) {
      throw new CheckpointError(`this checkpoint's ${String(key)} is ${String(c[key])}; the page's ${model} has ${String(built[key])} and cannot change it; ${elsewhere}`);
    }
  }
  if (o.evalNegatives !== TRAINER_DEFAULTS.evalNegatives || o.negativesPerPositive !== TRAINER_DEFAULTS.negativesPerPositive || o.evalSeed !== TRAINER_DEFAULTS.evalSeed) {
    throw new CheckpointError(`this checkpoint evaluates with ${o.evalNegatives} negatives (${o.negativesPerPositive} per positive, seed ${o.evalSeed}); ` +
      `the page evaluates with ${TRAINER_DEFAULTS.evalNegatives} ones (${TRAINER_DEFAULTS.negativesPerPositive}, seed ${TRAINER_DEFAULTS.evalSeed}); ${elsewhere}`);
  }
  return settings;
}
