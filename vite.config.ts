import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// COOP/COEP make the page cross-origin isolated, which tfjs-wasm needs for threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * tfjs-backend-wasm starts its pthread workers from the threaded factory's source text
 * (`factory.toString()` in a Blob). The factory reads `_scriptDir` from its enclosing scope; once minified,
 * that name is mangled and the `typeof _scriptDir` guard folded away, so every pthread dies with
 * "e is not defined". In a module worker `_scriptDir` is always undefined (no document, no __filename),
 * so this makes the factory self-contained by writing undefined in its place.
 */
function tfjsWasmThreadsFix(): Plugin {
  return {
    name: 'tfjs-wasm-threads-self-contained-factory',
    transform(code, id) {
      if (!/tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/.test(id)) return null;
      const declaration = /var _scriptDir = [^\n]*\n\s*if \(typeof __filename !== 'undefined'\) _scriptDir = _scriptDir \|\| __filename;\n/;
      if (!declaration.test(code)) throw new Error(`tfjsWasmThreadsFix: the _scriptDir declaration was not found in ${id}; check the tfjs-backend-wasm version`);
      return { code: code.replace(declaration, '').replace(/\b_scriptDir\b/g, '(void 0)'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [react()],
  server: {
    headers: isolationHeaders,
    // builds into dist-*/ (e2e runs, CI) and e2e screenshots must not reload an open page
    watch: { ignored: ['**/dist/**', '**/dist-*/**', '**/e2e/artifacts/**', '**/bench/results/**'] },
    // transform the page's and the worker's modules when the server starts, not on the first load
    warmup: { clientFiles: ['./src/ui/main.tsx', './src/ui/App.tsx', './src/workers/engine.worker.ts'] },
  },
  // the worker's dependencies too: found only on the first load, they would re-optimise and reload the page
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops',
      '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'comlink', 'd3', 'react', 'react-dom/client',
    ],
  },
  preview: { headers: isolationHeaders },
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsFix()] },
  build: {
    target: 'es2022',
    // test-harness.html drives the real worker and bridge for e2e/backend.e2e.ts without the UI
    rolldownOptions: { input: { main: 'index.html', harness: 'test-harness.html' } },
  },
});
