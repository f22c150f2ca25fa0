import { describe, expect, it } from 'vitest';
import { tf } from './tf.ts';
import { adapterKey, benchmarkTrainStep, decideBackend, describeAdapter, isSoftwareAdapter, probeGpu, selectBackend, useBackend, type GpuProbe } from './backend.ts';
import type { AdapterInfo, BackendVerdict } from '../shared/backend.ts';

tf.env().set('PROD', true);

const NVIDIA: AdapterInfo = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', isFallbackAdapter: false };
const SWIFTSHADER: AdapterInfo = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true };
const hardware: GpuProbe = { kind: 'adapter', info: NVIDIA };
const software: GpuProbe = { kind: 'adapter', info: SWIFTSHADER };
const noAdapter: GpuProbe = { kind: 'no-adapter', detail: 'navigator.gpu.requestAdapter() returned no adapter' };
const unsupported: GpuProbe = { kind: 'unsupported' };

describe('decideBackend (pure)', () => {
  const HW = 'auto: hardware WebGPU adapter (nvidia hopper NVIDIA H100)';

  it('auto: a software fallback adapter → wasm at once, without a benchmark, saying why', () => {
    expect(decideBackend({ preference: 'auto', gpu: software })).toEqual({
      kind: 'use',
      backend: 'wasm',
      reason: 'auto: the only WebGPU adapter is a software fallback (google swiftshader) that runs on the CPU, slower than wasm; wasm, without a benchmark',
    });
    // numbers from somewhere do not change that
    const d = decideBackend({ preference: 'auto', gpu: software, benchmarkMs: { webgpu: 20, wasm: 48 } });
    expect(d.kind === 'use' && d.backend).toBe('wasm');
  });

  it('a SwiftShader adapter counts as software even when isFallbackAdapter is false', () => {
    const unflagged: AdapterInfo = { ...SWIFTSHADER, isFallbackAdapter: false };
    expect(isSoftwareAdapter(unflagged)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isFallbackAdapter: false })).toBe(true);
    expect(isSoftwareAdapter(NVIDIA)).toBe(false);
    const d = decideBackend({ preference: 'auto', gpu: { kind: 'adapter', info: unflagged } });
    expect(d.kind === 'use' && d.backend).toBe('wasm');
  });

  it('auto: a hardware adapter seen for the first time asks for a webgpu-vs-wasm benchmark', () => {
    expect(decideBackend({ preference: 'auto', gpu: hardware })).toEqual({ kind: 'benchmark', candidates: ['wasm', 'webgpu'] });
  });

  it('auto: hardware adapter, benchmark numbers → the faster, with both numbers in the reason', () => {
    expect(decideBackend({ preference: 'auto', gpu: hardware, benchmarkMs: { webgpu: 610, wasm: 48 } })).toEqual({
      kind: 'use', backend: 'wasm', reason: `${HW}; wasm was faster (48.0 ms vs 610 ms per step)`,
    });
    expect(decideBackend({ preference: 'auto', gpu: hardware, benchmarkMs: { webgpu: 20, wasm: 48 } })).toEqual({
      kind: 'use', backend: 'webgpu', reason: `${HW}; it was faster than wasm (20.0 ms vs 48.0 ms per step)`,
    });
  });

  it('auto: a failed webgpu benchmark → wasm, naming the failure', () => {
    const d = decideBackend({ preference: 'auto', gpu: hardware, benchmarkMs: { wasm: 48 }, benchmarkErrors: { webgpu: 'device lost' } });
    expect(d.kind === 'use' && d.backend).toBe('wasm');
    expect(d.kind === 'use' && d.reason).toContain('device lost');
  });

  it('auto: a remembered verdict for this adapter decides without a benchmark; one for another adapter does not', () => {
    const verdict: BackendVerdict = { adapterKey: adapterKey(NVIDIA), backend: 'webgpu', benchmarkMs: { webgpu: 9, wasm: 31 }, cached: false };
    expect(adapterKey(NVIDIA)).toBe('nvidia|hopper|NVIDIA H100');
    expect(decideBackend({ preference: 'auto', gpu: hardware, cached: verdict })).toEqual({
      kind: 'use', backend: 'webgpu', reason: `${HW}; webgpu was faster when this browser measured it before (webgpu 9.00 ms vs wasm 31.0 ms per step)`,
    });
    const other = { ...verdict, adapterKey: 'intel|gen-12lp|' };
    expect(decideBackend({ preference: 'auto', gpu: hardware, cached: other }).kind).toBe('benchmark');
    // forced backends ignore it
    expect(decideBackend({ preference: 'wasm', gpu: hardware, cached: verdict })).toEqual({ kind: 'use', backend: 'wasm', reason: 'forced by the user (wasm)' });
  });

  it('auto: no adapter or no WebGPU at all → wasm', () => {
    const a = decideBackend({ preference: 'auto', gpu: noAdapter });
    expect(a.kind === 'use' && a.backend).toBe('wasm');
    expect(a.kind === 'use' && a.reason).toContain('returned no adapter');
    const b = decideBackend({ preference: 'auto', gpu: unsupported });
    expect(b).toEqual({ kind: 'use', backend: 'wasm', reason: 'auto: no WebGPU here (navigator.gpu is missing); wasm' });
  });

  it('forced: the forced backend runs whatever the adapter, with no benchmark', () => {
    for (const gpu of [hardware, software, noAdapter, unsupported]) {
      expect(decideBackend({ preference: 'wasm', gpu })).toEqual({ kind: 'use', backend: 'wasm', reason: 'forced by the user (wasm)' });
      expect(decideBackend({ preference: 'cpu', gpu })).toEqual({ kind: 'use', backend: 'cpu', reason: 'forced by the user (cpu)' });
    }
    const sw = decideBackend({ preference: 'webgpu', gpu: software });
    expect(sw).toEqual({ kind: 'use', backend: 'webgpu', reason: 'forced by the user (webgpu; software fallback adapter google swiftshader)' });
    expect(decideBackend({ preference: 'webgpu', gpu: hardware }).kind).toBe('use');
  });

  it('forced webgpu without an adapter fails with a clear error', () => {
    expect(() => decideBackend({ preference: 'webgpu', gpu: noAdapter })).toThrow(
      'WebGPU was forced, but there is no adapter: navigator.gpu.requestAdapter() returned no adapter',
    );
    expect(() => decideBackend({ preference: 'webgpu', gpu: unsupported })).toThrow('WebGPU was forced, but this environment has no WebGPU');
  });
});

describe('probeGpu and describeAdapter (hand-made navigator.gpu)', () => {
  const withGpu = (requestAdapter: () => Promise<unknown>) => ({ navigator: { gpu: { requestAdapter } } });

  it('reads adapter.info, and the legacy adapter.isFallbackAdapter', () => {
    expect(describeAdapter({ info: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true } })).toEqual(SWIFTSHADER);
    expect(describeAdapter({ info: { vendor: 'intel', architecture: 'gen-12lp' }, isFallbackAdapter: true }).isFallbackAdapter).toBe(true);
    expect(describeAdapter({})).toEqual({ vendor: '', architecture: '', description: '', isFallbackAdapter: false });
  });

  it('tells no WebGPU, no adapter, a failing request and an adapter apart', async () => {
    expect(await probeGpu({})).toEqual({ kind: 'unsupported' });
    expect(await probeGpu({ navigator: {} })).toEqual({ kind: 'unsupported' });
    expect(await probeGpu(withGpu(async () => null))).toEqual(noAdapter);
    expect(await probeGpu(withGpu(async () => Promise.reject(new Error('blocklisted'))))).toEqual({
      kind: 'no-adapter', detail: 'navigator.gpu.requestAdapter() failed: blocklisted',
    });
    expect(await probeGpu(withGpu(async () => ({ info: NVIDIA })))).toEqual(hardware);
  });
});

describe('selectBackend in Node (no navigator.gpu)', () => {
  it('auto stays wasm, with no adapter and no benchmark', async () => {
    const r = await selectBackend('auto');
    expect(r.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(r.adapter).toBeNull();
    expect(r.benchmarkMs).toBeNull();
    expect(r.wasmThreads).toBe(false);
    expect(r.reason).toBe('auto: no WebGPU here (navigator.gpu is missing); wasm [SIMD, single thread]');
  });

  it('forced cpu and wasm run; forced webgpu fails clearly', async () => {
    expect(await selectBackend('cpu')).toEqual({ backend: 'cpu', reason: 'forced by the user (cpu)', adapter: null, benchmarkMs: null, wasmThreads: false });
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm')).backend).toBe('wasm');
    await expect(selectBackend('webgpu')).rejects.toThrow('WebGPU was forced, but this environment has no WebGPU (navigator.gpu is missing)');
    await expect(useBackend('webgpu', 'test')).rejects.toThrow("backend 'webgpu' needs WebGPU");
  });

  /** runs `f` with a hand-made navigator.gpu that offers `info` */
  async function withAdapter<T>(info: AdapterInfo, f: () => Promise<T>): Promise<T> {
    const g = globalThis as { navigator?: unknown };
    const had = Object.getOwnPropertyDescriptor(g, 'navigator');
    Object.defineProperty(g, 'navigator', { value: { gpu: { requestAdapter: async () => ({ info }) } }, configurable: true, writable: true });
    try {
      return await f();
    } finally {
      if (had) Object.defineProperty(g, 'navigator', had);
      else delete g.navigator;
    }
  }

  it('auto with only a software adapter: wasm, no benchmark, and the stages it went through', async () => {
    const stages: string[] = [];
    const r = await withAdapter(SWIFTSHADER, () => selectBackend('auto', { onStage: (s) => stages.push(s) }));
    expect(r.backend).toBe('wasm');
    expect(r.benchmarkMs).toBeNull();
    expect(r.verdict).toBeUndefined();
    expect(r.adapter).toEqual(SWIFTSHADER);
    expect(r.reason).toMatch(/^auto: the only WebGPU adapter is a software fallback \(google swiftshader\)/);
    expect(stages).toEqual(['looking for a WebGPU adapter', 'compiling the WebAssembly engine']);
  });

  it('auto with a hardware adapter and a remembered verdict: that backend, no benchmark, the verdict marked as remembered', async () => {
    const verdict: BackendVerdict = { adapterKey: adapterKey(NVIDIA), backend: 'wasm', benchmarkMs: { webgpu: 70, wasm: 30 }, cached: false };
    const stages: string[] = [];
    const r = await withAdapter(NVIDIA, () => selectBackend('auto', { verdicts: { [verdict.adapterKey]: verdict }, onStage: (s) => stages.push(s) }));
    expect(r.backend).toBe('wasm');
    expect(r.verdict).toEqual({ ...verdict, cached: true });
    expect(r.benchmarkMs).toEqual({ webgpu: 70, wasm: 30 });
    expect(r.reason).toContain('wasm was faster when this browser measured it before (webgpu 70.0 ms vs wasm 30.0 ms per step)');
    expect(stages).not.toContain('timing WebGPU against wasm on this GPU (once)');
  });

  it('the startup benchmark times a GRU train step without leaking tensors', async () => {
    await useBackend('cpu', 'test');
    const before = tf.memory().numTensors;
    const ms = await benchmarkTrainStep('wasm', { batch: 20, messageDim: 30, memoryDim: 10, warmup: 1, reps: 3 });
    expect(tf.getBackend()).toBe('wasm');
    expect(Number.isFinite(ms) && ms > 0).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    // a cutoff below any step's time stops after the first timed rep
    expect(await benchmarkTrainStep('cpu', { batch: 20, messageDim: 30, memoryDim: 10, warmup: 0, reps: 50 }, 0)).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
