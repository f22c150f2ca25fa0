import { describe, expect, it } from 'vitest';
import { tf } from './tf.ts';
import {
  benchmarkTrainStep, decideBackend, describeAdapter, probeGpu, selectBackend, useBackend, type GpuProbe,
} from './backend.ts';
import type { AdapterInfo } from './session/types.ts';

tf.env().set('PROD', true);

const NVIDIA: AdapterInfo = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', isFallbackAdapter: false };
const SWIFTSHADER: AdapterInfo = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true };
const hardware: GpuProbe = { kind: 'adapter', info: NVIDIA };
const software: GpuProbe = { kind: 'adapter', info: SWIFTSHADER };
const noAdapter: GpuProbe = { kind: 'no-adapter', detail: 'navigator.gpu.requestAdapter() returned no adapter' };
const unsupported: GpuProbe = { kind: 'unsupported' };

describe('decideBackend (pure)', () => {
  it('auto: a hardware adapter → webgpu, without a benchmark', () => {
    const d = decideBackend({ preference: 'auto', gpu: hardware });
    expect(d).toEqual({ kind: 'use', backend: 'webgpu', reason: 'auto: hardware WebGPU adapter (nvidia hopper NVIDIA H100)' });
  });

  it('auto: a fallback adapter asks for a webgpu-vs-wasm benchmark first', () => {
    expect(decideBackend({ preference: 'auto', gpu: software })).toEqual({ kind: 'benchmark', candidates: ['wasm', 'webgpu'] });
  });

  it('auto: fallback adapter and wasm faster → wasm, with both numbers in the reason', () => {
    const d = decideBackend({ preference: 'auto', gpu: software, benchmarkMs: { webgpu: 610, wasm: 48 } });
    expect(d).toEqual({
      kind: 'use',
      backend: 'wasm',
      reason: 'auto: WebGPU adapter is a software fallback (google swiftshader); wasm was faster (48.0 ms vs 610 ms per step)',
    });
  });

  it('auto: fallback adapter faster → webgpu', () => {
    const d = decideBackend({ preference: 'auto', gpu: software, benchmarkMs: { webgpu: 20, wasm: 48 } });
    expect(d.kind === 'use' && d.backend).toBe('webgpu');
    expect(d.kind === 'use' && d.reason).toContain('faster than wasm (20.0 ms vs 48.0 ms per step)');
  });

  it('auto: a failed webgpu benchmark → wasm, naming the failure', () => {
    const d = decideBackend({ preference: 'auto', gpu: software, benchmarkMs: { wasm: 48 }, benchmarkErrors: { webgpu: 'device lost' } });
    expect(d.kind === 'use' && d.backend).toBe('wasm');
    expect(d.kind === 'use' && d.reason).toContain('device lost');
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
