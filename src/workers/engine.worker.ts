// The engine worker: points tfjs-backend-wasm at the .wasm files the Vite build serves (no CDN), then
// exposes one EngineSession over comlink, and a fault-injection hook for the e2e tests. Nothing else
// belongs here.
import * as Comlink from 'comlink';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { WorkerSession } from './workerSession.ts';
import { destroyGpuDevice } from '../engine/backend.ts';

// asset URLs are relative to the page; the threaded build's pthread workers start from a blob: URL and
// need absolute ones
const absolute = (url: string): string => new URL(url, self.location.href).href;

setWasmPaths({
  'tfjs-backend-wasm.wasm': absolute(plainWasmUrl),
  'tfjs-backend-wasm-simd.wasm': absolute(simdWasmUrl),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(threadedSimdWasmUrl),
});

Comlink.expose(new WorkerSession());

// fault injection for the e2e tests (e2e/supervision.e2e.ts): what a driver reset does to the GPU device
(self as unknown as { tgnnFaults: { destroyGpuDevice: () => boolean } }).tgnnFaults = { destroyGpuDevice };
