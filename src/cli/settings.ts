// A command's flags read through the shared tables: the experiment settings (src/shared/knobs.ts) and the
// command's own options (src/shared/options.ts), each checked against its range, in the CLI's words.
import { boolFlag, enumFlag, listFlag, log, numberFlag, UserError, type ParsedArgs } from './args.ts';
import { KNOBS, knobsOf, numberRuleOf, resolveSettings, sayFlag, settingsProblems, type Knob, type KnobCommand, type KnobName } from '../shared/knobs.ts';
import { listRange, numberRange, optionOf, type Command } from '../shared/options.ts';
import type { ExperimentSettings } from '../shared/settings.ts';

export interface FlagSettings {
  readonly settings: ExperimentSettings;
  /** the knobs the flags gave (the rest are defaults, or the model's) */
  readonly given: ReadonlySet<KnobName>;
  /** `--model edgebank` (train): the baseline that learns nothing; `settings.model` is then tgn */
  readonly edgebank: boolean;
}

/** one knob's flag, checked against its range in `command`; undefined when absent */
function knobFlag(args: ParsedArgs, command: KnobCommand, name: KnobName): string | number | boolean | undefined {
  const k: Knob = KNOBS[name];
  if (!args.flags.has(k.flag)) return undefined;
  switch (k.type) {
    case 'bool':
      return boolFlag(args, k.flag);
    case 'enum':
      return enumFlag(args, k.flag, [...k.values, ...(command === 'train' ? k.cliExtraValues ?? [] : [])], k.default);
    case 'int':
    case 'float':
      return numberFlag(args, k.flag, NaN, numberRuleOf(k, command));
  }
}

/**
 * The experiment settings of a command's flags: each knob it takes, checked; the others the CLI's defaults,
 * or the model's where a knob follows the model; the rules across knobs refuse (naming the flags) or note.
 */
export function settingsFromFlags(args: ParsedArgs, command: KnobCommand): FlagSettings {
  const given: Record<string, unknown> = {};
  let edgebank = false;
  for (const name of knobsOf(command)) {
    const v = knobFlag(args, command, name);
    if (v === undefined) continue;
    if (name === 'model' && v === 'edgebank') edgebank = true;
    else given[name] = v;
  }
  const settings = resolveSettings(given as Partial<ExperimentSettings>, 'cli');
  for (const p of settingsProblems(settings)) {
    // a rule about knobs this command does not take is not the user's to fix here
    if (!p.knobs.every((k) => KNOBS[k].commands.includes(command))) continue;
    if (p.severity === 'error') throw new UserError(p.message(sayFlag));
    log(`note: ${p.message(sayFlag)}`);
  }
  return { settings, given: new Set(Object.keys(given) as KnobName[]), edgebank };
}

function option(command: Command, flag: string) {
  const o = optionOf(command, flag);
  if (!o) throw new Error(`${command} has no option --${flag}`);
  return o;
}

/** a number option of `command` (its default when absent, `fallback` when the table has none) */
export function numberOption(args: ParsedArgs, command: Command, flag: string, fallback = NaN): number {
  const o = option(command, flag);
  if (o.type !== 'int' && o.type !== 'float') throw new Error(`--${flag} is not a number option`);
  const r = numberRange(o, command);
  return numberFlag(args, flag, r.default ?? fallback, { min: r.min, max: r.max, integer: o.type === 'int' });
}

/** a list option of `command` (its default when absent, or undefined) */
export function listOption(args: ParsedArgs, command: Command, flag: string): number[] | undefined {
  const o = option(command, flag);
  if (o.type !== 'list') throw new Error(`--${flag} is not a list option`);
  const r = listRange(o, command);
  return listFlag(args, flag, { ...r, integer: true }, r.example) ?? (r.default ? [...r.default] : undefined);
}

/** a choice option of `command`, one of its values (its default when absent) */
export function choiceOption<T extends string>(args: ParsedArgs, command: Command, flag: string, values: readonly T[]): T {
  const o = option(command, flag);
  if (o.type !== 'enum' || o.default === undefined) throw new Error(`--${flag} is not a choice option with a default`);
  const allowed = values.filter((v) => o.values.includes(v));
  return enumFlag(args, flag, allowed, allowed.find((v) => v === o.default) ?? allowed[0]!, flag === 'backend' ? ' in Node' : '');
}
