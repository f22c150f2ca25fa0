import { tf } from './tf.ts';
import { registerWasmKernels } from './kernels/wasmKernels.ts';
import { registerCpuKernels } from './kernels/cpuKernels.ts';
import type { AdapterInfo, BackendPreference, BackendReport, BackendStartOptions, BackendVerdict, BackendName } from '../shared/backend.ts';
import { Rng } from './util/rng.ts';

export interface BackendChoice {
  readonly backend: BackendName;
  /** why this backend runs (e.g. "forced by --backend wasm") */
  readonly reason: string;
}

/**
 * Activates a tfjs backend. wasm and webgpu are imported lazily so that a cpu-only run does not load
 * them. Throws with a message naming the backend when it cannot start.
 */
export async function useBackend(name: BackendName, reason: string): Promise<BackendChoice> {
  let undoThreading: (() => void) | null = null;
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    registerWasmKernels();
    // the thread count is read once, when tfjs first initialises the wasm backend in this thread
    const threading = wasmThreading;
    if (threading && threading.threads > 1 && tf.findBackend('wasm') === null) {
      wasm.setThreadsCount(threading.threads);
      undoThreading = await threading.prepare(threading.threads);
    }
  }
  if (name === 'cpu') registerCpuKernels();
  if (name === 'webgpu') {
    if (!gpuOf(globalThis)) throw new Error(`backend 'webgpu' needs WebGPU, and this environment has none (navigator.gpu is missing)`);
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } finally {
    undoThreading?.();
  }
  if (!ok) throw new Error(`backend '${name}' could not be initialised on this platform`);
  if (tf.getBackend() !== name) throw new Error(`asked for backend '${name}', tfjs runs '${tf.getBackend()}'`);
  return { backend: name, reason };
}

/**
 * How this platform lets tfjs-backend-wasm run its matrix products (XNNPACK) on several threads: injected by
 * the CLI and the benchmarks in Node (src/cli/wasmThreads.ts, `--wasm-threads`). Without it, or with 1
 * thread, wasm runs as tfjs sets it up: one thread in Node, about half the logical cores in a cross-origin
 * isolated page (the page installs none: on 2 cores the threads' hand-offs cost TGN's small products as much
 * as they save, docs/results.md).
 */
export interface WasmThreading {
  /** threads to ask for: the cores this thread may use (1: the single-threaded default) */
  readonly threads: number;
  /** called once, just before tfjs first initialises the wasm backend; returns what undoes its temporary patches */
  prepare(threads: number): Promise<() => void>;
}

let wasmThreading: WasmThreading | null = null;

/** Sets (or with null clears) the platform's wasm threading for backends started from now on in this thread. */
export function setWasmThreading(threading: WasmThreading | null): void {
  wasmThreading = threading;
}

/** threads of the running wasm backend, when it says; null on other backends */
export function wasmThreadCount(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const b = tf.backend() as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  const f = b.wasm?.tfjs?.getThreadsCount;
  return typeof f === 'function' ? f() : null;
}

// ---- the running WebGPU device (structural types: the engine compiles without the DOM or WebGPU libs) ----

interface GpuDeviceLike {
  readonly lost: Promise<{ readonly reason?: unknown; readonly message?: unknown }>;
  destroy(): void;
}

/** the GPUDevice of the running tfjs webgpu backend; null on any other backend */
function runningGpuDevice(): GpuDeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as { device?: unknown }).device;
  if (typeof device !== 'object' || device === null) return null;
  const d = device as Partial<GpuDeviceLike>;
  return d.lost instanceof Promise && typeof d.destroy === 'function' ? (d as GpuDeviceLike) : null;
}

/**
 * Resolves with a sentence saying why, if the running WebGPU device is lost (driver reset, GPU removed,
 * the browser reclaiming it); null when the backend is not webgpu.
 */
export function whenGpuDeviceLost(): Promise<string> | null {
  const device = runningGpuDevice();
  if (!device) return null;
  return device.lost.then((info) => {
    const why = typeof info.message === 'string' && info.message !== '' ? info.message : typeof info.reason === 'string' ? info.reason : 'no reason given';
    return `the GPU device was lost (${why})`;
  });
}

/** Destroys the running WebGPU device, as a driver reset would (fault-injection tests); false when not on webgpu. */
export function destroyGpuDevice(): boolean {
  const device = runningGpuDevice();
  device?.destroy();
  return device !== null;
}

// ---- WebGPU adapter probe (structural types: the engine compiles without the DOM or WebGPU libs) ----

interface GpuAdapterLike {
  readonly info?: Partial<Record<'vendor' | 'architecture' | 'description', unknown>> & { readonly isFallbackAdapter?: unknown };
  /** older Chromium put the flag on the adapter itself */
  readonly isFallbackAdapter?: unknown;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

function gpuOf(g: unknown): GpuLike | null {
  const nav = (g as { navigator?: { gpu?: unknown } }).navigator;
  const gpu = nav?.gpu;
  if (typeof gpu === 'object' && gpu !== null && typeof (gpu as { requestAdapter?: unknown }).requestAdapter === 'function') return gpu as GpuLike;
  return null;
}

/** What the environment offers for WebGPU. */
export type GpuProbe =
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'no-adapter'; readonly detail: string }
  | { readonly kind: 'adapter'; readonly info: AdapterInfo };

/** adapter.info (or the legacy adapter.isFallbackAdapter) as plain data */
export function describeAdapter(adapter: GpuAdapterLike): AdapterInfo {
  const info = adapter.info ?? {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const fallback = typeof info.isFallbackAdapter === 'boolean' ? info.isFallbackAdapter : adapter.isFallbackAdapter === true;
  return { vendor: str(info.vendor), architecture: str(info.architecture), description: str(info.description), isFallbackAdapter: fallback };
}

/** Asks navigator.gpu for the adapter tfjs-backend-webgpu would get (high-performance). */
export async function probeGpu(g: unknown = globalThis): Promise<GpuProbe> {
  const gpu = gpuOf(g);
  if (!gpu) return { kind: 'unsupported' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { kind: 'no-adapter', detail: `navigator.gpu.requestAdapter() failed: ${messageOf(e)}` };
  }
  if (!adapter) return { kind: 'no-adapter', detail: 'navigator.gpu.requestAdapter() returned no adapter' };
  return { kind: 'adapter', info: describeAdapter(adapter) };
}

// ---- the decision (pure) ----

export type BackendDecision =
  | { readonly kind: 'use'; readonly backend: BackendName; readonly reason: string }
  /** measure these backends with benchmarkTrainStep, then decide again with the numbers */
  | { readonly kind: 'benchmark'; readonly candidates: readonly BackendName[] };

export interface DecisionInput {
  readonly preference: BackendPreference;
  readonly gpu: GpuProbe;
  /** what an earlier benchmark decided on this (hardware) adapter, remembered by the page */
  readonly cached?: BackendVerdict | null;
  /** ms per benchmark step; a candidate that failed to run is absent (see benchmarkErrors) */
  readonly benchmarkMs?: Readonly<Partial<Record<BackendName, number>>> | null;
  readonly benchmarkErrors?: Readonly<Partial<Record<BackendName, string>>>;
}

export function adapterLabel(info: AdapterInfo): string {
  const parts = [info.vendor, info.architecture, info.description].filter((s) => s.length > 0);
  return parts.length > 0 ? parts.join(' ') : 'unnamed adapter';
}

/** the key a benchmark verdict is remembered under: one per adapter model */
export function adapterKey(info: AdapterInfo): string {
  return [info.vendor, info.architecture, info.description].join('|');
}

/**
 * A software WebGPU adapter (SwiftShader, llvmpipe/lavapipe, Microsoft's Basic Render Driver) runs the
 * GPU's work on the CPU, always slower than wasm for these models. Some builds do not set
 * isFallbackAdapter on SwiftShader, so the name counts too.
 */
export function isSoftwareAdapter(info: AdapterInfo): boolean {
  if (info.isFallbackAdapter) return true;
  return /swiftshader|llvmpipe|lavapipe|basic render/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}

const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/**
 * Which backend to run and why, from what the environment offers, a remembered verdict and (for a
 * hardware WebGPU adapter seen for the first time) benchmark numbers. Forcing 'webgpu' without an
 * adapter throws. 'auto': no WebGPU or a software adapter → wasm, with no benchmark (a software adapter
 * is always slower); a hardware adapter → the remembered verdict for it, else benchmark webgpu against
 * wasm and the faster wins.
 */
export function decideBackend(input: DecisionInput): BackendDecision {
  const { preference, gpu } = input;
  if (preference !== 'auto') {
    if (preference === 'webgpu') {
      if (gpu.kind === 'unsupported') throw new Error('WebGPU was forced, but this environment has no WebGPU (navigator.gpu is missing)');
      if (gpu.kind === 'no-adapter') throw new Error(`WebGPU was forced, but there is no adapter: ${gpu.detail}`);
      const kind = isSoftwareAdapter(gpu.info) ? 'software fallback adapter' : 'adapter';
      return { kind: 'use', backend: 'webgpu', reason: `forced by the user (webgpu; ${kind} ${adapterLabel(gpu.info)})` };
    }
    return { kind: 'use', backend: preference, reason: `forced by the user (${preference})` };
  }
  if (gpu.kind === 'unsupported') return { kind: 'use', backend: 'wasm', reason: 'auto: no WebGPU here (navigator.gpu is missing); wasm' };
  if (gpu.kind === 'no-adapter') return { kind: 'use', backend: 'wasm', reason: `auto: no WebGPU adapter (${gpu.detail}); wasm` };
  const label = adapterLabel(gpu.info);
  if (isSoftwareAdapter(gpu.info)) {
    return {
      kind: 'use',
      backend: 'wasm',
      reason: `auto: the only WebGPU adapter is a software fallback (${label}) that runs on the CPU, slower than wasm; wasm, without a benchmark`,
    };
  }
  const prefix = `auto: hardware WebGPU adapter (${label})`;
  const ms = input.benchmarkMs;
  const cached = input.cached;
  if (!ms && cached && cached.adapterKey === adapterKey(gpu.info)) {
    const g = cached.benchmarkMs.webgpu;
    const w = cached.benchmarkMs.wasm;
    const numbers = g !== undefined && w !== undefined ? ` (webgpu ${fmtMs(g)} ms vs wasm ${fmtMs(w)} ms per step)` : '';
    return { kind: 'use', backend: cached.backend, reason: `${prefix}; ${cached.backend} was faster when this browser measured it before${numbers}` };
  }
  if (!ms) return { kind: 'benchmark', candidates: ['wasm', 'webgpu'] };
  const gpuMs = ms.webgpu;
  const wasmMs = ms.wasm;
  const failed = (b: BackendName): string => input.benchmarkErrors?.[b] ?? 'no number';
  if (gpuMs === undefined && wasmMs === undefined) {
    return { kind: 'use', backend: 'wasm', reason: `${prefix}; neither benchmark ran (webgpu: ${failed('webgpu')}; wasm: ${failed('wasm')}); wasm` };
  }
  if (gpuMs === undefined) return { kind: 'use', backend: 'wasm', reason: `${prefix}; its benchmark failed (${failed('webgpu')}); wasm (${fmtMs(wasmMs!)} ms per step)` };
  if (wasmMs === undefined) return { kind: 'use', backend: 'webgpu', reason: `${prefix}; the wasm benchmark failed (${failed('wasm')}); webgpu (${fmtMs(gpuMs)} ms per step)` };
  if (gpuMs < wasmMs) return { kind: 'use', backend: 'webgpu', reason: `${prefix}; it was faster than wasm (${fmtMs(gpuMs)} ms vs ${fmtMs(wasmMs)} ms per step)` };
  return { kind: 'use', backend: 'wasm', reason: `${prefix}; wasm was faster (${fmtMs(wasmMs)} ms vs ${fmtMs(gpuMs)} ms per step)` };
}

// ---- startup benchmark ----

export interface BenchmarkOptions {
  readonly batch: number;
  readonly messageDim: number;
  readonly memoryDim: number;
  readonly warmup: number;
  readonly reps: number;
}

/** a GRU-sized train step: batch 200, message 300 → memory 100, plus one matMul */
export const BENCHMARK_DEFAULTS: BenchmarkOptions = { batch: 200, messageDim: 300, memoryDim: 100, warmup: 2, reps: 4 };

/**
 * Switches to `backend` and times one GRU memory-update train step (forward, gradients, SGD update),
 * median ms of `reps` after `warmup` untimed runs (shader compilation). Stops timing early once a rep
 * takes longer than `cutoffMs` (already clearly slower than a rival). Leaves `backend` active.
 */
export async function benchmarkTrainStep(backend: BackendName, options: BenchmarkOptions = BENCHMARK_DEFAULTS, cutoffMs = Infinity): Promise<number> {
  await useBackend(backend, 'startup benchmark');
  const { batch, messageDim: m, memoryDim: d } = options;
  const rng = new Rng(7);
  const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
  const bound = 1 / Math.sqrt(d);
  const message = tf.tensor2d(rand(batch * m, 1), [batch, m]);
  const memory = tf.tensor2d(rand(batch * d, 1), [batch, d]);
  const param = (shape: [number] | [number, number]): tf.Variable => {
    const initial = tf.tensor(rand(shape.reduce((a, c) => a * c, 1), bound), shape);
    const v = tf.variable(initial, true);
    initial.dispose();
    return v;
  };
  const vars = [param([m, 3 * d]), param([d, 3 * d]), param([3 * d]), param([d, d])] as const;
  const [wx, wh, b, wo] = vars;
  const step = async (): Promise<void> => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const gx = tf.add(tf.matMul(message, wx as tf.Tensor2D), b);
        const gh = tf.matMul(memory, wh as tf.Tensor2D);
        const [xr, xz, xn] = tf.split(gx, 3, 1);
        const [hr, hz, hn] = tf.split(gh, 3, 1);
        const r = tf.sigmoid(tf.add(xr!, hr!));
        const z = tf.sigmoid(tf.add(xz!, hz!));
        const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
        const h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, memory));
        return tf.mean(tf.square(tf.matMul(h, wo as tf.Tensor2D)));
      }, [...vars]);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
      return value;
    });
    await loss.data();
    loss.dispose();
  };
  try {
    for (let i = 0; i < options.warmup; i++) {
      const t0 = globalThis.performance.now();
      await step();
      // the first run compiles (shaders, XNNPACK plans); a later warm-up slower than the cutoff already decides
      const ms = globalThis.performance.now() - t0;
      if (i > 0 && ms > cutoffMs) return ms;
    }
    const times: number[] = [];
    for (let i = 0; i < options.reps; i++) {
      const t0 = globalThis.performance.now();
      await step();
      times.push(globalThis.performance.now() - t0);
      if (times.at(-1)! > cutoffMs) break;
    }
    times.sort((a, c) => a - c);
    return times[Math.floor(times.length / 2)]!;
  } finally {
    tf.dispose([message, memory, ...vars]);
  }
}

// ---- selection (impure: probes, benchmarks, starts the backend) ----

/**
 * which tfjs-backend-wasm binary runs: the threaded one needs SIMD and thread support (in a page, cross-origin
 * isolation; in Node, the WasmThreading the CLI installs, which turns tfjs' flag on)
 */
async function wasmFlavour(): Promise<{ simd: boolean; threads: boolean }> {
  const [simd, threads] = await Promise.all([
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  ]);
  return { simd: simd === true, threads: simd === true && threads === true };
}

async function startWasm(reason: string, stage: (what: string) => void): Promise<{ reason: string; wasmThreads: boolean }> {
  stage('compiling the WebAssembly engine');
  await useBackend('wasm', reason);
  const { simd, threads } = await wasmFlavour();
  const count = threads ? wasmThreadCount() : null;
  const how = threads
    ? `SIMD, threaded build, ${count === null ? 'thread count unknown' : count === 1 ? '1 thread' : `${count} threads`}`
    : `${simd ? 'SIMD' : 'no SIMD'}, single thread`;
  return { reason: `${reason} [${how}]`, wasmThreads: threads };
}

export interface SelectBackendOptions extends BackendStartOptions {
  /** called with what startup is doing now, in words for the page ("looking for a WebGPU adapter") */
  readonly onStage?: (stage: string) => void;
}

/**
 * Starts the preferred backend and reports why it runs. 'auto': wasm when there is no WebGPU or only a
 * software adapter (no benchmark); on a hardware adapter the verdict remembered for it in
 * `options.verdicts`, else a startup benchmark whose verdict the report carries for the page to keep;
 * along webgpu → wasm → cpu when a backend cannot start. A forced backend that cannot start throws.
 */
export async function selectBackend(preference: BackendPreference, options: SelectBackendOptions = {}): Promise<BackendReport> {
  const stage = options.onStage ?? ((): void => undefined);
  stage('looking for a WebGPU adapter');
  const gpu = await probeGpu();
  const adapter = gpu.kind === 'adapter' ? gpu.info : null;
  const key = adapter ? adapterKey(adapter) : null;
  const remembered = key !== null ? options.verdicts?.[key] ?? null : null;
  let decision = decideBackend({ preference, gpu, cached: remembered });
  let benchmarkMs: Partial<Record<BackendName, number>> | null = null;
  let verdict: BackendVerdict | undefined;
  if (decision.kind === 'benchmark') {
    stage('timing WebGPU against wasm on this GPU (once)');
    const ms: Partial<Record<BackendName, number>> = {};
    const errors: Partial<Record<BackendName, string>> = {};
    for (const candidate of decision.candidates) {
      const fastest = Math.min(...Object.values(ms));
      try {
        ms[candidate] = await benchmarkTrainStep(candidate, BENCHMARK_DEFAULTS, 4 * fastest);
      } catch (e) {
        errors[candidate] = messageOf(e);
      }
    }
    benchmarkMs = ms;
    decision = decideBackend({ preference, gpu, benchmarkMs: ms, benchmarkErrors: errors });
    // a failed benchmark is not remembered: the next load measures again
    if (decision.kind === 'use' && key !== null && Object.keys(errors).length === 0) verdict = { adapterKey: key, backend: decision.backend, benchmarkMs: ms, cached: false };
  } else if (remembered && preference === 'auto' && adapter && !isSoftwareAdapter(adapter) && remembered.adapterKey === key) {
    // decideBackend took the remembered verdict
    benchmarkMs = { ...remembered.benchmarkMs };
    verdict = { ...remembered, cached: true };
  }
  if (decision.kind !== 'use') throw new Error(`selectBackend: expected a decision after the benchmark, got '${decision.kind}'`);
  const report = (backend: BackendName, reason: string, wasmThreads: boolean): BackendReport =>
    verdict ? { backend, reason, adapter, benchmarkMs, wasmThreads, verdict } : { backend, reason, adapter, benchmarkMs, wasmThreads };

  if (preference !== 'auto') {
    if (decision.backend === 'wasm') {
      const w = await startWasm(decision.reason, stage);
      return report('wasm', w.reason, w.wasmThreads);
    }
    stage(`starting ${decision.backend === 'webgpu' ? 'WebGPU' : 'the cpu backend'}`);
    await useBackend(decision.backend, decision.reason);
    return report(decision.backend, decision.reason, false);
  }
  // auto: fall back along webgpu → wasm → cpu when a backend cannot start
  let reason = decision.reason;
  if (decision.backend === 'webgpu') {
    try {
      stage('starting WebGPU');
      await useBackend('webgpu', reason);
      return report('webgpu', reason, false);
    } catch (e) {
      reason = `${reason}, but webgpu failed to start (${messageOf(e)}); wasm`;
    }
  }
  if (decision.backend !== 'cpu') {
    try {
      const w = await startWasm(reason, stage);
      return report('wasm', w.reason, w.wasmThreads);
    } catch (e) {
      reason = `${reason}; wasm failed (${messageOf(e)}); using cpu`;
    }
  }
  stage('starting the cpu backend');
  await useBackend('cpu', reason);
  return report('cpu', reason, false);
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}
