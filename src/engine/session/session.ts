import type { EventStream } from '../data/eventStream.ts';
import { importEventStream } from '../data/import.ts';
import type { ImportOptions, ImportReport, DatasetSummary } from '../../shared/data.ts';
import { chronologicalSplit, type ChronologicalSplit } from '../data/split.ts';
import { checkTrainable, TrainableError } from '../data/trainable.ts';
import { createTgn, type TgnModel } from '../models/tgn.ts';
import { buildRun, type ExperimentRun } from '../experiment.ts';
import { evaluateEdgeBankSplit } from '../models/edgeBank.ts';
import { mitigationsOf, type EdgeBankMemory, type NegativeStrategy, type BatchAnatomy, type StalenessAtBatchSize, type SweepPoint, type EdgeBankBaselineResult } from '../../shared/lab.ts';
import { scoreBatch, Trainer, TRAINER_DEFAULTS, type BatchReport, type TrainerOptions } from '../train/trainer.ts';
import type { TgnConfig } from '../../shared/presets.ts';
import type { EpochReport, LinkMetrics, BatchSummary, NodeDetail, TimelineHistogram, TrainingProfile, TrainingSnapshot } from '../../shared/training.ts';
import { LinkMetricsAccumulator } from '../train/metrics.ts';
import { RandomNegativeSampler } from '../data/negatives.ts';
import { memoryDrift } from '../probes/drift.ts';
import { pca2 } from '../probes/pca.ts';
import { batchAnatomy, stalenessByBatchSize } from '../probes/staleness.ts';
import { selectBackend } from '../backend.ts';
import type { CheckpointSource, LoadedCheckpoint } from '../checkpoint/checkpoint.ts';
import { tf } from '../tf.ts';
import { NO_CLOCK, PhaseProfiler } from '../train/phases.ts';
import type { BackendPreference, BackendReport, BackendStartOptions } from '../../shared/backend.ts';
import { type ExperimentSettings, DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { checkpointBlocker, usesParallelism } from '../../shared/knobs.ts';
import type { TrainerExecutor } from '../train/parallel.ts';


/** why the page cannot save a checkpoint of a model trained with these settings, per checkpointBlocker answer */
const CHECKPOINT_REFUSALS: Readonly<Record<NonNullable<ReturnType<typeof checkpointBlocker>>, string>> = {
  inductive: 'checkpoints follow the chronological split: set Setting to transductive to save one',
  parallelism: 'checkpoints do not record DistTGL parallelism yet: set the three parallelism knobs to 1 to save one',
  pipelining: 'checkpoints do not record pipelining yet: set Pipeline staleness to 0 to save one',
  'pretrained static memory': 'checkpoints do not hold a pre-trained static memory yet: set Static memory training to joint to save one',
};

/** what an importer read from a file (EventStreamImporter.finish, importEventStream) */
export interface Imported {
  readonly stream: EventStream;
  readonly report: ImportReport;
}

const MAX_PROJECTED = 4000;
const MAX_TRAIL = 300;
const MAX_WATCHED = 8;
/** how long building a model or its first batch may go without a sign of life (kernels compile then) */
export const FIRST_BATCH_QUIET_MS = 20_000;
const MAX_HISTORY = 2000;

interface Loaded {
  readonly name: string;
  readonly stream: EventStream;
  readonly split: ChronologicalSplit;
  /** nodes by total degree, descending (ties by id): the stable "most active" order */
  readonly byActivity: Int32Array;
  /** index of each node's first event */
  readonly firstEvent: Int32Array;
}

interface Run {
  /** the settings and what they train on (buildRun): the loaded stream, or the inductive setting's */
  readonly experiment: ExperimentRun;
  readonly model: TgnModel;
  readonly trainer: Trainer;
  /** where DistTGL's trainers run when not in this thread (the session disposes it with the run) */
  readonly executor: TrainerExecutor | null;
}

/**
 * One playground experiment: a dataset, a model and its trainer, advanced batch by batch, with typed
 * snapshots for the UI. Pure engine code: the worker exposes an instance through comlink unchanged,
 * and tests drive it in Node.
 */
export class EngineSession {
  private backendReport: BackendReport | null = null;
  private data: Loaded | null = null;
  private run: Run | null = null;
  private version = 0;
  private lastBatch: BatchSummary | null = null;
  private processed = 0;
  private loss: number[] = [];
  private lossEpoch: number[] = [];
  private epochs: EpochReport[] = [];
  /** the longest batch of this model so far (ms; 0 before the first) */
  private longestBatchMs = 0;

  /**
   * Called before work that gives no sign of life for a while (a batch's forward and backward pass,
   * building a model): at most `ms`; with 0 when it is over. A worker tells its supervisor, which then
   * waits that long.
   */
  protected beforeLongWork(_ms: number): void {}

  /** called while a batch runs, between its parts (a worker's heartbeat; see Trainer.onProgress) */
  protected onProgress(): void {}
  private recentTrain: { events: number; ms: number }[] = [];
  private probes = { stale: [] as number[], dropped: [] as number[], p50: [] as number[], p90: [] as number[], max: [] as number[] };
  private lastAges: Float32Array = new Float32Array(0);
  private previousComponents: Float64Array | null = null;
  private watched = new Map<number, { trailX: number[]; trailY: number[]; history: number[][]; times: number[]; updates: number }>();

  /**
   * Picks and starts a tfjs backend (backend.ts selectBackend: 'auto' benchmarks only a hardware WebGPU
   * adapter with no remembered verdict); `onStage` hears what startup is doing, in words.
   */
  async setBackend(preference: BackendPreference, options: BackendStartOptions = {}, onStage?: (stage: string) => void): Promise<BackendReport> {
    this.disposeRun();
    this.backendReport = await selectBackend(preference, onStage ? { ...options, onStage } : options);
    if (this.data) this.configure(this.run?.experiment.settings ?? DEFAULT_SETTINGS);
    return this.backendReport;
  }

  get backend(): BackendReport | null {
    return this.backendReport;
  }

  /** Imports an event file (bytes or text, or what an importer read from it); replaces the current dataset and resets training. */
  importData(name: string, input: Uint8Array | string | Imported, options: ImportOptions = {}): DatasetSummary {
    const { stream, report } = typeof input === 'string' || input instanceof Uint8Array ? importEventStream(input, options) : input;
    if (stream.numEvents < 10) throw new TrainableError(`${name} has ${stream.numEvents} usable event${stream.numEvents === 1 ? '' : 's'}; training needs at least 10`, []);
    const split = chronologicalSplit(stream);
    // times that cannot train are refused here, before any model exists (no NaN, no endless epoch)
    const check = checkTrainable(stream, split);
    if (check.errors.length > 0) throw new TrainableError(`${name}: ${check.errors.map((e) => e.message).join('; ')}`, check.errors);
    const degree = new Int32Array(stream.numNodes);
    const firstEvent = new Int32Array(stream.numNodes).fill(stream.numEvents);
    for (let e = stream.numEvents - 1; e >= 0; e--) {
      for (const v of [stream.src[e]!, stream.dst[e]!]) {
        degree[v]!++;
        firstEvent[v] = e;
      }
    }
    const byActivity = Int32Array.from({ length: stream.numNodes }, (_, i) => i).sort((a, b) => degree[b]! - degree[a]! || a - b);
    this.disposeRun();
    this.data = { name, stream, split, byActivity, firstEvent };
    return {
      name,
      events: stream.numEvents,
      nodes: stream.numNodes,
      edgeFeatureDim: stream.edgeFeatureDim,
      tMin: stream.t[0]!,
      tMax: stream.t[stream.numEvents - 1]!,
      report: check.warnings.length > 0 ? { ...report, issues: [...report.issues, ...check.warnings] } : report,
      split: { train: split.train, val: split.val, test: split.test },
    };
  }

  /** (Re)builds the model and trainer from settings; training restarts at epoch 1. */
  configure(settings: ExperimentSettings): void {
    const data = this.requireData();
    this.beforeLongWork(FIRST_BATCH_QUIET_MS);
    this.longestBatchMs = 0;
    if (!this.backendReport) throw new Error('no training backend yet: it is still starting');
    const experiment = buildRun(data.stream, settings, data.split);
    this.disposeRun();
    const model = createTgn(experiment.stream, experiment.config, settings.seed);
    const trainer = new Trainer(model, experiment.stream, experiment.split, experiment.options);
    trainer.onProgress = () => this.onProgress();
    trainer.shouldStop = () => this.shouldStop();
    const executor = usesParallelism(settings) ? this.trainerExecutor(experiment) : null;
    if (executor) trainer.setTrainerExecutor(executor);
    this.run = { experiment, model, trainer, executor };
    this.version++;
    this.beforeLongWork(0);
  }

  /**
   * Where a run with DistTGL's parallelism computes its trainers: null for this thread (the one-thread
   * reference); the page's worker session starts trainer threads (the numbers are the same).
   */
  protected trainerExecutor(_experiment: ExperimentRun): TrainerExecutor | null {
    return null;
  }

  /**
   * Makes a loaded checkpoint the playground's model (taking ownership of `loaded.model`): its weights, and
   * with resume state its optimizer, random generators and epoch count, so the next step is the first batch
   * of the epoch after it; without resume state (format 1) a fresh optimizer after its epochs. `settings`
   * are the checkpoint's (settingsOfCheckpoint). On failure the current model stays.
   */
  async continueFrom(loaded: LoadedCheckpoint, settings: ExperimentSettings): Promise<{ readonly epochs: number; readonly freshOptimizer: boolean }> {
    const data = this.requireData();
    if (settings.evalSetting !== 'transductive') throw new Error('a checkpoint continues in the transductive setting only (it follows the chronological split)');
    const experiment = buildRun(data.stream, settings, data.split);
    const trainer = new Trainer(loaded.model, experiment.stream, experiment.split, experiment.options);
    try {
      await trainer.restore(loaded.resume?.state ?? { ...(await trainer.resumeState()), epochs: loaded.meta.epochs ?? 0 });
    } catch (e) {
      trainer.dispose();
      loaded.model.dispose();
      throw e;
    }
    this.disposeRun();
    trainer.onProgress = () => this.onProgress();
    trainer.shouldStop = () => this.shouldStop();
    this.run = { experiment, model: loaded.model, trainer, executor: null };
    this.version++;
    return { epochs: trainer.cursor.epoch - 1, freshOptimizer: loaded.resume === null };
  }

  /**
   * Runs up to `maxBatches` batches, stopping early once `budgetMs` has passed, or as soon as
   * `shouldStop()` says so (before a batch, or between the events of an exact-mode batch, which the next
   * step carries on).
   */
  async step(maxBatches = 1, budgetMs = Infinity): Promise<BatchSummary | null> {
    this.requireRun();
    const started = globalThis.performance.now();
    for (let i = 0; i < maxBatches; i++) {
      if (i > 0 && this.shouldStop()) break;
      if ((await this.stepOnce()) === null) break;
      if (globalThis.performance.now() - started >= budgetMs) break;
    }
    return this.lastBatch;
  }

  /** asked between batches and between the events of an exact-mode batch: true stops the running step there */
  protected shouldStop(): boolean {
    return false;
  }

  /** one batch, with everything the snapshots record; null when it was stopped part-way */
  private async stepOnce(): Promise<BatchReport | null> {
    const { trainer, model } = this.requireRun();
    const stream = this.requireRun().experiment.stream;
    const c = trainer.cursor;
    if (c.phase === 'train' && c.batch === 0) this.processed = 0;
    // a plain batch is one uninterrupted computation: say how long it may take (its forward and backward
    // pass give no sign of life); the first batch of a model compiles its kernels too
    this.beforeLongWork(this.longestBatchMs > 0 ? 3 * this.longestBatchMs + 500 : FIRST_BATCH_QUIET_MS);
    const r = await trainer.step();
    this.beforeLongWork(0);
    if (r !== null) this.longestBatchMs = Math.max(this.longestBatchMs, r.ms);
    if (r === null) {
      // memory holds the batch's events so far: the page's views show it
      this.version++;
      return null;
    }
    this.lastBatch = {
      epoch: r.epoch, phase: r.phase, batch: r.batch, batches: r.batches, from: r.from, to: r.to,
      tFrom: stream.t[r.from]!, tTo: stream.t[r.to - 1]!, loss: r.loss, ms: r.ms, probe: r.probe,
    };
    this.lastAges = r.readAges;
    this.processed = r.to;
    if (r.phase === 'train') {
      this.probes.stale.push(r.probe.staleFraction);
      this.probes.dropped.push(r.probe.droppedMailFraction);
      this.probes.p50.push(r.probe.ageP50);
      this.probes.p90.push(r.probe.ageP90);
      this.probes.max.push(r.probe.ageMax);
      this.loss.push(r.loss);
      this.lossEpoch.push(r.epoch);
      this.recentTrain.push({ events: r.to - r.from, ms: r.ms });
      if (this.recentTrain.length > 20) this.recentTrain.shift();
    }
    if (r.epochReport) this.epochs.push(r.epochReport);
    this.recordWatched(model);
    this.version++;
    return r;
  }

  /** Nodes whose memory history and projection trail are recorded (at most 8). */
  watch(nodes: readonly number[]): void {
    const data = this.requireData();
    const next = new Map<number, { trailX: number[]; trailY: number[]; history: number[][]; times: number[]; updates: number }>();
    for (const v of nodes.slice(0, MAX_WATCHED)) {
      if (!Number.isInteger(v) || v < 0 || v >= data.stream.numNodes) throw new Error(`watch: node ${v} is not in 0..${data.stream.numNodes - 1}`);
      next.set(v, this.watched.get(v) ?? { trailX: [], trailY: [], history: [], times: [], updates: -1 });
    }
    this.watched = next;
  }

  snapshot(heatmapRows = 40): TrainingSnapshot {
    const data = this.requireData();
    const { model, trainer } = this.requireRun();
    const { stream } = data;
    const mem = model.memory;
    const d = mem.dim;
    const processed = this.processedInLoaded();
    const now = processed > 0 ? stream.t[processed - 1]! : stream.t[0]!;

    const rows = Math.min(heatmapRows, stream.numNodes);
    const hmNodes = data.byActivity.slice(0, rows);
    const touchedSet = new Set<number>();
    if (this.lastBatch) {
      for (let e = this.lastBatch.from; e < this.lastBatch.to; e++) {
        touchedSet.add(stream.src[e]!);
        touchedSet.add(stream.dst[e]!);
      }
    }
    const projected = stream.numNodes <= MAX_PROJECTED ? Int32Array.from({ length: stream.numNodes }, (_, i) => i) : data.byActivity.slice(0, MAX_PROJECTED);
    const rowsData = mem.gather(projected);
    const p = pca2(rowsData, projected.length, d, this.previousComponents);
    this.previousComponents = p.components;
    const memoryAge = new Float32Array(projected.length);
    const seen = new Uint8Array(projected.length);
    const posOf = new Map<number, number>();
    projected.forEach((v, i) => {
      memoryAge[i] = mem.updates[v]! > 0 ? now - mem.lastUpdate[v]! : NaN;
      seen[i] = data.firstEvent[v]! < processed ? 1 : 0;
      posOf.set(v, i);
    });
    const trails: { node: number; x: Float32Array; y: Float32Array }[] = [];
    for (const [v, w] of this.watched) {
      const i = posOf.get(v);
      if (i !== undefined) {
        w.trailX.push(p.x[i]!);
        w.trailY.push(p.y[i]!);
        if (w.trailX.length > MAX_TRAIL) {
          w.trailX.shift();
          w.trailY.shift();
        }
      }
      trails.push({ node: v, x: Float32Array.from(w.trailX), y: Float32Array.from(w.trailY) });
    }
    const recent = this.recentTrain.reduce((a, b) => ({ events: a.events + b.events, ms: a.ms + b.ms }), { events: 0, ms: 0 });
    return {
      version: this.version,
      cursor: trainer.cursor,
      lastBatch: this.lastBatch,
      now,
      loss: Float32Array.from(this.loss),
      lossEpoch: Int32Array.from(this.lossEpoch),
      epochs: [...this.epochs],
      eventsPerSec: recent.ms > 0 ? (recent.events * 1000) / recent.ms : 0,
      heatmap: {
        nodes: hmNodes,
        rawIds: Array.from(hmNodes, (v) => stream.rawNodeIds[v]!),
        dim: d,
        values: mem.gather(hmNodes),
        touched: Uint8Array.from(hmNodes, (v) => (touchedSet.has(v) ? 1 : 0)),
      },
      projection: { nodes: projected, x: p.x, y: p.y, memoryAge, seen, varianceFraction: p.varianceFraction },
      trails,
      probes: {
        staleFraction: Float32Array.from(this.probes.stale),
        droppedMailFraction: Float32Array.from(this.probes.dropped),
        ageP50: Float32Array.from(this.probes.p50),
        ageP90: Float32Array.from(this.probes.p90),
        ageMax: Float32Array.from(this.probes.max),
        lastAges: Float32Array.from(this.lastAges),
      },
      numTensors: tf.memory().numTensors,
    };
  }

  nodeDetail(node: number): NodeDetail {
    const { stream } = this.requireData();
    const { model } = this.requireRun();
    if (!Number.isInteger(node) || node < 0 || node >= stream.numNodes) throw new Error(`nodeDetail: node ${node} is not in 0..${stream.numNodes - 1}`);
    const times: number[] = [];
    const other: number[] = [];
    const isSource: number[] = [];
    const processed = this.processedInLoaded();
    let processedEvents = 0;
    for (let e = 0; e < stream.numEvents; e++) {
      const u = stream.src[e]!;
      const v = stream.dst[e]!;
      if (u !== node && v !== node) continue;
      times.push(stream.t[e]!);
      other.push(u === node ? v : u);
      isSource.push(u === node ? 1 : 0);
      if (e < processed) processedEvents++;
    }
    const mem = model.memory;
    const d = mem.dim;
    const w = this.watched.get(node);
    const now = processed > 0 ? stream.t[processed - 1]! : stream.t[0]!;
    return {
      node,
      rawId: stream.rawNodeIds[node]!,
      eventTimes: Float64Array.from(times),
      eventOther: Int32Array.from(other),
      eventIsSource: Uint8Array.from(isSource),
      processedEvents,
      memory: mem.state.slice(node * d, node * d + d),
      lastUpdate: mem.lastUpdate[node]!,
      memoryAge: mem.updates[node]! > 0 ? now - mem.lastUpdate[node]! : NaN,
      history: Float32Array.from((w?.history ?? []).flat()),
      historyTimes: Float64Array.from(w?.times ?? []),
    };
  }

  /** The batch-anatomy picture of events [from, from + batchSize) with a mailbox of `mailboxSize`. */
  anatomy(from: number, batchSize: number, mailboxSize = 1): BatchAnatomy {
    const { stream } = this.requireData();
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`anatomy: batch size must be an integer ≥ 1, got ${batchSize}`);
    const start = Math.max(0, Math.min(stream.numEvents - 1, Math.floor(from)));
    return batchAnatomy(stream, start, Math.min(stream.numEvents, start + batchSize), mailboxSize);
  }

  /** Data-level stale and dropped fractions over the training range for each batch size. */
  stalenessCurve(batchSizes: readonly number[], mailboxSize = 1): StalenessAtBatchSize[] {
    const { stream, split } = this.requireData();
    return stalenessByBatchSize(stream, batchSizes, mailboxSize, split.train);
  }

  /**
   * One point of a batch-size sweep: configures a fresh model from `settings`, trains one epoch (train,
   * val, test), then measures memory drift on the first `driftEvents` validation events from the
   * post-training state. Leaves this session's model configured with `settings`, after the epoch.
   */
  async runSweepPoint(settings: ExperimentSettings, driftEvents = 2000, onBatch?: (done: number, total: number) => void): Promise<SweepPoint> {
    this.configure(settings);
    const { trainer, model, experiment } = this.requireRun();
    const total = trainer.cursor.batches;
    let report: EpochReport | null = null;
    let trainBatches = 0;
    while (!report) {
      const r = await this.stepOnce();
      // a sweep point's session is never asked to stop part-way; were it, the batch would carry on here
      if (r === null) continue;
      if (r.phase === 'train') onBatch?.(++trainBatches, total);
      report = r.epochReport;
    }
    const start = trainer.stateAfterTraining;
    if (!start) throw new Error('runSweepPoint: the epoch ended without a training state');
    const [vFrom, vTo] = experiment.split.val;
    const evalB = experiment.options.evalBatchSize;
    const drift = await memoryDrift(model, start, vFrom, Math.min(vTo, vFrom + driftEvents), evalB, TRAINER_DEFAULTS.evalSeed);
    const [fractions] = stalenessByBatchSize(experiment.stream, [settings.batchSize], settings.mailboxSize, experiment.split.train);
    return {
      batchSize: settings.batchSize,
      mitigations: mitigationsOf(settings),
      trainEventsPerSec: report.trainEventsPerSec,
      valAp: report.val.ap,
      testAp: report.test.ap,
      staleFraction: fractions!.staleFraction,
      droppedMailFraction: fractions!.droppedMailFraction,
      memoryDrift: drift.memoryDrift,
      driftApDelta: drift.apDelta,
      driftEvents: drift.events,
    };
  }

  /**
   * Evaluates the current weights on validation and test at another batch size, starting from the
   * memory state right after the last training phase (staleness at inference alone). Restores nothing:
   * call after an epoch; the session's memory then reflects this evaluation.
   */
  async evaluateAt(evalBatchSize: number): Promise<{ evalBatchSize: number; val: LinkMetrics; test: LinkMetrics }> {
    const { trainer, model, experiment } = this.requireRun();
    const start = trainer.stateAfterTraining;
    if (!start) throw new Error('evaluateAt: train at least one epoch first');
    model.restoreState(start);
    const ranges = [experiment.split.val, experiment.split.test] as const;
    const out: LinkMetrics[] = [];
    for (const [i, [a, b]] of ranges.entries()) {
      const negatives = new RandomNegativeSampler(experiment.stream, TRAINER_DEFAULTS.evalSeed + i).sample(a, b);
      const acc = new LinkMetricsAccumulator();
      for (let x = a; x < b; x += evalBatchSize) {
        const y = Math.min(b, x + evalBatchSize);
        const s = await scoreBatch(model, x, y, negatives.subarray(x - a, y - a), experiment.settings.exact);
        acc.addBatch(s.pos, s.neg);
      }
      out.push(acc.result());
    }
    return { evalBatchSize, val: out[0]!, test: out[1]! };
  }

  /**
   * The EdgeBank baseline (no learning) on the loaded dataset's chronological split: validation and test with
   * DyGLib's negatives, in batches of the session's evaluation batch size (the settings', or DEFAULT_SETTINGS'
   * before configure). The same function as `tgnn train --model edgebank`, so the numbers are the CLI's.
   * Leaves the model and training position alone.
   */
  edgeBankBaseline(memory: EdgeBankMemory, negatives: NegativeStrategy): EdgeBankBaselineResult {
    // the worker boundary carries plain strings: refuse anything else with a readable message
    if (memory !== 'unlimited' && memory !== 'window') throw new Error(`edgeBankBaseline: memory must be unlimited or window, got '${String(memory)}'`);
    if (negatives !== 'random' && negatives !== 'historical' && negatives !== 'inductive') {
      throw new Error(`edgeBankBaseline: negatives must be random, historical or inductive, got '${String(negatives)}'`);
    }
    const data = this.requireData();
    const run = this.run?.experiment ?? buildRun(data.stream, DEFAULT_SETTINGS, data.split);
    const evalBatchSize = run.options.evalBatchSize;
    const { val, test } = evaluateEdgeBankSplit(run.stream, run.split, {
      memory, negatives, evalBatchSize, evalSeed: run.options.evalSeed, inductiveMask: run.options.evalMask ?? null, negativeSource: run.options.negativeSource ?? null,
    });
    return { dataset: data.name, memory, negatives, evalBatchSize, val: val.metrics, test: test.metrics };
  }

  /**
   * Where a training batch's time goes: `warm` training batches, then `batches` more with a PhaseProfiler
   * (ms per batch of each phase) and the wall time per batch. The same method in Node (`npm run bench`)
   * and in a browser worker (bench/browser.ts), so the two are measured alike. Leaves the model trained.
   */
  async profileTraining(warm: number, batches: number): Promise<TrainingProfile> {
    const { trainer } = this.requireRun();
    const profiler = new PhaseProfiler();
    let started = 0;
    let measured = 0;
    for (let b = 0; b < warm + batches; b++) {
      if (b === warm) {
        trainer.profile(profiler);
        started = globalThis.performance.now();
      }
      const c = trainer.cursor;
      if (c.phase !== 'train') throw new Error(`profileTraining: the epoch's training ended after ${b} batches; ask for fewer (${warm} + ${batches})`);
      await this.stepOnce();
      if (b >= warm) measured++;
    }
    const wallMs = (globalThis.performance.now() - started) / measured;
    trainer.profile(NO_CLOCK);
    const batchSize = trainer.options.batchSize;
    return { batches: measured, batchSize, wallMs, eventsPerSec: (batchSize * 1000) / wallMs, phases: profiler.rows(measured) };
  }

  /**
   * whether the current model can be saved as a checkpoint: checkpoints follow the chronological split (not
   * in the inductive setting) and do not record DistTGL parallelism or a pre-trained static memory yet
   */
  get canCheckpoint(): boolean {
    return this.run !== null && checkpointBlocker(this.run.experiment.settings) === null;
  }

  /** What a checkpoint of the current model is made from (engine/checkpoint); the model is not modified. */
  checkpointSource(): CheckpointSource {
    const data = this.requireData();
    const { model, trainer, experiment } = this.requireRun();
    const blocker = checkpointBlocker(experiment.settings);
    if (blocker !== null) throw new Error(CHECKPOINT_REFUSALS[blocker]);
    const trained = trainer.lastTrained;
    // the resume state that goes with the saved weights: the last training phase's, or (continued from a
    // checkpoint and not stepped since) the restored one, with the current weights
    const state = trained?.resume ?? trainer.restoredResume;
    const resume = state ? { learningRate: trainer.options.learningRate, seed: trainer.options.seed, state } : null;
    return {
      model, stream: data.stream, options: trainer.options, preset: experiment.settings.model, datasetName: data.name,
      epochs: trained?.epoch ?? state?.epochs ?? this.epochs.length, trained, resume,
    };
  }

  /** what the current model was built with: its config and its trainer's options (the same as `tgnn train` builds from the same settings) */
  builtRun(): { readonly config: TgnConfig; readonly options: TrainerOptions } {
    const { model, trainer } = this.requireRun();
    return { config: model.config, options: trainer.options };
  }

  /** the loaded stream and the name it was imported under */
  loadedStream(): { readonly name: string; readonly stream: EventStream } {
    const { name, stream } = this.requireData();
    return { name, stream };
  }

  /** events per time bin over the whole stream */
  timeline(bins = 200): TimelineHistogram {
    const { stream } = this.requireData();
    const tMin = stream.t[0]!;
    const tMax = stream.t[stream.numEvents - 1]!;
    const counts = new Int32Array(bins);
    const span = tMax - tMin || 1;
    for (let e = 0; e < stream.numEvents; e++) counts[Math.min(bins - 1, Math.floor(((stream.t[e]! - tMin) / span) * bins))]!++;
    return { tMin, tMax, counts };
  }

  /**
   * events of the loaded stream up to the last one processed (the views count in it; in the inductive
   * setting the model runs on a stream without some training events, `processed` counts in that one)
   */
  private processedInLoaded(): number {
    const inductive = this.run?.experiment.inductive;
    if (!inductive || this.processed === 0) return this.processed;
    return inductive.originalEvent[this.processed - 1]! + 1;
  }

  dispose(): void {
    this.disposeRun();
    this.data = null;
  }

  private recordWatched(model: TgnModel): void {
    const mem = model.memory;
    const d = mem.dim;
    for (const [v, w] of this.watched) {
      const n = mem.updates[v]!;
      if (n !== w.updates) {
        w.updates = n;
        if (n > 0) {
          w.history.push(Array.from(mem.state.subarray(v * d, v * d + d)));
          w.times.push(mem.lastUpdate[v]!);
          if (w.history.length > MAX_HISTORY) {
            w.history.shift();
            w.times.shift();
          }
        }
      }
    }
  }

  private disposeRun(): void {
    if (this.run) {
      this.run.trainer.dispose();
      this.run.executor?.dispose();
      this.run.model.dispose();
      this.run = null;
    }
    this.lastBatch = null;
    this.processed = 0;
    this.loss = [];
    this.lossEpoch = [];
    this.epochs = [];
    this.recentTrain = [];
    this.probes = { stale: [], dropped: [], p50: [], p90: [], max: [] };
    this.lastAges = new Float32Array(0);
    this.previousComponents = null;
    for (const w of this.watched.values()) {
      w.trailX.length = 0;
      w.trailY.length = 0;
      w.history.length = 0;
      w.times.length = 0;
      w.updates = -1;
    }
  }

  private requireData(): Loaded {
    if (!this.data) throw new Error('no dataset is loaded yet: load one first');
    return this.data;
  }

  private requireRun(): Run {
    if (!this.run) throw new Error('no model yet: it is built once a dataset is loaded');
    return this.run;
  }
}
