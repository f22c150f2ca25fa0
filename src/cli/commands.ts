// The CLI's commands: the flags each accepts and its usage text (for `tgnn help`, `tgnn CMD --help`).
// Light on purpose (no engine imports), so help answers without loading tfjs.
import { boundOf, BOUNDS, LIST_BOUNDS, rangeText, type BoundedFlag, type ListFlag } from './bounds.ts';
import { IMPORT_FLAGS } from './load.ts';

export interface CommandSpec {
  /** flags the command accepts (besides --help) */
  readonly flags: readonly string[];
  readonly usage: string;
  /** its list flags and the LIST_BOUNDS entry each uses */
  readonly lists?: Readonly<Record<string, ListFlag>>;
}

export const EXIT_CODES = `exit codes: 0 done; 2 bad input (one line on stderr says what is wrong and what to do); 1 internal error (a bug: please report it)`;

export const COMMANDS = {
  stats: {
    flags: [...IMPORT_FLAGS, 'json'],
    usage: `stats --data PATH [--columns src,dst,t,...] [--delimiter comma|tab|semicolon|whitespace] [--header true|false]
        [--format auto|plain|jodie|dyglib] [--json]
        counts, time range and what the importer detected`,
  },
  train: {
    flags: [
      ...IMPORT_FLAGS, 'model', 'batch-size', 'eval-batch-size', 'epochs', 'seed', 'backend', 'lr', 'json',
      'memory-dim', 'time-dim', 'embedding-dim', 'neighbours', 'mailbox-size', 'negatives', 'edgebank-memory', 'save-checkpoint',
      'patience', 'seeds', 'metric', 'negatives-per-positive', 'setting', 'neighbour-scope', 'neighbour-time', 'layers', 'resume',
    ],
    lists: { seeds: 'seeds' },
    usage: `train --data PATH [import flags] [--model tgn|jodie|dyrep|apan|tgat|tgn-static|edgebank] [--batch-size 200]
        [--eval-batch-size B (0: the batch size)] [--epochs 1] [--seed 1 | --seeds 0,1,2] [--backend wasm|cpu] [--json]
        [--setting transductive|inductive] [--negatives random|historical|inductive] [--patience P]
        [--metric ap|mrr --negatives-per-positive K] [--lr 1e-4] [--memory-dim 100] [--time-dim 100] [--embedding-dim 100]
        [--neighbours 10] [--mailbox-size K] [--neighbour-scope earlier-batches|before-event] [--neighbour-time last-update|query]
        [--layers 1|2] [--edgebank-memory unlimited|window] [--save-checkpoint DIR] [--resume DIR]
        one JSON line per epoch (and a summary with --seeds or --patience)
        --resume DIR: continue a checkpoint's run for --epochs more epochs (its model, settings, optimizer and epoch
        count; the stream must be the one it was saved for, and a flag that differs from its settings is refused)`,
  },
  staleness: {
    flags: [...IMPORT_FLAGS, 'batch-sizes', 'mailbox-size', 'range', 'json'],
    lists: { 'batch-sizes': 'staleness batch-sizes' },
    usage: `staleness --data PATH [import flags] [--batch-sizes 1,50,200,600,2000,6000] [--mailbox-size 1] [--range all|train] [--json]
        stale and dropped fractions per batch size (no model, fast)`,
  },
  sweep: {
    flags: [
      ...IMPORT_FLAGS, 'batch-sizes', 'eval-batch-sizes', 'epochs', 'seed', 'backend', 'lr', 'json', 'mailbox-size',
      'aggregator', 'static-memory', 'eval-batch-size', 'exact', 'drift-events', 'memory-dim', 'time-dim', 'embedding-dim', 'neighbours',
    ],
    lists: { 'batch-sizes': 'sweep batch-sizes', 'eval-batch-sizes': 'sweep eval-batch-sizes' },
    usage: `sweep --data PATH [import flags] [--batch-sizes 50,200,600,2000] [--eval-batch-sizes B1,B2] [--seed 1] [--backend wasm|cpu]
        [--mailbox-size K --aggregator last|mean|attention] [--static-memory] [--eval-batch-size B] [--exact]
        [--drift-events 2000] [--lr 1e-4] [--memory-dim 100] [--time-dim 100] [--embedding-dim 100] [--neighbours 10] [--json]
        a fresh model per batch size, one epoch each`,
  },
  export: {
    flags: [
      ...IMPORT_FLAGS, 'input-format', 'out', 'name', 'model', 'batch-size', 'lr', 'epochs', 'memory-dim', 'time-dim', 'embedding-dim',
      'neighbours', 'mailbox-size', 'node-feature-dim', 'json',
    ],
    usage: `export --data PATH [import flags, --input-format auto|plain|jodie|dyglib] --format dyglib|tgl --out DIR [--name NAME]
        [--model tgn|jodie|dyrep|apan|tgat|tgn-static] [--batch-size 200] [--lr 1e-4] [--epochs 10] [--memory-dim 100]
        [--time-dim 100] [--embedding-dim 100] [--neighbours 10] [--mailbox-size 1] [--node-feature-dim 172] [--json]
        DyGLib: ml_NAME.csv/.npy/_node.npy; TGL: edges.csv, edge_features.npy, <MODEL>.yml, disttgl.yml`,
  },
  eval: {
    flags: [...IMPORT_FLAGS, 'checkpoint', 'backend', 'json'],
    usage: `eval --checkpoint DIR --data PATH [import flags] [--backend wasm|cpu] [--json]
        DIR: a folder from train ... --save-checkpoint DIR, or model.json + model.weights.bin downloaded from the app`,
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

function isBounded(flag: string): flag is BoundedFlag {
  return Object.hasOwn(BOUNDS, flag);
}

/** "--memory-dim 2..256, ..." for a command's number flags, as its help lists them */
export function boundsText(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const parts: string[] = [];
  for (const flag of spec.flags) {
    const list = spec.lists?.[flag];
    if (list !== undefined) {
      const b = LIST_BOUNDS[list];
      parts.push(`--${flag} (${b.minItems}..${b.maxItems} values of ${b.min}..${b.max})`);
    } else if (isBounded(flag)) {
      const b = boundOf(name, flag);
      parts.push(`--${flag} ${b.min === b.max ? rangeText(b) : `${b.min}..${b.max}`}`);
    }
  }
  return parts.length === 0 ? '' : `ranges: ${parts.join(', ')}`;
}

/** the help for one command */
export function commandHelp(name: CommandName): string {
  const ranges = boundsText(name);
  return `usage: tgnn ${COMMANDS[name].usage}\n${ranges === '' ? '' : wrap(ranges) + '\n'}${EXIT_CODES}\n`;
}

/** the help for every command */
export function fullHelp(): string {
  const lines = ['usage: tgnn <command> [flags]   (tgnn <command> --help: that command\'s flags and ranges)', 'commands:'];
  for (const spec of Object.values(COMMANDS)) lines.push(`  ${spec.usage}`);
  lines.push(EXIT_CODES);
  return lines.join('\n') + '\n';
}

function wrap(text: string, width = 110): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(', ')) {
    const next = line === '' ? word : `${line}, ${word}`;
    if (next.length > width && line !== '') {
      out.push(line + ',');
      line = '  ' + word;
    } else line = next;
  }
  out.push(line);
  return out.join('\n');
}
