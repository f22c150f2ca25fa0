// Points tfjs-backend-wasm at the .wasm files the Vite build serves (no CDN). Imported first by every
// worker that may start the wasm backend (the engine worker, the serving lab's server threads).
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

// asset URLs are relative to the page; the threaded build's pthread workers start from a blob: URL and
// need absolute ones
const absolute = (url: string): string => new URL(url, self.location.href).href;

setWasmPaths({
  'tfjs-backend-wasm.wasm': absolute(plainWasmUrl),
  'tfjs-backend-wasm-simd.wasm': absolute(simdWasmUrl),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(threadedSimdWasmUrl),
});
