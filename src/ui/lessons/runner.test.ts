// The lesson runner against a real EngineSession (cpu backend, tiny model) behind a fake page: every run
// kind's measured values are checked against counts made here by hand from the stream.
import { describe, expect, it } from 'vitest';
import { tf } from '../../engine/tf.ts';
import { EngineSession } from '../../engine/session/session.ts';
import { DEFAULT_SETTINGS, type ExperimentSettings } from '../../shared/settings.ts';
import type { DatasetSummary } from '../../shared/data.ts';
import type { TrainingSnapshot } from '../../shared/training.ts';
import type { SweepJob, SweepJobResult } from '../../shared/lab.ts';
import { sweepJobs } from '../lab/labData.ts';
import { sameSettings } from '../state.ts';
import { prepareLesson, runStep, serveRuns, setupStep, type LabSweepRequest, type LessonHost } from './runner.ts';
import type { Lesson, LessonStep, RunAction, ServeAction, ViewId } from './types.ts';
import { serveModel } from '../../workers/servingWorker.ts';
import { SERVE_KNOB_DEFAULTS, servingOptions, type ServeSummary } from '../../shared/serving.ts';

tf.env().set('PROD', true);

// 400 events among 60 nodes, t = 10·i, no self-loops; the first 70% of the time (280 events) is training
const N = 400;
const src = Array.from({ length: N }, (_, i) => (i * 7) % 60);
const dst = src.map((s, i) => {
  const d = (i * 13 + 5 + (i % 4)) % 60;
  return d === s ? (d + 1) % 60 : d;
});
const csv = ['src,dst,t', ...src.map((s, i) => `n${s},n${dst[i]},${10 * i}`)].join('\n');
const DEFAULTS: ExperimentSettings = { ...DEFAULT_SETTINGS, memoryDim: 4, timeDim: 4, embeddingDim: 4, neighbours: 3 };

/** the raw node ids n0…n59 become compact ids in order of first appearance */
const compact = new Map<number, number>();
for (let i = 0; i < N; i++) for (const v of [src[i]!, dst[i]!]) if (!compact.has(v)) compact.set(v, compact.size);
const S = src.map((v) => compact.get(v)!);
const D = dst.map((v) => compact.get(v)!);

function endpointsOf(from: number, to: number): Set<number> {
  const out = new Set<number>();
  for (let e = from; e < to; e++) {
    out.add(S[e]!);
    out.add(D[e]!);
  }
  return out;
}

/** ARCHITECTURE §2 by hand: stale events and dropped mails (mailbox 1) of events [from, to) */
function handCounts(from: number, to: number): { stale: number; dropped: number; mails: number } {
  const seen = new Set<number>();
  let stale = 0;
  for (let e = from; e < to; e++) {
    if (seen.has(S[e]!) || seen.has(D[e]!)) stale++;
    seen.add(S[e]!);
    seen.add(D[e]!);
  }
  const mails = 2 * (to - from);
  return { stale, dropped: mails - seen.size, mails };
}

interface Calls {
  sweepJobs: number;
  labSweeps: LabSweepRequest[];
  serves: Omit<ServeAction, 'kind'>[];
  anatomy: [number, number, number][];
  focus: ViewId[];
  selected: number[][];
}

async function pageWithSession(): Promise<{ host: LessonHost; calls: Calls; snapshot: () => TrainingSnapshot }> {
  const session = new EngineSession();
  await session.setBackend('cpu');
  const summary: DatasetSummary = session.importData('tiny', csv);
  let settings = DEFAULTS;
  session.configure(settings);
  let snapshot = session.snapshot(4);
  const refresh = (): void => {
    snapshot = session.snapshot(4);
  };
  const calls: Calls = { sweepJobs: 0, labSweeps: [], serves: [], anatomy: [], focus: [], selected: [] };
  const sweep = async (jobs: readonly SweepJob[], options: { driftEvents?: number } = {}): Promise<SweepJobResult[]> => {
    calls.sweepJobs += jobs.length;
    const other = new EngineSession();
    await other.setBackend('cpu');
    other.importData('tiny', csv);
    const out: SweepJobResult[] = [];
    for (const j of jobs) out.push({ id: j.id, point: await other.runSweepPoint(j.settings, options.driftEvents), error: null, ms: 1 });
    other.dispose();
    return out;
  };
  const host: LessonHost = {
    bridge: {
      getState: () => ({ dataset: summary, snapshot, settings }),
      step: async (n = 1) => {
        await session.step(n);
        refresh();
      },
      reset: async () => {
        session.configure(settings);
        refresh();
      },
      anatomy: async (from, b, k) => session.anatomy(from, b, k),
      stalenessCurve: async (bs, k) => session.stalenessCurve(bs, k),
      nodeDetail: async (v) => session.nodeDetail(v),
      sweep,
    },
    datasetNames: () => ['tiny'],
    apply: async (dataset, next) => {
      expect(dataset).toBe('tiny');
      if (!sameSettings(settings, next)) {
        settings = next;
        session.configure(next);
        refresh();
      }
    },
    select: async (nodes) => {
      calls.selected.push([...nodes]);
      session.watch(nodes);
    },
    showAnatomy: (from, b, k) => calls.anatomy.push([from, b, k]),
    labSweep: async (req) => {
      calls.labSweeps.push(req);
      return sweep(sweepJobs(settings, req.batchSizes, req.variants), { driftEvents: req.driftEvents });
    },
    // the Serving card: each run serves what a checkpoint of the session's model holds, virtual clock
    labServe: async (req) => {
      calls.serves.push(req);
      const out: ServeSummary[] = [];
      for (const r of serveRuns({ kind: 'serve', ...req })) {
        out.push((await serveModel(session, servingOptions(r.mode, { ...SERVE_KNOB_DEFAULTS, ...req.values, eventRate: r.eventRate }, 'virtual'))).summary);
      }
      return out;
    },
    focus: (v) => calls.focus.push(v),
  };
  return { host, calls, snapshot: () => snapshot };
}

const step = (run: RunAction, focus: ViewId = 'memory-map'): LessonStep => ({
  title: 't', text: 't', setup: { focus }, predict: { question: 'q', choices: [{ id: 'a', text: 'a' }, { id: 'b', text: 'b' }] },
  run, runLabel: 'Run', show: [], why: [{ text: 'w' }],
});

const lesson = (steps: LessonStep[]): Lesson => ({ name: 'test', title: 'test', summary: 's', settings: { batchSize: 50 }, steps });

describe('lesson runner', () => {
  it('loads the stream, picks its sizes, and sets each step up through the page', async () => {
    const { host, calls } = await pageWithSession();
    const l = lesson([{ ...step({ kind: 'anatomy', batchSize: 10, mailboxSize: 1, batch: 0 }, 'batch-anatomy'), setup: { focus: 'batch-anatomy', anatomy: { batchSize: 'small', mailboxSize: 2, batch: 1 } } }]);
    const ctx = await prepareLesson(host, l, DEFAULTS);
    expect(ctx.dataset).toBe('tiny');
    // 280 training events: small = 50, large = max(small, 20) = 50
    expect(ctx.sizes).toEqual({ small: 50, large: 50 });
    await setupStep(host, ctx, l.steps[0]!);
    expect(host.bridge.getState().settings.batchSize).toBe(50);
    expect(calls.anatomy).toEqual([[50, 50, 2]]);
    expect(calls.focus).toEqual(['batch-anatomy']);
  });

  it('train-batches and node-batch: no memory after the first batch; a waiting mail rewrites one node; a node with no event only ages', async () => {
    const { host, calls } = await pageWithSession();
    const l = lesson([
      step({ kind: 'train-batches', batches: 1, fresh: true }),
      step({ kind: 'node-batch', pick: 'has-event' }),
      step({ kind: 'node-batch', pick: 'no-event' }),
    ]);
    const ctx = await prepareLesson(host, l, DEFAULTS);
    await setupStep(host, ctx, l.steps[0]!);
    const first = await runStep(host, ctx, l.steps[0]!);
    expect(first.written).toBe(0);
    expect(first.nodes).toBe(compact.size);
    expect(first.batchNodes).toBe(endpointsOf(0, 50).size);
    expect(first.processed).toBe(50);

    const second = await runStep(host, ctx, l.steps[1]!);
    const node = second.node!;
    expect(endpointsOf(0, 50).has(node) && endpointsOf(50, 100).has(node)).toBe(true);
    expect(calls.selected.at(-1)).toEqual([node]);
    expect(second.changed).toBe(1);
    expect(second.change).toBeGreaterThan(0);
    expect(Number.isNaN(second.ageBefore!)).toBe(true);
    let own = 0;
    for (let e = 50; e < 100; e++) if (S[e] === node || D[e] === node) own++;
    expect(second.eventsInBatch).toBe(own);

    const third = await runStep(host, ctx, l.steps[2]!);
    expect(endpointsOf(100, 150).has(third.node!)).toBe(false);
    expect(third.change).toBe(0);
    expect(third.changed).toBe(0);
    // the stream moved from t = 990 to t = 1490
    expect(third.ageGrowth).toBe(500);
    expect(third.ageAfter! - third.ageBefore!).toBe(500);
  });

  it('anatomy, staleness curve and train-compare count what a hand count gives', async () => {
    const { host, calls } = await pageWithSession();
    const l = lesson([
      step({ kind: 'anatomy', batchSize: 10, mailboxSize: 1, batch: 2 }),
      step({ kind: 'staleness-curve', batchSizes: [10, 20], mailboxSize: 1 }),
      step({ kind: 'train-compare', runs: [{ batchSize: 10 }, { batchSize: 20 }], warmupEvents: 20, measureEvents: 40 }),
    ]);
    const ctx = await prepareLesson(host, l, DEFAULTS);
    const an = await runStep(host, ctx, l.steps[0]!);
    const c = handCounts(20, 30);
    expect([an.staleCount, an.events, an.droppedCount, an.mails]).toEqual([c.stale, 10, c.dropped, c.mails]);
    expect(an.stale).toBeCloseTo(c.stale / 10, 12);
    expect(calls.anatomy.at(-1)).toEqual([20, 10, 1]);

    const curve = await runStep(host, ctx, l.steps[1]!);
    for (const [i, B] of [10, 20].entries()) {
      let stale = 0;
      let dropped = 0;
      let mails = 0;
      for (let f = 0; f < 280; f += B) {
        const h = handCounts(f, Math.min(280, f + B));
        stale += h.stale;
        dropped += h.dropped;
        mails += h.mails;
      }
      expect(curve[`stale${i + 1}`]).toBeCloseTo(stale / 280, 12);
      expect(curve[`dropped${i + 1}`]).toBeCloseTo(dropped / mails, 12);
      expect(curve[`batch${i + 1}`]).toBe(B);
    }

    const cmp = await runStep(host, ctx, l.steps[2]!);
    // measured: batches 3–6 at B = 10 (events 20–59), batches 2–3 at B = 20 (events 20–59)
    const meanStale = (B: number): number => {
      const xs: number[] = [];
      for (let f = 20; f < 60; f += B) xs.push(handCounts(f, f + B).stale / B);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(cmp.stale1).toBeCloseTo(meanStale(10), 6);
    expect(cmp.stale2).toBeCloseTo(meanStale(20), 6);
    expect(cmp.rate1).toBeGreaterThan(0);
    expect(cmp.rateRatio).toBeCloseTo(cmp.rate2! / cmp.rate1!, 12);
    expect(cmp.epochSeconds1).toBeCloseTo(280 / cmp.rate1!, 9);
    // the last run stays loaded
    expect(host.bridge.getState().settings.batchSize).toBe(20);
  });

  it('sweeps reuse points this lesson already measured, in the lab or in the lesson', async () => {
    const { host, calls } = await pageWithSession();
    const sweepStep = (where: 'lab' | 'lesson', variants: ('baseline' | 'static' | 'mailbox4')[], evalBatchSize?: number): LessonStep =>
      step({ kind: 'sweep', where, workers: 2, driftEvents: 20, points: variants.map((v) => ({ variant: v, batchSize: 20, ...(evalBatchSize && v === 'static' ? { evalBatchSize } : {}) })) });
    const l = lesson([sweepStep('lab', ['baseline']), sweepStep('lesson', ['baseline', 'mailbox4']), sweepStep('lesson', ['baseline', 'mailbox4'])]);
    const ctx = await prepareLesson(host, l, DEFAULTS);
    const a = await runStep(host, ctx, l.steps[0]!);
    expect(calls.labSweeps).toEqual([{ batchSizes: [20], variants: ['baseline'], workers: 2, driftEvents: 20 }]);
    expect(calls.sweepJobs).toBe(1);
    expect(a.ap1).toBeGreaterThan(0);
    expect(a.ap1).toBeLessThanOrEqual(1);
    expect(a.driftEvents).toBe(20);
    const b = await runStep(host, ctx, l.steps[1]!);
    // only the mailbox point is new
    expect(calls.sweepJobs).toBe(2);
    expect(b.ap1).toBe(a.ap1);
    expect(b.apGain2).toBeCloseTo(b.ap2! - b.ap1!, 12);
    expect(b.freshGain1).toBe(-b.driftAp1!);
    expect(b.best).toBe(2);
    // data-level: a mailbox of 4 drops fewer mails than one of 1
    expect(b.dropped2).toBeLessThan(b.dropped1!);
    const again = await runStep(host, ctx, l.steps[2]!);
    expect(calls.sweepJobs).toBe(2);
    expect(again.ap2).toBe(b.ap2);
    // a reference point is run (once) and measured apart from the choices
    const withRef: LessonStep = step({
      kind: 'sweep', where: 'lesson', workers: 2, driftEvents: 20,
      points: [{ variant: 'baseline', batchSize: 20 }, { variant: 'mailbox4', batchSize: 20 }], reference: { variant: 'baseline', batchSize: 10 },
    });
    const r = await runStep(host, ctx, withRef);
    expect(calls.sweepJobs).toBe(3);
    expect(r.reused).toBe(2);
    expect(r.refBatch).toBe(10);
    expect(r.refGain).toBeCloseTo(r.refAp! - r.ap1!, 12);
    expect(r.best).toBe(2);
    expect(r.bestGain).toBe(r.apGain2);
    expect(r.recovered).toBeCloseTo(r.apGain2! / r.refGain!, 12);
  });

  it('serve: the Serving card\'s runs in order, each run\'s numbers by number; compare = update, inference, collaborative', async () => {
    const { host, calls } = await pageWithSession();
    const lesson: Lesson = { name: 't', title: 't', summary: 's', settings: {}, steps: [] };
    const ctx = await prepareLesson(host, lesson, DEFAULTS);
    await runStep(host, ctx, step({ kind: 'train-batches', batches: 'rest-of-training', fresh: true }));
    const values = { eventRate: 100, queryRate: 50, groupSize: 4, durationS: 1 };
    const m = await runStep(host, ctx, step({ kind: 'serve', action: 'compare', mode: 'update', values }, 'serving'));
    expect(calls.serves).toEqual([{ action: 'compare', mode: 'update', values }]);
    // inference-based answers miss nothing and equal the exact ones
    expect([m.stale2, m.staleP992, m.ap2]).toEqual([0, 0, m.exactAp2]);
    expect(m.latency991! > m.latency992! || m.latency992! > m.latency993!).toBe(true);
    expect([m.rate1, m.rate2, m.rate3]).toEqual([100, 100, 100]);
    expect(m.queries1).toBeGreaterThan(5);
    const f = await runStep(host, ctx, step({ kind: 'serve', action: 'frontier', mode: 'update', values: { ...values, eventRate: 40 } }, 'serving'));
    expect([f.rate1, f.rate6, f.rate7, f.rate18]).toEqual([5, 160, 5, 160]);
    // the knee: the fastest rate at which update-based serving kept up
    const kept = [1, 2, 3, 4, 5, 6].filter((n) => f[`backlog${n}`]! < 1).map((n) => f[`rate${n}`]!);
    expect(f.knee).toBe(Math.max(...kept));
  });
});
