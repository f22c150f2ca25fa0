// Runs the bad-input corpus (manifest.ts): each case through the importer in-process (importEventStream,
// the input in one piece) and through the CLI (`tgnn stats --json`, in-process through main(), which reads
// the file in chunks as the binary does). Every refused case, every case with a known failure and every
// train case also runs the real binary (`node bin/tgnn.mjs`, in parallel, in beforeAll): exit 0 or 2 as
// expected, never 1, never a stack trace. CORPUS_SPAWN_ALL=1 spawns the binary for every case (slower).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertEventStream } from '../../engine/data/eventStream.ts';
import { EventStreamImporter, ImportError, formatIssue, importEventStream } from '../../engine/data/import.ts';
import { cliFixText, cliImportText } from '../../cli/load.ts';
import { cli } from '../../cli/cliTesting.ts';
import { pageImportMessage, pageIssues } from '../../workers/importMessages.ts';
import { CORPUS, caseTitle, cliFlags, isRefused, type CorpusCase, type Loads, type Text } from './manifest.ts';

const here = dirname(fileURLToPath(import.meta.url));
const inputs = join(here, 'inputs');
const bin = resolve(here, '../../../bin/tgnn.mjs');
const TRAIN_FLAGS = ['--epochs', '1', '--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4', '--neighbours', '2', '--backend', 'cpu', '--json'];
const SPAWN_ALL = process.env.CORPUS_SPAWN_ALL === '1';
const PARALLEL = 4;

afterEach(() => vi.restoreAllMocks());

let generated: string;
/** folder and bytes of a case's input */
function where(c: CorpusCase): string {
  return c.generate ? generated : inputs;
}
function bytes(c: CorpusCase): Uint8Array {
  return new Uint8Array(readFileSync(join(where(c), c.name)));
}

interface Spawned {
  code: number | null;
  out: string;
  err: string;
}
/** runs the binary in the input's folder, so messages name the file as given (no temp paths) */
function runBin(cwd: string, argv: readonly string[]): Promise<Spawned> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
  });
}

function statsArgv(c: CorpusCase): string[] {
  return ['stats', '--data', c.name, ...cliFlags(c.options), '--json'];
}
function trainArgv(c: CorpusCase): string[] {
  return ['train', '--data', c.name, ...cliFlags(c.options), ...TRAIN_FLAGS];
}

interface StatsJson {
  events: number;
  nodes: number;
  tMin: number;
  tMax: number;
  warnings: string[];
  trainable: { errors: string[]; warnings: string[] };
}

/** binary results by case and command, filled in beforeAll */
const spawned = new Map<CorpusCase, { stats?: Spawned; train?: Spawned }>();

function expectText(actual: string, expected: Text, what: string): void {
  if (typeof expected === 'string') expect(actual, what).toBe(expected);
  else expect(actual, what).toMatch(expected);
}
function expectWarnings(actual: readonly string[], e: Loads, what: string): void {
  expect(actual.length, `${what}: number of warnings (${JSON.stringify(actual)})`).toBe(e.warningCount ?? e.warnings.length);
  e.warnings.forEach((w, i) => expectText(actual[i] ?? '(none)', w, `${what}: warning ${i + 1}`));
}
/** a run of the binary: exit 0 or 2 (never 1), no internal error, no stack trace */
function expectCleanExit(r: Spawned, what: string): void {
  expect(r.err, `${what}: stderr`).not.toMatch(/internal error|^\s+at /m);
  expect([0, 2], `${what}: exit code (stderr: ${r.err})`).toContain(r.code);
}

/** imports a case in-process: the stream and report, or the ImportError */
function importCase(c: CorpusCase): { loaded: ReturnType<typeof importEventStream> } | { error: ImportError } {
  try {
    return { loaded: importEventStream(bytes(c), c.options) };
  } catch (e) {
    if (e instanceof ImportError) return { error: e };
    throw e;
  }
}

/** the same input pushed in chunks of `size` bytes (as a file read piece by piece) */
function importInChunks(c: CorpusCase, size: number): ReturnType<typeof importCase> {
  const b = bytes(c);
  try {
    const importer = new EventStreamImporter(c.options, b.length);
    for (let i = 0; i < b.length; i += size) importer.push(b.subarray(i, i + size));
    return { loaded: importer.finish() };
  } catch (e) {
    if (e instanceof ImportError) return { error: e };
    throw e;
  }
}

/** what an import gave, for comparing two ways of reading the same bytes */
function outcome(r: ReturnType<typeof importCase>): unknown {
  if ('error' in r) return { error: r.error.message, issues: r.error.issues };
  const { stream, report } = r.loaded;
  return {
    src: Array.from(stream.src), dst: Array.from(stream.dst), t: Array.from(stream.t), ids: stream.rawNodeIds,
    features: Array.from(stream.edgeFeatures), labels: stream.labels && Array.from(stream.labels), issues: report.issues,
  };
}

async function checkCase(c: CorpusCase): Promise<void> {
  const expected = c.expect;
  // 1. the importer, in-process: in one piece, and in chunks that split rows, quotes, BOMs and CR LF pairs
  const got = importCase(c);
  const whole = outcome(got);
  for (const size of bytes(c).length > 64 << 10 ? [4093] : [1, 7]) expect(outcome(importInChunks(c, size)), `read in chunks of ${size} bytes`).toEqual(whole);
  if (isRefused(expected)) {
    expect('error' in got, 'the importer refuses the file').toBe(true);
    if (!('error' in got)) return;
    const e = got.error;
    expectText(e.message, expected.error.message, 'importer message');
    if (expected.error.line !== undefined) expect(e.message, 'the message names the line').toMatch(new RegExp(`\\bline ${expected.error.line}\\b`));
    expect(cliFixText(e.fix), 'the fix in CLI flags').toBe(expected.error.cliFix ?? '');
    // 2. the CLI (in-process main(), chunked reading): exit 2 and the same message with its fix, one line
    const r = await cli('stats', '--data', join(where(c), c.name), ...cliFlags(c.options), '--json');
    expect(r.code, 'tgnn stats exit code').toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`tgnn: ${cliImportText(e.message)}${expected.error.cliFix ?? ''}\n`);
    const s = spawned.get(c)?.stats;
    if (s) {
      expectCleanExit(s, 'node bin/tgnn.mjs stats');
      expect(s.code).toBe(2);
      expect(s.err, 'the binary says what main() says').toBe(r.err);
    }
  } else {
    expect('loaded' in got, `the importer reads the file${'error' in got ? ` (refused: ${got.error.message})` : ''}`).toBe(true);
    if (!('loaded' in got)) return;
    const { stream, report } = got.loaded;
    assertEventStream(stream);
    expect([stream.numEvents, stream.numNodes], 'events, nodes').toEqual([expected.events, expected.nodes]);
    expect([stream.t[0], stream.t[stream.numEvents - 1]], 'first and last time').toEqual(expected.times);
    expectWarnings(report.issues.map(formatIssue), expected, 'importer');
    // every row read is an event or a named issue: nothing dropped without a message
    const named = new Set(report.issues.filter((i) => i.severity === 'error').map((i) => i.line)).size;
    if (expected.warningCount === undefined) expect(report.rowsRead - report.rowsDropped, 'rows read − dropped = events').toBe(stream.numEvents);
    if (expected.warningCount === undefined) expect(named, 'each dropped row is named').toBe(report.rowsDropped);
    // 2. the CLI
    const r = await cli('stats', '--data', join(where(c), c.name), ...cliFlags(c.options), '--json');
    expect(r.code, `tgnn stats exit code (stderr: ${r.err})`).toBe(0);
    const json = JSON.parse(r.out) as StatsJson;
    expect([json.events, json.nodes, json.tMin, json.tMax], 'stats: events, nodes, tMin, tMax').toEqual([expected.events, expected.nodes, ...expected.times]);
    // the importer's warnings, with its hints in the CLI's terms
    expect(json.warnings, 'stats warnings').toEqual(report.issues.map((i) => cliImportText(formatIssue(i))));
    expect(json.trainable, 'stats: trainable').toEqual({ errors: expected.trainable?.errors ?? [], warnings: expected.trainable?.warnings ?? [] });
    const s = spawned.get(c)?.stats;
    if (s) {
      expectCleanExit(s, 'node bin/tgnn.mjs stats');
      expect(s.code).toBe(0);
      expect(JSON.parse(s.out).warnings, 'the binary reports what main() reports').toEqual(json.warnings);
    }
  }
  // 3. train, where the case says
  if (c.train) {
    const t = spawned.get(c)?.train;
    expect(t, 'train ran').toBeDefined();
    if (!t) return;
    expectCleanExit(t, 'node bin/tgnn.mjs train');
    expect(t.code, `tgnn train exit code (stderr: ${t.err})`).toBe(c.train.exit);
    expect(t.err.split('\n'), 'tgnn train stderr').toContain(c.train.stderr);
    if (c.train.exit === 2) expect(t.err.trimEnd().split('\n').filter((l) => l.startsWith('tgnn:')), 'one error line').toHaveLength(1);
  }
}

beforeAll(async () => {
  generated = mkdtempSync(join(tmpdir(), 'tgnn-corpus-'));
  for (const c of CORPUS) if (c.generate) writeFileSync(join(generated, c.name), c.generate());
  const jobs: (() => Promise<void>)[] = [];
  for (const c of CORPUS) {
    const entry: { stats?: Spawned; train?: Spawned } = {};
    spawned.set(c, entry);
    if (SPAWN_ALL || isRefused(c.expect) || c.knownFailure !== undefined) {
      jobs.push(async () => void (entry.stats = await runBin(where(c), statsArgv(c))));
    }
    if (c.train) jobs.push(async () => void (entry.train = await runBin(where(c), trainArgv(c))));
  }
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < jobs.length) await jobs[next++]!();
  }));
}, 240_000);

afterAll(() => {
  if (generated) rmSync(generated, { recursive: true, force: true });
});

describe('bad-input corpus', () => {
  it('has at least 60 cases with unique titles, every input file small and used', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    const titles = CORPUS.map(caseTitle);
    expect(new Set(titles).size).toBe(titles.length);
    for (const c of CORPUS) if (!c.generate) expect(bytes(c).length, c.name).toBeLessThanOrEqual(8 << 10);
    const used = new Set(CORPUS.filter((c) => !c.generate).map((c) => c.name));
    expect(readdirSync(inputs).filter((f) => f !== '.gitattributes' && !used.has(f)), 'files in inputs/ no case reads').toEqual([]);
  });

  for (const c of CORPUS) {
    const title = caseTitle(c);
    if (c.knownFailure !== undefined) {
      // a finding: the expectation says what is right; this turns red once it is fixed (then drop the mark)
      it.fails(`${title} [known failure: ${c.knownFailure}]`, () => checkCase(c));
    } else {
      it(title, () => checkCase(c));
    }
  }

  // the importer's hints say "pass columns"; the CLI says --columns, the page its own controls (was a finding
  // of this corpus: both showed the importer's words). Lists every text that still says it.
  it('hints are in each side\'s terms: the CLI names --columns, the page names no flag and no "pass columns"', async () => {
    const bare = /(^|[^-])\bpass columns\b/;
    const offenders: string[] = [];
    for (const c of CORPUS) {
      const got = importCase(c);
      const r = await cli('stats', '--data', join(where(c), c.name), ...cliFlags(c.options), '--json');
      const cliTexts = r.code === 0 ? (JSON.parse(r.out) as StatsJson).warnings : [r.err];
      const pageTexts = 'error' in got ? [pageImportMessage(got.error)] : pageIssues(got.loaded.report.issues).map((i) => i.message);
      for (const t of cliTexts) if (bare.test(t)) offenders.push(`CLI ${c.name}: ${t.trim()}`);
      for (const t of pageTexts) if (bare.test(t) || /--\w/.test(t)) offenders.push(`page ${c.name}: ${t}`);
    }
    expect(offenders).toEqual([]);
  });
});
