// The CLI's commands: the flags each accepts and its help (`tgnn help`, `tgnn CMD --help`), all generated
// from the shared tables (src/shared/knobs.ts for the experiment, src/shared/options.ts for the rest).
// Light on purpose (no engine imports), so help answers without loading tfjs.
import { KNOBS, knobsOf, rangeIn, type Knob, type KnobCommand } from '../shared/knobs.ts';
import { COMMAND_NAMES, COMMAND_SUMMARIES, listRange, numberRange, optionsOf, type Command, type CommandOption } from '../shared/options.ts';

export interface CommandSpec {
  /** flags the command accepts (besides --help) */
  readonly flags: readonly string[];
  /** its list flags (comma lists of numbers) */
  readonly lists: readonly string[];
  /** one line per flag: `--memory-dim N   2..256, default 100: size of each node's memory vector` */
  readonly lines: readonly FlagLine[];
}

export interface FlagLine {
  readonly flag: string;
  /** what the value looks like: `N`, `tgn|jodie|…`, `PATH` ('' for a switch) */
  readonly value: string;
  /** range and default: `2..256, default 100` */
  readonly range: string;
  /** a number flag's range (`2..256`) or a list flag's (`1..20 values of 1..2000`); '' for other flags */
  readonly limits: string;
  readonly help: string;
  readonly required: boolean;
}

export const EXIT_CODES = `exit codes: 0 done; 2 bad input (one line on stderr says what is wrong and what to do); 1 internal error (a bug: please report it)`;

const isKnobCommand = (c: Command): c is KnobCommand => c === 'train' || c === 'sweep' || c === 'export' || c === 'staleness';

function knobLine(k: Knob, command: KnobCommand): FlagLine {
  switch (k.type) {
    case 'int':
    case 'float': {
      const r = rangeIn(k, command);
      const cli = k.cliDefault ?? k.default;
      const fromPreset = k.fromPreset ? ' (the model\'s)' : '';
      const own = k.type === 'int' ? k.commandRange?.[command] : undefined;
      const limits = `${r.min}..${r.max}`;
      return {
        flag: k.flag, value: 'N', range: `${limits}${own ? '' : `, default ${cli}${fromPreset}`}${k.type === 'int' && k.multipleOf > 1 ? `, a multiple of ${k.multipleOf}` : ''}`,
        limits, help: own ? `${k.help} (here: ${own.why})` : k.help, required: false,
      };
    }
    case 'enum': {
      const values = [...k.values, ...(command === 'train' ? k.cliExtraValues ?? [] : [])];
      return { flag: k.flag, value: values.join('|'), range: `default ${k.fromPreset ? 'the model\'s' : k.default}`, limits: '', help: k.help, required: false };
    }
    case 'bool':
      return { flag: k.flag, value: '', range: `default ${k.fromPreset ? 'the model\'s' : 'off'}`, limits: '', help: k.help, required: false };
  }
}

function optionLine(o: CommandOption, command: Command): FlagLine {
  const required = o.type === 'text' && (o.required ?? []).includes(command);
  switch (o.type) {
    case 'int':
    case 'float': {
      const r = numberRange(o, command);
      const limits = r.min === r.max ? `${r.min}` : `${r.min}..${r.max}`;
      return { flag: o.flag, value: o.meta ?? 'N', range: `${limits}${r.default !== undefined ? `, default ${r.default}` : ''}`, limits, help: o.help, required };
    }
    case 'list': {
      const r = listRange(o, command);
      const limits = `${r.minItems}..${r.maxItems} values of ${r.min}..${r.max}`;
      return { flag: o.flag, value: r.example, range: `${limits}${r.default ? `, default ${r.default.join(',')}` : ''}`, limits, help: o.help, required };
    }
    case 'enum':
      return { flag: o.flag, value: o.values.join('|'), range: o.default !== undefined ? `default ${o.default}` : '', limits: '', help: o.help, required };
    case 'bool':
      return { flag: o.flag, value: '', range: '', limits: '', help: o.help, required };
    case 'text':
      return { flag: o.flag, value: o.meta ?? 'TEXT', range: required ? 'required' : '', limits: '', help: o.help, required };
  }
}

function specOf(command: Command): CommandSpec {
  const options = optionsOf(command);
  const knobs = isKnobCommand(command) ? knobsOf(command) : [];
  // import options first, then the experiment's knobs, then the command's own options
  const importFirst = options.filter((o) => ['data', 'columns', 'delimiter', 'header', 'format', 'input-format'].includes(o.flag));
  const rest = options.filter((o) => !importFirst.includes(o));
  const lines = [
    ...importFirst.map((o) => optionLine(o, command)),
    ...(isKnobCommand(command) ? knobs.map((k) => knobLine(KNOBS[k], command)) : []),
    ...rest.map((o) => optionLine(o, command)),
  ];
  return { flags: lines.map((l) => l.flag), lists: options.filter((o) => o.type === 'list').map((o) => o.flag), lines };
}

export const COMMANDS: Readonly<Record<Command, CommandSpec>> = Object.fromEntries(COMMAND_NAMES.map((c) => [c, specOf(c)])) as Record<Command, CommandSpec>;

export type CommandName = Command;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** `train --data PATH [--model …] …`: the usage line of a command */
export function usageOf(name: CommandName): string {
  const parts = COMMANDS[name].lines.map((l) => {
    const text = `--${l.flag}${l.value === '' ? '' : ` ${l.value}`}`;
    return l.required ? text : `[${text}]`;
  });
  return `${name} ${parts.join(' ')}`;
}

/** "ranges: --memory-dim 2..256, ..." for a command's number and list flags, as its help lists them */
export function boundsText(name: CommandName): string {
  const spec = COMMANDS[name];
  const parts: string[] = [];
  for (const l of spec.lines) {
    if (l.limits !== '') parts.push(spec.lists.includes(l.flag) ? `--${l.flag} (${l.limits})` : `--${l.flag} ${l.limits}`);
  }
  return parts.length === 0 ? '' : `ranges: ${parts.join(', ')}`;
}

/** the help for one command: usage, one line per flag, ranges, exit codes */
export function commandHelp(name: CommandName): string {
  const spec = COMMANDS[name];
  const width = Math.max(...spec.lines.map((l) => l.flag.length + 3));
  const flagLines = spec.lines.map((l) => `  --${l.flag.padEnd(width - 2)}${l.value === '' ? '' : `${l.value}  `}${l.range === '' ? '' : `(${l.range}) `}${l.help}`);
  const ranges = boundsText(name);
  return `usage: tgnn ${wrap(usageOf(name).split(' '), ' ', 110, '        ')}\n        ${COMMAND_SUMMARIES[name]}\n` +
    `flags:\n${flagLines.join('\n')}\n${ranges === '' ? '' : wrap(ranges.split(', '), ', ', 110, '  ') + '\n'}${EXIT_CODES}\n`;
}

/** the help for every command */
export function fullHelp(): string {
  const lines = ['usage: tgnn <command> [flags]   (tgnn <command> --help: that command\'s flags, ranges and defaults)', 'commands:'];
  for (const name of COMMAND_NAMES) {
    const required = COMMANDS[name].lines.filter((l) => l.required).map((l) => `--${l.flag} ${l.value}`).join(' ');
    lines.push(`  ${name} ${required} [flags]`, `        ${COMMAND_SUMMARIES[name]}`);
  }
  lines.push(EXIT_CODES);
  return lines.join('\n') + '\n';
}

function wrap(words: readonly string[], sep: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line}${sep}${word}`;
    if (next.length > width && line !== '') {
      out.push(line + sep.trimEnd());
      line = indent + word;
    } else line = next;
  }
  out.push(line);
  return out.join('\n');
}
