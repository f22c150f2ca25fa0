// The serving card's pure parts: its inputs checked by the shared knob table, the runs a frontier
// serves, and the CSV exports.
import { checkNumber } from '../../shared/knobs.ts';
import { SERVE_KNOBS, SERVE_MODES, type QueryRecord, type ServeKnob, type ServeKnobValues, type ServeMode, type ServeSummary } from '../../shared/serving.ts';
import { toCsv } from '../views/export.ts';

export type ServeInputs = Readonly<Record<ServeKnob['key'], string>>;

export const DEFAULT_SERVE_INPUTS: ServeInputs = Object.fromEntries(SERVE_KNOBS.map((k) => [k.key, k.default === null ? '' : String(k.default)])) as ServeInputs;

/** the inputs as knob values (empty: off, for the knobs without a default), or the first problem per key */
export function parseServeInputs(inputs: ServeInputs): { readonly values: ServeKnobValues | null; readonly problems: Readonly<Partial<Record<ServeKnob['key'], string>>> } {
  const problems: Partial<Record<ServeKnob['key'], string>> = {};
  const values: Partial<Record<ServeKnob['key'], number | null>> = {};
  for (const k of SERVE_KNOBS) {
    const raw = inputs[k.key].trim();
    if (raw === '' && k.default === null) {
      values[k.key] = null;
      continue;
    }
    const checked = checkNumber(raw, { min: k.min, max: k.max, integer: k.type === 'int' });
    if (checked.ok) values[k.key] = checked.value;
    else problems[k.key] = `${k.type === 'int' ? 'a whole number' : 'a number'} from ${k.min} to ${k.max}${k.default === null ? ', or empty for none' : ''}`;
  }
  return { values: Object.keys(problems).length === 0 ? (values as ServeKnobValues) : null, problems };
}

/** the event rates a frontier serves around R: R/8 … 4R (at most 100 000/s) */
export function frontierRates(rate: number): number[] {
  return [0.125, 0.25, 0.5, 1, 2, 4].map((f) => Math.min(100_000, Math.max(0.1, Number((rate * f).toPrecision(3))))).filter((v, i, a) => a.indexOf(v) === i);
}

/** every (mode, event rate) of a frontier, modes in SERVE_MODES order */
export function frontierRuns(rate: number): { readonly mode: ServeMode; readonly eventRate: number }[] {
  return SERVE_MODES.flatMap((mode) => frontierRates(rate).map((eventRate) => ({ mode, eventRate })));
}

/** what the Serving card's buttons run, in order: Serve one mode, Compare the three, or the Frontier around R */
export type ServingAction = 'serve' | 'compare' | 'frontier';

export function servingRuns(action: ServingAction, mode: ServeMode, rate: number): { readonly mode: ServeMode; readonly eventRate: number }[] {
  return action === 'serve' ? [{ mode, eventRate: rate }]
    : action === 'compare' ? SERVE_MODES.map((m) => ({ mode: m, eventRate: rate }))
    : frontierRuns(rate);
}

export function recordsCsv(records: readonly QueryRecord[]): string {
  return toCsv(
    ['query', 'group', 'arrival_s', 'start_s', 'answer_s', 'latency_ms', 'target_event', 'arrived', 'reflected', 'staleness_events', 'staleness_s', 'pos', 'neg', 'exact_pos', 'exact_neg', 'equals_exact'],
    records.map((r) => [r.query, r.group, r.arrivalS, r.startS, r.answerS, r.latencyMs, r.target, r.arrived, r.reflected, r.stalenessEvents, r.stalenessS, r.pos, r.neg, r.exactPos, r.exactNeg, r.equalsExact ? 1 : 0]),
  );
}

export function summariesCsv(points: readonly ServeSummary[]): string {
  return toCsv(
    ['mode', 'clock', 'event_rate', 'query_rate', 'group_size', 'group_window_ms', 'queries', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms',
      'staleness_mean_events', 'staleness_p99_events', 'staleness_mean_s', 'ap', 'exact_ap', 'update_events_per_s', 'backlog_growth_per_s'],
    points.map((p) => [p.mode, p.clock, p.eventRate, p.queryRate, p.updateGrouping.size, p.updateGrouping.windowMs ?? '', p.queries, p.latencyMs.p50, p.latencyMs.p95,
      p.latencyMs.p99, p.stalenessEvents.mean, p.stalenessEvents.p99, p.stalenessSeconds.mean, p.ap, p.exactAp, p.updateEventsPerSec, p.backlogGrowthPerS]),
  );
}
