// The experiment's settings: one field per knob of the table in knobs.ts (its type keeps the two in step).
import type { ModelName, TgnConfig } from './presets.ts';
import { resolveSettings } from './knobs.ts';

/** Everything that defines an experiment: the URL hash's engine part, the CLI's experiment flags, the panel's controls. */
export interface ExperimentSettings {
  /** model preset (presets.ts): TGN, JODIE, DyRep, APAN, TGAT or DistTGL's TGN with static memory */
  readonly model: ModelName;
  readonly memoryDim: number;
  readonly timeDim: number;
  readonly embeddingDim: number;
  readonly neighbours: number;
  /** attention layers (hops): 1, or 2 (TGAT) */
  readonly layers: number;
  readonly neighbourScope: TgnConfig['neighbourScope'];
  readonly neighbourTime: TgnConfig['neighbourTime'];
  /** mails kept per node (staleness mitigation when k > 1 with a mean or attention aggregator) */
  readonly mailboxSize: number;
  readonly aggregator: TgnConfig['aggregator'];
  /** DistTGL static node memory added to the dynamic memory when read */
  readonly staticMemory: boolean;
  /** how the static memory trains: with the model (joint), or pre-trained first and frozen (DistTGL) */
  readonly staticMemoryTraining: 'joint' | 'pretrained';
  readonly batchSize: number;
  /** evaluation batch size; 0 = the training batch size */
  readonly evalBatchSize: number;
  /** exact mode: B = 1 memory semantics inside each batch, one gradient step per batch (slow reference) */
  readonly exact: boolean;
  readonly learningRate: number;
  readonly seed: number;
  /** transductive, or DyGLib's inductive setting (new test nodes lose their training events; their events scored apart) */
  readonly evalSetting: 'transductive' | 'inductive';
  /** negatives of validation and test (training always draws random destinations) */
  readonly evalNegatives: 'random' | 'historical' | 'inductive';
  /** ap, or TGB's MRR against negativesPerPositive negatives */
  readonly metric: 'ap' | 'mrr';
  readonly negativesPerPositive: number;
  /** DistTGL's mini-batch parallelism i: trainers sharing one memory snapshot per unit of i batches */
  readonly minibatchParallelism: number;
  /** DistTGL's epoch parallelism j: ranks training each unit j times against different negatives */
  readonly epochParallelism: number;
  /** DistTGL's memory parallelism k: independent memory copies started at staggered points of the stream */
  readonly memoryParallelism: number;
  /** MSPipe's bounded staleness: a batch's writes land this many batches later (0: at once) */
  readonly pipelineStaleness: number;
}

/**
 * The playground's starting experiment: every knob's default (knobs.ts). Model sizes, neighbours and batch
 * size are the TGN paper's / PyG example's (session.test.ts checks them against TGN_DEFAULTS and
 * TRAINER_DEFAULTS). The learning rate is 1e-3 rather than the reference 1e-4 (the CLI's default): the
 * bundled streams have ~10 training batches per epoch, and at 1e-4 a few epochs show no visible learning.
 */
export const DEFAULT_SETTINGS: ExperimentSettings = resolveSettings({});
