/**
 * DistTGL's three kinds of parallelism (Zhou et al., SC'23; amazon-science/disttgl train.py), as an exact
 * one-thread reference: every trainer is simulated in turn with the arithmetic the parallel run does.
 *
 * - Mini-batch parallelism i: i trainers take i consecutive batches of b events (one *unit* of i·b
 *   events), all reading the same memory snapshot; each node's last occurrence in the unit writes its
 *   memory and mail. For memory and staleness this is one batch of i·b; the gradient is the mean of the i
 *   trainers' mean losses.
 * - Epoch parallelism j: j ranks share one copy of memory. Rank r starts unit n at the copy's local
 *   iteration n (n ≡ r mod j), reading memory after unit n − 1 and writing it (repetition 0); it then
 *   trains on the same unit and the same memory snapshot on the next j − 1 iterations, each time against
 *   another of j pre-sampled negative sets, without writing. So memory advances one unit per iteration (no
 *   staleness is added), every optimizer step averages the gradients of the j most recent units, and one
 *   pass over the data trains each unit j times (DistTGL divides the epochs by j). A pass takes
 *   units + j − 1 iterations; a rank idles before its first unit and after the last.
 * - Memory parallelism k: k independent copies of memory, mailbox and neighbour index. Copy g starts its
 *   pass at local iteration ⌊M/k⌋·(k − g) (M iterations per pass; copy 0 at 0) with zeroed memory and
 *   starts again from unit 0, reset, when it wraps; gradients are averaged over every trainer of every
 *   copy, memory is never exchanged. The cost: a copy that starts mid-stream reads memory that lacks
 *   everything before its start (its cold-start events). Evaluation continues copy 0, the only copy whose
 *   pass ends where the training range ends.
 *
 * Differences from DistTGL's code, on purpose: ranks idle instead of repeating unit 0 before their first
 * unit and the last unit after the end (so each unit is trained exactly j times with its j negative sets);
 * a copy wraps after exactly M iterations.
 */
import { tf } from '../tf.ts';
import type { BatchPlan, TgnModel } from '../models/tgn.ts';
import type { EventStream } from '../data/eventStream.ts';
import { copyResets, rankWork, trainerRanges, unitRange, type ParallelSchedule } from '../../shared/parallelSchedule.ts';
import type { RandomNegativeSampler } from '../data/negatives.ts';
import { Rng } from '../util/rng.ts';
import { NO_CLOCK, type PhaseClock } from './phases.ts';
import { bceLoss } from './loss.ts';

export {
  NO_PARALLELISM, isParallel, checkParallelism, trainersOf, parallelSchedule, unitRange, trainerRanges, localIteration, rankWork, copyResets,
  type ParallelSchedule, type RankWork,
} from '../../shared/parallelSchedule.ts';

/**
 * Cold-start events of the copies that start mid-stream: events of a copy's first run (from its start unit
 * to the end of the range) whose source or destination had an event before that start, counted at that
 * node's first event of the run (the first read of a memory that lacks the node's history).
 */
export function coldStartEvents(stream: EventStream, s: ParallelSchedule): number {
  let cold = 0;
  for (let g = 1; g < s.parallelism.memory; g++) {
    const first = s.copyStart[g]!;
    if (first === 0 || first >= s.units) continue;
    const [segment] = unitRange(s, first);
    const history = new Uint8Array(stream.numNodes);
    for (let e = s.start; e < segment; e++) {
      history[stream.src[e]!] = 1;
      history[stream.dst[e]!] = 1;
    }
    for (let e = segment; e < s.end; e++) {
      let isCold = false;
      for (const v of [stream.src[e]!, stream.dst[e]!]) {
        if (history[v] === 1) {
          isCold = true;
          history[v] = 0; // counted at its first read of the run only
        }
      }
      if (isCold) cold++;
    }
  }
  return cold;
}

/** What a pass reports besides the usual epoch numbers (EpochReport.parallel). */
export interface ParallelPassStats {
  /** events processed by every trainer (every repetition, every copy) */
  readonly processedEvents: number;
  /** over the units copy 0 wrote, as `tgnn staleness` counts them at batch size i·b */
  readonly stale: number;
  readonly mails: number;
  readonly survivingMails: number;
  readonly countedEvents: number;
  /** wall ms of the executors' runs, and the ms their tasks computed (summed over threads) */
  readonly computeMs: number;
  readonly taskMs: number;
}

/** One iteration's result: its loss (mean over trainers), the averaged gradients (owned by the caller), copy 0's write. */
export interface IterationResult {
  readonly loss: number;
  /** null when every trainer idled */
  readonly grads: tf.NamedTensorMap | null;
  /** the unit copy 0 wrote in this iteration, with the memory ages of its reads; null when it wrote none */
  readonly written: { readonly from: number; readonly to: number; readonly readAges: Float32Array } | null;
  readonly processedEvents: number;
  /** wall ms of the executor's run, and the ms its tasks computed (summed over threads): waitFraction's parts */
  readonly computeMs: number;
  readonly taskMs: number;
}

/**
 * One (copy, rank)'s work in an iteration: forward and backward on its unit's plan (the memory snapshot read
 * when the unit started) against negative set `repetition` of `sets`, the loss being the sum over its
 * mini-batch trainers' ranges (relative to the unit) of each one's mean BCE. Plain data: it crosses to a
 * worker as it is.
 */
export interface TrainerTask {
  readonly plan: BatchPlan;
  readonly repetition: number;
  readonly sets: number;
  readonly ranges: readonly (readonly [number, number])[];
  /** the task's trainer writes the unit: return the values commit needs */
  readonly writes: boolean;
  /** seed of the task's dropout masks (drawn in task order from the trainer's dropout generator) */
  readonly dropoutSeed: number;
}

export interface TrainerTaskResult {
  readonly loss: number;
  /** one gradient per model variable, in `model.variables` order (zeros where the loss does not reach it) */
  readonly grads: readonly Float32Array[];
  readonly commitValues: Float32Array | null;
  /** ms the task computed */
  readonly ms: number;
}

/**
 * Runs an iteration's trainer tasks: in this thread one after another (`InThreadExecutor`, the reference), or
 * spread over worker threads (the CLI's trainer workers). Results come back in task order.
 */
export interface TrainerExecutor {
  /** threads computing (1 for the reference) */
  readonly workers: number;
  /** the model weights the tasks must use (set before every iteration's tasks: the optimizer changed them) */
  run(tasks: readonly TrainerTask[], weights: () => readonly Float32Array[]): Promise<TrainerTaskResult[]>;
  dispose(): void;
}

interface InFlight {
  readonly unit: number;
  /** the unit's plan: its commit (memory writes, mail, index) and its reads' ages */
  readonly plan: BatchPlan;
  /**
   * one plan per mini-batch trainer, of its own events, from the same memory snapshot (made before the first write
   * of the unit): each trainer is its own task, so worker threads share a unit's work; null when the unit
   * runs as one task (i = 1, or a model whose plans are not per-node: neighbours before each event, DyRep)
   */
  readonly trainerPlans: readonly BatchPlan[] | null;
}

/** whether a unit's trainers can each plan their own events from the unit's snapshot (see InFlight.trainerPlans) */
function splitsTrainers(model: TgnModel, i: number): boolean {
  return i > 1 && model.config.neighbourScope === 'earlier-batches' && model.modules.messageEmbedding === null;
}

/**
 * The memory values a unit's commit needs, gathered from its trainers' results: each mail node's updated
 * memory row, taken from a trainer plan in which the node is a mail node (the same value in every such
 * plan: the same mail, memory and weights).
 */
function unitCommitValues(unit: BatchPlan, plans: readonly BatchPlan[], values: readonly Float32Array[], d: number): Float32Array {
  const rowOfNode = new Map<number, number>();
  unit.mailNodes.forEach((v, r) => rowOfNode.set(v, r));
  const out = new Float32Array(unit.mailNodes.length * d);
  const filled = new Uint8Array(unit.mailNodes.length);
  plans.forEach((p, t) => {
    p.mailNodes.forEach((v, r) => {
      const row = rowOfNode.get(v);
      if (row === undefined || filled[row] === 1) return;
      out.set(values[t]!.subarray(r * d, r * d + d), row * d);
      filled[row] = 1;
    });
  });
  const missing = filled.indexOf(0);
  if (missing >= 0) throw new Error(`ParallelPass: no trainer computed the memory of node ${unit.mailNodes[missing]}`);
  return out;
}

/**
 * One trainer task on `model` (whose modules hold the weights to use): what every executor runs, in this
 * thread or in a worker. Leaves no tensor behind.
 */
export async function runTrainerTask(model: TgnModel, task: TrainerTask, clock: PhaseClock = NO_CLOCK): Promise<TrainerTaskResult> {
  const started = globalThis.performance.now();
  const n = task.sets;
  const q = task.repetition;
  let kept: tf.Tensor | null = null;
  const forwardStart = clock.total();
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward(task.plan, true, new Rng(task.dropoutSeed));
    if (task.writes) kept = tf.keep(out.commitValues);
    return clock.time('decoder + loss', () => {
      let total: tf.Scalar | null = null;
      for (const [a, b] of task.ranges) {
        const pos = tf.slice(out.pos, [a], [b - a]);
        const neg = n === 1 ? tf.slice(out.neg, [a], [b - a]) : tf.gather(out.neg, tf.tensor1d(Int32Array.from({ length: b - a }, (_, e) => (a + e) * n + q), 'int32'));
        const loss = bceLoss(pos, neg);
        total = total ? (tf.add(total, loss) as tf.Scalar) : loss;
      }
      if (!total) throw new Error('runTrainerTask: a trainer with no events');
      return total;
    });
  }, model.variables);
  clock.add('backward', globalThis.performance.now() - started - (clock.total() - forwardStart));
  const readStart = globalThis.performance.now();
  const keptTensor = kept as tf.Tensor | null;
  const vars = model.variables;
  const [lossValue, commitValues, ...gradValues] = await Promise.all([
    value.data(),
    keptTensor ? keptTensor.data() : Promise.resolve(null),
    ...vars.map((v) => (grads[v.name] ? grads[v.name]!.data() : Promise.resolve(new Float32Array(v.size)))),
  ]);
  clock.add('read-back', globalThis.performance.now() - readStart);
  tf.dispose([value, ...(keptTensor ? [keptTensor] : []), ...Object.values(grads)]);
  return {
    loss: lossValue[0]!,
    grads: gradValues.map((g) => Float32Array.from(g as Float32Array)),
    commitValues: commitValues ? Float32Array.from(commitValues as Float32Array) : null,
    ms: globalThis.performance.now() - started,
  };
}

/** The reference executor: every task in this thread, in order, on the trainer's own model. */
export class InThreadExecutor implements TrainerExecutor {
  readonly workers = 1;
  constructor(private readonly model: TgnModel, private readonly clock: PhaseClock, private readonly onProgress: () => void) {}

  async run(tasks: readonly TrainerTask[]): Promise<TrainerTaskResult[]> {
    const out: TrainerTaskResult[] = [];
    for (const task of tasks) {
      out.push(await runTrainerTask(this.model, task, this.clock));
      this.onProgress();
    }
    return out;
  }

  dispose(): void {}
}

/**
 * Runs a pass's iterations: plans each (copy, rank)'s unit when it starts (every read of memory happens
 * here, in this thread), hands the iteration's trainer tasks to the executor, then commits the writing
 * tasks' units in (copy, rank) order and averages the gradients in the same order, so every executor gives
 * the numbers of the one-thread reference. `models[0]` is the trainer's model; the others share its
 * modules (weights) and hold their own memory, mailbox and index.
 */
export class ParallelPass {
  private readonly inFlight: (InFlight | null)[][];

  constructor(
    readonly schedule: ParallelSchedule,
    private readonly models: readonly TgnModel[],
    private readonly negatives: RandomNegativeSampler,
    private readonly dropout: Rng,
    private readonly clock: PhaseClock,
    private readonly executor: TrainerExecutor,
  ) {
    if (models.length !== schedule.parallelism.memory) throw new Error(`ParallelPass: expected ${schedule.parallelism.memory} model copies, got ${models.length}`);
    this.inFlight = models.map(() => Array.from({ length: schedule.parallelism.epoch }, () => null));
  }

  /** runs global iteration m: every trainer's forward and backward, copy writes; the caller applies the gradients */
  async iteration(m: number): Promise<IterationResult> {
    const s = this.schedule;
    const j = s.parallelism.epoch;
    const tasks: TrainerTask[] = [];
    /** per (copy, rank): its unit, and its tasks [first, end) */
    const owners: { readonly g: number; readonly flight: InFlight; readonly from: number; readonly to: number; readonly tasks: readonly [number, number] }[] = [];
    for (let g = 0; g < this.models.length; g++) {
      const model = this.models[g]!;
      if (copyResets(s, g, m)) {
        model.resetState();
        this.inFlight[g]!.fill(null);
      }
      for (let r = 0; r < j; r++) {
        const work = rankWork(s, g, r, m);
        if (!work) continue;
        const [from, to] = unitRange(s, work.unit);
        let flight = this.inFlight[g]![r];
        if (work.repetition === 0) {
          // the unit's memory snapshot and all j negative sets, read once when the rank starts it
          const negatives = this.clock.time('negatives', () => this.drawNegatives(from, to, j));
          const plan = model.plan(from, to, negatives);
          const trainerPlans = splitsTrainers(model, s.parallelism.minibatch)
            ? trainerRanges(s, work.unit).map(([a, b]) => model.plan(a, b, negatives.subarray((a - from) * j, (b - from) * j)))
            : null;
          flight = { unit: work.unit, plan, trainerPlans };
          this.inFlight[g]![r] = flight;
        }
        if (!flight || flight.unit !== work.unit) throw new Error(`ParallelPass: copy ${g} rank ${r} has no plan for unit ${work.unit}`);
        const first = tasks.length;
        if (flight.trainerPlans) {
          // one task per mini-batch trainer, on its own plan of the unit's snapshot
          for (const plan of flight.trainerPlans) {
            tasks.push({ plan, repetition: work.repetition, sets: j, writes: work.repetition === 0, ranges: [[0, plan.to - plan.from]], dropoutSeed: this.dropout.int(0x7fffffff) });
          }
        } else {
          tasks.push({
            plan: flight.plan, repetition: work.repetition, sets: j, writes: work.repetition === 0,
            ranges: trainerRanges(s, work.unit).map(([a, b]) => [a - from, b - from] as const),
            dropoutSeed: this.dropout.int(0x7fffffff),
          });
        }
        owners.push({ g, flight, from, to, tasks: [first, tasks.length] });
        if (work.repetition === j - 1) this.inFlight[g]![r] = null;
      }
    }
    if (tasks.length === 0) return { loss: NaN, grads: null, written: null, processedEvents: 0, computeMs: 0, taskMs: 0 };
    const vars = this.models[0]!.variables;
    const started = globalThis.performance.now();
    const results = await this.executor.run(tasks, () => vars.map((v) => v.dataSync() as Float32Array));
    const computeMs = globalThis.performance.now() - started;
    let written: IterationResult['written'] = null;
    let lossSum = 0;
    let trainers = 0;
    let processedEvents = 0;
    for (const { g, flight, from, to, tasks: [a, b] } of owners) {
      const mine = results.slice(a, b);
      if (tasks[a]!.writes) {
        const values = mine.map((res) => {
          if (!res.commitValues) throw new Error('ParallelPass: a writing task returned no memory');
          return res.commitValues;
        });
        const model = this.models[g]!;
        const commitValues = flight.trainerPlans ? unitCommitValues(flight.plan, flight.trainerPlans, values, model.config.memoryDim) : values[0]!;
        this.clock.time('commit', () => model.commit(flight.plan, commitValues));
        if (g === 0) written = { from, to, readAges: flight.plan.readAges };
      }
      for (let t = a; t < b; t++) {
        lossSum += results[t]!.loss;
        trainers += tasks[t]!.ranges.length;
      }
      processedEvents += to - from;
    }
    // the mean over every trainer of its gradient, summed in task order (the same for every executor)
    const grads: tf.NamedTensorMap = {};
    vars.forEach((v, k) => {
      grads[v.name] = tf.tidy(() => {
        let sum: tf.Tensor = tf.tensor(results[0]!.grads[k]!, v.shape);
        for (let i = 1; i < results.length; i++) sum = tf.add(sum, tf.tensor(results[i]!.grads[k]!, v.shape));
        return tf.div(sum, trainers);
      });
    });
    const taskMs = results.reduce((a, r) => a + r.ms, 0);
    return { loss: lossSum / trainers, grads, written, processedEvents, computeMs, taskMs };
  }

  /** n random destinations per event, event-major: set q of event e at e·n + q */
  private drawNegatives(from: number, to: number, n: number): Int32Array {
    if (n === 1) return this.negatives.sample(from, to);
    const sets = Array.from({ length: n }, () => this.negatives.sample(from, to));
    const out = new Int32Array((to - from) * n);
    for (let e = 0; e < to - from; e++) for (let q = 0; q < n; q++) out[e * n + q] = sets[q]![e]!;
    return out;
  }
}
