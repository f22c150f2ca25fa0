// tfjs-backend-wasm's threaded build in Node (wasmThreads.ts): it loads, the process still exits on its own,
// and a training run gives the same numbers on 1 and 2 threads. Each run is its own `tgnn` process (the
// thread count is fixed when a process first starts wasm).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = fileURLToPath(new URL('../../public/datasets/synthetic-small.csv', import.meta.url));

function train(threads: number): { epoch: Record<string, unknown>; log: string } {
  const r = spawnSync(process.execPath, ['bin/tgnn.mjs', 'train', '--data', data, '--epochs', '1', '--batch-size', '100', '--json', '--wasm-threads', String(threads)], {
    cwd: root, encoding: 'utf8', timeout: 120_000,
  });
  // a thread left running would keep the process alive until the timeout kills it (signal set, no status)
  expect(r.signal).toBeNull();
  expect(r.status, r.stderr).toBe(0);
  const line = r.stdout.trim().split('\n').pop()!;
  return { epoch: JSON.parse(line) as Record<string, unknown>, log: r.stderr };
}

/** an epoch line without its timings */
function numbers(epoch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(epoch).filter(([k]) => !/PerSec|Ms$|Seconds$|seconds/.test(k)));
}

describe('wasm threads in Node', () => {
  it('runs 2 threads, exits by itself, and trains to the same numbers as 1 thread', () => {
    const one = train(1);
    const two = train(2);
    expect(one.log).toContain('backend wasm (--backend wasm, 1 thread)');
    expect(two.log).toContain('backend wasm (--backend wasm, 2 threads)');
    expect(numbers(two.epoch)).toEqual(numbers(one.epoch));
    expect((two.epoch['test'] as { apBatchMean: number }).apBatchMean).toBeGreaterThan(0.5);
  }, 240_000);
});
