// The one table of experiment knobs (after TensorFlow Playground's state.ts): every setting that defines an
// experiment, with its type, range, default, CLI flag, URL-hash key (the knob's name), label, one-line help
// and the CLI commands that take it. The CLI's flags, ranges, messages and help, the URL hash, the settings
// panel and the engine's checks all read it, so they cannot disagree; a new knob is one row here (and one
// field of ExperimentSettings, which the type below keeps in step).
//
// How a knob travels: a flag (`--memory-dim 64`), a hash entry (`memoryDim=64`) or a panel control is checked
// by `checkKnob`; the knobs given are completed by `resolveSettings` (defaults, and the defaults that follow
// the model preset or another knob); `settingsProblems` applies the rules across knobs; the engine's
// `buildRun` (src/engine/experiment.ts) turns the settings into the model config and trainer options.
import { MODEL_NAMES, MODEL_PRESETS, TGN_DEFAULTS, type TgnConfig } from './presets.ts';
import type { ExperimentSettings } from './settings.ts';
import type { Parallelism } from './training.ts';
import { isParallel } from './parallelSchedule.ts';

export type KnobName = keyof ExperimentSettings;

/** CLI commands that take experiment knobs */
export type KnobCommand = 'train' | 'sweep' | 'export' | 'staleness';

/** where a knob sits in the settings panel */
export type KnobGroup = 'model' | 'training' | 'mitigation' | 'evaluation';

interface KnobBase {
  /** the CLI flag, without `--` (the hash key is the knob's name) */
  readonly flag: string;
  /** label of the panel control */
  readonly label: string;
  /** unit or kind of value, shown after the label */
  readonly unit: string;
  /** one sentence: the control's tooltip and the CLI help's line */
  readonly help: string;
  readonly group: KnobGroup;
  /** the panel shows it under "Advanced" */
  readonly advanced: boolean;
  /** the CLI commands that take the flag (every knob is a hash key and a panel control) */
  readonly commands: readonly KnobCommand[];
  /**
   * its default follows the chosen model: the preset's value of the TgnConfig field of the same name
   * (APAN's 10-mail mailbox, TGAT's two layers), unless the knob is given
   */
  readonly fromPreset?: keyof TgnConfig;
}

export interface IntKnob extends KnobBase {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  /** the value must be a multiple of this (the embedding dim splits over the attention heads) */
  readonly multipleOf: number;
  readonly default: number;
  /** the CLI's default where it differs from the page's (said in the help) */
  readonly cliDefault?: number;
  /** a command where the flag means something else and has its own range */
  readonly commandRange?: Readonly<Partial<Record<KnobCommand, { readonly min: number; readonly max: number; readonly why: string }>>>;
}

export interface FloatKnob extends KnobBase {
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly cliDefault?: number;
}

export interface EnumKnob<T extends string> extends KnobBase {
  readonly type: 'enum';
  readonly values: readonly T[];
  readonly default: T;
  /** values the CLI accepts besides these, and why the page has no such value */
  readonly cliExtraValues?: readonly string[];
}

/** a yes/no switch: `true`/`false` in the hash, `--flag` (or `--flag true|false`) in the CLI */
export interface BoolKnob extends KnobBase {
  readonly type: 'bool';
  readonly default: boolean;
}

export type Knob = IntKnob | FloatKnob | EnumKnob<string> | BoolKnob;

type KnobFor<V> = [V] extends [number] ? IntKnob | FloatKnob
  : [V] extends [boolean] ? BoolKnob
  : [V] extends [string] ? EnumKnob<V> : never;

export type KnobTable = { readonly [K in KnobName]: KnobFor<ExperimentSettings[K]> };

const MODEL_KNOB_COMMANDS: readonly KnobCommand[] = ['train', 'sweep', 'export'];
const TRAINING_COMMANDS: readonly KnobCommand[] = ['train', 'sweep'];

/** Every experiment knob. The page's defaults are the playground's starting experiment (the TGN paper's sizes). */
export const KNOBS: KnobTable = {
  model: {
    type: 'enum', values: MODEL_NAMES, default: 'tgn', cliExtraValues: ['edgebank'],
    flag: 'model', group: 'model', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Model', unit: 'preset',
    help: 'TGN: GRU + attention over recent neighbours; JODIE: RNN + time projection; DyRep: RNN, messages carry neighbour '
      + 'attention; APAN: 10-mail mailbox + attention, memory read directly; TGAT: no memory, 2-layer attention; '
      + 'tgn-static: TGN + DistTGL static memory (the CLI\'s train also takes edgebank, the baseline that learns nothing: '
      + 'the page shows it in its own panel)',
  },
  memoryDim: {
    type: 'int', min: 2, max: 256, multipleOf: 1, default: TGN_DEFAULTS.memoryDim,
    flag: 'memory-dim', group: 'model', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Memory dim', unit: 'floats / node', help: 'size of each node\'s memory vector',
  },
  timeDim: {
    type: 'int', min: 2, max: 256, multipleOf: 1, default: TGN_DEFAULTS.timeDim,
    flag: 'time-dim', group: 'model', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Time dim', unit: 'floats', help: 'size of the cosine time encoding',
  },
  embeddingDim: {
    type: 'int', min: 2, max: 256, multipleOf: TGN_DEFAULTS.heads, default: TGN_DEFAULTS.embeddingDim,
    flag: 'embedding-dim', group: 'model', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Embedding dim', unit: 'floats, even',
    help: 'size of the node embedding (split over 2 attention heads); DyRep\'s equals the memory dim unless given',
  },
  neighbours: {
    type: 'int', min: 1, max: 50, multipleOf: 1, default: TGN_DEFAULTS.neighbours,
    flag: 'neighbours', group: 'model', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Neighbours', unit: 'most recent', help: 'temporal neighbours attended to per node',
  },
  layers: {
    type: 'int', min: 1, max: 2, multipleOf: 1, default: TGN_DEFAULTS.layers, fromPreset: 'layers',
    flag: 'layers', group: 'model', advanced: true, commands: MODEL_KNOB_COMMANDS,
    label: 'Attention layers', unit: 'hops', help: 'layers of temporal attention (TGAT: 2, the others: 1); two layers attend to the neighbours\' neighbours too',
  },
  neighbourScope: {
    type: 'enum', values: ['earlier-batches', 'before-event'], default: TGN_DEFAULTS.neighbourScope, fromPreset: 'neighbourScope',
    flag: 'neighbour-scope', group: 'model', advanced: true, commands: MODEL_KNOB_COMMANDS,
    label: 'Neighbour scope', unit: 'which events attention sees',
    help: 'earlier-batches: only events of earlier batches (PyG\'s TGN); before-event: every event before the query\'s own, '
      + 'earlier events of the same batch included (DyGLib, TGAT)',
  },
  neighbourTime: {
    type: 'enum', values: ['last-update', 'query'], default: TGN_DEFAULTS.neighbourTime, fromPreset: 'neighbourTime',
    flag: 'neighbour-time', group: 'model', advanced: true, commands: MODEL_KNOB_COMMANDS,
    label: 'Neighbour Δt', unit: 'time encoded per neighbour',
    help: 'last-update: the neighbour\'s last memory update − edge time (PyG\'s TGN); query: query time − edge time (TGAT)',
  },
  batchSize: {
    type: 'int', min: 1, max: 2000, multipleOf: 1, default: 200,
    flag: 'batch-size', group: 'training', advanced: false, commands: ['train', 'export'],
    commandRange: { export: { min: 1, max: 100_000, why: 'written into a DyGLib/TGL config for training elsewhere (GPU batch sizes run to thousands)' } },
    label: 'Batch size', unit: 'events', help: 'events per training batch (bigger: faster, staler memory)',
  },
  learningRate: {
    type: 'float', min: 1e-6, max: 1, default: 1e-3, cliDefault: 1e-4,
    flag: 'lr', group: 'training', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Learning rate', unit: 'Adam',
    help: 'Adam step size (the CLI\'s default is the TGN paper\'s 1e-4; the page starts at 1e-3, as its streams give ~10 batches an epoch)',
  },
  seed: {
    type: 'int', min: 0, max: 2 ** 31 - 1, multipleOf: 1, default: 1,
    flag: 'seed', group: 'training', advanced: false, commands: TRAINING_COMMANDS,
    label: 'Seed', unit: 'integer', help: 'seeds weights and negative sampling',
  },
  mailboxSize: {
    type: 'int', min: 1, max: 16, multipleOf: 1, default: TGN_DEFAULTS.mailboxSize, fromPreset: 'mailboxSize',
    flag: 'mailbox-size', group: 'mitigation', advanced: false, commands: ['train', 'sweep', 'export', 'staleness'],
    label: 'Mailbox size k', unit: 'mails / node',
    help: 'mails kept per node per batch; with k > 1 and a mean or attention aggregator fewer of a batch\'s mails are lost',
  },
  aggregator: {
    type: 'enum', values: ['last', 'mean', 'attention'], default: TGN_DEFAULTS.aggregator, fromPreset: 'aggregator',
    flag: 'aggregator', group: 'mitigation', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Aggregator', unit: 'of the k mails',
    help: 'how a node\'s kept mails become one memory update: the last one, their mean, or attention over them',
  },
  staticMemory: {
    type: 'bool', default: TGN_DEFAULTS.staticMemory, fromPreset: 'staticMemory',
    flag: 'static-memory', group: 'mitigation', advanced: false, commands: MODEL_KNOB_COMMANDS,
    label: 'Static node memory', unit: 'DistTGL', help: 'a learnable per-node vector added to the dynamic memory when it is read (DistTGL)',
  },
  staticMemoryTraining: {
    type: 'enum', values: ['joint', 'pretrained'], default: 'joint',
    flag: 'static-memory-training', group: 'mitigation', advanced: true, commands: ['train'],
    label: 'Static memory training', unit: 'DistTGL',
    help: 'joint: the static memory trains with the model; pretrained: first trained alone in place of memory on the training split, then frozen and read through a trained projection (DistTGL)',
  },
  evalBatchSize: {
    type: 'int', min: 0, max: 2000, multipleOf: 1, default: 0,
    flag: 'eval-batch-size', group: 'mitigation', advanced: false, commands: TRAINING_COMMANDS,
    label: 'Eval batch size', unit: 'events, 0 = training',
    help: 'batch size for validation and test (smaller: fewer stale reads when evaluating); 0 uses the training batch size',
  },
  exact: {
    type: 'bool', default: false,
    flag: 'exact', group: 'mitigation', advanced: false, commands: TRAINING_COMMANDS,
    label: 'Exact mode', unit: 'slow reference',
    help: 'each event reads the memory updated by the events before it in its batch (as if B = 1); one gradient step per batch',
  },
  evalSetting: {
    type: 'enum', values: ['transductive', 'inductive'], default: 'transductive',
    flag: 'setting', group: 'evaluation', advanced: true, commands: ['train'],
    label: 'Setting', unit: 'which nodes are evaluated',
    help: 'transductive: every validation and test event; inductive (DyGLib): 10% of the later nodes lose their training '
      + 'events, and the events with a node never seen in training are scored apart',
  },
  evalNegatives: {
    type: 'enum', values: ['random', 'historical', 'inductive'], default: 'random',
    flag: 'negatives', group: 'evaluation', advanced: true, commands: ['train'],
    label: 'Eval negatives', unit: 'DyGLib strategy',
    help: 'negative destinations for validation and test: random, historical (seen before, not now) or inductive (unseen in training)',
  },
  metric: {
    type: 'enum', values: ['ap', 'mrr'], default: 'ap',
    flag: 'metric', group: 'evaluation', advanced: true, commands: ['train'],
    label: 'Metric', unit: 'AP or TGB\'s MRR',
    help: 'ap: average precision against one negative per event; mrr: each positive ranked among its own negatives (TGB), 49 unless given',
  },
  negativesPerPositive: {
    type: 'int', min: 1, max: 100, multipleOf: 1, default: 1,
    flag: 'negatives-per-positive', group: 'evaluation', advanced: true, commands: ['train'],
    label: 'Negatives per positive', unit: 'evaluation',
    help: 'random negatives scored against each validation and test event (more than 1: random negatives only; MRR needs at least 2)',
  },
  minibatchParallelism: {
    type: 'int', min: 1, max: 16, multipleOf: 1, default: 1,
    flag: 'minibatch-parallelism', group: 'training', advanced: true, commands: ['train'],
    label: 'Mini-batch parallelism i', unit: 'DistTGL trainers',
    help: 'i trainers take i consecutive batches, read the same memory and average their gradients: for memory, one batch of i × B (DistTGL)',
  },
  epochParallelism: {
    type: 'int', min: 1, max: 16, multipleOf: 1, default: 1,
    flag: 'epoch-parallelism', group: 'training', advanced: true, commands: ['train'],
    label: 'Epoch parallelism j', unit: 'DistTGL ranks',
    help: 'j ranks share one memory; each trains every batch j times against different negatives, writing it once: no added staleness, epochs ÷ j (DistTGL)',
  },
  memoryParallelism: {
    type: 'int', min: 1, max: 16, multipleOf: 1, default: 1,
    flag: 'memory-parallelism', group: 'training', advanced: true, commands: ['train'],
    label: 'Memory parallelism k', unit: 'DistTGL memory copies',
    help: 'k memory copies start at staggered points of the stream from zeroed memory and never exchange it; gradients are averaged (DistTGL)',
  },
  pipelineStaleness: {
    type: 'int', min: 0, max: 16, multipleOf: 1, default: 0,
    flag: 'pipeline-staleness', group: 'training', advanced: true, commands: ['train'],
    label: 'Pipeline staleness s', unit: 'batches (MSPipe)',
    help: 'a batch\'s memory, mail and neighbour writes land s batches later, as a pipelined trainer that plans ahead would see them (MSPipe); 0: at once',
  },
};

export const KNOB_NAMES = Object.keys(KNOBS) as KnobName[];

/** the knobs a CLI command takes */
export function knobsOf(command: KnobCommand): KnobName[] {
  return KNOB_NAMES.filter((k) => KNOBS[k].commands.includes(command));
}

/** the range of a number knob in a CLI command (its own range, or the command's where the flag means something else) */
export function rangeIn(knob: IntKnob | FloatKnob, command?: KnobCommand): { readonly min: number; readonly max: number } {
  const own = knob.type === 'int' && command !== undefined ? knob.commandRange?.[command] : undefined;
  return own ?? { min: knob.min, max: knob.max };
}

/** Plain decimal numbers only: no '', hex, 'Infinity' or whitespace that Number() would accept. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** why a raw value is refused, as data: each surface says it in its own words (the page: `reason`; the CLI: its flag messages) */
export type ValueProblem =
  | { readonly kind: 'not-a-number' }
  | { readonly kind: 'not-an-integer' }
  | { readonly kind: 'out-of-range'; readonly min: number; readonly max: number }
  | { readonly kind: 'not-a-multiple'; readonly of: number }
  | { readonly kind: 'not-one-of'; readonly values: readonly string[] }
  | { readonly kind: 'not-a-boolean' };

export type Checked<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly reason: string; readonly problem: ValueProblem };

/** a number's rule: its range, whole numbers only or not, and a step */
export interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly multipleOf?: number;
}

/** the page's words for a problem ("out of range 1…2000", "not one of last, mean, attention") */
export function problemText(p: ValueProblem): string {
  switch (p.kind) {
    case 'not-a-number':
      return 'not a number';
    case 'not-an-integer':
      return 'not an integer';
    case 'out-of-range':
      return `out of range ${p.min}…${p.max}`;
    case 'not-a-multiple':
      return `not a multiple of ${p.of}`;
    case 'not-one-of':
      return `not one of ${p.values.join(', ')}`;
    case 'not-a-boolean':
      return 'not true or false';
  }
}

const refuse = (problem: ValueProblem): { ok: false; reason: string; problem: ValueProblem } => ({ ok: false, reason: problemText(problem), problem });

/** The one check of a number from text (a flag, a hash entry, a control, a list item). */
export function checkNumber(raw: string, rule: NumberRule): Checked<number> {
  if (!DECIMAL.test(raw)) return refuse({ kind: 'not-a-number' });
  const v = Number(raw);
  if (!Number.isFinite(v)) return refuse({ kind: 'not-a-number' });
  if (rule.integer && !Number.isInteger(v)) return refuse({ kind: 'not-an-integer' });
  if (v < rule.min || v > rule.max) return refuse({ kind: 'out-of-range', min: rule.min, max: rule.max });
  if (rule.multipleOf !== undefined && v % rule.multipleOf !== 0) return refuse({ kind: 'not-a-multiple', of: rule.multipleOf });
  return { ok: true, value: v };
}

/** The one check of a choice from text. */
export function checkChoice<T extends string>(raw: string, values: readonly T[]): Checked<T> {
  const found = values.find((v) => v === raw);
  return found !== undefined ? { ok: true, value: found } : refuse({ kind: 'not-one-of', values });
}

/** The one check of a yes/no from text: `true` or `false`. */
export function checkBool(raw: string): Checked<boolean> {
  return raw === 'true' || raw === 'false' ? { ok: true, value: raw === 'true' } : refuse({ kind: 'not-a-boolean' });
}

/** the number rule of a knob in a CLI command (its own range, or the command's) */
export function numberRuleOf(knob: IntKnob | FloatKnob, command?: KnobCommand): NumberRule {
  const { min, max } = rangeIn(knob, command);
  return { min, max, integer: knob.type === 'int', ...(knob.type === 'int' && knob.multipleOf > 1 ? { multipleOf: knob.multipleOf } : {}) };
}

/**
 * One raw value (from a flag, a hash entry or a control) checked against its knob: the typed value, or why
 * not. In a CLI `command`, the command's range and the CLI's extra values (train's edgebank) apply.
 */
export function checkKnob<K extends KnobName>(name: K, raw: string, options: { readonly command?: KnobCommand } = {}): Checked<ExperimentSettings[K]> {
  const knob: Knob = KNOBS[name];
  return checkValue(knob, raw, options.command) as Checked<ExperimentSettings[K]>;
}

/** `raw` checked against a knob's type and range (in `command`, when given) */
export function checkValue(knob: Knob, raw: string, command?: KnobCommand): Checked<string | number | boolean> {
  switch (knob.type) {
    case 'int':
    case 'float':
      return checkNumber(raw, numberRuleOf(knob, command));
    case 'enum':
      return checkChoice(raw, command === 'train' ? [...knob.values, ...(knob.cliExtraValues ?? [])] : knob.values);
    case 'bool':
      return checkBool(raw);
  }
}

/** the default of a knob for the page, or the CLI's where it differs */
export function defaultOf<K extends KnobName>(name: K, surface: 'page' | 'cli' = 'page'): ExperimentSettings[K] {
  const knob: Knob = KNOBS[name];
  const cli = surface === 'cli' && (knob.type === 'int' || knob.type === 'float') ? knob.cliDefault : undefined;
  return (cli ?? knob.default) as ExperimentSettings[K];
}

/** DyRep's messages carry embeddings in place of memories: its embedding must be as wide as its memory (and follows it unless given) */
export function embeddingFollowsMemory(model: ExperimentSettings['model']): boolean {
  return MODEL_PRESETS[model].messageOther === 'embedding';
}

/** negatives per positive when MRR is asked for and the number is not given (TGB ranks against 49 or more) */
export const MRR_NEGATIVES = 49;

/**
 * The full settings from the knobs given: every other knob gets its default, a knob that follows the model
 * gets the preset's value (APAN's 10-mail mailbox, TGAT's 2 layers, DyRep's embedding as wide as its memory),
 * MRR gets 49 negatives per positive. The CLI, the hash and the panel's model picker complete settings here.
 */
export function resolveSettings(given: Partial<ExperimentSettings>, surface: 'page' | 'cli' = 'page'): ExperimentSettings {
  const out: Record<string, unknown> = {};
  const model = given.model ?? KNOBS.model.default;
  const preset = MODEL_PRESETS[model];
  for (const name of KNOB_NAMES) {
    const knob: Knob = KNOBS[name];
    const value = given[name];
    if (value !== undefined) out[name] = value;
    else if (knob.fromPreset !== undefined) out[name] = preset[knob.fromPreset];
    else out[name] = defaultOf(name, surface);
  }
  if (given.embeddingDim === undefined && embeddingFollowsMemory(model)) out['embeddingDim'] = out['memoryDim'];
  if (given.negativesPerPositive === undefined && out['metric'] === 'mrr') out['negativesPerPositive'] = MRR_NEGATIVES;
  // asking for a pre-trained static memory turns static memory on, unless it is said to be off
  if (given.staticMemory === undefined && out['staticMemoryTraining'] === 'pretrained') out['staticMemory'] = true;
  return out as unknown as ExperimentSettings;
}

/** A rule across knobs that settings break: the knobs it names, and a sentence that names them as `say` does. */
export interface SettingsProblem {
  readonly knobs: readonly KnobName[];
  /** an error refuses the settings; a note is said and the settings run */
  readonly severity: 'error' | 'note';
  readonly message: (say: (knob: KnobName) => string) => string;
}

/** knob names as the CLI says them */
export const sayFlag = (k: KnobName): string => `--${KNOBS[k].flag}`;
/** knob names as the page says them */
export const sayLabel = (k: KnobName): string => KNOBS[k].label;

/** The rules across knobs (each knob's own range is checkKnob's): what these settings break. */
export function settingsProblems(s: ExperimentSettings): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  if (embeddingFollowsMemory(s.model) && s.embeddingDim !== s.memoryDim) {
    out.push({
      knobs: ['embeddingDim', 'memoryDim'], severity: 'error',
      message: (say) => `${s.model} needs ${say('embeddingDim')} equal to ${say('memoryDim')} (${s.memoryDim}): its messages carry embeddings in place of memories`,
    });
  }
  if (s.metric === 'mrr' && s.negativesPerPositive < 2) {
    out.push({
      knobs: ['metric', 'negativesPerPositive'], severity: 'error',
      message: (say) => `${say('metric')} mrr needs ${say('negativesPerPositive')} of at least 2 (TGB uses 49 or more)`,
    });
  }
  if (s.negativesPerPositive > 1 && s.evalNegatives !== 'random') {
    out.push({
      knobs: ['negativesPerPositive', 'evalNegatives'], severity: 'error',
      message: (say) => `${say('negativesPerPositive')} > 1 draws random negatives; set ${say('evalNegatives')} to random`,
    });
  }
  if (s.staticMemoryTraining === 'pretrained' && !s.staticMemory) {
    out.push({
      knobs: ['staticMemoryTraining', 'staticMemory'], severity: 'error',
      message: (say) => `${say('staticMemoryTraining')} pretrained needs ${say('staticMemory')} on (or the tgn-static model)`,
    });
  }
  if (usesParallelism(s) && s.exact) {
    out.push({
      knobs: ['exact', 'minibatchParallelism', 'epochParallelism', 'memoryParallelism'], severity: 'error',
      message: (say) => `${say('exact')} processes one event at a time; DistTGL's parallelism (${say('minibatchParallelism')}, ${say('epochParallelism')}, ${say('memoryParallelism')}) needs batches: turn one off`,
    });
  }
  if (s.pipelineStaleness > 0 && (s.exact || usesParallelism(s))) {
    out.push({
      knobs: ['pipelineStaleness', 'exact', 'minibatchParallelism', 'epochParallelism', 'memoryParallelism'], severity: 'error',
      message: (say) => `${say('pipelineStaleness')} delays whole batches' writes; it is not built with ${say('exact')} or DistTGL's parallelism: turn one off`,
    });
  }
  if (s.mailboxSize > 1 && s.aggregator === 'last') {
    out.push({
      knobs: ['mailboxSize', 'aggregator'], severity: 'note',
      message: (say) => `${say('mailboxSize')} > 1 with the last aggregator only ever applies the newest mail; set ${say('aggregator')} to mean or attention`,
    });
  }
  return out;
}

/** DistTGL's parallelism the settings ask for, as the trainer and its schedule take it */
export function parallelismOf(s: Pick<ExperimentSettings, 'minibatchParallelism' | 'epochParallelism' | 'memoryParallelism'>): Parallelism {
  return { minibatch: s.minibatchParallelism, epoch: s.epochParallelism, memory: s.memoryParallelism };
}

/** whether the settings train with DistTGL's parallelism (i, j or k above 1) */
/**
 * Why DistTGL's trainers cannot run on threads with these settings (they then run in the engine's thread,
 * with the same numbers), or null: a pre-trained static memory is a frozen table the threads do not get yet.
 */
export function trainerThreadsBlocker(s: Pick<ExperimentSettings, 'staticMemory' | 'staticMemoryTraining'>): 'pretrained static memory' | null {
  return s.staticMemory && s.staticMemoryTraining === 'pretrained' ? 'pretrained static memory' : null;
}

export function usesParallelism(s: Pick<ExperimentSettings, 'minibatchParallelism' | 'epochParallelism' | 'memoryParallelism'>): boolean {
  return isParallel(parallelismOf(s));
}

/** why a checkpoint cannot hold a model trained with these settings (CLI and page say it in their words), or null */
export function checkpointBlocker(s: ExperimentSettings): 'inductive' | 'parallelism' | 'pipelining' | 'pretrained static memory' | null {
  if (s.evalSetting !== 'transductive') return 'inductive';
  if (usesParallelism(s)) return 'parallelism';
  if (s.pipelineStaleness > 0) return 'pipelining';
  if (s.staticMemory && s.staticMemoryTraining === 'pretrained') return 'pretrained static memory';
  return null;
}

/** the batch size validation and test run at: the evaluation batch size, or the training one when it is 0 */
export function evalBatchSizeOf(s: Pick<ExperimentSettings, 'batchSize' | 'evalBatchSize'>): number {
  return s.evalBatchSize > 0 ? s.evalBatchSize : s.batchSize;
}

export function sameSettings(a: ExperimentSettings, b: ExperimentSettings): boolean {
  return KNOB_NAMES.every((k) => a[k] === b[k]);
}
