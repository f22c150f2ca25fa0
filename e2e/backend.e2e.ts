import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BackendPreference } from '../src/shared/backend.ts';
import type { HarnessRun, HarnessSpeed } from '../src/workers/harness.ts';
import { artifactsDir, openSession, type Session } from './browser.ts';

// The real engine worker and EngineBridge in headless Chromium, through test-harness.html (a second
// build input, not part of the app's UI): backend choice, WebGPU-vs-wasm agreement, speed per backend.
describe('engine worker and bridge', () => {
  const origin = inject('baseUrl');
  let session: Session;
  const runs = new Map<BackendPreference, HarnessRun>();

  const tiny = (preference: BackendPreference): Promise<HarnessRun> =>
    session.page.evaluate((p) => window.__harness!.tiny(p, 4, { batchSize: 10 }), preference);

  beforeAll(async () => {
    session = await openSession();
    await session.page.goto(`${origin}/test-harness.html`, { waitUntil: 'load' });
    await session.page.waitForFunction(() => window.__harnessReady === true, null, { timeout: 30_000 });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('auto: picks a backend and reports why, with the adapter and the benchmark numbers', async () => {
    const run = await session.page.evaluate(() => window.__harness!.tiny('auto', 2, { batchSize: 10 }));
    const r = run.report;
    writeFileSync(join(artifactsDir, 'backend-auto.json'), JSON.stringify(r, null, 2) + '\n');
    console.log(`e2e: auto BackendReport ${JSON.stringify(r)}`);
    console.log(`e2e: auto start (worker, adapter probe, backend init) took ${run.startMs.toFixed(0)} ms`);
    expect(run.loss).toHaveLength(2);
    if (r.adapter === null) {
      // no WebGPU adapter in this browser: wasm without a benchmark
      expect(r.backend).toBe('wasm');
      expect(r.benchmarkMs).toBeNull();
    } else if (r.adapter.isFallbackAdapter || /swiftshader/i.test(`${r.adapter.vendor} ${r.adapter.architecture}`)) {
      // SwiftShader: always slower than wasm, so wasm at once, without a startup benchmark
      expect(r.backend).toBe('wasm');
      expect(r.benchmarkMs).toBeNull();
      expect(r.reason).toMatch(/software fallback .* without a benchmark/);
      expect(`${r.adapter.vendor} ${r.adapter.architecture}`.trim().length).toBeGreaterThan(0);
    } else {
      // a hardware adapter: measured once against wasm, the faster runs, the verdict kept for the next start
      expect(r.reason).toMatch(/hardware WebGPU adapter/);
      if (r.verdict && !r.verdict.cached) expect(r.backend).toBe(r.benchmarkMs!.webgpu! < r.benchmarkMs!.wasm! ? 'webgpu' : 'wasm');
    }
    // the page is cross-origin isolated, so wasm runs its threaded build
    if (r.backend === 'wasm') {
      expect(r.wasmThreads).toBe(true);
      expect(r.reason).toMatch(/threaded build/);
    }
  });

  it('forced wasm, webgpu and cpu train the tiny stream; webgpu and cpu agree with wasm', async () => {
    for (const p of ['wasm', 'webgpu', 'cpu'] as const) {
      const run = await tiny(p);
      expect(run.report.backend).toBe(p);
      expect(run.loss).toHaveLength(4);
      for (const l of run.loss) expect(Number.isFinite(l)).toBe(true);
      runs.set(p, run);
    }
    const wasm = runs.get('wasm')!;
    for (const p of ['webgpu', 'cpu'] as const) {
      const other = runs.get(p)!;
      expect(other.memoryNodes).toEqual(wasm.memoryNodes);
      const lossRel = Math.max(...wasm.loss.map((l, i) => Math.abs(l - other.loss[i]!) / Math.abs(l)));
      const memAbs = Math.max(...wasm.memory.map((v, i) => Math.abs(v - other.memory[i]!)));
      console.log(
        `e2e: ${p} vs wasm on the tiny stream (4 batches of 10): max relative loss difference ${lossRel.toExponential(2)}, ` +
          `max absolute memory difference ${memAbs.toExponential(2)} over ${wasm.memory.length} values; ` +
          `losses ${p} [${other.loss.map((l) => l.toFixed(6)).join(', ')}] wasm [${wasm.loss.map((l) => l.toFixed(6)).join(', ')}]`,
      );
      expect(lossRel).toBeLessThanOrEqual(1e-3);
      wasm.memory.forEach((v, i) => expect(Math.abs(v - other.memory[i]!), `memory value ${i}`).toBeLessThanOrEqual(1e-3 * (1 + Math.abs(v))));
    }
  });

  it('plays in the worker and pauses, with snapshots pulled while training', async () => {
    const r = await session.page.evaluate(() => window.__harness!.play('wasm', 1500));
    console.log(`e2e: play for 1.5 s: ${r.batchesTrained} training batches, ${r.snapshotsSeen} snapshots, statuses ${r.statuses.join(' → ')}`);
    expect(r.statuses).toContain('playing');
    expect(r.statuses.at(-1)).toBe('ready');
    expect(r.batchesTrained).toBeGreaterThan(2);
    expect(r.snapshotsSeen).toBeGreaterThan(1);
  });

  it('measures training events/s per backend in the browser worker (synthetic-small, batch 200)', async () => {
    const rows: HarnessSpeed[] = [];
    // the slow backends (software WebGPU, cpu) get fewer batches
    for (const [p, batches] of [['wasm', 5], ['webgpu', 2], ['cpu', 2]] as const) {
      rows.push(await session.page.evaluate(([b, n]) => window.__harness!.speed(b, 'synthetic-small.csv', n), [p, batches] as const));
    }
    writeFileSync(join(artifactsDir, 'backend-speed.json'), JSON.stringify(rows, null, 2) + '\n');
    for (const s of rows) {
      console.log(
        `e2e: ${s.report.backend.padEnd(6)} ${s.eventsPerSec.toFixed(0).padStart(6)} events/s wall (${s.batches} batches of ${s.batchSize} in ` +
          `${s.wallMs.toFixed(0)} ms), engine ${s.engineEventsPerSec.toFixed(0)} events/s${s.report.wasmThreads ? ', wasm threads' : ''}`,
      );
      expect(s.eventsPerSec).toBeGreaterThan(0);
    }
  }, 300_000);

  it('loads the wasm binaries from the build, never from a CDN', () => {
    const wasm = session.requests.filter((u) => u.endsWith('.wasm'));
    console.log(`e2e: wasm requests ${JSON.stringify([...new Set(wasm)])}`);
    expect(wasm.length).toBeGreaterThan(0);
    for (const u of wasm) expect(u.startsWith(`${origin}/assets/tfjs-backend-wasm`)).toBe(true);
  });

  it('makes no request outside its own origin and logs no errors', () => {
    const outside = session.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
