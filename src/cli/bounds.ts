// The allowed range of every number the CLI reads from a flag, derived from the shared tables: the
// experiment knobs (src/shared/knobs.ts, the same ranges as the page's controls and the URL hash) and the
// command options (src/shared/options.ts). Nothing here is written by hand.
import { KNOB_NAMES, KNOBS, type Knob } from '../shared/knobs.ts';
import { OPTIONS, type NumberOption } from '../shared/options.ts';

export interface Bound {
  readonly min: number;
  readonly max: number;
  /** whole numbers only */
  readonly integer: boolean;
}

/** a comma list flag, `--NAME a,b,c`: the range of each item and how many items */
export interface ListBound extends Bound {
  readonly minItems: number;
  readonly maxItems: number;
}

const numberKnobs = KNOB_NAMES.map((name): Knob => KNOBS[name]).filter((k): k is Extract<Knob, { type: 'int' | 'float' }> => k.type === 'int' || k.type === 'float');
const numberOptions = OPTIONS.filter((o): o is NumberOption => o.type === 'int' || o.type === 'float');

/** one value of a number flag, `--NAME V`: its range wherever the command does not give it another */
export const BOUNDS: Readonly<Record<string, Bound>> = Object.fromEntries([
  ...numberKnobs.map((k) => [k.flag, { min: k.min, max: k.max, integer: k.type === 'int' }] as const),
  ...numberOptions.map((o) => [o.flag, { min: o.min, max: o.max, integer: o.type === 'int' }] as const),
]);

/** Per-command ranges that differ from BOUNDS (the flag means something else there). */
export const COMMAND_BOUNDS: Readonly<Record<string, Readonly<Record<string, Bound>>>> = (() => {
  const out: Record<string, Record<string, Bound>> = {};
  const put = (command: string, flag: string, b: Bound): void => {
    (out[command] ??= {})[flag] = b;
  };
  for (const k of numberKnobs) {
    if (k.type !== 'int') continue;
    for (const [command, r] of Object.entries(k.commandRange ?? {})) if (r) put(command, k.flag, { min: r.min, max: r.max, integer: true });
  }
  for (const o of numberOptions) {
    for (const [command, r] of Object.entries(o.perCommand ?? {})) if (r) put(command, o.flag, { min: r.min, max: r.max, integer: o.type === 'int' });
  }
  return out;
})();

/** the range of `--name` in `command` */
export function boundOf(command: string | undefined, name: string): Bound {
  const b = (command !== undefined ? COMMAND_BOUNDS[command]?.[name] : undefined) ?? BOUNDS[name];
  if (!b) throw new Error(`boundOf: --${name} is not a number flag`);
  return b;
}

/** "between 1 and 512" (or "1" when the range is one value), as the messages and the help say it */
export function rangeText(b: Bound): string {
  return b.min === b.max ? String(b.min) : `between ${b.min} and ${b.max}`;
}
