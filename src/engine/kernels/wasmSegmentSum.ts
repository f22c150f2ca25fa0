import { tf } from '../tf.ts';

/** The part of tfjs-backend-wasm's BackendWasm this kernel uses. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function isWasmBackend(b: unknown): b is WasmBackendLike {
  return typeof b === 'object' && b !== null && 'makeOutput' in b && 'typedArrayFromHeap' in b;
}

/**
 * tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, and tf.gather's gradient needs it. This
 * registers a plain loop over the wasm heap (sum of rows of x into numSegments rows by segment id).
 */
export function registerWasmUnsortedSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!isWasmBackend(backend)) throw new Error('UnsortedSegmentSum(wasm): unexpected backend object');
      const x = inputs['x']!;
      const ids = inputs['segmentIds']!;
      const numSegments = Number((attrs as { numSegments: number }).numSegments);
      if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum(wasm): expected float32 input, got ${x.dtype}`);
      const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
      const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
      const xv = backend.typedArrayFromHeap(x);
      const iv = backend.typedArrayFromHeap(ids);
      const ov = backend.typedArrayFromHeap(out);
      ov.fill(0);
      for (let r = 0; r < iv.length; r++) {
        const s = iv[r]!;
        if (s < 0 || s >= numSegments) continue;
        const xo = r * rowSize;
        const oo = s * rowSize;
        for (let c = 0; c < rowSize; c++) ov[oo + c]! += xv[xo + c]!;
      }
      return out;
    },
  });
}
