// Pure helpers shared by the views: time kinds and formats, smoothing, colour-scale domains, split times.
// No DOM, no d3 selections: these are unit-tested in Node.

/** How stream times read: unix seconds (shown as UTC dates and human durations) or plain numbers. */
export type TimeKind = 'unix-seconds' | 'plain';

const UNIX_MIN = 1e8; // 1973-03-03
const UNIX_MAX = 1e10; // 2286-11-20

/** Times look like unix seconds when every given time lies between 1973 and 2286. */
export function timeKindOf(...times: readonly number[]): TimeKind {
  let finite = false;
  for (const t of times) {
    if (!Number.isFinite(t)) continue;
    if (t < UNIX_MIN || t > UNIX_MAX) return 'plain';
    finite = true;
  }
  return finite ? 'unix-seconds' : 'plain';
}

/** toLocaleString builds a formatter per call (slow in a chart's tick loop): one, made once */
const GROUPED = new Intl.NumberFormat('en-US');

/** A compact number: 1234 → "1,234", 0.000123 → "1.23e-4", 12.3456 → "12.35". */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9 || a < 1e-3) return v.toExponential(2).replace('e+', 'e');
  if (a >= 100) return GROUPED.format(Math.round(v));
  if (a >= 1) return String(Number(v.toFixed(2)));
  return String(Number(v.toPrecision(3)));
}

const UNITS: readonly (readonly [string, number])[] = [
  ['y', 365.25 * 86400],
  ['d', 86400],
  ['h', 3600],
  ['min', 60],
  ['s', 1],
];

/** A duration in seconds in words: 42 → "42 s", 5400 → "1.5 h", 200000 → "2.3 d". NaN → "never". */
export function formatDurationSeconds(seconds: number): string {
  if (Number.isNaN(seconds)) return 'never';
  if (!Number.isFinite(seconds)) return '∞';
  const sign = seconds < 0 ? '−' : '';
  const a = Math.abs(seconds);
  if (a < 1) return `${sign}${a === 0 ? '0' : a.toPrecision(2)} s`;
  for (const [name, size] of UNITS) {
    if (a >= size) {
      const n = a / size;
      const text = n >= 10 ? Math.round(n).toString() : Number(n.toFixed(1)).toString();
      return `${sign}${text} ${name}`;
    }
  }
  return `${sign}${a} s`;
}

/** A share in [0, 1] as a percentage: "55 %", "7.4 %" below 10 %, "<0.1 %" for tiny non-zero shares. */
export function formatShare(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  const p = 100 * Math.min(1, Math.max(0, fraction));
  if (p > 0 && p < 0.05) return '<0.1 %';
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)} %`;
}

/** A time span in the stream's units: a human duration for unix seconds, else "123 t". */
export function formatSpan(span: number, kind: TimeKind): string {
  if (Number.isNaN(span)) return 'never';
  return kind === 'unix-seconds' ? formatDurationSeconds(span) : `${formatNumber(span)} t`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A point in stream time: "2024-01-05 13:20 UTC" for unix seconds, else "t = 1,234". */
export function formatInstant(t: number, kind: TimeKind): string {
  if (!Number.isFinite(t)) return '–';
  if (kind === 'plain') return `t = ${formatNumber(t)}`;
  const d = new Date(t * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}

/** Exponential moving average (debiased like Adam's, so the first values are not pulled to 0). */
export function ema(values: ArrayLike<number>, alpha: number, out?: Float32Array): Float32Array {
  const n = values.length;
  const result = out && out.length === n ? out : new Float32Array(n);
  let m = 0;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      m = (1 - alpha) * m + alpha * v;
      w = (1 - alpha) * w + alpha;
    }
    result[i] = w > 0 ? m / w : NaN;
  }
  return result;
}

/** Smoothing strength that suits a series of n points: about n/50 points of memory, at least 1. */
export function emaAlphaFor(n: number): number {
  return 1 / Math.max(1, Math.min(200, n / 25));
}

/**
 * A symmetric colour domain ±d for values: d = max |v| rounded up to a "nice" step (0.1, 0.2, 0.5, 1, 2, …),
 * so the legend is stable while values wobble. Never 0.
 */
export function symmetricDomain(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > m && Number.isFinite(a)) m = a;
  }
  if (m === 0) return 1;
  const p = 10 ** Math.floor(Math.log10(m));
  for (const s of [1, 2, 5, 10]) if (m <= s * p * (1 + 1e-9)) return s * p;
  return 10 * p;
}

/**
 * Approximate stream times of event indices from a time histogram: the time where the cumulative count
 * reaches the index, interpolated linearly inside its bin (so within one bin width of the true time).
 */
export function eventIndexToTime(counts: ArrayLike<number>, tMin: number, tMax: number, index: number): number {
  const bins = counts.length;
  if (bins === 0 || tMax <= tMin) return tMin;
  if (index <= 0) return tMin;
  const width = (tMax - tMin) / bins;
  let before = 0;
  for (let b = 0; b < bins; b++) {
    const c = counts[b]!;
    if (before + c >= index) {
      const frac = c > 0 ? (index - before) / c : 0;
      return tMin + (b + frac) * width;
    }
    before += c;
  }
  return tMax;
}

/** Index of the first point within `radius` px of (px, py), nearest first; -1 when none. */
export function nearestPoint(xs: ArrayLike<number>, ys: ArrayLike<number>, px: number, py: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - px;
    const dy = ys[i]! - py;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Means of consecutive buckets so a long series fits `maxPoints` (x = bucket centre index). */
export function downsampleMean(values: ArrayLike<number>, maxPoints: number): { x: Float64Array; y: Float64Array } {
  const n = values.length;
  const buckets = Math.max(1, Math.min(n, Math.floor(maxPoints)));
  const x = new Float64Array(n === 0 ? 0 : buckets);
  const y = new Float64Array(n === 0 ? 0 : buckets);
  if (n === 0) return { x, y };
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * n) / buckets));
    let s = 0;
    let k = 0;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        s += v;
        k++;
      }
    }
    x[b] = (from + to - 1) / 2;
    y[b] = k > 0 ? s / k : NaN;
  }
  return { x, y };
}
