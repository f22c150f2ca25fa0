// The CLI's command options: flags that say how to run a command (which file, how many epochs, where to
// write), not what the experiment is. The experiment's knobs are knobs.ts; together the two tables are
// every flag of every command, and `tgnn help`, the CLI's range checks and docs/cli.md's flag tables come
// from them. (The page has its own ways for these: a file picker, Play and Pause, Save.) A list of seeds or
// batch sizes takes the knob's range for each item.
import { KNOBS } from './knobs.ts';
import { SERVE_CLOCKS, SERVE_KNOBS, SERVE_MODES } from './serving.ts';

export type Command = 'stats' | 'train' | 'staleness' | 'sweep' | 'export' | 'eval' | 'serve' | 'serve-sweep';

export const COMMAND_NAMES: readonly Command[] = ['stats', 'train', 'staleness', 'sweep', 'export', 'eval', 'serve', 'serve-sweep'];

interface OptionBase {
  readonly flag: string;
  /** one line for the help */
  readonly help: string;
  readonly commands: readonly Command[];
  /** a placeholder for the value in the usage line (PATH, DIR, N) */
  readonly meta?: string;
}

/** a whole or decimal number in a range; per command where the flag means something else there */
export interface NumberOption extends OptionBase {
  readonly type: 'int' | 'float';
  readonly min: number;
  readonly max: number;
  readonly default?: number;
  readonly perCommand?: Readonly<Partial<Record<Command, { readonly min: number; readonly max: number; readonly default?: number; readonly why: string }>>>;
}

/** a comma list of whole numbers, each in a range, each once */
export interface ListOption extends OptionBase {
  readonly type: 'list';
  readonly min: number;
  readonly max: number;
  readonly minItems: number;
  readonly maxItems: number;
  readonly example: string;
  readonly default?: readonly number[];
  readonly perCommand?: Readonly<Partial<Record<Command, {
    readonly min: number; readonly max: number; readonly minItems: number; readonly maxItems: number; readonly example: string;
    readonly default?: readonly number[]; readonly why: string;
  }>>>;
}

export interface ChoiceOption extends OptionBase {
  readonly type: 'enum';
  readonly values: readonly string[];
  readonly default?: string;
}

/** a switch: `--json` (or `--json true|false`) */
export interface SwitchOption extends OptionBase {
  readonly type: 'bool';
}

/** a path or a name */
export interface TextOption extends OptionBase {
  readonly type: 'text';
  readonly required?: readonly Command[];
}

export type CommandOption = NumberOption | ListOption | ChoiceOption | SwitchOption | TextOption;

const READERS: readonly Command[] = ['stats', 'train', 'staleness', 'sweep', 'export', 'eval', 'serve', 'serve-sweep'];
const SERVERS: readonly Command[] = ['serve', 'serve-sweep'];
/** the sweep lists event rates and update group sizes instead of taking one */
const SWEPT = ['eventRate', 'groupSize'];

/** how the importer reads the file (every command that reads one) */
export const IMPORT_OPTIONS: readonly CommandOption[] = [
  { flag: 'data', type: 'text', meta: 'PATH', required: READERS, commands: READERS, help: 'the event file: CSV/TSV/SNAP, JODIE or DyGLib (ml_*.csv)' },
  {
    flag: 'columns', type: 'text', meta: 'src,dst,t,...', commands: READERS,
    help: 'the role of every column in file order: src, dst, t, feat, label, skip (default: detected)',
  },
  { flag: 'delimiter', type: 'enum', values: ['comma', 'tab', 'semicolon', 'whitespace'], commands: READERS, help: 'the field separator (default: detected)' },
  { flag: 'header', type: 'enum', values: ['true', 'false'], commands: READERS, help: 'whether the first line names the columns (default: detected)' },
  {
    flag: 'format', type: 'enum', values: ['auto', 'plain', 'jodie', 'dyglib'], default: 'auto',
    commands: ['stats', 'train', 'staleness', 'sweep', 'eval', 'serve', 'serve-sweep'], help: 'the file\'s layout (export: --input-format)',
  },
];

/** every command option (import options first) */
export const OPTIONS: readonly CommandOption[] = [
  ...IMPORT_OPTIONS,
  { flag: 'input-format', type: 'enum', values: ['auto', 'plain', 'jodie', 'dyglib'], default: 'auto', commands: ['export'], help: 'the input file\'s layout' },
  { flag: 'format', type: 'enum', values: ['dyglib', 'tgl'], commands: ['export'], help: 'write DyGLib files or TGL files with the TGL/DistTGL config' },
  { flag: 'out', type: 'text', meta: 'DIR', required: ['export'], commands: ['export'], help: 'the folder the files go to' },
  { flag: 'name', type: 'text', meta: 'NAME', commands: ['export'], help: 'the dataset name in file names (default: from the file name)' },
  {
    flag: 'backend', type: 'enum', values: ['cpu', 'wasm'], default: 'wasm', commands: ['train', 'sweep', 'eval', 'serve', 'serve-sweep'],
    help: 'tfjs backend in Node (the page also has webgpu)',
  },
  {
    flag: 'wasm-threads', type: 'int', min: 1, max: 8, default: 1, commands: ['train', 'sweep', 'eval', 'serve', 'serve-sweep'], meta: 'N',
    help: 'threads for wasm\'s matrix products (same numbers at every count; on 2 cores TGN\'s small products gained nothing: docs/results.md)',
  },
  {
    flag: 'epochs', type: 'int', min: 1, max: 1000, default: 1, commands: ['train', 'sweep', 'export'], meta: 'N',
    help: 'epochs to train (--resume: more epochs)',
    perCommand: {
      sweep: { min: 1, max: 1, default: 1, why: 'one epoch per point, as DistTGL\'s Fig. 3' },
      export: { min: 1, max: 1000, default: 10, why: 'written into the exported config' },
    },
  },
  {
    flag: 'workers', type: 'int', min: 1, max: 16, default: 1, commands: ['train'], meta: 'N',
    help: 'worker threads computing DistTGL\'s trainers (with a --*-parallelism flag); the numbers are those of 1 thread, only faster',
  },
  {
    flag: 'patience', type: 'int', min: 0, max: 1000, commands: ['train'], meta: 'P',
    help: 'stop after P epochs without a better validation AP, keep the best epoch (default: never stop early)',
  },
  {
    flag: 'seeds', type: 'list', min: KNOBS.seed.min, max: KNOBS.seed.max, minItems: 1, maxItems: 100, example: '0,1,2', commands: ['train'],
    help: 'one run per seed and a mean ± std summary (instead of --seed)',
  },
  {
    flag: 'edgebank-memory', type: 'enum', values: ['unlimited', 'window'], default: 'unlimited', commands: ['train'],
    help: '--model edgebank: every edge of the history, or those of its last 15% of time (DyGLib)',
  },
  { flag: 'save-checkpoint', type: 'text', meta: 'DIR', commands: ['train'], help: 'save the best epoch\'s model (and what resuming needs) to DIR' },
  { flag: 'resume', type: 'text', meta: 'DIR', commands: ['train'], help: 'continue the run a checkpoint was saved from for --epochs more epochs' },
  {
    flag: 'checkpoint', type: 'text', meta: 'DIR', required: ['eval', ...SERVERS], commands: ['eval', ...SERVERS],
    help: 'a folder from train --save-checkpoint, or model.json + model.weights.bin from the page',
  },
  { flag: 'mode', type: 'enum', values: SERVE_MODES, default: 'update', commands: ['serve'], help: 'how answers stay current: update-based, inference-based or collaborative (STAG)' },
  { flag: 'clock', type: 'enum', values: SERVE_CLOCKS, default: 'measured', commands: SERVERS, help: 'virtual: each operation takes the cost model\'s time (exactly reproducible); measured: its wall time, servers simulated on one thread; wall: update and query servers on two threads in real time' },
  ...SERVE_KNOBS.map((k): NumberOption => ({
    flag: k.flag, type: k.type, min: k.min, max: k.max, ...(k.default !== null ? { default: k.default } : {}), meta: 'N', help: k.help,
    commands: SWEPT.includes(k.key) ? ['serve'] : SERVERS,
  })),
  { flag: 'records', type: 'text', meta: 'FILE', commands: ['serve'], help: 'also write one JSON line per query (arrival, latency, staleness, scores) to FILE' },
  {
    flag: 'event-rates', type: 'list', min: 1, max: 100_000, minItems: 1, maxItems: 20, example: '50,200,800', default: [50, 100, 200, 400, 800],
    commands: ['serve-sweep'], help: 'the event rates to serve at (each mode, each group size)',
  },
  {
    flag: 'group-sizes', type: 'list', min: 1, max: 100_000, minItems: 1, maxItems: 20, example: '1,10,100', default: [1, 10, 100],
    commands: ['serve-sweep'], help: 'the update group sizes (G) to serve with',
  },
  {
    flag: 'batch-sizes', type: 'list', min: KNOBS.batchSize.min, max: KNOBS.batchSize.max, minItems: 1, maxItems: 20, example: '50,200,600', default: [50, 200, 600, 2000],
    commands: ['sweep', 'staleness'], help: 'the batch sizes to measure',
    perCommand: {
      staleness: {
        min: 1, max: 1_000_000, minItems: 1, maxItems: 50, example: '1,50,200', default: [1, 50, 200, 600, 2000, 6000],
        why: 'data-level probe, no model: batch sizes up to the longest streams',
      },
    },
  },
  {
    flag: 'eval-batch-sizes', type: 'list', min: KNOBS.batchSize.min, max: KNOBS.batchSize.max, minItems: 1, maxItems: 20, example: '2000,200,50', commands: ['sweep'],
    help: 'train once at the first --batch-sizes value, then evaluate at each of these',
  },
  { flag: 'drift-events', type: 'int', min: 0, max: 100_000, default: 2000, commands: ['sweep'], meta: 'N', help: 'validation events of the memory-drift measurement' },
  { flag: 'range', type: 'enum', values: ['all', 'train'], default: 'all', commands: ['staleness'], help: 'every event, or the training range only' },
  { flag: 'node-feature-dim', type: 'int', min: 0, max: 172, default: 172, commands: ['export'], meta: 'D', help: 'node feature columns written (DyGLib pads to 172)' },
  { flag: 'json', type: 'bool', commands: ['stats', 'train', 'staleness', 'sweep', 'export', 'eval', ...SERVERS], help: 'JSON lines on stdout' },
];

/** the option `flag` of `command`, if it has one */
export function optionOf(command: Command, flag: string): CommandOption | undefined {
  return OPTIONS.find((o) => o.flag === flag && o.commands.includes(command));
}

/** the options of a command, in table order */
export function optionsOf(command: Command): CommandOption[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}

/** a number option's range (and default) in a command */
export function numberRange(o: NumberOption, command: Command): { readonly min: number; readonly max: number; readonly default?: number | undefined } {
  return o.perCommand?.[command] ?? o;
}

/** a list option's ranges (and default) in a command */
export function listRange(o: ListOption, command: Command): {
  readonly min: number; readonly max: number; readonly minItems: number; readonly maxItems: number; readonly example: string; readonly default?: readonly number[] | undefined;
} {
  return o.perCommand?.[command] ?? o;
}

/** what each command does, for the help */
export const COMMAND_SUMMARIES: Readonly<Record<Command, string>> = {
  stats: 'counts, time range and what the importer detected',
  train: 'trains a model chronologically: one JSON line per epoch (and a summary with --seeds or --patience)',
  staleness: 'stale and dropped fractions per batch size (no model, fast)',
  sweep: 'a fresh model per batch size, one epoch each: accuracy, speed, staleness and memory drift',
  export: 'DyGLib: ml_NAME.csv/.npy/_node.npy; TGL: edges.csv, edge_features.npy, <MODEL>.yml, disttgl.yml',
  eval: 'validation and test metrics of a checkpoint on its stream',
  serve: 'serves a checkpoint on its test events as a live feed: latency, staleness and AP of the answers',
  'serve-sweep': 'serve for each mode, event rate and group size: the latency-vs-staleness frontier',
};
