// `npm run bench` (last part): PyTorch Geometric's TGN against `tgnn train`, back to back on the same
// machine (issue 13's acceptance): CollegeMsg, B = 200, one epoch, PyG with 2 threads (its example's
// setup, ../shared/reference/pyg-bench/pyg_tgn_bench.py) and the CLI on wasm, alternating PyG, tgnn,
// PyG, tgnn so a load change hits both. Skipped with the reason when PyG or CollegeMsg is missing. Prints
// numbers; asserts nothing.
//
// PyG is found as the reference README installs it: Debian's /usr/bin/python3 with torch, and the
// torch_geometric package unpacked under PYG_PATH (default /tmp/pyg).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reference = fileURLToPath(new URL('../../shared/reference/pyg-bench/', import.meta.url));
const data = fileURLToPath(new URL('../../shared/datasets/collegemsg/CollegeMsg.txt', import.meta.url));
const python = process.env['PYG_PYTHON'] ?? '/usr/bin/python3';
const pygPath = process.env['PYG_PATH'] ?? '/tmp/pyg';
const ROUNDS = Number(process.env['BENCH_PYG_ROUNDS'] ?? 3);

interface Run {
  readonly eventsPerSec: number;
  readonly testAp: number;
  /** CPU seconds of the whole process (load, train, validation, test; every thread), from GNU time */
  readonly cpuSeconds: number;
}

const TIME = '/usr/bin/time';
const CPU_MARK = 'tgnn-bench-cpu ';

/** runs a command under GNU time (when present), returning its result and the CPU seconds it used */
function timed(command: string, argv: string[], options: Parameters<typeof spawnSync>[2]): { r: ReturnType<typeof spawnSync>; cpuSeconds: number } {
  if (!existsSync(TIME)) return { r: spawnSync(command, argv, options), cpuSeconds: NaN };
  const r = spawnSync(TIME, ['-f', `${CPU_MARK}%U %S`, command, ...argv], options);
  const line = String(r.stderr).split('\n').find((l) => l.startsWith(CPU_MARK));
  const [user, sys] = (line ?? '').slice(CPU_MARK.length).split(' ').map(Number);
  return { r, cpuSeconds: (user ?? NaN) + (sys ?? NaN) };
}

/** why the comparison cannot run here, or null */
function missing(): string | null {
  if (!existsSync(data)) return 'CollegeMsg is not beside the clone (../shared/datasets/collegemsg)';
  if (!existsSync(reference + 'pyg_tgn_bench.py')) return 'the PyG benchmark script is not beside the clone (../shared/reference/pyg-bench)';
  const probe = spawnSync(python, ['-c', 'import torch, torch_geometric'], { env: { ...process.env, PYTHONPATH: pygPath }, encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `no PyG install (${python} with torch and torch_geometric under ${pygPath}); set it up as ../shared/reference/pyg-bench/README.md says`;
  }
  return null;
}

function lastJson(stdout: string, what: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  const last = lines[lines.length - 1];
  if (last === undefined) throw new Error(`${what} printed no JSON line`);
  return JSON.parse(last) as Record<string, unknown>;
}

function runPyg(): Run {
  const { r, cpuSeconds } = timed(python, [reference + 'pyg_tgn_bench.py', '--csv', data, '--epochs', '1', '--threads', '2'], {
    env: { ...process.env, PYTHONPATH: pygPath }, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`PyG benchmark failed (exit ${r.status}): ${String(r.stderr).slice(-2000)}`);
  const summary = lastJson(String(r.stdout), 'the PyG benchmark');
  return { eventsPerSec: Number(summary['mean_train_events_per_s']), testAp: Number(summary['test_ap']), cpuSeconds };
}

function runTgnn(): Run {
  const { r, cpuSeconds } = timed(process.execPath, ['bin/tgnn.mjs', 'train', '--data', data, '--epochs', '1', '--backend', 'wasm', '--json'], {
    cwd: root, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`tgnn train failed (exit ${r.status}): ${String(r.stderr).slice(-2000)}`);
  const epoch = lastJson(String(r.stdout), 'tgnn train');
  const test = epoch['test'] as { apBatchMean: number };
  return { eventsPerSec: Number(epoch['trainEventsPerSec']), testAp: test.apBatchMean, cpuSeconds };
}

console.log('\n## Back to back with PyTorch Geometric (CollegeMsg, TGN, B = 200, 1 epoch; PyG 2 threads, tgnn wasm)\n');
const why = missing();
if (why) {
  console.log(`skipped: ${why}`);
} else {
  console.log('| round | PyG train events/s | tgnn train events/s | tgnn ÷ PyG | PyG test AP | tgnn test AP | PyG CPU s | tgnn CPU s |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const pyg = runPyg();
    const tgnn = runTgnn();
    ratios.push(tgnn.eventsPerSec / pyg.eventsPerSec);
    console.log(
      `| ${round} | ${Math.round(pyg.eventsPerSec)} | ${Math.round(tgnn.eventsPerSec)} | ${ratios.at(-1)!.toFixed(2)}× | ${pyg.testAp.toFixed(4)} | ${tgnn.testAp.toFixed(4)} | ` +
        `${pyg.cpuSeconds.toFixed(1)} | ${tgnn.cpuSeconds.toFixed(1)} |`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`\nmedian tgnn ÷ PyG over ${ROUNDS} rounds: ${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(2)}× (range ${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)}×)`);
  console.log('(test AP: mean of per-batch AP, as both report it; seeds: PyG 12345, tgnn 1; CPU s: the whole process, every thread)');
}
