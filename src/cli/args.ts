import { boundOf, rangeText, type Bound, type BoundedFlag, type ListBound } from './bounds.ts';

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
export function enumFlag<T extends string>(args: ParsedArgs, name: string, values: readonly T[], fallback: T): T {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  const found = values.find((v) => v === raw);
  if (!found) throw new UserError(`--${name} must be one of ${values.join(', ')}, got '${raw}'`);
  return found;
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  const v = args.flags.get(name);
  if (v === undefined) return false;
  if (v === true || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new UserError(`--${name} takes no value (or true/false), got '${v}'`);
}

/** `--name` as a number in `bound` (the fallback when absent); anything else names the flag and the range. */
export function numberFlag(args: ParsedArgs, name: string, fallback: number, bound: Bound): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  return checkNumber(`--${name}`, raw, bound);
}

/** `--name` with its range from the CLI's bounds table (per command where it differs) */
export function boundedFlag(args: ParsedArgs, name: BoundedFlag, fallback: number): number {
  return numberFlag(args, name, fallback, boundOf(args.command, name));
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
  const values = items.map((x) => checkNumber(`--${name}`, x, bound, ` (in '${raw}')`));
  const seen = new Set<number>();
  for (const v of values) {
    if (seen.has(v)) throw new UserError(`--${name} lists ${v} twice in '${raw}'; give each value once`);
    seen.add(v);
  }
  return values;
}

function checkNumber(flag: string, raw: string, bound: Bound, where = ''): number {
  const what = bound.min === bound.max ? rangeText(bound) : `${bound.integer ? 'a whole number' : 'a number'} ${rangeText(bound)}`;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UserError(`${flag} must be ${what}, got '${raw}'${where}`);
  if (bound.integer && !Number.isInteger(v)) throw new UserError(`${flag} must be ${what}, got ${raw}${where}`);
  if (v < bound.min || v > bound.max) throw new UserError(`${flag} must be ${rangeText(bound)}, got ${raw}${where}`);
  return v;
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
