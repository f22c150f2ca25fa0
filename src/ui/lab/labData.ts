// Pure helpers of the staleness lab: batch-size steps, log-scale age bins, quantiles, sweep variants and
// the lab's CSV builders. No DOM, no d3 selections: unit-tested in Node.
import type { BatchAnatomy, StalenessAtBatchSize } from '../../shared/lab.ts';
import type { ExperimentSettings } from '../../shared/settings.ts';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { toCsv, type CsvCell } from '../views/export.ts';
import type { SweepJobResult } from '../../shared/lab.ts';

/** batch sizes the anatomy slider steps through (log-ish, 1 … 2000) */
export const BATCH_STEPS: readonly number[] = [1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000];
export const MAX_BATCH = 2000;
/** events the anatomy picture draws at most (the fractions count the whole batch) */
export const MAX_DRAWN_EVENTS = 200;

/** index of the step nearest to `b` (in log distance) */
export function nearestStep(b: number): number {
  let best = 0;
  for (let i = 1; i < BATCH_STEPS.length; i++) {
    if (Math.abs(Math.log(BATCH_STEPS[i]!) - Math.log(b)) < Math.abs(Math.log(BATCH_STEPS[best]!) - Math.log(b))) best = i;
  }
  return best;
}

/** An integer batch size 1 … MAX_BATCH from text, or why not. */
export function parseBatchSize(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, reason: 'not a whole number' };
  const v = Number(t);
  if (v < 1 || v > MAX_BATCH) return { ok: false, reason: `out of range 1…${MAX_BATCH}` };
  return { ok: true, value: v };
}

/** "50, 200 600" → [50, 200, 600] (sorted, distinct), or why not. */
export function parseBatchSizes(text: string): { ok: true; values: number[] } | { ok: false; reason: string } {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, reason: 'give at least one batch size' };
  const out = new Set<number>();
  for (const p of parts) {
    const r = parseBatchSize(p);
    if (!r.ok) return { ok: false, reason: `${p}: ${r.reason}` };
    out.add(r.value);
  }
  return { ok: true, values: [...out].sort((a, b) => a - b) };
}

/** stale events and dropped mails of an anatomy, as counts */
export function anatomyCounts(a: BatchAnatomy): { events: number; stale: number; mails: number; dropped: number } {
  let stale = 0;
  for (const e of a.events) if (e.stale) stale++;
  let dropped = 0;
  for (const m of a.mails) if (m.dropped) dropped++;
  return { events: a.events.length, stale, mails: a.mails.length, dropped };
}

/** linear-interpolated quantile of ascending values (NaN for none), as the trainer computes its probes */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface AgeHistogram {
  /** reads with age 0 (same instant, or a memory never updated) */
  readonly zero: number;
  /** log-spaced bin edges over the positive ages (bins + 1 values), empty when none is positive */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  readonly total: number;
}

/** Ages into a zero bin plus `bins` log-spaced bins from the smallest to the largest positive age. */
export function logAgeBins(ages: ArrayLike<number>, bins = 24): AgeHistogram {
  let zero = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let total = 0;
  for (let i = 0; i < ages.length; i++) {
    const a = ages[i]!;
    if (!Number.isFinite(a)) continue;
    total++;
    if (a <= 0) {
      zero++;
      continue;
    }
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  if (!(hi > 0)) return { zero, edges: [], counts: [], total };
  // one decade at least, so a single positive age still gets a visible bin
  const l0 = Math.log10(lo);
  const l1 = Math.max(Math.log10(hi), l0 + 1);
  const edges = Array.from({ length: bins + 1 }, (_, i) => 10 ** (l0 + ((l1 - l0) * i) / bins));
  edges[0] = lo;
  edges[bins] = Math.max(hi, edges[bins]!);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < ages.length; i++) {
    const a = ages[i]!;
    if (!Number.isFinite(a) || a <= 0) continue;
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((Math.log10(a) - l0) / (l1 - l0)) * bins)));
    counts[k]!++;
  }
  return { zero, edges, counts, total };
}

/**
 * Rows for short labels centred on marker lines at `xs` (label i is `widths[i]` wide), kept within
 * [0, span]: each label takes the first row where it clears the row's previous label by `gap` px.
 * Returns each label's row and its left edge.
 */
export function labelRows(xs: readonly number[], widths: readonly number[], span: number, gap = 4): { row: number; left: number }[] {
  const rowEnds: number[] = [];
  return xs.map((x, i) => {
    const w = widths[i]!;
    const left = Math.max(0, Math.min(span - w, x - w / 2));
    let row = rowEnds.findIndex((end) => left >= end + gap);
    if (row < 0) row = rowEnds.push(-Infinity) - 1;
    rowEnds[row] = left + w;
    return { row, left };
  });
}

/** p50, p90 and max of the histogram's ages: the training probe's when the last batch trained, else from the ages */
export function ageMarkers(snapshot: TrainingSnapshot): { p50: number; p90: number; max: number } {
  const p = snapshot.probes;
  const n = p.ageP50.length;
  if (snapshot.lastBatch?.phase === 'train' && n > 0) return { p50: p.ageP50[n - 1]!, p90: p.ageP90[n - 1]!, max: p.ageMax[n - 1]! };
  const sorted = Float64Array.from(p.lastAges).sort();
  return { p50: quantileSorted(sorted, 0.5), p90: quantileSorted(sorted, 0.9), max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN };
}

// ---- sweep variants ----

export type VariantId = 'baseline' | 'static' | 'mailbox4' | 'eval50' | 'exact';

export interface SweepVariant {
  readonly id: VariantId;
  readonly label: string;
  readonly colour: string;
  /** the mitigations of this variant on top of the experiment's model settings (evalBatchSize 0 = the training batch size) */
  readonly mitigations: Pick<ExperimentSettings, 'mailboxSize' | 'aggregator' | 'staticMemory' | 'evalBatchSize' | 'exact'>;
}

export const SWEEP_VARIANTS: readonly SweepVariant[] = [
  { id: 'baseline', label: 'baseline (k = 1, last)', colour: '#2a5bd7', mitigations: { mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 0, exact: false } },
  { id: 'static', label: 'static node memory', colour: '#0b8a5f', mitigations: { mailboxSize: 1, aggregator: 'last', staticMemory: true, evalBatchSize: 0, exact: false } },
  { id: 'mailbox4', label: 'mailbox k = 4, mean', colour: '#b86200', mitigations: { mailboxSize: 4, aggregator: 'mean', staticMemory: false, evalBatchSize: 0, exact: false } },
  { id: 'eval50', label: 'evaluated in batches of 50', colour: '#c2185b', mitigations: { mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 50, exact: false } },
  { id: 'exact', label: 'exact mode (slow)', colour: '#8e3bb5', mitigations: { mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 0, exact: true } },
];

export function variantOf(id: VariantId): SweepVariant {
  const v = SWEEP_VARIANTS.find((x) => x.id === id);
  if (!v) throw new Error(`unknown sweep variant ${id}`);
  return v;
}

export const jobId = (variant: VariantId, batchSize: number): string => `${variant}@${batchSize}`;

export function parseJobId(id: string): { variant: VariantId; batchSize: number } {
  const m = /^(baseline|static|mailbox4|eval50|exact)@(\d+)$/.exec(id);
  if (!m) throw new Error(`not a sweep job id: ${id}`);
  return { variant: m[1] as VariantId, batchSize: Number(m[2]) };
}

/**
 * The sweep's jobs: every variant at every batch size, on the experiment's model settings (evaluation at
 * the training batch size, as in DistTGL's figure, unless the variant evaluates at its own). Smallest
 * batches first: they take longest, so the pool finishes sooner when they start first.
 */
export function sweepJobs(base: ExperimentSettings, batchSizes: readonly number[], variants: readonly VariantId[]): { id: string; settings: ExperimentSettings }[] {
  const out: { id: string; settings: ExperimentSettings }[] = [];
  for (const b of [...batchSizes].sort((x, y) => x - y)) {
    for (const v of variants) out.push({ id: jobId(v, b), settings: { ...base, ...variantOf(v).mitigations, batchSize: b } });
  }
  return out;
}

/** The sweep's points as CSV: one row per (variant, batch size); failed points keep their error. */
export function sweepCsv(results: readonly SweepJobResult[]): string {
  const rows = results.map((r): CsvCell[] => {
    const { variant, batchSize } = parseJobId(r.id);
    const p = r.point;
    return [
      variant, batchSize, p?.mitigations.mailboxSize ?? null, p?.mitigations.aggregator ?? null,
      p ? (p.mitigations.staticMemory ? 1 : 0) : null, p ? (p.mitigations.evalBatchSize ?? batchSize) : null, p ? (p.mitigations.exact ? 1 : 0) : null,
      p?.valAp ?? null, p?.testAp ?? null, p?.trainEventsPerSec ?? null, p?.staleFraction ?? null, p?.droppedMailFraction ?? null,
      p?.memoryDrift ?? null, p?.driftApDelta ?? null, p?.driftEvents ?? null, r.ms / 1000, r.error,
    ];
  });
  return toCsv([
    'variant', 'batchSize', 'mailboxSize', 'aggregator', 'staticMemory', 'evalBatchSize', 'exact', 'valAp', 'testAp', 'trainEventsPerSec',
    'staleFraction', 'droppedMailFraction', 'memoryDrift', 'driftApDelta', 'driftEvents', 'seconds', 'error',
  ], rows);
}

/** The data-level curve: batch size, mailbox size, stale and dropped fractions. */
export function stalenessCurveCsv(curves: readonly { mailboxSize: number; points: readonly StalenessAtBatchSize[] }[]): string {
  const rows: CsvCell[][] = [];
  for (const c of curves) for (const p of c.points) rows.push([p.batchSize, c.mailboxSize, p.batches, p.staleFraction, p.droppedMailFraction]);
  return toCsv(['batchSize', 'mailboxSize', 'batches', 'staleFraction', 'droppedMailFraction'], rows);
}

/** The anatomy's events: index, src, dst, t, stale, the missed events, and the fate of each mail. */
export function anatomyCsv(a: BatchAnatomy): string {
  const mailOf = new Map<string, boolean>();
  for (const m of a.mails) mailOf.set(`${m.event}:${m.node}`, m.dropped);
  const fate = (e: number, node: number): CsvCell => {
    const d = mailOf.get(`${e}:${node}`);
    return d === undefined ? null : d ? 'dropped' : 'kept';
  };
  const rows = a.events.map((e): CsvCell[] => [
    e.index, e.src, e.dst, e.t, e.stale ? 1 : 0, e.missedViaSrc >= 0 ? e.missedViaSrc : null, e.missedViaDst >= 0 ? e.missedViaDst : null,
    fate(e.index, e.src), e.src === e.dst ? null : fate(e.index, e.dst),
  ]);
  return toCsv(['event', 'src', 'dst', 't', 'stale', 'missedViaSrc', 'missedViaDst', 'mailToSrc', 'mailToDst'], rows);
}

/** Per training batch: stale and dropped fractions, memory-age p50/p90/max. */
export function probesCsv(snapshot: TrainingSnapshot): string {
  const p = snapshot.probes;
  const rows: CsvCell[][] = [];
  for (let i = 0; i < p.staleFraction.length; i++) {
    rows.push([i + 1, snapshot.lossEpoch[i] ?? null, p.staleFraction[i]!, p.droppedMailFraction[i]!, p.ageP50[i]!, p.ageP90[i]!, p.ageMax[i]!]);
  }
  return toCsv(['batch', 'epoch', 'staleFraction', 'droppedMailFraction', 'ageP50', 'ageP90', 'ageMax'], rows);
}

/** The last batch's read ages, one per line. */
export function agesCsv(snapshot: TrainingSnapshot): string {
  return toCsv(['age'], Array.from(snapshot.probes.lastAges, (a): CsvCell[] => [a]));
}

/** SVG path data of one rectangle per point: left edge `left(x)`, width `bw`, from `y(v)` down to `base` */
export function barsPath(pts: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> }, left: (x: number) => number, bw: number, y: (v: number) => number, base: number): string {
  const r = (v: number): number => Math.round(v * 100) / 100;
  const parts: string[] = [];
  for (let i = 0; i < pts.x.length; i++) {
    const top = y(pts.y[i]!);
    parts.push(`M${r(left(pts.x[i]!))},${r(top)}h${r(bw)}v${r(base - top)}h${r(-bw)}Z`);
  }
  return parts.join('');
}
