// The whole experiment as one typed schema, serialised to the URL hash so any experiment is a shareable
// link (after TensorFlow Playground's state.ts). The schema is the knob table of src/shared/knobs.ts (the
// one the CLI's flags come from) plus two page fields, the dataset and the backend. parseHash validates
// every entry against it and serializeHash writes it back. A bad entry (unknown key, not a number, out of
// range, not one of the allowed values) falls back to its default and is reported, never silently turned
// into NaN. `<control>_hide=true` hides a control for a focused lesson link.
import type { BackendPreference } from '../shared/backend.ts';
import { checkKnob, KNOB_NAMES, KNOBS, resolveSettings, type Checked, type KnobName, type KnobTable } from '../shared/knobs.ts';
import type { ExperimentSettings } from '../shared/settings.ts';

export { sameSettings } from '../shared/knobs.ts';

/** Everything a link can say about an experiment. */
export interface ExperimentState extends ExperimentSettings {
  /** name of a bundled stream (public/datasets/index.json) */
  readonly dataset: string;
  readonly backend: BackendPreference;
}

export type FieldName = keyof ExperimentState;
export type SettingName = KnobName;

/** A name checked for its shape here; whether it exists is checked where the list is known (the dataset index). */
export interface NameField {
  readonly type: 'name';
  readonly pattern: RegExp;
  readonly default: string;
  readonly label: string;
  readonly unit: string;
  readonly help: string;
}


/** the fields only the page has: which stream, and which tfjs backend (the browser's choice, not the experiment's) */
const PAGE_FIELDS = {
  // the first entry of public/datasets/index.json (the stream the lessons and the first screen use)
  dataset: {
    // a bundled stream's name, or upload:<fingerprint> for a file kept in this browser (uploads.ts)
    type: 'name', pattern: /^(?:upload:[0-9a-f]{16}|[A-Za-z0-9][A-Za-z0-9._-]{0,79})$/, default: 'conversations',
    label: 'Dataset', unit: '', help: 'bundled event stream, or an upload kept in this browser',
  } satisfies NameField,
  backend: {
    type: 'enum', values: ['auto', 'webgpu', 'wasm', 'cpu'] as BackendPreference[], default: 'auto' as BackendPreference,
    label: 'Backend', unit: '', help: 'tfjs backend; auto picks the fastest that works',
  },
} as const;

/** The schema: every knob of the shared table, then the page's own fields. */
export const FIELDS: KnobTable & typeof PAGE_FIELDS = { ...KNOBS, ...PAGE_FIELDS };

export const SETTING_NAMES: readonly SettingName[] = KNOB_NAMES;
export const FIELD_NAMES: readonly FieldName[] = ['dataset', ...KNOB_NAMES, 'backend'];

/** The settings the panel groups under "Staleness mitigations". */
export const MITIGATION_NAMES: readonly SettingName[] = KNOB_NAMES.filter((k) => KNOBS[k].group === 'mitigation');

/** Controls a link can hide with `<control>_hide=true`: every field, plus UI-only panels. */
export const HIDEABLE = [...FIELD_NAMES, 'upload', 'step', 'reset'] as const;
export type Hideable = (typeof HIDEABLE)[number];
export type HiddenControls = ReadonlySet<Hideable>;

const HIDE_SUFFIX = '_hide';

export function defaultState(): ExperimentState {
  return { ...resolveSettings({}), dataset: PAGE_FIELDS.dataset.default, backend: PAGE_FIELDS.backend.default };
}

export function settingsOf(state: ExperimentState): ExperimentSettings {
  const out: Record<string, unknown> = {};
  for (const k of KNOB_NAMES) out[k] = state[k];
  return out as unknown as ExperimentSettings;
}

/** A hash entry that was ignored, and why; the value it stood for keeps its default. */
export interface HashProblem {
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

export interface ParsedHash {
  readonly state: ExperimentState;
  readonly hidden: HiddenControls;
  readonly problems: readonly HashProblem[];
}

/** Checks one raw value against its field (a knob's check is the CLI's too): the typed value, or why it is not allowed. */
export function validateField<K extends FieldName>(name: K, raw: string): Checked<ExperimentState[K]> {
  if (name === 'dataset') {
    return (PAGE_FIELDS.dataset.pattern.test(raw) ? { ok: true, value: raw } : { ok: false, reason: 'not a valid name' }) as Checked<ExperimentState[K]>;
  }
  if (name === 'backend') {
    const found = PAGE_FIELDS.backend.values.find((v) => v === raw);
    return (found ? { ok: true, value: found } : { ok: false, reason: `not one of ${PAGE_FIELDS.backend.values.join(', ')}` }) as Checked<ExperimentState[K]>;
  }
  return checkKnob(name as KnobName, raw) as Checked<ExperimentState[K]>;
}

function isFieldName(key: string): key is FieldName {
  return Object.hasOwn(FIELDS, key);
}

function isHideable(key: string): key is Hideable {
  return (HIDEABLE as readonly string[]).includes(key);
}

/** Reads `#key=value&…` (leading '#' optional); every bad or unknown entry is listed in `problems`. */
export function parseHash(hash: string): ParsedHash {
  const state: Record<string, string | number | boolean> = { ...defaultState() };
  const hidden = new Set<Hideable>();
  const problems: HashProblem[] = [];
  const seen = new Set<string>();
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? null : part.slice(eq + 1);
    const key = decode(rawKey);
    const value = rawValue === null ? null : decode(rawValue);
    const shownValue = value ?? rawValue ?? '';
    if (key === null) {
      problems.push({ key: rawKey, value: shownValue, reason: 'malformed %-escape in the name' });
      continue;
    }
    if (value === null && rawValue !== null) {
      problems.push({ key, value: rawValue, reason: 'malformed %-escape in the value' });
      continue;
    }
    if (seen.has(key)) {
      problems.push({ key, value: shownValue, reason: 'given more than once; the first is used' });
      continue;
    }
    seen.add(key);
    if (key.endsWith(HIDE_SUFFIX)) {
      const control = key.slice(0, -HIDE_SUFFIX.length);
      if (!isHideable(control)) {
        problems.push({ key, value: shownValue, reason: 'unknown control' });
      } else if (value === null || value === 'true') {
        hidden.add(control);
      } else if (value !== 'false') {
        problems.push({ key, value, reason: 'not true or false' });
      }
      continue;
    }
    if (!isFieldName(key)) {
      problems.push({ key, value: shownValue, reason: 'unknown setting' });
      continue;
    }
    if (value === null) {
      problems.push({ key, value: '', reason: 'no value' });
      continue;
    }
    const checked = validateField(key, value);
    if (checked.ok) state[key] = checked.value;
    else problems.push({ key, value, reason: checked.reason });
  }
  // the knobs the link sets; the rest get their defaults, and those that follow the model the preset's
  // (`#model=apan` means APAN's 10-mail mailbox, as picking the preset in the panel does)
  const given: Record<string, unknown> = {};
  for (const k of KNOB_NAMES) if (seen.has(k)) given[k] = state[k];
  const settings = resolveSettings(given as Partial<ExperimentSettings>);
  Object.assign(state, settings);
  return { state: state as unknown as ExperimentState, hidden, problems };
}

/** Writes every field (so a link keeps meaning the same experiment if defaults change) and the hide flags set. */
export function serializeHash(state: ExperimentState, hidden: HiddenControls = new Set()): string {
  const parts: string[] = [];
  for (const name of FIELD_NAMES) {
    const v = state[name];
    const checked = validateField(name, String(v));
    if (!checked.ok) throw new Error(`serializeHash: ${name}=${String(v)} is ${checked.reason}`);
    parts.push(`${name}=${encodeURIComponent(String(v))}`);
  }
  for (const control of HIDEABLE) if (hidden.has(control)) parts.push(`${control}${HIDE_SUFFIX}=true`);
  return `#${parts.join('&')}`;
}

/** One line for the notice: `memoryDim=abc (not a number)`. */
export function describeProblem(p: HashProblem): string {
  return `${p.key}=${p.value} (${p.reason})`;
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    if (e instanceof URIError) return null;
    throw e;
  }
}
