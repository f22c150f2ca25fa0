// The whole experiment as one typed schema, serialised to the URL hash so any experiment is a shareable
// link (after TensorFlow Playground's state.ts). One declarative table, FIELDS, drives both directions:
// parseHash validates every entry against it and serializeHash writes it back. A bad entry (unknown key,
// not a number, out of range, not one of the allowed values) falls back to its default and is reported,
// never silently turned into NaN. `<control>_hide=true` hides a control for a focused lesson link.
import type { BackendPreference } from '../shared/backend.ts';
import { type ExperimentSettings, DEFAULT_SETTINGS } from '../shared/settings.ts';
import { MODEL_NAMES, MODEL_PRESETS } from '../shared/presets.ts';

export type ModelName = ExperimentSettings['model'];

/** Everything a link can say about an experiment. */
export interface ExperimentState extends ExperimentSettings {
  /** name of a bundled stream (public/datasets/index.json) */
  readonly dataset: string;
  readonly model: ModelName;
  readonly backend: BackendPreference;
}

export type FieldName = keyof ExperimentState;
export type SettingName = keyof ExperimentSettings;

interface FieldBase {
  /** label shown next to the control */
  readonly label: string;
  /** unit or kind of value, shown after the label */
  readonly unit: string;
  /** one sentence for the control's tooltip */
  readonly help: string;
}

export interface IntField extends FieldBase {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  /** the value must be a multiple of this (e.g. 2 for the embedding dim, split over 2 attention heads) */
  readonly multipleOf: number;
  readonly default: number;
}

export interface FloatField extends FieldBase {
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export interface EnumField<T extends string> extends FieldBase {
  readonly type: 'enum';
  readonly values: readonly T[];
  readonly default: T;
}

/** A yes/no switch, written `true` / `false` in the hash. */
export interface BoolField extends FieldBase {
  readonly type: 'bool';
  readonly default: boolean;
}

/** A name checked for its shape here; whether it exists is checked where the list is known (the dataset index). */
export interface NameField extends FieldBase {
  readonly type: 'name';
  readonly pattern: RegExp;
  readonly default: string;
}

type FieldFor<V> = [V] extends [number] ? IntField | FloatField
  : [V] extends [boolean] ? BoolField
  : [V] extends [string] ? (string extends V ? NameField : EnumField<V>) : never;

export type Schema = { readonly [K in FieldName]: FieldFor<ExperimentState[K]> };

/** The schema: name → type, allowed values or range, default (the engine's DEFAULT_SETTINGS). */
export const FIELDS: Schema = {
  // the first entry of public/datasets/index.json (the stream the lessons and the first screen use)
  dataset: {
    // a bundled stream's name, or upload:<fingerprint> for a file kept in this browser (uploads.ts)
    type: 'name', pattern: /^(?:upload:[0-9a-f]{16}|[A-Za-z0-9][A-Za-z0-9._-]{0,79})$/, default: 'conversations',
    label: 'Dataset', unit: '', help: 'bundled event stream, or an upload kept in this browser',
  },
  model: {
    type: 'enum', values: MODEL_NAMES, default: DEFAULT_SETTINGS.model,
    label: 'Model', unit: 'preset',
    help: 'TGN: GRU + attention over recent neighbours; JODIE: RNN + time projection; DyRep: RNN, messages carry neighbour '
      + 'attention; APAN: 10-mail mailbox + attention, memory read directly; TGAT: no memory, 2-layer attention; '
      + 'tgn-static: TGN + DistTGL static memory',
  },
  memoryDim: {
    type: 'int', min: 2, max: 256, multipleOf: 1, default: DEFAULT_SETTINGS.memoryDim,
    label: 'Memory dim', unit: 'floats / node', help: 'size of each node\'s memory vector',
  },
  timeDim: {
    type: 'int', min: 2, max: 256, multipleOf: 1, default: DEFAULT_SETTINGS.timeDim,
    label: 'Time dim', unit: 'floats', help: 'size of the cosine time encoding',
  },
  embeddingDim: {
    type: 'int', min: 2, max: 256, multipleOf: 2, default: DEFAULT_SETTINGS.embeddingDim,
    label: 'Embedding dim', unit: 'floats, even', help: 'size of the node embedding (split over 2 attention heads)',
  },
  neighbours: {
    type: 'int', min: 1, max: 50, multipleOf: 1, default: DEFAULT_SETTINGS.neighbours,
    label: 'Neighbours', unit: 'most recent', help: 'temporal neighbours attended to per node',
  },
  batchSize: {
    type: 'int', min: 1, max: 2000, multipleOf: 1, default: DEFAULT_SETTINGS.batchSize,
    label: 'Batch size', unit: 'events', help: 'events per training batch (bigger: faster, staler memory)',
  },
  mailboxSize: {
    type: 'int', min: 1, max: 16, multipleOf: 1, default: DEFAULT_SETTINGS.mailboxSize,
    label: 'Mailbox size k', unit: 'mails / node',
    help: 'mails kept per node per batch; with k > 1 and a mean or attention aggregator fewer of a batch\'s mails are lost',
  },
  aggregator: {
    type: 'enum', values: ['last', 'mean', 'attention'], default: DEFAULT_SETTINGS.aggregator,
    label: 'Aggregator', unit: 'of the k mails', help: 'how a node\'s kept mails become one memory update: the last one, their mean, or attention over them',
  },
  staticMemory: {
    type: 'bool', default: DEFAULT_SETTINGS.staticMemory,
    label: 'Static node memory', unit: 'DistTGL', help: 'a learnable per-node vector added to the dynamic memory when it is read (DistTGL)',
  },
  evalBatchSize: {
    type: 'int', min: 0, max: 2000, multipleOf: 1, default: DEFAULT_SETTINGS.evalBatchSize,
    label: 'Eval batch size', unit: 'events, 0 = training', help: 'batch size for validation and test (smaller: fewer stale reads when evaluating); 0 uses the training batch size',
  },
  exact: {
    type: 'bool', default: DEFAULT_SETTINGS.exact,
    label: 'Exact mode', unit: 'slow reference',
    help: 'each event reads the memory updated by the events before it in its batch (as if B = 1); one gradient step per batch',
  },
  learningRate: {
    type: 'float', min: 1e-6, max: 1, default: DEFAULT_SETTINGS.learningRate,
    label: 'Learning rate', unit: 'Adam', help: 'Adam step size',
  },
  seed: {
    type: 'int', min: 0, max: 2 ** 31 - 1, multipleOf: 1, default: DEFAULT_SETTINGS.seed,
    label: 'Seed', unit: 'integer', help: 'seeds weights and negative sampling',
  },
  backend: {
    type: 'enum', values: ['auto', 'webgpu', 'wasm', 'cpu'], default: 'auto',
    label: 'Backend', unit: '', help: 'tfjs backend; auto picks the fastest that works',
  },
};

export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
export const SETTING_NAMES: readonly SettingName[] = [
  'model', 'memoryDim', 'timeDim', 'embeddingDim', 'neighbours', 'batchSize', 'learningRate', 'seed',
  'mailboxSize', 'aggregator', 'staticMemory', 'evalBatchSize', 'exact',
];

/** The settings the panel groups under "Staleness mitigations". */
export const MITIGATION_NAMES: readonly SettingName[] = ['mailboxSize', 'aggregator', 'staticMemory', 'evalBatchSize', 'exact'];

/** Controls a link can hide with `<control>_hide=true`: every field, plus UI-only panels. */
export const HIDEABLE = [...FIELD_NAMES, 'upload', 'step', 'reset'] as const;
export type Hideable = (typeof HIDEABLE)[number];
export type HiddenControls = ReadonlySet<Hideable>;

const HIDE_SUFFIX = '_hide';

export function defaultState(): ExperimentState {
  const out: Record<string, string | number | boolean> = {};
  for (const name of FIELD_NAMES) out[name] = FIELDS[name].default;
  return out as unknown as ExperimentState;
}

export function settingsOf(state: ExperimentState): ExperimentSettings {
  return {
    model: state.model, memoryDim: state.memoryDim, timeDim: state.timeDim, embeddingDim: state.embeddingDim,
    neighbours: state.neighbours, mailboxSize: state.mailboxSize, aggregator: state.aggregator, staticMemory: state.staticMemory,
    batchSize: state.batchSize, evalBatchSize: state.evalBatchSize, exact: state.exact,
    learningRate: state.learningRate, seed: state.seed,
  };
}

export function sameSettings(a: ExperimentSettings, b: ExperimentSettings): boolean {
  return SETTING_NAMES.every((k) => a[k] === b[k]);
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

/** Plain decimal numbers only: no '', hex, 'Infinity' or whitespace that Number() would accept. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Checks one raw value against its field: the typed value, or why it is not allowed. */
export function validateField<K extends FieldName>(name: K, raw: string): { ok: true; value: ExperimentState[K] } | { ok: false; reason: string } {
  const field: IntField | FloatField | EnumField<string> | NameField | BoolField = FIELDS[name];
  switch (field.type) {
    case 'int':
    case 'float': {
      if (!DECIMAL.test(raw)) return { ok: false, reason: `not a number` };
      const v = Number(raw);
      if (!Number.isFinite(v)) return { ok: false, reason: 'not a finite number' };
      if (field.type === 'int' && !Number.isInteger(v)) return { ok: false, reason: 'not an integer' };
      if (v < field.min || v > field.max) return { ok: false, reason: `out of range ${field.min}…${field.max}` };
      if (field.type === 'int' && v % field.multipleOf !== 0) return { ok: false, reason: `not a multiple of ${field.multipleOf}` };
      return { ok: true, value: v as ExperimentState[K] };
    }
    case 'enum':
      if (!field.values.includes(raw)) return { ok: false, reason: `not one of ${field.values.join(', ')}` };
      return { ok: true, value: raw as ExperimentState[K] };
    case 'name':
      if (!field.pattern.test(raw)) return { ok: false, reason: 'not a valid name' };
      return { ok: true, value: raw as ExperimentState[K] };
    case 'bool':
      if (raw !== 'true' && raw !== 'false') return { ok: false, reason: 'not true or false' };
      return { ok: true, value: (raw === 'true') as ExperimentState[K] };
  }
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
  // a preset defined with its own mailbox or static memory (APAN, tgn-static) gets them unless the link
  // sets them, as picking the preset in the panel does: `#model=apan` means APAN's 10-mail mailbox
  const model = FIELDS.model.values.find((v) => v === state['model']);
  if (model && seen.has('model')) {
    const preset = MODEL_PRESETS[model];
    if (!seen.has('mailboxSize')) state['mailboxSize'] = preset.mailboxSize;
    if (!seen.has('aggregator')) state['aggregator'] = preset.aggregator;
    if (!seen.has('staticMemory')) state['staticMemory'] = preset.staticMemory;
    if (preset.messageOther === 'embedding' && !seen.has('embeddingDim')) state['embeddingDim'] = state['memoryDim']!;
  }
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
