/**
 * Chronological training and evaluation of a memory-based TGNN.
 *
 * Batch semantics (the PyG/TGN order; any other order leaks the future). For events [i, i+B):
 *   1. for every node the batch reads (sources, positive and negative destinations, and their
 *      neighbours), apply the mail stored by EARLIER batches through the updater to get its memory
 *      (this is where the updater and the time encoder get gradients);
 *   2. embed each (node, event time) query with temporal attention over its most recent neighbours in
 *      the index, which holds only events of earlier batches;
 *   3. decode positives and negatives, BCE loss, backward, Adam step;
 *   4. write the updated memory of the batch's endpoints (their applied mail is consumed), then store
 *      this batch's events as mail and add them to the neighbour index. Memory is plain data, so it
 *      is detached by construction.
 * So no event sees itself or any later event of its own batch: neither through memory (its mail is
 * applied only in a later batch) nor through the neighbour index (indexed after the step).
 * Evaluation runs the same steps without 3's backward/step, continuing the memory chronologically.
 */
import { tf, type Scalar, type Tensor1D } from '../tf.ts';
import type { EventStream } from '../data/eventStream.ts';
import type { ChronologicalSplit } from '../data/split.ts';
import { RandomNegativeSampler, type NegativeSampler } from '../data/negatives.ts';
import type { TgnModel } from '../models/tgn.ts';
import { LinkMetricsAccumulator, type LinkMetrics } from './metrics.ts';
import { Rng } from '../util/rng.ts';

export interface TrainerOptions {
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** seed of the fixed evaluation negatives (the same for every epoch, model and seed) */
  readonly evalSeed: number;
}

export const TRAINER_DEFAULTS: TrainerOptions = {
  batchSize: 200,
  evalBatchSize: 200,
  learningRate: 1e-4,
  seed: 1,
  evalSeed: 12345,
};

export interface BatchReport {
  readonly phase: 'train' | 'val' | 'test';
  readonly batch: number;
  readonly batches: number;
  readonly from: number;
  readonly to: number;
  /** training loss of the batch (NaN in evaluation) */
  readonly loss: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly trainSeconds: number;
  readonly trainEventsPerSec: number;
  /** mean training loss over batches */
  readonly loss: number;
  readonly val: LinkMetrics;
  readonly test: LinkMetrics;
  readonly evalSeconds: number;
  readonly numTensors: number;
}

export interface RunHooks {
  /** called after each batch; may be async (e.g. to yield to the event loop) */
  onBatch?: (report: BatchReport) => void | Promise<void>;
  /** checked between batches; throws an AbortError-like error when aborted */
  signal?: AbortSignal;
}

export class Trainer {
  private readonly optimizer: tf.Optimizer;
  private readonly trainNegatives: NegativeSampler;
  private readonly valNegatives: NegativeSampler;
  private readonly testNegatives: NegativeSampler;
  private readonly dropoutRng: Rng;
  private epoch = 0;

  constructor(
    readonly model: TgnModel,
    readonly stream: EventStream,
    readonly split: ChronologicalSplit,
    readonly options: TrainerOptions,
  ) {
    for (const [k, v] of [['batchSize', options.batchSize], ['evalBatchSize', options.evalBatchSize]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Trainer: ${k} must be an integer ≥ 1, got ${v}`);
    }
    this.optimizer = tf.train.adam(options.learningRate, 0.9, 0.999, 1e-8);
    const root = new Rng(options.seed);
    this.trainNegatives = new RandomNegativeSampler(stream, root.int(0x7fffffff));
    this.dropoutRng = root.fork(1);
    this.valNegatives = new RandomNegativeSampler(stream, options.evalSeed);
    this.testNegatives = new RandomNegativeSampler(stream, options.evalSeed + 1);
  }

  /** One epoch from fresh state: train on the train range, then evaluate val and test continuing memory. */
  async runEpoch(hooks: RunHooks = {}): Promise<EpochReport> {
    this.model.resetState();
    const t0 = now();
    const loss = await this.trainRange(this.split.train, hooks);
    const trainSeconds = (now() - t0) / 1000;
    const t1 = now();
    const val = await this.evaluateRange(this.split.val, this.valNegatives, 'val', hooks);
    const test = await this.evaluateRange(this.split.test, this.testNegatives, 'test', hooks);
    const evalSeconds = (now() - t1) / 1000;
    const trainEvents = this.split.train[1] - this.split.train[0];
    this.epoch++;
    return {
      epoch: this.epoch,
      trainSeconds,
      trainEventsPerSec: trainEvents / trainSeconds,
      loss,
      val,
      test,
      evalSeconds,
      numTensors: tf.memory().numTensors,
    };
  }

  /** Trains over events [start, end) in batches; returns the mean batch loss. */
  async trainRange(range: readonly [number, number], hooks: RunHooks = {}): Promise<number> {
    const [start, end] = range;
    const B = this.options.batchSize;
    const batches = Math.ceil((end - start) / B);
    const vars = this.model.variables;
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      hooks.signal?.throwIfAborted();
      const from = start + b * B;
      const to = Math.min(end, from + B);
      const plan = this.model.plan(from, to, this.trainNegatives.sample(from, to));
      let updated: tf.Tensor | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const out = this.model.forward(plan, true, this.dropoutRng);
        updated = tf.keep(out.updatedMemory);
        return bceLoss(out.pos, out.neg);
      }, vars);
      // Adam keeps its moments by position, so every variable gets a gradient every step (zeros where
      // a batch does not reach it, e.g. the updater before any mail exists)
      const named = vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
      this.optimizer.applyGradients(named);
      tf.dispose(named.map((g) => g.tensor));
      const kept = updated as tf.Tensor | null;
      if (!kept) throw new Error('Trainer: forward produced no memory');
      const [lossValue, memoryValues] = await Promise.all([value.data(), kept.data()]);
      value.dispose();
      kept.dispose();
      this.model.commit(plan, memoryValues as Float32Array);
      const loss = lossValue[0]!;
      lossSum += loss;
      await hooks.onBatch?.({ phase: 'train', batch: b, batches, from, to, loss });
    }
    return lossSum / Math.max(1, batches);
  }

  /** Scores events [start, end) and their fixed negatives, updating memory as it goes. */
  async evaluateRange(
    range: readonly [number, number],
    sampler: NegativeSampler,
    phase: 'val' | 'test',
    hooks: RunHooks = {},
  ): Promise<LinkMetrics> {
    sampler.reset();
    const [start, end] = range;
    const B = this.options.evalBatchSize;
    const batches = Math.ceil((end - start) / B);
    const acc = new LinkMetricsAccumulator();
    for (let b = 0; b < batches; b++) {
      hooks.signal?.throwIfAborted();
      const from = start + b * B;
      const to = Math.min(end, from + B);
      const plan = this.model.plan(from, to, sampler.sample(from, to));
      const [pos, neg, updated] = tf.tidy(() => {
        const out = this.model.forward(plan, false, this.dropoutRng);
        return [out.pos, out.neg, out.updatedMemory];
      });
      const [p, n, u] = await Promise.all([pos.data(), neg.data(), updated.data()]);
      tf.dispose([pos, neg, updated]);
      this.model.commit(plan, u as Float32Array);
      acc.addBatch(p, n);
      await hooks.onBatch?.({ phase, batch: b, batches, from, to, loss: NaN });
    }
    return acc.result();
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** mean BCE over positives (label 1) + mean BCE over negatives (label 0), from logits */
export function bceLoss(pos: Tensor1D, neg: Tensor1D): Scalar {
  return tf.add(tf.mean(tf.softplus(tf.neg(pos))), tf.mean(tf.softplus(neg)));
}

function now(): number {
  return globalThis.performance.now();
}
