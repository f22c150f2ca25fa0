/** Error for bad user input: the CLI prints its message on one line and exits with code 2. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly flags: ReadonlyMap<string, string | true>;
}

/** Parses `cmd --flag value --switch` argv. Unknown flags are rejected by the command via `allowOnly`. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          flags.set(a.slice(2), next);
          i++;
        } else {
          flags.set(a.slice(2), true);
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

export function numberFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UserError(`--${name} must be a number, got '${raw}'`);
  if (opts.integer && !Number.isInteger(v)) throw new UserError(`--${name} must be an integer, got '${raw}'`);
  if (opts.min !== undefined && v < opts.min) throw new UserError(`--${name} must be >= ${opts.min}, got ${v}`);
  if (opts.max !== undefined && v > opts.max) throw new UserError(`--${name} must be <= ${opts.max}, got ${v}`);
  return v;
}

/** stderr logger: stdout carries only JSON. */
export function log(msg: string): void {
  process.stderr.write(msg + '\n');
}
