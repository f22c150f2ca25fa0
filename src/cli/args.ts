import { rangeText, type Bound, type ListBound } from './bounds.ts';
import { checkBool, checkChoice, checkNumber, type ValueProblem } from '../shared/knobs.ts';

/** Error for bad user input: the CLI prints its message on one line and exits with code 2. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly flags: ReadonlyMap<string, string | true>;
}

/**
 * Parses `cmd --flag value --switch` argv. Unknown flags are rejected by the command via `allowOnly`; a flag
 * given twice is refused (which one was meant cannot be guessed).
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  let command: string | undefined;
  const set = (name: string, value: string | true): void => {
    if (name === '') throw new UserError(`'${value === true ? '--' : `--=${value}`}' has no flag name`);
    const before = flags.get(name);
    if (before !== undefined) {
      const shown = (v: string | true) => (v === true ? `--${name}` : `--${name} ${v}`);
      throw new UserError(`--${name} given twice ('${shown(before)}' and '${shown(value)}'); give it once`);
    }
    flags.set(name, value);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          set(a.slice(2), next);
          i++;
        } else {
          set(a.slice(2), true);
        }
      }
    } else if (command === undefined) {
      command = a;
    } else {
      throw new UserError(`unexpected argument '${a}'; flags start with --`);
    }
  }
  return { command, flags };
}

export function allowOnly(args: ParsedArgs, allowed: readonly string[]): void {
  for (const k of args.flags.keys()) {
    if (!allowed.includes(k)) {
      throw new UserError(`unknown flag --${k} for '${args.command}'; allowed: ${allowed.map((a) => '--' + a).join(' ')}`);
    }
  }
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new UserError(`--${name} needs a value`);
  if (v !== undefined && v.trim() === '') throw new UserError(`--${name} needs a value, got an empty one`);
  return v;
}

export function requiredString(args: ParsedArgs, name: string): string {
  const v = stringFlag(args, name);
  if (v === undefined) throw new UserError(`missing --${name}`);
  return v;
}

/** `--name` as one of `values` (the fallback when absent); anything else is a UserError listing them. */
export function enumFlag<T extends string>(args: ParsedArgs, name: string, values: readonly T[], fallback: T, where = ''): T {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  const checked = checkChoice(raw, values);
  if (!checked.ok) throw new UserError(`--${name} must be one of ${values.join(', ')}${where}, got '${raw}'`);
  return checked.value;
}

/** a switch: `--name` alone is true; `--name true|false` as the URL hash writes it */
export function boolFlag(args: ParsedArgs, name: string): boolean {
  const v = args.flags.get(name);
  if (v === undefined) return false;
  if (v === true) return true;
  const checked = checkBool(v);
  if (!checked.ok) throw new UserError(`--${name} takes no value (or true/false), got '${v}'`);
  return checked.value;
}

/** `--name` as a number in `bound` (the fallback when absent); anything else names the flag and the range. */
export function numberFlag(args: ParsedArgs, name: string, fallback: number, bound: Bound & { readonly multipleOf?: number }): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  return checkNumberFlag(`--${name}`, raw, bound);
}

/**
 * A comma list of numbers, `--name a,b,c`, each in the list's range; an empty item, a repeated value or
 * too many items is refused. Undefined when the flag is absent.
 */
export function listFlag(args: ParsedArgs, name: string, bound: ListBound, example: string): number[] | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((x) => x.trim());
  const what = `a comma list of ${bound.integer ? 'whole numbers' : 'numbers'} ${rangeText(bound)} (e.g. ${example})`;
  if (items.some((x) => x === '')) throw new UserError(`--${name} has an empty item in '${raw}'; it takes ${what}`);
  if (items.length < bound.minItems || items.length > bound.maxItems) {
    throw new UserError(`--${name} takes ${bound.minItems === bound.maxItems ? bound.minItems : `${bound.minItems} to ${bound.maxItems}`} values, got ${items.length}`);
  }
  const values = items.map((x) => checkNumberFlag(`--${name}`, x, bound, ` (in '${raw}')`));
  const seen = new Set<number>();
  for (const v of values) {
    if (seen.has(v)) throw new UserError(`--${name} lists ${v} twice in '${raw}'; give each value once`);
    seen.add(v);
  }
  return values;
}

/** `raw` checked by the shared rule (src/shared/knobs.ts checkNumber), refused in the CLI's words */
function checkNumberFlag(flag: string, raw: string, bound: Bound & { readonly multipleOf?: number }, where = ''): number {
  const checked = checkNumber(raw, bound);
  if (checked.ok) return checked.value;
  throw new UserError(numberMessage(flag, raw, bound, checked.problem, where));
}

function numberMessage(flag: string, raw: string, bound: Bound, problem: ValueProblem, where: string): string {
  const what = bound.min === bound.max ? rangeText(bound) : `${bound.integer ? 'a whole number' : 'a number'} ${rangeText(bound)}`;
  switch (problem.kind) {
    case 'not-a-number':
      return `${flag} must be ${what}, got '${raw}'${where}`;
    case 'not-an-integer':
      return `${flag} must be ${what}, got ${raw}${where}`;
    case 'not-a-multiple':
      return `${flag} must be a multiple of ${problem.of}, got ${raw}${where}`;
    default:
      return `${flag} must be ${rangeText(bound)}, got ${raw}${where}`;
  }
}

/**
 * The reader of the CLI's output has gone (`tgnn train --json | head -c 20`): main stops the command and
 * exits 0 without a word, as `head` expects of the writer.
 */
export class OutputClosed extends Error {
  override readonly name = 'OutputClosed';
}

/** throws OutputClosed when the last write to `stream` found its pipe closed (Node records EPIPE at once) */
function checkOpen(stream: NodeJS.WriteStream): void {
  const e = stream.errored as NodeJS.ErrnoException | null | undefined;
  if (e?.code === 'EPIPE') throw new OutputClosed(`${stream === process.stdout ? 'stdout' : 'stderr'} was closed by its reader`);
}

/** writes to stdout (JSON lines or text); stops the command when its reader has gone */
export function out(text: string): void {
  process.stdout.write(text);
  checkOpen(process.stdout);
}

/** stderr logger: stdout carries only JSON. */
export function log(msg: string): void {
  process.stderr.write(msg + '\n');
  checkOpen(process.stderr);
}
