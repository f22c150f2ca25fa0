import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './cliTesting.ts';
import { parseArgs } from './args.ts';
import { BOUNDS, boundOf } from './bounds.ts';
import { COMMANDS, type CommandName } from './commands.ts';
import { exitQuietlyOnClosedPipe } from './main.ts';
import { flagTables, withFlagTables } from './flagTables.ts';

afterEach(() => vi.restoreAllMocks());

/** the flags each command needs before it reads any number flag (the file need not exist: bounds come first) */
const REQUIRED: Readonly<Record<CommandName, readonly string[]>> = {
  stats: ['--data', 'no/such.csv'],
  train: ['--data', 'no/such.csv'],
  staleness: ['--data', 'no/such.csv'],
  sweep: ['--data', 'no/such.csv'],
  export: ['--data', 'no/such.csv', '--format', 'tgl', '--out', join(tmpdir(), 'tgnn-never-written')],
  eval: ['--data', 'no/such.csv', '--checkpoint', 'no/such/ckpt'],
  serve: ['--data', 'no/such.csv', '--checkpoint', 'no/such/ckpt'],
  'serve-sweep': ['--data', 'no/such.csv', '--checkpoint', 'no/such/ckpt'],
};
const NAMES = Object.keys(COMMANDS) as CommandName[];

function tinyFile(events = 60): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgnn-hardening-'));
  const file = join(dir, 'tiny.csv');
  const rows = ['src,dst,t'];
  for (let i = 0; i < events; i++) rows.push(`${i % 7},${(i * 3) % 5 + 7},${1000 + i}`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}
const TINY = ['--batch-size', '10', '--backend', 'cpu', '--memory-dim', '4', '--time-dim', '4', '--embedding-dim', '4'];

describe('CLI bounds', () => {
  it('docs/cli.md holds the flag tables the shared tables generate (npm run docs:flags after a change)', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/cli.md', import.meta.url)), 'utf8');
    expect(withFlagTables(doc) === doc, 'docs/cli.md has drifted from src/shared: run npm run docs:flags').toBe(true);
    // every number flag of every command is in them, with the range the CLI applies
    const tables = flagTables();
    for (const name of NAMES) {
      for (const flag of COMMANDS[name].flags) {
        if (!Object.hasOwn(BOUNDS, flag)) continue;
        const b = boundOf(name, flag);
        const range = b.min === b.max ? `${b.min}` : `${b.min}..${b.max}`;
        expect(tables, `${name} --${flag}`).toMatch(new RegExp(`\\| \`--${flag}\` \\|(?:[^\\n]*\\|)? ${range.replace(/\./g, '\\.')}[ ,|]`));
      }
    }
  });

  it('the three reported flags end in one line naming the flag and its range, exit 2', async () => {
    const cases: [string, string, string][] = [
      ['--memory-dim', '100000', 'tgnn: --memory-dim must be between 2 and 256, got 100000\n'],
      ['--neighbours', '1e9', 'tgnn: --neighbours must be between 1 and 50, got 1e9\n'],
      ['--negatives-per-positive', '1e6', 'tgnn: --negatives-per-positive must be between 1 and 100, got 1e6\n'],
    ];
    for (const [flag, value, message] of cases) {
      const r = await cli('train', '--data', 'no/such.csv', flag, value);
      expect([r.code, r.out, r.err]).toEqual([2, '', message]);
    }
  });

  it('every number flag of every command refuses one past each end of its range, and fractions where it takes whole numbers', async () => {
    let tried = 0;
    for (const name of NAMES) {
      const spec = COMMANDS[name];
      for (const flag of spec.flags) {
        if (!Object.hasOwn(BOUNDS, flag) || spec.lists.includes(flag)) continue;
        const b = boundOf(name, flag);
        const range = b.min === b.max ? `${b.min}` : `between ${b.min} and ${b.max}`;
        const bad = [b.integer ? b.max + 1 : b.max * 2, b.integer || b.min === 0 ? b.min - 1 : b.min / 2, ...(b.integer ? [b.min + 0.5] : [])];
        for (const v of bad) {
          const r = await cli(name, ...REQUIRED[name], `--${flag}`, String(v));
          tried++;
          const what = b.integer && !Number.isInteger(v) && b.min !== b.max ? `a whole number ${range}` : range;
          expect({ name, flag, v, code: r.code, err: r.err }).toEqual({ name, flag, v, code: 2, err: `tgnn: --${flag} must be ${what}, got ${v}\n` });
        }
        const word = await cli(name, ...REQUIRED[name], `--${flag}`, 'lots');
        tried++;
        const kind = b.min === b.max ? '' : b.integer ? 'a whole number ' : 'a number ';
        expect(word.err).toBe(`tgnn: --${flag} must be ${kind}${range}, got 'lots'\n`);
      }
    }
    // train 19 number flags (18 whole: 3 bad values + a word; --lr: 2 + a word) = 75, staleness 1 → 4,
    // sweep 12 → 11 × 4 + 3 = 47, export 10 → 9 × 4 + 3 = 39, eval 1 (--wasm-threads) → 4; stats has none;
    // serve 9 (4 whole, 5 decimal) → 4 × 4 + 5 × 3 = 31, serve-sweep 7 (3 whole, 4 decimal) → 3 × 4 + 4 × 3 = 24
    expect(tried).toBe(75 + 4 + 47 + 39 + 4 + 31 + 24);
  });

  it('list flags refuse an empty item, a repeated value, an item out of range and too many items', async () => {
    const cases: [string[], string][] = [
      [['train', '--seeds', '1,,2'], "tgnn: --seeds has an empty item in '1,,2'; it takes a comma list of whole numbers between 0 and 2147483647 (e.g. 0,1,2)\n"],
      [['train', '--seeds', '1,2,'], "tgnn: --seeds has an empty item in '1,2,'; it takes a comma list of whole numbers between 0 and 2147483647 (e.g. 0,1,2)\n"],
      [['train', '--seeds', '3,1,3'], "tgnn: --seeds lists 3 twice in '3,1,3'; give each value once\n"],
      [['train', '--seeds', '1,-2'], "tgnn: --seeds must be between 0 and 2147483647, got -2 (in '1,-2')\n"],
      [['train', '--seeds', Array.from({ length: 101 }, (_, i) => i).join(',')], 'tgnn: --seeds takes 1 to 100 values, got 101\n'],
      [['sweep', '--batch-sizes', '50,,200'], "tgnn: --batch-sizes has an empty item in '50,,200'; it takes a comma list of whole numbers between 1 and 2000 (e.g. 50,200,600)\n"],
      [['sweep', '--batch-sizes', '50,6000'], "tgnn: --batch-sizes must be between 1 and 2000, got 6000 (in '50,6000')\n"],
      [['sweep', '--eval-batch-sizes', '200,200'], "tgnn: --eval-batch-sizes lists 200 twice in '200,200'; give each value once\n"],
      [['staleness', '--batch-sizes', '1,2.5'], "tgnn: --batch-sizes must be a whole number between 1 and 1000000, got 2.5 (in '1,2.5')\n"],
      [['staleness', '--batch-sizes', '1,2000000'], "tgnn: --batch-sizes must be between 1 and 1000000, got 2000000 (in '1,2000000')\n"],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv[0]!, '--data', 'no/such.csv', ...argv.slice(1));
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 2, err: message });
    }
  });

  it('staleness still takes batch sizes past the page\'s 2000 (a data-level probe, no model)', async () => {
    const r = await cli('staleness', '--data', tinyFile(), '--batch-sizes', '1,6000', '--json');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').map((l) => JSON.parse(l).batchSize)).toEqual([1, 6000]);
  });
});

describe('CLI conflicting and empty values', () => {
  it('a flag given twice is refused, whichever way it is written', () => {
    expect(() => parseArgs(['train', '--data', 'A', '--data', 'B'])).toThrow("--data given twice ('--data A' and '--data B'); give it once");
    expect(() => parseArgs(['train', '--data=A', '--data', 'A'])).toThrow("--data given twice ('--data A' and '--data A'); give it once");
    expect(() => parseArgs(['train', '--json', '--json'])).toThrow("--json given twice ('--json' and '--json'); give it once");
    expect(() => parseArgs(['train', '--=3'])).toThrow("'--=3' has no flag name");
    expect([...parseArgs(['train', '--data', 'A', '--json']).flags]).toEqual([['data', 'A'], ['json', true]]);
  });

  it('exits 2 on --data A --data B, --seed with --seeds, and empty values', async () => {
    const cases: [string[], string][] = [
      [['train', '--data', 'A', '--data', 'B'], "tgnn: --data given twice ('--data A' and '--data B'); give it once\n"],
      [['train', '--data', 'x.csv', '--seed', '1', '--seeds', '1,2'], 'tgnn: --seed and --seeds both given; use --seed N for one run or --seeds A,B,C for several\n'],
      [['stats', '--data='], 'tgnn: --data needs a value, got an empty one\n'],
      [['train', '--data', 'x.csv', '--seeds', ''], 'tgnn: --seeds needs a value, got an empty one\n'],
      [['train', '--data', 'x.csv', '--lr', ' '], 'tgnn: --lr needs a value, got an empty one\n'],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 2, err: message });
    }
  });

  it('--eval-batch-size 0 means the training batch size, as in the page and sweep', async () => {
    const r = await cli('train', '--data', tinyFile(), ...TINY, '--eval-batch-size', '0', '--model', 'edgebank', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).batchSize).toBe(10);
  });
});

describe('CLI help and exit codes', () => {
  it('tgnn --help, -h and help print every command on stdout and exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await cli(...argv);
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: '' });
      expect(r.out).toMatch(/^usage: tgnn <command> \[flags\]/);
      for (const name of NAMES) expect(r.out).toContain(`\n  ${name} `);
      expect(r.out).toContain('exit codes: 0 done; 2 bad input (one line on stderr says what is wrong and what to do); 1 internal error');
    }
  });

  it('every command has --help (and help CMD) with its own usage and ranges, exit 0', async () => {
    for (const name of NAMES) {
      for (const argv of [[name, '--help'], ['help', name], [name, '--data', 'x.csv', '-h']]) {
        const r = await cli(...argv);
        expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: '' });
        expect(r.out.startsWith(`usage: tgnn ${name} `)).toBe(true);
        expect(r.out).toMatch(/\nexit codes: 0 done; 2 bad input/);
      }
    }
    expect((await cli('train', '--help')).out).toContain('--memory-dim 2..256');
    expect((await cli('sweep', '--help')).out).toContain('--epochs 1,');
    expect((await cli('sweep', '--help')).out).toContain('--batch-sizes (1..20 values of 1..2000)');
  });

  it('no command, or an unknown one, is bad input (exit 2)', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toMatch(/^tgnn: no command given\nusage: tgnn <command>/);
    expect(await cli('help', 'frobnicate')).toEqual({ code: 2, out: '', err: "tgnn: unknown command 'frobnicate'; try 'tgnn help'\n" });
  });
});

describe('CLI output to a closed pipe (| head)', () => {
  it('stops the command after the write that found the pipe closed and exits 0 without a word', async () => {
    // Node records EPIPE on the stream as the write returns (stream.errored); here the second stdout write finds it
    let checks = 0;
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    Object.defineProperty(process.stdout, 'errored', { configurable: true, get: () => (++checks >= 2 ? epipe : null) });
    try {
      const r = await cli('train', '--data', tinyFile(), ...TINY, '--epochs', '4', '--json');
      expect(r.code).toBe(0);
      expect(r.err).not.toMatch(/EPIPE|error/i);
      expect(r.out.trim().split('\n').map((l) => JSON.parse(l).epoch)).toEqual([1, 2]);
    } finally {
      delete (process.stdout as { errored?: unknown }).errored;
    }
  });

  it('exitQuietlyOnClosedPipe: EPIPE exits 0, any other write error exits 1', () => {
    const codes: number[] = [];
    const a = new EventEmitter();
    const b = new EventEmitter();
    exitQuietlyOnClosedPipe([a, b], (c) => codes.push(c));
    a.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    b.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    a.emit('error', Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
    expect(err).toHaveBeenCalledWith('tgnn: internal error: cannot write the output: no space left\n');
    expect(codes).toEqual([0, 0, 1]);
  });

  it('npx tgnn train --json | head -c 20: exit 0, no error on stderr', async () => {
    const bin = fileURLToPath(new URL('../../bin/tgnn.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'train', '--data', tinyFile(), ...TINY, '--epochs', '30', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    // read the first 20 bytes, then close the pipe as head does (or fail at once when the CLI ends first)
    const first = await Promise.race([
      new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString()))),
      closed.then((c) => `exited ${c} before writing: ${err}`),
    ]);
    child.stdout.destroy();
    const code = await closed;
    expect(first.slice(0, 20)).toBe('{"epoch":1,"model":"');
    expect(code).toBe(0);
    expect(err).not.toMatch(/EPIPE|internal error|Error/);
    // it stopped at the next write, long before epoch 30
    expect(err).not.toMatch(/epoch 30 /);
  }, 60_000);
});

describe('running out of memory', () => {
  it('the wasm heap running out is said as a fix of the settings; other errors stay internal', async () => {
    const { outOfMemory } = await import('./main.ts');
    expect(outOfMemory(new RangeError('memory access out of bounds'))).toBe(
      'out of memory: these settings need more memory than the backend can have (memory access out of bounds); ' +
        'lower --batch-size, --neighbours or the dimensions, or use --layers 1 and --neighbour-scope earlier-batches',
    );
    expect(outOfMemory(new Error('Aborted(). Build with -sASSERTIONS for more info.'))).toMatch(/^out of memory: /);
    expect(outOfMemory(new RangeError('Array buffer allocation failed'))).toMatch(/^out of memory: /);
    expect(outOfMemory(new Error('Trainer: the training range is empty'))).toBeNull();
  });
});
