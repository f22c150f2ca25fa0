import type { ExperimentSettings } from '../engine/session/types.ts';

/**
 * session.ts's DEFAULT_SETTINGS, as a literal: importing session.ts from the page would bundle all of
 * tfjs into the main thread (it has import side effects, so the bundler cannot drop it). A unit test
 * (defaultSettings.test.ts) keeps the two equal.
 */
export const DEFAULT_SETTINGS: ExperimentSettings = {
  memoryDim: 100,
  timeDim: 100,
  embeddingDim: 100,
  neighbours: 10,
  mailboxSize: 1,
  batchSize: 200,
  learningRate: 1e-4,
  seed: 1,
};
