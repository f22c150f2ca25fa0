// Can a stream's times be trained on? One check for the page (EngineSession.importData) and the CLI
// (train, sweep, eval): errors stop before any training (never NaN metrics or an internal error later),
// warnings say what was assumed. Messages are in the user's terms and name the fix.
import type { EventStream } from './eventStream.ts';
import type { ImportIssue } from '../../shared/data.ts';
import { quantileSorted, upperBound, type ChronologicalSplit } from './split.ts';

/** largest finite 32-bit float: the model's tensors (time differences included) are float32 */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** smallest normal 32-bit float: below it differences lose their digits and then become 0 */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;
/** 2^53: from here on not every whole number is a float64, so imported times were rounded */
export const EXACT_INTEGER_LIMIT = 2 ** 53;

/** a stream whose times cannot train (EngineSession.importData throws it; the CLI turns it into exit 2) */
export class TrainableError extends Error {
  override readonly name = 'TrainableError';
  constructor(message: string, readonly issues: readonly ImportIssue[]) {
    super(message);
  }
}

export interface TrainableCheck {
  /** reasons the stream cannot be trained on (empty: it can) */
  readonly errors: readonly ImportIssue[];
  /** what the data lost or what was done instead (training goes ahead) */
  readonly warnings: readonly ImportIssue[];
}

/**
 * Checks the times of a stream and its split before training. The model computes every time
 * difference in float64 from the stream's first event (memory starts at t[0]) and only then stores it as
 * float32, so large times with small steps (t = 1e12 + 1, 2, …) train as well as small ones; what
 * cannot train is a zero span, a span beyond float32 (about 3.4e38: NaN scores) or below its precision,
 * and an empty validation or test part.
 */
export function checkTrainable(stream: EventStream, split: ChronologicalSplit): TrainableCheck {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const n = stream.numEvents;
  const line = (e: number): number => stream.sourceLine[e]!;
  const issue = (severity: ImportIssue['severity'], e: number, message: string): ImportIssue => ({ severity, line: line(e), column: null, message });
  if (n === 0) return { errors: [{ severity: 'error', line: 0, column: null, message: 'the file has no events' }], warnings };
  const t0 = stream.t[0]!;
  const t1 = stream.t[n - 1]!;
  const span = t1 - t0;

  let beyond = 0;
  let firstBeyond = -1;
  for (let e = 0; e < n; e++) {
    if (Math.abs(stream.t[e]!) >= EXACT_INTEGER_LIMIT) {
      if (firstBeyond < 0) firstBeyond = e;
      beyond++;
    }
  }
  if (beyond > 0) {
    const t = stream.t[firstBeyond]!;
    const step = 2 ** (Math.floor(Math.log2(Math.abs(t))) - 52);
    warnings.push(issue('warning', firstBeyond, `${beyond} of ${n} times are at or beyond 2^53 = 9007199254740992 (the first: ${t}); ` +
      `numbers that large are stored only in steps of ${step} or more, so these times may have been rounded and nearby times may have become equal; ` +
      'if they are milliseconds or nanoseconds, convert them to seconds'));
  }

  if (span === 0) {
    errors.push(issue('error', 0, `all ${n} events happen at the same time (${t0}): the model learns from when events happen and the ` +
      'training, validation and test parts follow time, so the times must differ; check that the time column is the right one'));
    return { errors, warnings };
  }
  if (!(span <= FLOAT32_MAX)) {
    // (span may be Infinity when the float64 subtraction overflows)
    const log10Span = Number.isFinite(span) ? Math.log10(span) : Math.log10(Math.max(Math.abs(t0), Math.abs(t1))) + Math.log10(2);
    const k = Math.ceil(log10Span) - 9;
    errors.push(issue('error', n - 1, `the times span ${Number.isFinite(span) ? span : 'more than 1.8e308'} (from ${t0} to ${t1}), but the model ` +
      `computes with 32-bit numbers, which end at about 3.4e38, so training would give only NaN; divide the times by 1e${k} (or give them in seconds) and load the file again`));
  } else if (span < FLOAT32_MIN_NORMAL) {
    const k = 9 - Math.floor(Math.log10(span));
    errors.push(issue('error', n - 1, `the times span only ${span} (from ${t0} to ${t1}), but the model computes with 32-bit numbers, ` +
      `which cannot tell differences below about 1.2e-38 from 0; multiply the times by 1e${k} and load the file again`));
  }

  const empty = (r: readonly [number, number]) => r[1] <= r[0];
  if (empty(split.train) || empty(split.val) || empty(split.test)) {
    const which = [['training', split.train], ['validation', split.val], ['test', split.test]] as const;
    const names = which.filter(([, r]) => empty(r)).map(([w]) => w);
    errors.push(issue('error', 0, `the ${names.join(' and ')} part of the ${n} events is empty; training needs events in training, validation and test`));
  } else if (split.byOrder) {
    warnings.push(tiedSplitWarning(stream, split));
  }
  return { errors, warnings };
}

/** the warning for a split that fell back to event order: which times are tied and which part was empty */
function tiedSplitWarning(stream: EventStream, split: ChronologicalSplit): ImportIssue {
  const n = stream.numEvents;
  // the time-quantile split that was given up (split.ts chronologicalSplit, default ratios)
  const byTimeTrainEnd = upperBound(stream.t, quantileSorted(stream.t, 0.7));
  const byTimeValEnd = upperBound(stream.t, quantileSorted(stream.t, 0.85));
  const emptyPart = byTimeValEnd >= n ? 'test' : 'validation';
  // the tied time that swallowed the empty part
  const e = emptyPart === 'test' ? n - 1 : byTimeTrainEnd - 1;
  const tied = stream.t[e]!;
  let first = e;
  while (first > 0 && stream.t[first - 1] === tied) first--;
  let last = e;
  while (last < n - 1 && stream.t[last + 1] === tied) last++;
  const count = last - first + 1;
  const [a, b] = [split.val[0], split.test[0]];
  return {
    severity: 'warning', line: stream.sourceLine[first]!, column: null,
    message: `${count} of ${n} events share the time ${tied}, so splitting by time would leave the ${emptyPart} part empty; ` +
      `the events are split by their order instead (${a} training, ${b - a} validation, ${n - b} test), so events at the same time can fall in two parts; ` +
      'finer times (e.g. seconds instead of days) avoid this',
  };
}
