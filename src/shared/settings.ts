// The experiment's settings and their defaults.
import type { ModelName } from './presets.ts';

/** Everything that defines an experiment (also the URL-hash schema's engine part). */
export interface ExperimentSettings {
  /** model preset (presets.ts): TGN, JODIE, DyRep, APAN, TGAT or DistTGL's TGN with static memory */
  readonly model: ModelName;
  readonly memoryDim: number;
  readonly timeDim: number;
  readonly embeddingDim: number;
  readonly neighbours: number;
  /** mails kept per node (staleness mitigation when k > 1 with a mean or attention aggregator) */
  readonly mailboxSize: number;
  readonly aggregator: 'last' | 'mean' | 'attention';
  /** DistTGL static node memory added to the dynamic memory when read */
  readonly staticMemory: boolean;
  readonly batchSize: number;
  /** evaluation batch size; 0 = the training batch size */
  readonly evalBatchSize: number;
  /** exact mode: B = 1 memory semantics inside each batch, one gradient step per batch (slow reference) */
  readonly exact: boolean;
  readonly learningRate: number;
  readonly seed: number;
}

/**
 * The playground's starting experiment. Model sizes, neighbours and batch size are the TGN paper's / PyG
 * example's (session.test.ts checks them against TGN_DEFAULTS and TRAINER_DEFAULTS). The learning rate
 * is 1e-3 rather than the reference 1e-4 (the CLI's default): the bundled streams have ~10 training
 * batches per epoch, and at 1e-4 a few epochs show no visible learning.
 */
export const DEFAULT_SETTINGS: ExperimentSettings = {
  model: 'tgn',
  memoryDim: 100,
  timeDim: 100,
  embeddingDim: 100,
  neighbours: 10,
  mailboxSize: 1,
  aggregator: 'last',
  staticMemory: false,
  batchSize: 200,
  evalBatchSize: 0,
  exact: false,
  learningRate: 1e-3,
  seed: 1,
};
