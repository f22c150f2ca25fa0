// Which tfjs backend runs the engine, and why: what the worker reports to the page.

export type BackendName = 'cpu' | 'wasm' | 'webgpu';

export type BackendPreference = 'auto' | BackendName;

export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

export interface BackendReport {
  readonly backend: BackendName;
  /** why it runs, in words (e.g. "auto: WebGPU adapter is a software fallback; wasm was faster (48 ms vs 610 ms per step)") */
  readonly reason: string;
  readonly adapter: AdapterInfo | null;
  /** ms per benchmark step of each backend tried at startup, when a benchmark decided */
  readonly benchmarkMs: Readonly<Partial<Record<BackendName, number>>> | null;
  /** wasm runs multi-threaded (needs a cross-origin isolated page) */
  readonly wasmThreads: boolean;
  /** the benchmark verdict for this adapter (measured now or remembered), for the page to keep; absent when no benchmark decided */
  readonly verdict?: BackendVerdict;
}

/** What a startup benchmark on one hardware WebGPU adapter decided; the page remembers it per adapter. */
export interface BackendVerdict {
  /** vendor|architecture|description of the adapter (backend.ts adapterKey) */
  readonly adapterKey: string;
  readonly backend: BackendName;
  readonly benchmarkMs: Readonly<Partial<Record<BackendName, number>>>;
  /** true when this verdict was remembered from an earlier page load rather than measured now */
  readonly cached: boolean;
}

/** Startup options that cross the worker boundary: remembered verdicts (by adapter key). */
export interface BackendStartOptions {
  readonly verdicts?: Readonly<Record<string, BackendVerdict>>;
}
