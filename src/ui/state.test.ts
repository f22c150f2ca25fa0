import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FIELDS, FIELD_NAMES, HIDEABLE, SETTING_NAMES, defaultState, describeProblem, parseHash, sameSettings, serializeHash,
  settingsOf, type ExperimentState, type Hideable,
} from './state.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';

const custom: ExperimentState = {
  dataset: 'synthetic-medium', model: 'tgn', memoryDim: 32, timeDim: 16, embeddingDim: 24, neighbours: 5,
  mailboxSize: 3, aggregator: 'mean', staticMemory: true, staticMemoryTraining: 'pretrained', batchSize: 50, evalBatchSize: 10, exact: true,
  learningRate: 0.0003, seed: 42, backend: 'wasm', layers: 2, neighbourScope: 'before-event', neighbourTime: 'query',
  evalSetting: 'inductive', evalNegatives: 'random', metric: 'mrr', negativesPerPositive: 9,
  minibatchParallelism: 2, epochParallelism: 3, memoryParallelism: 4, pipelineStaleness: 2,
};

describe('URL-hash state', () => {
  it("defaults are the engine's DEFAULT_SETTINGS", () => {
    expect(settingsOf(defaultState())).toEqual(DEFAULT_SETTINGS);
    expect(defaultState().backend).toBe('auto');
    expect(defaultState().model).toBe('tgn');
  });

  it('every default is valid under its own rule, and every setting is in the table', () => {
    for (const name of FIELD_NAMES) expect(parseHash(`${name}=${String(FIELDS[name].default)}`).problems).toEqual([]);
    for (const name of SETTING_NAMES) expect(FIELD_NAMES).toContain(name);
  });

  it('an empty hash gives the defaults and no problems', () => {
    for (const hash of ['', '#', '#&&']) {
      const parsed = parseHash(hash);
      expect(parsed.state).toEqual(defaultState());
      expect(parsed.problems).toEqual([]);
      expect(parsed.hidden.size).toBe(0);
    }
  });

  it('round trips state and hide flags', () => {
    const hidden = new Set<Hideable>(['memoryDim', 'upload', 'backend']);
    const hash = serializeHash(custom, hidden);
    expect(hash.startsWith('#dataset=synthetic-medium&model=tgn&memoryDim=32&')).toBe(true);
    const parsed = parseHash(hash);
    expect(parsed.problems).toEqual([]);
    expect(parsed.state).toEqual(custom);
    expect([...parsed.hidden].sort()).toEqual(['backend', 'memoryDim', 'upload']);
    expect(serializeHash(parsed.state, parsed.hidden)).toBe(hash);
    expect(parseHash(serializeHash(defaultState())).state).toEqual(defaultState());
  });

  it('round trips small and exponent-form learning rates exactly', () => {
    for (const lr of [1e-6, 2.5e-5, 0.001, 1]) {
      const parsed = parseHash(serializeHash({ ...custom, learningRate: lr }));
      expect(parsed.problems).toEqual([]);
      expect(parsed.state.learningRate).toBe(lr);
    }
    expect(parseHash('learningRate=3e-4').state.learningRate).toBe(3e-4);
  });

  it('keeps the good entries and falls back to defaults for each kind of bad one, listing them', () => {
    const parsed = parseHash(
      '#memoryDim=abc&timeDim=&neighbours=1000&embeddingDim=33&batchSize=2.5&learningRate=NaN&seed=0x10' +
        '&backend=tpu&model=graphsage&dataset=../etc&mailboxSize=4&bogus=1&memoryDim=64',
    );
    const d = defaultState();
    expect(parsed.state).toEqual({ ...d, mailboxSize: 4 });
    for (const v of Object.values(parsed.state)) if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
    const reasons = Object.fromEntries(parsed.problems.map((p) => [p.key, p.reason]));
    expect(reasons).toEqual({
      memoryDim: 'given more than once; the first is used',
      timeDim: 'not a number',
      neighbours: 'out of range 1…50',
      embeddingDim: 'not a multiple of 2',
      batchSize: 'not an integer',
      learningRate: 'not a number',
      seed: 'not a number',
      backend: 'not one of auto, webgpu, wasm, cpu',
      model: 'not one of tgn, jodie, dyrep, apan, tgat, tgn-static',
      dataset: 'not a valid name',
      bogus: 'unknown setting',
    });
    // the first memoryDim=abc is reported too (not a number), then the duplicate
    expect(parsed.problems.filter((p) => p.key === 'memoryDim').map((p) => p.reason)).toEqual([
      'not a number', 'given more than once; the first is used',
    ]);
  });

  it('rejects Infinity, whitespace, negative and missing values', () => {
    for (const [hash, reason] of [
      ['memoryDim=Infinity', 'not a number'],
      ['memoryDim=%2032', 'not a number'],
      ['memoryDim=-4', 'out of range 2…256'],
      ['learningRate=0', 'out of range 0.000001…1'],
      ['seed', 'no value'],
      ['memoryDim=%E0%A4%A', 'malformed %-escape in the value'],
    ] as const) {
      const parsed = parseHash(hash);
      expect(parsed.problems.map((p) => p.reason)).toEqual([reason.replace('0.000001', String(1e-6))]);
      expect(parsed.state).toEqual(defaultState());
    }
  });

  it('reads hide flags: true, bare, false; rejects unknown controls and other values', () => {
    expect([...parseHash('memoryDim_hide=true&seed_hide&step_hide=false').hidden].sort()).toEqual(['memoryDim', 'seed']);
    const parsed = parseHash('nonsense_hide=true&reset_hide=yes');
    expect(parsed.hidden.size).toBe(0);
    expect(parsed.problems.map(describeProblem)).toEqual([
      'nonsense_hide=true (unknown control)',
      'reset_hide=yes (not true or false)',
    ]);
    for (const control of HIDEABLE) expect(parseHash(`${control}_hide=true`).hidden.has(control)).toBe(true);
    expect(serializeHash(defaultState(), new Set<Hideable>(['reset']))).toMatch(/&reset_hide=true$/);
  });

  it('a preset named in the link brings its own mailbox / static memory unless the link sets them', () => {
    expect(parseHash('#model=apan').state).toMatchObject({ model: 'apan', mailboxSize: 10, aggregator: 'attention', staticMemory: false });
    expect(parseHash('#model=apan&mailboxSize=3&aggregator=mean').state).toMatchObject({ mailboxSize: 3, aggregator: 'mean' });
    expect(parseHash('#model=tgn-static').state.staticMemory).toBe(true);
    expect(parseHash('#model=tgn-static&staticMemory=false').state.staticMemory).toBe(false);
    expect(parseHash('#model=dyrep&memoryDim=64').state).toMatchObject({ memoryDim: 64, embeddingDim: 64 });
    // TGAT's attention: two layers over every earlier event, Δt from the query
    expect(parseHash('#model=tgat').state).toMatchObject({ layers: 2, neighbourScope: 'before-event', neighbourTime: 'query' });
    expect(parseHash('#model=tgat&layers=1').state).toMatchObject({ layers: 1, neighbourScope: 'before-event' });
    // MRR asks for TGB's 49 negatives unless the link gives a number
    expect(parseHash('#metric=mrr').state.negativesPerPositive).toBe(49);
    expect(parseHash('#metric=mrr&negativesPerPositive=5').state.negativesPerPositive).toBe(5);
    // no model in the link: the defaults stand
    expect(parseHash('#mailboxSize=2').state).toMatchObject({ model: 'tgn', mailboxSize: 2, aggregator: 'last' });
    // a full link (as the app writes) reads back unchanged
    const apan = parseHash('#model=apan').state;
    expect(parseHash(serializeHash(apan)).state).toEqual(apan);
  });

  it('serializeHash refuses a state that breaks the schema', () => {
    expect(() => serializeHash({ ...custom, memoryDim: Number.NaN })).toThrow(/memoryDim=NaN is not a number/);
    expect(() => serializeHash({ ...custom, embeddingDim: 7 })).toThrow(/multiple of 2/);
  });

  it('reads the staleness mitigations: booleans as true/false, the aggregator from its list, eval batch size ≥ 0', () => {
    const parsed = parseHash('staticMemory=true&exact=false&aggregator=attention&evalBatchSize=0&mailboxSize=4');
    expect(parsed.problems).toEqual([]);
    expect(settingsOf(parsed.state)).toEqual({ ...DEFAULT_SETTINGS, staticMemory: true, exact: false, aggregator: 'attention', evalBatchSize: 0, mailboxSize: 4 });
    const bad = parseHash('staticMemory=1&exact=yes&aggregator=max&evalBatchSize=-1');
    expect(bad.state).toEqual(defaultState());
    expect(Object.fromEntries(bad.problems.map((p) => [p.key, p.reason]))).toEqual({
      staticMemory: 'not true or false',
      exact: 'not true or false',
      aggregator: 'not one of last, mean, attention',
      evalBatchSize: 'out of range 0…2000',
    });
    expect(serializeHash(custom)).toContain('&staticMemory=true&');
    expect(serializeHash(defaultState())).toContain('&exact=false&');
    expect([...parseHash('exact_hide=true&staticMemory_hide').hidden].sort()).toEqual(['exact', 'staticMemory']);
  });

  it('encodes and decodes names with escapes', () => {
    const parsed = parseHash('dataset=my%2Dstream.csv');
    expect(parsed.state.dataset).toBe('my-stream.csv');
  });

  it('sameSettings compares the engine part only', () => {
    expect(sameSettings(settingsOf(custom), settingsOf({ ...custom, backend: 'cpu', dataset: 'x' }))).toBe(true);
    expect(sameSettings(settingsOf(custom), settingsOf({ ...custom, seed: 2 }))).toBe(false);
    expect(sameSettings(settingsOf(custom), settingsOf({ ...custom, exact: false }))).toBe(false);
    expect(sameSettings(settingsOf(custom), settingsOf({ ...custom, aggregator: 'last' }))).toBe(false);
  });

  it('opens on the first bundled stream (the one the lessons use)', () => {
    const index = JSON.parse(readFileSync(new URL('../../public/datasets/index.json', import.meta.url), 'utf8')) as { name: string }[];
    expect(FIELDS.dataset.default).toBe(index[0]!.name);
    expect(parseHash('').state.dataset).toBe(index[0]!.name);
  });
});
