// The one interpreter of lesson steps: sets a step's state through the page (LessonHost) and runs its
// RunAction through the engine bridge, returning the measured values by name. No React, no DOM: the
// page implements LessonHost (App.tsx), tests use a fake one.
import type { ExperimentSettings } from '../../shared/settings.ts';
import type { NodeDetail, TrainingSnapshot } from '../../shared/training.ts';
import type { BridgeState, EngineBridgeApi } from '../../workers/bridgeApi.ts';
import type { SweepJob, SweepJobResult } from '../../shared/lab.ts';
import { anatomyCounts, jobId, variantOf, type VariantId } from '../lab/labData.ts';
import { SETTING_NAMES } from '../state.ts';
import { evalBatchSizeOf, parallelismOf } from '../../shared/knobs.ts';
import { parallelSchedule } from '../../shared/parallelSchedule.ts';
import { lessonSizes, resolveBatchSize, resolveSettings, type LessonSizes } from './sizes.ts';
import type { Lesson, LessonStep, Measured, RunAction, ServeAction, SweepPointSpec, ViewId } from './types.ts';
import { servingRuns } from '../lab/servingData.ts';
import { SERVE_KNOB_DEFAULTS, type ServeSummary } from '../../shared/serving.ts';

/** what the lab's batch-size sweep is asked to run for a lesson */
export interface LabSweepRequest {
  readonly batchSizes: readonly number[];
  readonly variants: readonly VariantId[];
  readonly workers: number;
  readonly driftEvents: number;
}

/** the part of the engine bridge a lesson uses (EngineBridge is one) */
export interface LessonBridge extends Pick<EngineBridgeApi, 'step' | 'reset' | 'anatomy' | 'stalenessCurve' | 'nodeDetail' | 'sweep'> {
  getState(): Pick<BridgeState, 'dataset' | 'snapshot' | 'settings'>;
}

/** The page as a lesson drives it. */
export interface LessonHost {
  readonly bridge: LessonBridge;
  /** the bundled streams, the default (index.json's first) first */
  datasetNames(): readonly string[];
  /** brings the page to this stream and these settings, as a link would (in the page's own queue) */
  apply(dataset: string, settings: ExperimentSettings): Promise<void>;
  /** selects exactly these nodes in the memory map (the inspector shows the last) */
  select(nodes: readonly number[]): Promise<void>;
  /** the lab's batch anatomy shows events [from, from + batchSize) with a mailbox of mailboxSize */
  showAnatomy(from: number, batchSize: number, mailboxSize: number): void;
  /** runs the lab's batch-size sweep (every variant × every batch size) and returns its results */
  labSweep(request: LabSweepRequest): Promise<readonly SweepJobResult[]>;
  /** runs the lab's Serving card as asked (virtual clock) and returns each run's summary, in run order */
  labServe(request: Omit<ServeAction, 'kind'>): Promise<readonly ServeSummary[]>;
  /** brings a view into sight and marks it */
  focus(view: ViewId): void;
}

/** the runs a serve step makes, in order: one, the three modes, or each mode at six rates around R */
export function serveRuns(a: ServeAction): { readonly mode: ServeSummary['mode']; readonly eventRate: number }[] {
  return servingRuns(a.action, a.mode, a.values.eventRate ?? SERVE_KNOB_DEFAULTS.eventRate!);
}

/** what a serve step measures per run (numbered 1, 2, … in run order) */
const SERVE_OUTPUTS = ['latency50', 'latency99', 'stale', 'staleP99', 'staleMs', 'ap', 'exactAp', 'updateRate', 'backlog', 'queries', 'rate'] as const;

/** a lesson under way: its stream, the sizes picked for it, the settings it starts from, points it measured */
export interface LessonContext {
  readonly lesson: Lesson;
  readonly dataset: string;
  readonly sizes: LessonSizes;
  /** events in the stream's training range */
  readonly trainEvents: number;
  readonly defaults: ExperimentSettings;
  /** sweep points measured in this lesson, by settings (reused by later steps) */
  readonly sweepCache: Map<string, SweepJobResult>;
}

export type Progress = (text: string) => void;

/** the stream a lesson runs on: the one it names if bundled, else the default (the index's first) */
export function lessonDataset(lesson: Lesson, names: readonly string[]): string {
  if (names.length === 0) throw new Error('no bundled dataset to run the lesson on');
  return lesson.dataset !== undefined && names.includes(lesson.dataset) ? lesson.dataset : names[0]!;
}

/** Loads the lesson's stream and picks its batch sizes from the stream's training range. */
export async function prepareLesson(host: LessonHost, lesson: Lesson, defaults: ExperimentSettings): Promise<LessonContext> {
  const dataset = lessonDataset(lesson, host.datasetNames());
  const current = host.bridge.getState();
  if (current.dataset?.name !== dataset) await host.apply(dataset, current.settings);
  const summary = host.bridge.getState().dataset;
  if (!summary || summary.name !== dataset) throw new Error(`the lesson's stream ${dataset} did not load`);
  const [a, b] = summary.split.train;
  return { lesson, dataset, sizes: lessonSizes(b - a), trainEvents: b - a, defaults, sweepCache: new Map() };
}

/** the full settings of a step: defaults, the lesson's, the step's */
export function stepSettings(ctx: LessonContext, step: LessonStep): ExperimentSettings {
  return resolveSettings(ctx.defaults, [ctx.lesson.settings, step.setup.settings], ctx.sizes);
}

/** the batch sizes a step names, resolved: `{batch1}`… in the step's text before it runs */
export function stepSizes(ctx: LessonContext, step: LessonStep): Measured {
  const out: Record<string, number> = { small: ctx.sizes.small, large: ctx.sizes.large, batch: stepSettings(ctx, step).batchSize };
  if (step.run.kind === 'train-compare') Object.assign(out, compareWindow(step.run, ctx.trainEvents));
  const a = step.run;
  const sizes: number[] =
    a.kind === 'anatomy' ? [resolveBatchSize(a.batchSize, ctx.sizes)]
      : a.kind === 'staleness-curve' ? a.batchSizes.map((b) => resolveBatchSize(b, ctx.sizes))
      : a.kind === 'train-compare' ? a.runs.map((r) => resolveSettings(stepSettings(ctx, step), [r], ctx.sizes).batchSize)
      : a.kind === 'sweep' ? a.points.map((p) => resolveBatchSize(p.batchSize, ctx.sizes))
      : [];
  sizes.forEach((b, i) => {
    out[`batch${i + 1}`] = b;
  });
  if (a.kind === 'sweep') {
    if (a.reference) out.refBatch = resolveBatchSize(a.reference.batchSize, ctx.sizes);
    out.workers = a.workers;
    out.driftEvents = a.driftEvents;
    a.points.forEach((p, i) => {
      out[`evalBatch${i + 1}`] = p.evalBatchSize !== undefined ? resolveBatchSize(p.evalBatchSize, ctx.sizes) : sizes[i]!;
    });
  }
  return out;
}

/**
 * The events a train-compare step skips and then measures, within the training range: at most half of it
 * unmeasured, the measured ones in what is left.
 */
export function compareWindow(a: { readonly warmupEvents: number; readonly measureEvents: number }, trainEvents: number): { warmupEvents: number; measureEvents: number } {
  const warmupEvents = Math.min(a.warmupEvents, Math.floor(trainEvents / 2));
  return { warmupEvents, measureEvents: Math.min(a.measureEvents, trainEvents - warmupEvents) };
}

/** Sets the step's state: stream and settings (a rebuilt model when they change), the anatomy, the view in focus. */
export async function setupStep(host: LessonHost, ctx: LessonContext, step: LessonStep): Promise<void> {
  await host.apply(ctx.dataset, stepSettings(ctx, step));
  const an = step.setup.anatomy;
  if (an) {
    const B = resolveBatchSize(an.batchSize, ctx.sizes);
    host.showAnatomy(an.batch * B, B, an.mailboxSize);
  }
  host.focus(step.setup.focus);
}

const numbered = (names: readonly string[], count: number): string[] =>
  Array.from({ length: count }, (_, i) => names.map((n) => `${n}${i + 1}`)).flat();

/** Every value a run action measures, by name: what its step's text may show. */
export function outputKeys(action: RunAction): string[] {
  const common = ['seconds', 'small', 'large', 'batch'];
  switch (action.kind) {
    case 'train-batches':
      return [...common, 'written', 'nodes', 'writtenShare', 'batchNodes', 'batches', 'processed'];
    case 'node-batch':
      return [...common, 'node', 'ageBefore', 'ageAfter', 'ageGrowth', 'change', 'normBefore', 'normAfter', 'changed', 'eventsInBatch', 'batch1'];
    case 'anatomy':
      return [...common, 'stale', 'dropped', 'staleCount', 'events', 'droppedCount', 'mails', 'k', 'batch1'];
    case 'staleness-curve':
      return [...common, 'k', ...numbered(['stale', 'dropped', 'batch'], action.batchSizes.length)];
    case 'train-compare':
      return [
        ...common, 'warmupEvents', 'measureEvents', ...numbered(['stale', 'dropped', 'age', 'rate', 'epochSeconds', 'batch'], action.runs.length),
        ...(action.runs.length >= 2 ? ['rateRatio', 'ageRatio'] : []),
      ];
    case 'sweep': {
      const n = action.points.length;
      const gains = Array.from({ length: Math.max(0, n - 1) }, (_, i) => [`apGain${i + 2}`, `rateRatio${i + 2}`]).flat();
      return [
        ...common, 'workers', 'driftEvents', 'reused', ...numbered(['ap', 'rate', 'stale', 'dropped', 'drift', 'driftAp', 'freshGain', 'batch', 'evalBatch'], n),
        ...gains, ...(n >= 2 ? ['best', 'bestGain'] : []), ...(action.reference ? ['refAp', 'refGain', 'refRate', 'refBatch'] : []),
        ...(action.reference && n >= 2 ? ['recovered'] : []),
      ];
    }
    case 'serve':
      return [...common, ...numbered(SERVE_OUTPUTS, serveRuns(action).length), ...(action.action === 'frontier' ? ['knee'] : [])];
  }
}

function requireSnapshot(host: LessonHost): TrainingSnapshot {
  const s = host.bridge.getState().snapshot;
  if (!s) throw new Error('the model has no snapshot yet');
  return s;
}

/** nodes with a written memory among those on the memory map */
function writtenNodes(s: TrainingSnapshot): number {
  let n = 0;
  for (const a of s.projection.memoryAge) if (Number.isFinite(a)) n++;
  return n;
}

async function endpoints(host: LessonHost, from: number, to: number): Promise<number[]> {
  if (to <= from) return [];
  const a = await host.bridge.anatomy(from, to - from, 1);
  const out: number[] = [];
  const seen = new Set<number>();
  for (const e of a.events) {
    for (const v of [e.src, e.dst]) {
      if (!seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    }
  }
  return out;
}

const l2 = (a: Float32Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

function distance(a: NodeDetail, b: NodeDetail): number {
  let s = 0;
  for (let i = 0; i < a.memory.length; i++) s += (a.memory[i]! - b.memory[i]!) ** 2;
  return Math.sqrt(s);
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** the key of a sweep point in the lesson's cache: stream, drift check and every setting */
export function sweepKey(dataset: string, driftEvents: number, settings: ExperimentSettings): string {
  return `${dataset}|${driftEvents}|${SETTING_NAMES.map((k) => `${k}=${String(settings[k])}`).join(',')}`;
}

/** the settings of one sweep point: the step's model settings with the variant's mitigations (as the lab's sweep builds them) */
export function pointSettings(base: ExperimentSettings, p: SweepPointSpec, sizes: LessonSizes): ExperimentSettings {
  return {
    ...base,
    ...variantOf(p.variant).mitigations,
    batchSize: resolveBatchSize(p.batchSize, sizes),
    evalBatchSize: p.evalBatchSize !== undefined ? resolveBatchSize(p.evalBatchSize, sizes) : 0,
  };
}

/** Runs a step's action and returns what it measured (every key of outputKeys(step.run)). */
export async function runStep(host: LessonHost, ctx: LessonContext, step: LessonStep, progress: Progress = () => undefined): Promise<Measured> {
  const started = globalThis.performance.now();
  const settings = stepSettings(ctx, step);
  const out: Record<string, number> = { ...stepSizes(ctx, step) };
  const { bridge } = host;
  const a = step.run;
  switch (a.kind) {
    case 'train-batches': {
      if (a.fresh) {
        progress('rebuilding the model from the seed…');
        await bridge.reset();
      }
      let ran = 0;
      if (a.batches === 'rest-of-training') {
        for (;;) {
          const c = requireSnapshot(host).cursor;
          if (c.phase !== 'train') break;
          const n = Math.min(10, c.batches - c.batch);
          progress(`training batch ${c.batch + 1} of ${c.batches}…`);
          await bridge.step(n);
          ran += n;
          if (c.batch + n >= c.batches) break;
        }
      } else {
        // never past the training phase: validation would move the cursor and the memory on
        const c = requireSnapshot(host).cursor;
        const n = c.phase === 'train' ? Math.min(a.batches, c.batches - c.batch) : a.batches;
        progress(`training ${n} batch${n === 1 ? '' : 'es'}…`);
        await bridge.step(n);
        ran = n;
      }
      const s = requireSnapshot(host);
      const last = s.lastBatch;
      out.written = writtenNodes(s);
      out.nodes = s.projection.nodes.length;
      out.writtenShare = out.nodes > 0 ? out.written / out.nodes : NaN;
      out.batchNodes = last ? (await endpoints(host, last.from, last.to)).length : 0;
      out.batches = ran;
      out.processed = last ? last.to : 0;
      break;
    }
    case 'node-batch': {
      let s = requireSnapshot(host);
      if (!s.lastBatch || s.cursor.phase !== 'train') {
        progress('training a first batch…');
        if (s.cursor.phase !== 'train') await bridge.reset();
        await bridge.step(1);
        s = requireSnapshot(host);
      }
      const last = s.lastBatch!;
      const B = settings.batchSize;
      const total = bridge.getState().dataset?.split.train[1] ?? last.to + B;
      const next = await endpoints(host, last.to, Math.min(total, last.to + B));
      const nextSet = new Set(next);
      let node: number | undefined;
      if (a.pick === 'has-event') {
        const waiting = new Set(await endpoints(host, last.from, last.to));
        node = next.find((v) => waiting.has(v)) ?? next[0];
      } else {
        // a node with a written memory and no event in the next batch: the youngest memory on the map
        let best = Infinity;
        s.projection.nodes.forEach((v, i) => {
          const age = s.projection.memoryAge[i]!;
          if (Number.isFinite(age) && !nextSet.has(v) && age < best) {
            best = age;
            node = v;
          }
        });
      }
      if (node === undefined) throw new Error('no node fits this step on this stream');
      await host.select([node]);
      const before = await bridge.nodeDetail(node);
      progress(`training one batch and watching node ${before.rawId}…`);
      await bridge.step(1);
      const after = await bridge.nodeDetail(node);
      const ran = requireSnapshot(host).lastBatch!;
      // the node's events the batch processed
      const eventsInBatch = after.processedEvents - before.processedEvents;
      out.node = node;
      out.ageBefore = before.memoryAge;
      out.ageAfter = after.memoryAge;
      out.ageGrowth = ran.tTo - last.tTo;
      out.change = distance(before, after);
      out.normBefore = l2(before.memory);
      out.normAfter = l2(after.memory);
      out.changed = out.change > 0 ? 1 : 0;
      out.eventsInBatch = eventsInBatch;
      out.batch1 = ran.to - ran.from;
      break;
    }
    case 'anatomy': {
      const B = resolveBatchSize(a.batchSize, ctx.sizes);
      const from = a.batch * B;
      host.showAnatomy(from, B, a.mailboxSize);
      const an = await bridge.anatomy(from, B, a.mailboxSize);
      const c = anatomyCounts(an);
      Object.assign(out, {
        stale: an.staleFraction, dropped: an.droppedMailFraction, staleCount: c.stale, events: c.events,
        droppedCount: c.dropped, mails: c.mails, k: a.mailboxSize, batch1: an.to - an.from,
      });
      break;
    }
    case 'staleness-curve': {
      const sizes = a.batchSizes.map((b) => resolveBatchSize(b, ctx.sizes));
      host.showAnatomy(0, sizes[sizes.length - 1]!, a.mailboxSize);
      const points = await bridge.stalenessCurve(sizes, a.mailboxSize);
      out.k = a.mailboxSize;
      sizes.forEach((b, i) => {
        const p = points.find((x) => x.batchSize === b);
        if (!p) throw new Error(`no staleness measured at B = ${b}`);
        out[`stale${i + 1}`] = p.staleFraction;
        out[`dropped${i + 1}`] = p.droppedMailFraction;
        out[`batch${i + 1}`] = b;
      });
      break;
    }
    case 'train-compare': {
      const split = bridge.getState().dataset?.split.train;
      const trainEvents = split ? split[1] - split[0] : NaN;
      for (const [i, run] of a.runs.entries()) {
        const s = resolveSettings(settings, [run], ctx.sizes);
        progress(`run ${i + 1} of ${a.runs.length}: a fresh model at B = ${s.batchSize}${s.exact ? ' in exact mode' : ''}…`);
        await host.apply(ctx.dataset, s);
        await bridge.reset();
        const { warmupEvents, measureEvents } = compareWindow(a, ctx.trainEvents);
        // a step trains one batch, or with DistTGL's parallelism one unit of i batches (the pass's schedule counts the steps)
        const stepEvents = s.batchSize * s.minibatchParallelism;
        const trainBatches = parallelSchedule(0, ctx.trainEvents, s.batchSize, parallelismOf(s)).iterations;
        const warmup = Math.min(trainBatches - 1, Math.ceil(warmupEvents / stepEvents));
        if (warmup > 0) await bridge.step(warmup);
        const batches = Math.max(1, Math.min(trainBatches - warmup, Math.round(measureEvents / stepEvents)));
        const stale: number[] = [];
        const dropped: number[] = [];
        const ages: number[] = [];
        let events = 0;
        let ms = 0;
        for (let b = 0; b < batches; b++) {
          progress(`run ${i + 1} of ${a.runs.length} (B = ${s.batchSize}${s.exact ? ', exact mode' : ''}): batch ${b + 1} of ${batches}…`);
          await bridge.step(1);
          const last = requireSnapshot(host).lastBatch;
          if (!last || last.phase !== 'train') throw new Error('the training phase ended before the measured batches');
          // a step that wrote no unit (an epoch-parallel pass's last steps) has no probe to count
          if (last.to > last.from) {
            stale.push(last.probe.staleFraction);
            dropped.push(last.probe.droppedMailFraction);
            ages.push(last.probe.ageP50);
          }
          events += last.to - last.from;
          ms += last.ms;
        }
        out[`stale${i + 1}`] = mean(stale);
        out[`dropped${i + 1}`] = mean(dropped);
        out[`age${i + 1}`] = mean(ages);
        out[`rate${i + 1}`] = ms > 0 ? (1000 * events) / ms : NaN;
        out[`epochSeconds${i + 1}`] = trainEvents / out[`rate${i + 1}`]!;
        out[`batch${i + 1}`] = s.batchSize;
      }
      if (a.runs.length >= 2) {
        out.rateRatio = out.rate2! / out.rate1!;
        out.ageRatio = out.age2! / out.age1!;
      }
      break;
    }
    case 'sweep': {
      const specs = a.points.map((p) => ({ p, settings: pointSettings(settings, p, ctx.sizes) }));
      const ref = a.reference ? { p: a.reference, settings: pointSettings(settings, a.reference, ctx.sizes) } : null;
      const all = ref ? [...specs, ref] : specs;
      const keyOf = (s: ExperimentSettings): string => sweepKey(ctx.dataset, a.driftEvents, s);
      const missing = all.filter((x) => !ctx.sweepCache.has(keyOf(x.settings)));
      out.reused = all.length - missing.length;
      if (missing.length > 0) {
        if (a.where === 'lab') {
          const batchSizes = [...new Set(all.map((x) => x.settings.batchSize))].sort((x, y) => x - y);
          const variants = [...new Set(all.map((x) => x.p.variant))];
          progress(`running the lab's sweep: ${variants.length * batchSizes.length} fresh models, one epoch each, ${a.workers} workers…`);
          const results = await host.labSweep({ batchSizes, variants, workers: a.workers, driftEvents: a.driftEvents });
          for (const x of all) {
            const r = results.find((y) => y.id === jobId(x.p.variant, x.settings.batchSize));
            if (r) ctx.sweepCache.set(keyOf(x.settings), r);
          }
        } else {
          const jobs: SweepJob[] = missing.map((x, i) => ({ id: `point-${i}`, settings: x.settings }));
          progress(`training ${jobs.length} fresh model${jobs.length === 1 ? '' : 's'} for one epoch each (${Math.min(a.workers, jobs.length)} workers)…`);
          const results = await bridge.sweep(jobs, {
            concurrency: a.workers,
            driftEvents: a.driftEvents,
            onProgress: (p) => {
              const running = p.running.map((r) => (r.batches > 0 ? `${r.batch}/${r.batches}` : 'starting')).join(', ');
              progress(`${p.done} of ${p.total} models done${running ? ` · training batches ${running}` : ''}…`);
            },
          });
          results.forEach((r, i) => ctx.sweepCache.set(keyOf(missing[i]!.settings), r));
        }
      }
      let best = NaN;
      let bestGain = -Infinity;
      for (const [i, x] of specs.entries()) {
        const r = ctx.sweepCache.get(keyOf(x.settings));
        if (!r) throw new Error(`the sweep did not measure ${x.p.variant} at B = ${x.settings.batchSize}`);
        if (!r.point) throw new Error(`the sweep point ${x.p.variant} at B = ${x.settings.batchSize} failed: ${r.error ?? 'no result'}`);
        const n = i + 1;
        out[`ap${n}`] = r.point.testAp;
        out[`rate${n}`] = r.point.trainEventsPerSec;
        out[`stale${n}`] = r.point.staleFraction;
        out[`dropped${n}`] = r.point.droppedMailFraction;
        out[`drift${n}`] = r.point.memoryDrift;
        out[`driftAp${n}`] = r.point.driftApDelta;
        // what B = 1 memory (exact mode's) adds on the replayed events, same weights
        out[`freshGain${n}`] = -r.point.driftApDelta;
        out[`batch${n}`] = x.settings.batchSize;
        out[`evalBatch${n}`] = evalBatchSizeOf(x.settings);
        if (n >= 2) {
          const gain = r.point.testAp - out.ap1!;
          out[`apGain${n}`] = gain;
          out[`rateRatio${n}`] = r.point.trainEventsPerSec / out.rate1!;
          if (gain > bestGain) {
            bestGain = gain;
            best = n;
          }
        }
      }
      if (specs.length >= 2) {
        out.best = best;
        out.bestGain = bestGain;
      }
      if (ref) {
        const r = ctx.sweepCache.get(keyOf(ref.settings))?.point;
        if (!r) throw new Error(`the sweep did not measure the reference ${ref.p.variant} at B = ${ref.settings.batchSize}`);
        out.refAp = r.testAp;
        out.refGain = r.testAp - out.ap1!;
        out.refRate = r.trainEventsPerSec;
        out.refBatch = ref.settings.batchSize;
        // the share of the reference's lead that the best point wins back
        if (specs.length >= 2) out.recovered = out.refGain !== 0 ? bestGain / out.refGain : NaN;
      }
      const first = ctx.sweepCache.get(keyOf(specs[0]!.settings))?.point;
      if (first) out.driftEvents = first.driftEvents;
      break;
    }
    case 'serve': {
      const runs = serveRuns(a);
      progress(`serving the model's test events: ${runs.length} run${runs.length === 1 ? '' : 's'} in the Serving card…`);
      const summaries = await host.labServe({ action: a.action, mode: a.mode, values: a.values });
      if (summaries.length !== runs.length) throw new Error(`the Serving card ran ${summaries.length} runs; the step asked for ${runs.length}`);
      summaries.forEach((s, i) => {
        const n = i + 1;
        Object.assign(out, {
          [`latency50${n}`]: s.latencyMs.p50, [`latency99${n}`]: s.latencyMs.p99, [`stale${n}`]: s.stalenessEvents.mean, [`staleP99${n}`]: s.stalenessEvents.p99,
          [`staleMs${n}`]: s.stalenessSeconds.mean * 1000, [`ap${n}`]: s.ap, [`exactAp${n}`]: s.exactAp, [`updateRate${n}`]: s.updateEventsPerSec,
          [`backlog${n}`]: s.backlogGrowthPerS, [`queries${n}`]: s.queries, [`rate${n}`]: s.eventRate,
        });
      });
      if (a.action === 'frontier') {
        // the fastest event rate update-based serving kept up with (its backlog grew by less than one event a second)
        const kept = summaries.filter((s) => s.mode === 'update' && s.backlogGrowthPerS < 1).map((s) => s.eventRate);
        out.knee = kept.length > 0 ? Math.max(...kept) : 0;
      }
      break;
    }
  }
  out.seconds = (globalThis.performance.now() - started) / 1000;
  const missingKeys = outputKeys(a).filter((k) => out[k] === undefined);
  if (missingKeys.length > 0) throw new Error(`lesson runner: ${a.kind} did not measure ${missingKeys.join(', ')}`);
  return out;
}
