import { tf } from './tf.ts';
import { registerWasmKernels } from './kernels/wasmKernels.ts';

export type BackendName = 'cpu' | 'wasm' | 'webgpu';

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
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmKernels();
  }
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend '${name}' could not be initialised on this platform`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`asked for backend '${name}', tfjs runs '${tf.getBackend()}'`);
  return { backend: name, reason };
}

/**
 * Starts the preferred backend ('auto' = wasm, else cpu). The browser worker extends 'auto' with
 * WebGPU: a hardware adapter wins; a software (fallback) adapter only when a startup benchmark says so.
 */
export async function selectBackend(preference: 'auto' | BackendName): Promise<import('./session/types.ts').BackendReport> {
  const report = (backend: BackendName, reason: string) => ({ backend, reason, adapter: null, benchmarkMs: null, wasmThreads: false });
  if (preference !== 'auto') {
    await useBackend(preference, `forced: ${preference}`);
    return report(preference, `forced by the user (${preference})`);
  }
  try {
    await useBackend('wasm', 'auto');
    return report('wasm', 'auto: wasm (SIMD) started');
  } catch (e) {
    await useBackend('cpu', 'auto');
    return report('cpu', `auto: wasm failed (${e instanceof Error ? e.message : String(e)}); using cpu`);
  }
}
