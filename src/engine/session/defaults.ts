import type { ExperimentSettings } from './types.ts';

/**
 * The playground's starting experiment. Model sizes, neighbours and batch size are the TGN paper's / PyG
 * example's (session.test.ts checks them against TGN_DEFAULTS and TRAINER_DEFAULTS). The learning rate
 * is 1e-3 rather than the reference 1e-4 (the CLI's default): the bundled streams have ~10 training
 * batches per epoch, and at 1e-4 a few epochs show no visible learning. A plain literal with no tfjs
 * import, so the page bundle can use it.
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
