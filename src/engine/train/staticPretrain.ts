/**
 * DistTGL's static node memory pre-training: before the model trains, a copy of it without dynamic memory
 * (its memory replaced by the static table: every read is the node's static row) trains on the training
 * split with the same task (link prediction against random negatives, the same batch size and learning
 * rate) for a few epochs; its table is then frozen into the model's static memory, which the model reads
 * as memory + Linear(static) from then on (StaticMemory.freeze).
 */
import type { EventStream } from '../data/eventStream.ts';
import { createTgn, type TgnModel } from '../models/tgn.ts';
import { Rng } from '../util/rng.ts';
import { NO_PARALLELISM } from '../../shared/parallelSchedule.ts';
import type { StaticPretrainReport } from '../../shared/training.ts';
import type { Trainer as TrainerType, TrainerOptions } from './trainer.ts';

/** epochs of pre-training (each a full pass over the training split, then validation) */
export const STATIC_PRETRAIN_EPOCHS = 2;

export async function pretrainStaticMemory(
  model: TgnModel,
  stream: EventStream,
  options: TrainerOptions,
  makeTrainer: (model: TgnModel, options: TrainerOptions) => TrainerType,
  epochs: number,
): Promise<StaticPretrainReport> {
  const target = model.modules.staticMemory;
  if (!target) throw new Error('static memory pre-training needs a model with static memory');
  if (target.pretrained) throw new Error('static memory pre-training: the table is frozen already');
  const started = globalThis.performance.now();
  const pre = createTgn(stream, { ...model.config, memory: false, staticMemory: true }, options.seed);
  const trainer = makeTrainer(pre, { ...options, staticPretrainEpochs: 0, parallelism: NO_PARALLELISM, exact: false });
  let valAp = NaN;
  try {
    for (let e = 0; e < epochs; e++) valAp = (await trainer.runEpoch()).val.apBatchMean;
    const values = Float32Array.from(await pre.modules.staticMemory!.table.data<'float32'>());
    target.freeze(values, new Rng(options.seed).fork(7));
  } finally {
    trainer.dispose();
    pre.dispose();
  }
  return { epochs, seconds: (globalThis.performance.now() - started) / 1000, valAp };
}
