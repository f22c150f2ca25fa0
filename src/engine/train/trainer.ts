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
 *
 * Inductive subset (`evalMask`): evaluation still scores every validation/test event in order, and memory
 * and the neighbour index take in every event; the inductive metrics accumulate only the scores of the
 * masked events (those with a node unseen in training), batch by batch, with the same negatives as the
 * full evaluation. DyGLib instead evaluates `new_node_val_data`/`new_node_test_data` in a separate pass:
 * memory restored to its state after training (resp. after validation), only the new-node events fed
 * through the model (so memory then sees only them), batches of 200 such events, and negatives drawn
 * among the destinations of those events. So our per-batch means average over the full evaluation
 * batches that contain masked events, and our memory is the one the full stream builds.
 */
import { tf } from '../tf.ts';
import { bceLoss } from './loss.ts';
import type { EventStream } from '../data/eventStream.ts';
import { quantileSorted, type ChronologicalSplit } from '../data/split.ts';
import { DyGLibNegativeSampler, onOriginalEvents, RandomNegativeSampler, type PairNegativeSampler } from '../data/negatives.ts';
import type { NegativeStrategy, BatchProbe } from '../../shared/lab.ts';
import { TgnModel, type BatchPlan, type ModelState } from '../models/tgn.ts';
import { LinkMetricsAccumulator } from './metrics.ts';
import type { LinkMetrics, Phase, TrainerCursor, EpochReport, BatchStep, Parallelism, ParallelEpochStats, StaticPretrainReport } from '../../shared/training.ts';
import { pretrainStaticMemory } from './staticPretrain.ts';
import { addMaskedBatch } from './subsetMetrics.ts';
import { Rng } from '../util/rng.ts';
import { StalenessCounter } from '../probes/staleness.ts';
import { NO_CLOCK, type PhaseClock } from './phases.ts';
import { createAdam } from './fusedAdam.ts';
import {
  checkParallelism, coldStartEvents, InThreadExecutor, isParallel, ParallelPass, parallelSchedule, trainersOf,
  type ParallelPassStats, type ParallelSchedule, type TrainerExecutor,
} from './parallel.ts';

export interface TrainerOptions {
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** seed of the fixed evaluation negatives (the same for every epoch, model and seed) */
  readonly evalSeed: number;
  /** negatives for validation and test (training always uses random destinations) */
  readonly evalNegatives: NegativeStrategy;
  /** random negatives per positive in evaluation; > 1 adds TGB's MRR (random strategy only) */
  readonly negativesPerPositive: number;
  /**
   * exact mode: inside each batch, events are processed one by one for memory and the neighbour index
   * (B = 1 semantics: every event reads the memory updated by the events before it), while the
   * gradient step stays one per batch (the loss is the mean over the batch's events). The slow reference
   * against which staleness is measured.
   */
  readonly exact: boolean;
  /**
   * per event of the stream: 1 for the validation/test events of the inductive subset (an endpoint unseen
   * in training); when set, epoch reports add `valInductive` and `testInductive`
   */
  readonly evalMask?: Uint8Array | null;
  /**
   * draw the evaluation negatives from this stream instead (DyGLib samples them from the full data while
   * the model trains on the inductive split's derived stream); `originalEvent` maps the trained stream's
   * events to it
   */
  readonly negativeSource?: { readonly stream: EventStream; readonly originalEvent: Int32Array } | null;
  /**
   * DistTGL's mini-batch, epoch and memory parallelism (train/parallel.ts), run as the exact one-thread
   * reference; absent or all 1: plain training. The optimizer's learning rate is then learningRate × i·j·k.
   */
  readonly parallelism?: Parallelism;
  /**
   * > 0: DistTGL's static memory pre-training for this many epochs before the first step (the model needs
   * static memory); 0 or absent: a static memory, when the model has one, trains jointly
   */
  readonly staticPretrainEpochs?: number;
  /**
   * Pipelining with bounded staleness (MSPipe, KDD'24): a training batch's memory, mail and neighbour writes
   * land s batches later, so batch n + s plans before batch n's writes are visible (0 or absent: at once).
   * The training phase's end lands every pending write before validation.
   */
  readonly pipelineStaleness?: number;
}

export const TRAINER_DEFAULTS: TrainerOptions = {
  batchSize: 200,
  evalBatchSize: 200,
  learningRate: 1e-4,
  seed: 1,
  evalSeed: 12345,
  evalNegatives: 'random',
  negativesPerPositive: 1,
  exact: false,
};

/** a batch step as the trainer reports it: the shared BatchStep, with every read's memory age and the finished epoch */
export interface BatchReport extends BatchStep {
  /** memory age of every read of the batch (source and destination of each event) */
  readonly readAges: Float32Array;
  /** set on the last test batch: the finished epoch */
  readonly epochReport: EpochReport | null;
}

export interface RunHooks {
  /** called after each batch; may be async (e.g. to yield to the event loop) */
  onBatch?: (report: BatchReport) => void | Promise<void>;
  /** checked between batches; an aborted signal stops the run with its reason */
  signal?: AbortSignal;
}

/**
 * An exact-mode batch stopped between two of its events (Trainer.shouldStop): what the next step() needs
 * to carry on exactly where it stopped. Its memory writes so far are in the model; its gradient sums are
 * owned here until the batch ends (or the trainer is disposed).
 */
interface PartialBatch {
  readonly from: number;
  readonly to: number;
  /** training: one negative destination per event; evaluation: the batch's negatives (and sources) */
  readonly negatives: Int32Array;
  readonly sources: Int32Array | undefined;
  /** evaluation only: what scoreBatch has scored so far */
  readonly score: ScoreProgress | null;
  /** training only: the first event not yet processed, the gradient and loss sums */
  next: number;
  readonly sums: Map<string, tf.Tensor>;
  lossSum: number;
  readonly readAges: Float32Array;
  /** ms the batch has run so far */
  ms: number;
}

/** scoreBatch's results so far, when it was stopped between two parts */
export interface ScoreProgress {
  next: number;
  readonly pos: Float32Array;
  readonly neg: Float32Array;
  readonly readAges: Float32Array;
}

/** thrown inside a batch to stop it between two parts; step() returns null */
class BatchStopped extends Error {}

/**
 * Adam's state as the optimizer holds it: the step count, the running products beta1^t and beta2^t (float32
 * values, kept as they are: tfjs' own setWeights recomputes them as pow(beta, t + 1), which differs from the
 * running product in the last bits) and the first/second moments of every model variable.
 */
export interface OptimizerState {
  readonly iterations: number;
  readonly beta1Power: number;
  readonly beta2Power: number;
  /** one array per model variable, in `model.variables` order; empty before the first step */
  readonly firstMoments: readonly Float32Array[];
  readonly secondMoments: readonly Float32Array[];
}

/**
 * What training needs, besides the weights, to carry on at the start of an epoch exactly as an
 * uninterrupted run would (the memory is not needed: every epoch starts from fresh memory).
 */
export interface ResumeState {
  /** completed epochs: the resumed run's next epoch is `epochs + 1` */
  readonly epochs: number;
  readonly optimizer: OptimizerState;
  /** where the training negatives' and the dropout's random generators stand (Rng.save) */
  readonly rng: { readonly negatives: number; readonly dropout: number };
}

/** the Adam optimizer's constants (checkpoints record them) */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** the Adam fields tfjs keeps private (accBeta1/accBeta2, the running beta powers) */
interface AdamPowers {
  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
}

function adamPowers(optimizer: tf.Optimizer): AdamPowers {
  const o = optimizer as unknown as Partial<AdamPowers>;
  if (!(o.accBeta1 instanceof tf.Variable) || !(o.accBeta2 instanceof tf.Variable)) {
    throw new Error('Trainer: this tfjs Adam optimizer keeps no accBeta1/accBeta2; its state cannot be saved or restored');
  }
  return o as AdamPowers;
}

/**
 * Trains and evaluates epoch after epoch, one batch per `step()` so a UI can pause, step and resume
 * anywhere; `runEpoch()` loops `step()` to the end of an epoch. Each epoch starts from fresh memory.
 */
export class Trainer {
  private readonly optimizer: tf.Optimizer;
  private readonly trainNegatives: RandomNegativeSampler;
  private readonly valNegatives: PairNegativeSampler;
  private readonly testNegatives: PairNegativeSampler;
  private readonly dropoutRng: Rng;
  private completedEpochs = 0;
  private phase: Phase = 'train';
  private batch = 0;
  private lossSum = 0;
  private trainMs = 0;
  private evalMs = 0;
  private metrics = new LinkMetricsAccumulator();
  private valMetrics: LinkMetrics | null = null;
  private inductiveMetrics = new LinkMetricsAccumulator();
  private valInductiveMetrics: LinkMetrics | null = null;
  private readonly staleness: StalenessCounter;
  private trainedState: ModelState | null = null;
  private trainedWeights: readonly Float32Array[] | null = null;
  private trainedEpoch = 0;
  private trainedResume: ResumeState | null = null;
  /** what restore() set, until the next step */
  private restored: ResumeState | null = null;
  /**
   * Called between the parts of a batch (each event in exact mode, forward and backward otherwise): a
   * worker answers its heartbeat from here while one long batch holds its thread.
   */
  onProgress: () => void = () => undefined;
  /** where a batch's time goes; NO_CLOCK measures nothing (see profile) */
  private clock: PhaseClock = NO_CLOCK;
  /**
   * Asked between the events of an exact-mode batch: true stops the batch there (step() returns null, the
   * next step() carries on from that event, with the same numbers as an uninterrupted run). Plain batches
   * run to their end.
   */
  shouldStop: () => boolean = () => false;
  private partial: PartialBatch | null = null;
  /** with parallelism: the pass's schedule, the memory copies beyond the model (sharing its weights), the running pass */
  private readonly parallel: { readonly schedule: ParallelSchedule; readonly copies: readonly TgnModel[]; readonly coldStart: number } | null = null;
  private pass: ParallelPass | null = null;
  /** who computes a parallel pass's trainer tasks: null, this thread (the reference); else worker threads */
  private executor: TrainerExecutor | null = null;
  /** pipelining: training batches whose writes have not landed yet, oldest first */
  private readonly pendingWrites: { readonly plan: BatchPlan; readonly values: Float32Array }[] = [];
  /** the static memory pre-training's report, once it ran */
  private pretrained: StaticPretrainReport | null = null;
  private passStats: ParallelPassStats = emptyPassStats();

  constructor(
    readonly model: TgnModel,
    readonly stream: EventStream,
    readonly split: ChronologicalSplit,
    readonly options: TrainerOptions,
  ) {
    for (const [k, v] of [['batchSize', options.batchSize], ['evalBatchSize', options.evalBatchSize]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Trainer: ${k} must be an integer ≥ 1, got ${v}`);
    }
    if (split.train[1] - split.train[0] < 1) throw new Error('Trainer: the training range is empty');
    if (!Number.isInteger(options.negativesPerPositive) || options.negativesPerPositive < 1) {
      throw new Error(`Trainer: negativesPerPositive must be an integer ≥ 1, got ${options.negativesPerPositive}`);
    }
    if (options.negativesPerPositive > 1 && options.evalNegatives !== 'random') {
      throw new Error('Trainer: several negatives per positive are drawn at random; use evalNegatives random');
    }
    if (options.evalMask && options.evalMask.length !== stream.numEvents) {
      throw new Error(`Trainer: evalMask must have one entry per event (${stream.numEvents}), got ${options.evalMask.length}`);
    }
    const pretrainEpochs = options.staticPretrainEpochs ?? 0;
    if (!Number.isInteger(pretrainEpochs) || pretrainEpochs < 0) throw new Error(`Trainer: staticPretrainEpochs must be an integer ≥ 0, got ${pretrainEpochs}`);
    if (pretrainEpochs > 0 && !model.modules.staticMemory) throw new Error('Trainer: static memory pre-training needs a model with static memory');
    const staleness = options.pipelineStaleness ?? 0;
    if (!Number.isInteger(staleness) || staleness < 0) throw new Error(`Trainer: pipelineStaleness must be an integer ≥ 0, got ${staleness}`);
    if (staleness > 0 && options.exact) throw new Error('Trainer: exact mode processes events one at a time; pipelining delays whole batches (turn one of them off)');
    if (staleness > 0 && isParallel(options.parallelism)) throw new Error('Trainer: pipelining with DistTGL parallelism is not built yet (turn one of them off)');
    const parallelism = options.parallelism;
    if (isParallel(parallelism)) {
      checkParallelism(parallelism);
      if (options.exact) throw new Error('Trainer: exact mode processes events one at a time; parallelism needs batches (turn one of them off)');
      const schedule = parallelSchedule(split.train[0], split.train[1], options.batchSize, parallelism);
      const copies = Array.from({ length: parallelism.memory - 1 }, () => new TgnModel(stream, model.config, model.modules));
      this.parallel = { schedule, copies, coldStart: coldStartEvents(stream, schedule) };
    }
    this.optimizer = createAdam(this.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
    this.staleness = new StalenessCounter(stream.numNodes);
    const root = new Rng(options.seed);
    this.trainNegatives = new RandomNegativeSampler(stream, root.int(0x7fffffff));
    this.dropoutRng = root.fork(1);
    const source = options.negativeSource;
    const sampler = (seed: number): PairNegativeSampler => source
      ? onOriginalEvents(evaluationNegatives(source.stream, options.evalNegatives, seed, split.valTime), source.originalEvent)
      : evaluationNegatives(stream, options.evalNegatives, seed, split.valTime);
    this.valNegatives = sampler(options.evalSeed);
    this.testNegatives = sampler(options.evalSeed + 1);
  }

  /**
   * With parallelism: who computes the trainer tasks from the next epoch on (worker threads; the numbers are
   * the reference's), or null for this thread. The trainer does not own it (the caller disposes it).
   */
  setTrainerExecutor(executor: TrainerExecutor | null): void {
    if (!this.parallel) throw new Error('Trainer.setTrainerExecutor: only with parallelism');
    this.executor = executor;
  }

  /** the optimizer's learning rate: the option's, × i·j·k trainers with parallelism (DistTGL's scaling) */
  get learningRate(): number {
    return this.options.learningRate * (this.parallel ? trainersOf(this.parallel.schedule.parallelism) : 1);
  }

  get cursor(): TrainerCursor {
    return { epoch: this.completedEpochs + 1, phase: this.phase, batch: this.batch, batches: this.batchesIn(this.phase) };
  }

  private rangeOf(phase: Phase): readonly [number, number] {
    return phase === 'train' ? this.split.train : phase === 'val' ? this.split.val : this.split.test;
  }

  private batchesIn(phase: Phase): number {
    if (phase === 'train' && this.parallel) return this.parallel.schedule.iterations;
    const [a, b] = this.rangeOf(phase);
    return Math.ceil((b - a) / (phase === 'train' ? this.options.batchSize : this.options.evalBatchSize));
  }

  /**
   * Runs the next batch (train, then val, then test, then the next epoch from fresh memory); null when
   * `shouldStop` stopped an exact-mode batch part-way (the next call carries on with it).
   */
  async step(): Promise<BatchReport | null> {
    if ((this.options.staticPretrainEpochs ?? 0) > 0 && this.pretrained === null) {
      if (this.optimizer.iterations > 0 || this.completedEpochs > 0) throw new Error('Trainer: static memory pre-training runs before the first step only');
      this.pretrained = await pretrainStaticMemory(this.model, this.stream, this.options,
        (m, o) => new Trainer(m, this.stream, this.split, o), this.options.staticPretrainEpochs!);
    }
    this.restored = null;
    const resuming = this.partial !== null;
    if (!resuming && this.phase === 'train' && this.batch === 0) {
      this.model.resetState();
      if (this.parallel) {
        const p = this.parallel;
        const executor = this.executor ?? new InThreadExecutor(this.model, this.clock, () => this.onProgress());
        this.pass = new ParallelPass(p.schedule, [this.model, ...p.copies], this.trainNegatives, this.dropoutRng, this.clock, executor);
        this.passStats = emptyPassStats();
      }
      this.lossSum = 0;
      this.trainMs = 0;
      this.evalMs = 0;
    }
    if (!resuming && this.phase !== 'train' && this.batch === 0) {
      this.metrics = new LinkMetricsAccumulator();
      this.inductiveMetrics = new LinkMetricsAccumulator();
      (this.phase === 'val' ? this.valNegatives : this.testNegatives).reset();
    }
    const phase = this.phase;
    const batches = this.batchesIn(phase);
    const [start, end] = this.rangeOf(phase);
    const B = phase === 'train' ? this.options.batchSize : this.options.evalBatchSize;
    let from = start + this.batch * B;
    let to = Math.min(end, from + B);
    const t0 = now();
    const before = this.partial?.ms ?? 0;
    let loss = NaN;
    let readAges: Float32Array;
    let scores: { pos: Float32Array; neg: Float32Array } | undefined;
    try {
      if (phase === 'train' && this.pass) {
        // one iteration: every trainer of every copy, one optimizer step; the report shows copy 0's write
        const it = await this.trainIteration(this.pass, this.batch);
        loss = it.loss;
        readAges = it.readAges;
        [from, to] = it.range;
        this.lossSum += loss;
        this.trainMs += now() - t0;
      } else if (phase === 'train') {
        [loss, readAges] = await this.trainBatch(from, to);
        this.lossSum += loss;
        this.trainMs += now() - t0;
      } else {
        const scored = await this.evaluateBatch(from, to, phase === 'val' ? this.valNegatives : this.testNegatives);
        readAges = scored.readAges;
        scores = { pos: scored.pos, neg: scored.neg };
        this.evalMs += now() - t0;
      }
    } catch (e) {
      if (!(e instanceof BatchStopped)) throw e;
      const spent = now() - t0;
      if (this.partial) this.partial.ms += spent;
      if (phase === 'train') this.trainMs += spent;
      else this.evalMs += spent;
      return null;
    }
    this.partial = null;
    const ms = before + now() - t0;
    const probe = this.clock.time('probes', (): BatchProbe => {
      const counts = this.staleness.count(this.stream.src, this.stream.dst, from, to, this.model.config.mailboxSize);
      if (phase === 'train' && this.pass) this.passStats = addCounts(this.passStats, counts, to - from);
      const sortedAges = Float32Array.from(readAges).sort();
      return {
        staleFraction: to > from ? counts.stale / (to - from) : 0,
        droppedMailFraction: counts.mails > 0 ? 1 - counts.surviving / counts.mails : 0,
        ageP50: quantile(sortedAges, 0.5),
        ageP90: quantile(sortedAges, 0.9),
        ageMax: sortedAges[sortedAges.length - 1] ?? 0,
      };
    });
    const report = { epoch: this.completedEpochs + 1, phase, batch: this.batch, batches, from, to, loss, ms, probe, readAges, ...(scores ? { scores } : {}) };
    this.batch++;
    if (this.batch < batches) return { ...report, epochReport: null };
    this.batch = 0;
    if (phase === 'train') {
      this.trainedState = this.model.saveState();
      // once per epoch: the weights that wrote this state (float32 bits, no tensors kept)
      this.trainedWeights = await Promise.all(this.model.variables.map(async (v) => Float32Array.from(await v.data<'float32'>())));
      this.trainedEpoch = this.completedEpochs + 1;
      // what resuming after this epoch needs: validation and test change neither the weights, the
      // optimizer nor the training random generators, so this is also the state at the next epoch's start
      this.trainedResume = await this.readResume(this.trainedEpoch);
      this.phase = 'val';
      return { ...report, epochReport: null };
    }
    if (phase === 'val') {
      this.valMetrics = this.metrics.result();
      this.valInductiveMetrics = this.inductiveMetrics.result();
      this.phase = 'test';
      return { ...report, epochReport: null };
    }
    this.phase = 'train';
    this.completedEpochs++;
    const trainEvents = this.split.train[1] - this.split.train[0];
    const epochReport: EpochReport = {
      epoch: this.completedEpochs,
      trainSeconds: this.trainMs / 1000,
      trainEventsPerSec: trainEvents / (this.trainMs / 1000),
      loss: this.lossSum / this.batchesIn('train'),
      val: this.valMetrics ?? this.metrics.result(),
      test: this.metrics.result(),
      ...(this.options.evalMask
        ? { valInductive: this.valInductiveMetrics ?? this.inductiveMetrics.result(), testInductive: this.inductiveMetrics.result() }
        : {}),
      evalSeconds: this.evalMs / 1000,
      numTensors: tf.memory().numTensors,
      ...(this.parallel ? { parallel: this.parallelStats(this.parallel.schedule, this.parallel.coldStart) } : {}),
      ...(this.pretrained ? { staticPretrain: this.pretrained } : {}),
    };
    return { ...report, epochReport };
  }

  /** Reports where each batch's time goes to `clock` (a PhaseProfiler), the model's phases included; NO_CLOCK stops it. */
  profile(clock: PhaseClock): void {
    this.clock = clock;
    this.model.clock = clock;
  }

  /** Runs batches until the current epoch ends (a fresh epoch when at its start). */
  async runEpoch(hooks: RunHooks = {}): Promise<EpochReport> {
    for (;;) {
      hooks.signal?.throwIfAborted();
      const r = await this.step();
      if (r === null) continue;
      await hooks.onBatch?.(r);
      if (r.epochReport) return r.epochReport;
    }
  }

  /** one iteration of a parallel pass: its loss, copy 0's written unit (empty range at the end when none) and its reads' ages */
  private async trainIteration(pass: ParallelPass, m: number): Promise<{ loss: number; readAges: Float32Array; range: [number, number] }> {
    const it = await pass.iteration(m);
    if (it.grads) this.applyGradients(it.grads);
    this.passStats = {
      ...this.passStats, processedEvents: this.passStats.processedEvents + it.processedEvents,
      computeMs: this.passStats.computeMs + it.computeMs, taskMs: this.passStats.taskMs + it.taskMs,
    };
    const end = this.split.train[1];
    return it.written
      ? { loss: it.loss, readAges: it.written.readAges, range: [it.written.from, it.written.to] }
      : { loss: it.loss, readAges: new Float32Array(0), range: [end, end] };
  }

  private parallelStats(schedule: ParallelSchedule, coldStart: number): ParallelEpochStats {
    const s = this.passStats;
    return {
      parallelism: schedule.parallelism,
      trainers: trainersOf(schedule.parallelism),
      workers: this.executor?.workers ?? 1,
      waitFraction: s.computeMs > 0 ? Math.max(0, 1 - s.taskMs / (s.computeMs * (this.executor?.workers ?? 1))) : 0,
      iterations: schedule.iterations,
      learningRate: this.learningRate,
      staleFraction: s.countedEvents > 0 ? s.stale / s.countedEvents : 0,
      droppedMailFraction: s.mails > 0 ? 1 - s.survivingMails / s.mails : 0,
      coldStartEvents: coldStart,
      processedEventsPerSec: s.processedEvents / (this.trainMs / 1000),
    };
  }

  /** one optimisation step on events [from, to); returns the loss and the reads' memory ages */
  private async trainBatch(from: number, to: number): Promise<[number, Float32Array]> {
    if (this.options.exact) return this.trainBatchExact(from, to);
    const negatives = this.clock.time('negatives', () => this.trainNegatives.sample(from, to));
    const plan = this.model.plan(from, to, negatives);
    const { loss, grads, values } = await this.lossAndGradients(plan, false);
    this.applyGradients(grads);
    // pipelining: this batch's writes wait until s later batches have planned
    this.pendingWrites.push({ plan, values });
    const staleness = this.options.pipelineStaleness ?? 0;
    const landAll = to >= this.split.train[1];
    while (this.pendingWrites.length > (landAll ? 0 : staleness)) {
      const w = this.pendingWrites.shift()!;
      this.model.commit(w.plan, w.values);
    }
    return [loss, plan.readAges];
  }

  /**
   * Forward and backward on one plan, then (unless `commit` is false: the caller commits `values` later)
   * commits the plan (its memory writes, mails and index): returns the loss, the gradients by variable
   * name, which the caller owns, and the values commit takes.
   */
  private async lossAndGradients(plan: BatchPlan, commit = true): Promise<{ loss: number; grads: tf.NamedTensorMap; values: Float32Array }> {
    let updated: tf.Tensor | null = null;
    const scopeStart = now();
    const forwardStart = this.clock.total();
    const { value, grads } = tf.variableGrads(() => {
      const out = this.model.forward(plan, true, this.dropoutRng);
      updated = tf.keep(out.commitValues);
      return this.clock.time('decoder + loss', () => bceLoss(out.pos, out.neg));
    }, this.model.variables);
    // the gradient scope runs the forward pass (its phases counted as they ran) and then the backward pass
    this.clock.add('backward', now() - scopeStart - (this.clock.total() - forwardStart));
    const kept = updated as tf.Tensor | null;
    if (!kept) throw new Error('Trainer: forward produced no memory');
    this.onProgress();
    const readStart = now();
    const [lossValue, memoryValues] = await Promise.all([value.data(), kept.data()]);
    this.clock.add('read-back', now() - readStart);
    value.dispose();
    kept.dispose();
    if (commit) this.model.commit(plan, memoryValues as Float32Array);
    return { loss: lossValue[0]!, grads, values: memoryValues as Float32Array };
  }

  /**
   * exact mode: one event at a time for memory, one gradient step per batch. The gradient of the batch's
   * mean loss is the mean of the per-event gradients (memory between events is detached data), so each
   * event's tape is freed right away: memory stays bounded at any B.
   */
  private async trainBatchExact(from: number, to: number): Promise<[number, Float32Array]> {
    // a batch stopped part-way carries on from its next event, with its negatives and sums
    const p = this.partial ?? (this.partial = {
      from, to, negatives: this.trainNegatives.sample(from, to), sources: undefined, score: null,
      next: from, sums: new Map(), lossSum: 0, readAges: new Float32Array(2 * (to - from)), ms: 0,
    });
    const { negatives, sums, readAges } = p;
    for (let e = p.next; e < to; e++) {
      if (e > p.next && this.shouldStop()) {
        p.next = e;
        throw new BatchStopped();
      }
      const plan = this.model.plan(e, e + 1, negatives.subarray(e - from, e - from + 1));
      const { loss, grads } = await this.lossAndGradients(plan);
      for (const [name, g] of Object.entries(grads)) {
        const previous = sums.get(name);
        sums.set(name, previous ? tf.add(previous, g) : g);
        if (previous) {
          previous.dispose();
          g.dispose();
        }
      }
      p.lossSum += loss;
      readAges.set(plan.readAges, 2 * (e - from));
      this.onProgress();
    }
    const lossSum = p.lossSum;
    const n = to - from;
    const mean: tf.NamedTensorMap = {};
    for (const [name, g] of sums) {
      mean[name] = tf.div(g, n);
      g.dispose();
    }
    this.applyGradients(mean);
    return [lossSum / n, readAges];
  }

  private applyGradients(grads: tf.NamedTensorMap): void {
    // Adam keeps its moments by position, so every variable gets a gradient every step (zeros where
    // a batch does not reach it, e.g. the updater before any mail exists)
    this.clock.time('Adam', () => {
      const named = this.model.variables.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
      this.optimizer.applyGradients(named);
      tf.dispose(named.map((g) => g.tensor));
    });
  }

  /** scores events [from, to) against their fixed negatives, then commits them to memory */
  private async evaluateBatch(from: number, to: number, sampler: PairNegativeSampler): Promise<{ pos: Float32Array; neg: Float32Array; readAges: Float32Array }> {
    const k = this.options.negativesPerPositive;
    const p = this.partial ?? this.evaluationPartial(from, to, sampler);
    const scored = await scoreBatchUntil(this.model, from, to, p.negatives, this.options.exact, p.sources, this.onProgress, {
      progress: p.score, shouldStop: this.shouldStop,
    });
    if (scored === null) throw new BatchStopped();
    this.metrics.addBatch(scored.pos, scored.neg);
    if (k > 1) this.metrics.addRanking(scored.pos, scored.neg, k);
    if (this.options.evalMask) addMaskedBatch(this.inductiveMetrics, scored.pos, scored.neg, this.options.evalMask, from);
    return scored;
  }

  /** an evaluation batch's negatives, drawn once (kept, in exact mode, in case the batch is stopped part-way) */
  private evaluationPartial(from: number, to: number, sampler: PairNegativeSampler): PartialBatch {
    const k = this.options.negativesPerPositive;
    let negatives: Int32Array;
    let sources: Int32Array | undefined;
    if (k > 1) {
      // k random destinations per event, event-major (k draws of the sampler per batch)
      const draws = Array.from({ length: k }, () => sampler.sample(from, to).dst);
      negatives = new Int32Array((to - from) * k);
      for (let i = 0; i < to - from; i++) for (let j = 0; j < k; j++) negatives[i * k + j] = draws[j]![i]!;
    } else {
      const drawn = sampler.sample(from, to);
      negatives = drawn.dst;
      // random negatives keep the event's own source, so its embedding is reused
      sources = sampler.strategy === 'random' ? undefined : drawn.src;
    }
    const n = to - from;
    const p: PartialBatch = {
      from, to, negatives, sources, next: from, sums: new Map(), lossSum: 0, ms: 0, readAges: new Float32Array(2 * n),
      score: { next: from, pos: new Float32Array(n), neg: new Float32Array(negatives.length), readAges: new Float32Array(2 * n) },
    };
    if (this.options.exact) this.partial = p;
    return p;
  }

  /** the model's event-driven state after the last training batch of the current epoch, if reached */
  get stateAfterTraining(): ModelState | null {
    return this.trainedState;
  }

  /**
   * The end of the last finished training phase: its epoch (1-based), the state it left and the weights
   * that wrote that state (read back then), so a checkpoint can keep the memory training wrote; null before.
   */
  get lastTrained(): TrainedModel | null {
    return this.trainedWeights && this.trainedState && this.trainedResume
      ? { epoch: this.trainedEpoch, state: this.trainedState, weights: this.trainedWeights, resume: this.trainedResume }
      : null;
  }

  /** at the start of an epoch (no batch of it run yet): where resuming would carry on from */
  get atEpochStart(): boolean {
    return this.phase === 'train' && this.batch === 0 && this.partial === null;
  }

  /**
   * The optimizer state, random generators and completed epochs of this trainer now; only at the start of
   * an epoch (atEpochStart), where they and the current weights are all a resumed run needs.
   */
  async resumeState(): Promise<ResumeState> {
    if (!this.atEpochStart) throw new Error('Trainer.resumeState: only at the start of an epoch (lastTrained.resume holds the last epoch end)');
    return this.readResume(this.completedEpochs);
  }

  private async readResume(epochs: number): Promise<ResumeState> {
    const { accBeta1, accBeta2 } = adamPowers(this.optimizer);
    const weights = await this.optimizer.getWeights();
    // getWeights: [the step count (a new scalar), first moments..., second moments...] (the moments are the optimizer's own)
    const [iter, ...moments] = weights;
    const read = await Promise.all([accBeta1.data<'float32'>(), accBeta2.data<'float32'>(), ...moments.map((m) => m.tensor.data<'float32'>())]);
    iter?.tensor.dispose();
    const [b1, b2, ...values] = read;
    const n = values.length / 2;
    return {
      epochs,
      optimizer: {
        iterations: this.optimizer.iterations,
        beta1Power: b1![0]!,
        beta2Power: b2![0]!,
        firstMoments: values.slice(0, n).map((v) => Float32Array.from(v)),
        secondMoments: values.slice(n).map((v) => Float32Array.from(v)),
      },
      rng: { negatives: this.trainNegatives.saveRng(), dropout: this.dropoutRng.save() },
    };
  }

  /**
   * Continues a run saved by `resumeState()`/`lastTrained.resume` (with the model's weights already set to
   * that run's): restores the optimizer, the random generators and the epoch count, so the next step() is
   * the first batch of epoch `epochs + 1` with the numbers the uninterrupted run has there. Only on a
   * trainer that has not stepped yet.
   */
  async restore(resume: ResumeState): Promise<void> {
    if (this.completedEpochs !== 0 || !this.atEpochStart || this.optimizer.iterations !== 0 || this.trainedState !== null) {
      throw new Error('Trainer.restore: only on a trainer that has not trained yet');
    }
    if (!Number.isInteger(resume.epochs) || resume.epochs < 0) throw new Error(`Trainer.restore: epochs must be an integer ≥ 0, got ${resume.epochs}`);
    const o = resume.optimizer;
    const vars = this.model.variables;
    if (o.firstMoments.length !== o.secondMoments.length || (o.firstMoments.length !== 0 && o.firstMoments.length !== vars.length)) {
      throw new Error(`Trainer.restore: the optimizer state has ${o.firstMoments.length}/${o.secondMoments.length} moments; the model has ${vars.length} variables`);
    }
    if (o.firstMoments.length === 0 && o.iterations !== 0) throw new Error('Trainer.restore: an optimizer that has stepped must have moments');
    vars.forEach((v, i) => {
      for (const m of [o.firstMoments[i], o.secondMoments[i]]) {
        if (m !== undefined && m.length !== v.size) throw new Error(`Trainer.restore: moment ${i} has ${m.length} values; variable ${i} has ${v.size}`);
      }
    });
    if (o.firstMoments.length > 0) {
      const tensors: { name: string; tensor: tf.Tensor }[] = [
        { name: 'iter', tensor: tf.scalar(o.iterations, 'int32') },
        ...o.firstMoments.map((m, i) => ({ name: `${vars[i]!.name}/m`, tensor: tf.tensor(m, vars[i]!.shape, 'float32') })),
        ...o.secondMoments.map((m, i) => ({ name: `${vars[i]!.name}/v`, tensor: tf.tensor(m, vars[i]!.shape, 'float32') })),
      ];
      try {
        // the moments become the optimizer's variables (sharing these tensors' data)
        await this.optimizer.setWeights(tensors);
      } finally {
        tf.dispose(tensors.map((t) => t.tensor));
      }
      const { accBeta1, accBeta2 } = adamPowers(this.optimizer);
      tf.tidy(() => {
        accBeta1.assign(tf.scalar(o.beta1Power, 'float32'));
        accBeta2.assign(tf.scalar(o.beta2Power, 'float32'));
      });
    }
    this.trainNegatives.restoreRng(resume.rng.negatives);
    this.dropoutRng.restore(resume.rng.dropout);
    this.completedEpochs = resume.epochs;
    this.restored = resume;
  }

  /** the state restore() set, while no step has run since (the model's weights are still the restored ones); else null */
  get restoredResume(): ResumeState | null {
    return this.restored;
  }

  dispose(): void {
    if (this.partial) tf.dispose([...this.partial.sums.values()]);
    this.partial = null;
    this.optimizer.dispose();
  }
}

/** A model as its last training phase left it (Trainer.lastTrained). */
export interface TrainedModel {
  readonly epoch: number;
  readonly state: ModelState;
  /** one array per model variable, in `model.variables` order */
  readonly weights: readonly Float32Array[];
  /** the optimizer, random generators and epoch count then: what resuming after this epoch needs */
  readonly resume: ResumeState;
}

function emptyPassStats(): ParallelPassStats {
  return { processedEvents: 0, stale: 0, mails: 0, survivingMails: 0, countedEvents: 0, computeMs: 0, taskMs: 0 };
}

function addCounts(s: ParallelPassStats, c: { stale: number; mails: number; surviving: number }, events: number): ParallelPassStats {
  return { ...s, stale: s.stale + c.stale, mails: s.mails + c.mails, survivingMails: s.survivingMails + c.surviving, countedEvents: s.countedEvents + events };
}

export { bceLoss };

/**
 * Evaluation negatives: 'random' keeps the destination-only sampler (the PyG reference's protocol, so
 * results stay comparable); historical and inductive follow DyGLib and replace the source as well.
 */
export function evaluationNegatives(stream: EventStream, strategy: NegativeStrategy, seed: number, trainEndTime: number): PairNegativeSampler {
  if (strategy !== 'random') return new DyGLibNegativeSampler(stream, strategy, seed, trainEndTime);
  const random = new RandomNegativeSampler(stream, seed);
  return {
    strategy,
    sample: (from, to) => ({ src: stream.src.slice(from, to), dst: random.sample(from, to) }),
    reset: () => random.reset(),
  };
}

/**
 * Scores events [from, to) (positives and the given negatives) with the current weights, then commits
 * them to memory; `exact` processes them one at a time (B = 1 memory semantics).
 */
export async function scoreBatch(
  model: TgnModel,
  from: number,
  to: number,
  negatives: Int32Array,
  exact: boolean,
  negativeSources?: Int32Array,
  onProgress?: () => void,
): Promise<{ pos: Float32Array; neg: Float32Array; readAges: Float32Array }> {
  const scored = await scoreBatchUntil(model, from, to, negatives, exact, negativeSources, onProgress);
  if (scored === null) throw new Error('scoreBatch: stopped without a stop condition');
  return scored;
}

/** scoreBatch that can stop between its parts (exact mode): see `stop` */
export async function scoreBatchUntil(
  model: TgnModel,
  from: number,
  to: number,
  negatives: Int32Array,
  exact: boolean,
  negativeSources?: Int32Array,
  /** called after each part (each event in exact mode) */
  onProgress: () => void = () => undefined,
  /**
   * `shouldStop`, asked between parts, stops the scoring there: the results so far stay in `progress`
   * and null is returned; called again with the same `progress`, it carries on.
   */
  stop?: { readonly progress: ScoreProgress | null; readonly shouldStop: () => boolean },
): Promise<{ pos: Float32Array; neg: Float32Array; readAges: Float32Array } | null> {
  const step = exact ? 1 : to - from;
  const k = negatives.length / (to - from);
  const progress = stop?.progress ?? { next: from, pos: new Float32Array(to - from), neg: new Float32Array(negatives.length), readAges: new Float32Array(2 * (to - from)) };
  const { pos, neg, readAges } = progress;
  const noDropout = new Rng(0); // evaluation draws no dropout masks
  for (let a = progress.next; a < to; a += step) {
    if (a > progress.next && stop?.shouldStop()) {
      progress.next = a;
      return null;
    }
    const b = Math.min(to, a + step);
    const plan = model.plan(a, b, negatives.subarray((a - from) * k, (b - from) * k), negativeSources?.subarray(a - from, b - from));
    const [p, n, u] = tf.tidy(() => {
      const out = model.forward(plan, false, noDropout);
      return [out.pos, out.neg, out.commitValues];
    });
    const [pv, nv, uv] = await Promise.all([p.data(), n.data(), u.data()]);
    tf.dispose([p, n, u]);
    model.commit(plan, uv as Float32Array);
    pos.set(pv, a - from);
    neg.set(nv, (a - from) * k);
    readAges.set(plan.readAges, 2 * (a - from));
    onProgress();
  }
  return { pos, neg, readAges };
}

/** linear-interpolated quantile of sorted values (0 for none) */
function quantile(sorted: Float32Array, q: number): number {
  return sorted.length === 0 ? 0 : quantileSorted(sorted, q);
}

function now(): number {
  return globalThis.performance.now();
}
