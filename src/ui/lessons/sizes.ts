// The batch sizes 'small' and 'large' of a lesson, picked for the loaded stream so that every lesson fits
// any bundled stream: 'small' is about 1/200 of the training events (50 … 200), 'large' the biggest
// round size that still leaves ten training batches (at most 2,000, the largest the settings allow).
import type { ExperimentSettings } from '../../shared/settings.ts';
import { BATCH_STEPS } from '../lab/labData.ts';
import type { BatchSizeRef, LessonSettings } from './types.ts';

export interface LessonSizes {
  readonly small: number;
  readonly large: number;
}

const largestStepAtMost = (v: number): number => {
  let best = BATCH_STEPS[0]!;
  for (const b of BATCH_STEPS) if (b <= v) best = b;
  return best;
};

/** the lesson sizes for a stream with `trainEvents` training events */
export function lessonSizes(trainEvents: number): LessonSizes {
  const small = Math.min(200, Math.max(50, largestStepAtMost(trainEvents / 200)));
  const large = Math.max(small, largestStepAtMost(Math.min(2000, trainEvents / 10)));
  return { small, large };
}

export function resolveBatchSize(ref: BatchSizeRef, sizes: LessonSizes): number {
  return typeof ref === 'number' ? ref : sizes[ref];
}

/** full settings: the defaults, then each layer in order, with symbolic batch sizes resolved */
export function resolveSettings(defaults: ExperimentSettings, layers: readonly (LessonSettings | undefined)[], sizes: LessonSizes): ExperimentSettings {
  let out: ExperimentSettings = defaults;
  for (const layer of layers) {
    if (!layer) continue;
    const { batchSize, evalBatchSize, ...rest } = layer;
    out = {
      ...out,
      ...rest,
      ...(batchSize !== undefined ? { batchSize: resolveBatchSize(batchSize, sizes) } : {}),
      ...(evalBatchSize !== undefined ? { evalBatchSize: evalBatchSize === 0 ? 0 : resolveBatchSize(evalBatchSize, sizes) } : {}),
    };
  }
  return out;
}
