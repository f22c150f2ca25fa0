// Issue 12's acceptance: one table of knobs, and the CLI, the URL hash and the engine session agree on it.
import { describe, expect, it } from 'vitest';
import { parseArgs, UserError } from './args.ts';
import { BOUNDS } from './bounds.ts';
import { COMMANDS } from './commands.ts';
import { settingsFromFlags } from './settings.ts';
import { KNOB_NAMES, KNOBS, rangeIn, type Knob, type KnobName } from '../shared/knobs.ts';
import { MODEL_NAMES } from '../shared/presets.ts';
import type { ExperimentSettings } from '../shared/settings.ts';
import { buildRun } from '../engine/experiment.ts';
import { EngineSession } from '../engine/session/session.ts';
import { tf } from '../engine/tf.ts';
// the page's side, read by this test only (the CLI itself never imports src/ui)
import { FIELDS, FIELD_NAMES, parseHash, serializeHash, settingsOf, validateField, defaultState } from '../ui/state.ts';

/** what the CLI does with `train --flag raw`: the value it takes, or its message */
function cliTakes(name: KnobName, raw: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const k = KNOBS[name];
  try {
    const { settings } = settingsFromFlags(parseArgs(['train', `--${k.flag}`, raw]), 'train');
    return { ok: true, value: settings[name] };
  } catch (e) {
    if (e instanceof UserError) return { ok: false, message: e.message };
    throw e;
  }
}

/** values at and just past the ends of a knob's range, and a few that are never allowed */
function probes(k: Knob): string[] {
  switch (k.type) {
    case 'int':
      return [k.min, k.max, k.min - 1, k.max + 1, k.min + 0.5, k.default].map(String).concat(['x', '']);
    case 'float':
      return [k.min, k.max, k.min / 2, k.max * 2, k.default].map(String).concat(['x', 'Infinity']);
    case 'enum':
      return [...k.values, 'nonsense', k.values[0]!.toUpperCase()];
    case 'bool':
      return ['true', 'false', 'yes'];
  }
}

describe('the knob table', () => {
  it('every knob is a CLI flag of each command it names and a hash key, with the same range in both', () => {
    for (const name of KNOB_NAMES) {
      const k: Knob = KNOBS[name];
      expect(FIELD_NAMES, name).toContain(name);
      expect(FIELDS[name]).toBe(k);
      for (const command of k.commands) expect(COMMANDS[command].flags, `${command} --${k.flag}`).toContain(k.flag);
      if (k.type === 'int' || k.type === 'float') {
        const b = BOUNDS[k.flag]!;
        expect({ name, min: b.min, max: b.max, integer: b.integer }).toEqual({ name, min: k.min, max: k.max, integer: k.type === 'int' });
        expect(rangeIn(k, 'train')).toEqual({ min: k.min, max: k.max });
      }
    }
  });

  it('the CLI (train) and the hash take exactly the same values of every knob, and refuse the same ones', () => {
    let compared = 0;
    for (const name of KNOB_NAMES) {
      const k: Knob = KNOBS[name];
      for (const raw of probes(k)) {
        if (raw === '') continue; // an empty flag value is refused before a knob is read; the hash has no empty values
        const hash = validateField(name, raw);
        const cli = cliTakes(name, raw);
        // the CLI's extra values (edgebank) are not settings: the CLI itself sets model tgn for them
        const extra = k.type === 'enum' && (k.cliExtraValues ?? []).includes(raw);
        if (extra) continue;
        // a rule across knobs may refuse a single value on its own (metric mrr with 1 negative is completed to 49 first)
        expect({ name, raw, ok: cli.ok }).toEqual({ name, raw, ok: hash.ok });
        if (cli.ok && hash.ok) expect(cli.value).toEqual(hash.value);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('every knob has a flag of its own, a label and a one-line help', () => {
    const flags = KNOB_NAMES.map((n) => KNOBS[n].flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const n of KNOB_NAMES) {
      expect(KNOBS[n].label.length, n).toBeGreaterThan(2);
      expect(KNOBS[n].help.length, n).toBeGreaterThan(10);
      expect(KNOBS[n].help, n).not.toContain('\n');
    }
  });
});

/** the flags that say `s` to the CLI (every knob, spelled out) */
function flagsOf(s: ExperimentSettings): string[] {
  const out: string[] = ['train'];
  for (const name of KNOB_NAMES) {
    const k: Knob = KNOBS[name];
    out.push(`--${k.flag}`, String(s[name]));
  }
  return out;
}

/** the settings variants to compare, per preset: defaults (the model's), and every knob moved off its default */
function variants(): { readonly why: string; readonly hash: string; readonly flags: string[] }[] {
  const out: { why: string; hash: string; flags: string[] }[] = [];
  for (const model of MODEL_NAMES) {
    // the defaults: only the model named, everything else the model's or the table's (the CLI's learning rate
    // default is 1e-4, the page's 1e-3, so both are given)
    out.push({ why: `${model} defaults`, hash: `#model=${model}&learningRate=0.0001`, flags: ['train', '--model', model] });
    const moved = parseHash(`#model=${model}`).state;
    const dims = model === 'dyrep' ? { memoryDim: 12, embeddingDim: 12 } : { memoryDim: 12, embeddingDim: 8 };
    const s: ExperimentSettings = {
      ...settingsOf(moved), ...dims, timeDim: 6, neighbours: 3, layers: moved.layers === 1 ? 2 : 1,
      neighbourScope: moved.neighbourScope === 'earlier-batches' ? 'before-event' : 'earlier-batches',
      neighbourTime: moved.neighbourTime === 'query' ? 'last-update' : 'query',
      mailboxSize: 3, aggregator: 'mean', staticMemory: !moved.staticMemory, batchSize: 7, evalBatchSize: 5, exact: true,
      learningRate: 0.002, seed: 9, evalSetting: 'transductive', evalNegatives: 'random', metric: 'mrr', negativesPerPositive: 4,
    };
    out.push({ why: `${model} every knob moved`, hash: serializeHash({ ...defaultState(), ...s }), flags: flagsOf(s) });
    const inductive: ExperimentSettings = { ...s, evalSetting: 'inductive', evalNegatives: 'historical', metric: 'ap', negativesPerPositive: 1, exact: false };
    out.push({ why: `${model} inductive, historical`, hash: serializeHash({ ...defaultState(), ...inductive }), flags: flagsOf(inductive) });
  }
  return out;
}

/** a small stream with later nodes, so the inductive setting has new test nodes */
async function smallStream(): Promise<string> {
  const rows = ['src,dst,t'];
  for (let i = 0; i < 60; i++) rows.push(`${i % 9},${10 + ((i * 7) % (4 + Math.floor(i / 10)))},${100 + i}`);
  return rows.join('\n') + '\n';
}

describe('CLI and session build the same run', () => {
  it('for every preset and settings variant: identical model config and trainer options', async () => {
    const session = new EngineSession();
    await session.setBackend('cpu');
    session.importData('small.csv', await smallStream());
    const stream = session.loadedStream().stream;
    const before = tf.memory().numTensors;
    let compared = 0;
    try {
      for (const v of variants()) {
        const parsed = parseHash(v.hash);
        expect(parsed.problems, v.why).toEqual([]);
        const { settings: cli } = settingsFromFlags(parseArgs(v.flags), 'train');
        const page = settingsOf(parsed.state);
        expect(cli, v.why).toEqual(page);
        // what the CLI's train builds from its settings, and what the page's session built
        const cliRun = buildRun(stream, cli);
        session.configure(page);
        const built = session.builtRun();
        expect(built.config, v.why).toEqual(cliRun.config);
        expect(built.options, v.why).toEqual(cliRun.options);
        compared++;
      }
    } finally {
      session.dispose();
    }
    expect(compared).toBe(MODEL_NAMES.length * 3);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
