import { tf } from '../tf.ts';

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function wasmBackend(b: unknown, kernel: string): WasmBackendLike {
  if (typeof b === 'object' && b !== null && 'makeOutput' in b && 'typedArrayFromHeap' in b) return b as WasmBackendLike;
  throw new Error(`${kernel}(wasm): unexpected backend object`);
}

const rowSizeOf = (shape: readonly number[]): number => shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, which tf.gather's gradient needs: a plain
 * loop over the wasm heap (rows of x summed into numSegments rows by segment id).
 */
function registerUnsortedSegmentSum(): void {
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmBackend(backend, 'UnsortedSegmentSum');
      const x = inputs['x']!;
      const ids = inputs['segmentIds']!;
      const numSegments = Number((attrs as { numSegments: number }).numSegments);
      if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum(wasm): expected float32 input, got ${x.dtype}`);
      const rowSize = rowSizeOf(x.shape);
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
      const xv = wasm.typedArrayFromHeap(x);
      const iv = wasm.typedArrayFromHeap(ids);
      const ov = wasm.typedArrayFromHeap(out);
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

/**
 * Row gather (axis 0, no batch dims), the engine's only use of tf.gather. wasm's generic strided
 * GatherV2 took ~40 ms for 6000 rows × 200 here; row copies with TypedArray.set take ~1 ms. Other
 * axes fall back to an explicit error rather than a silent wrong answer.
 */
function registerRowGather(): void {
  tf.registerKernel({
    kernelName: 'GatherV2',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmBackend(backend, 'GatherV2');
      const x = inputs['x']!;
      const indices = inputs['indices']!;
      const { axis, batchDims } = attrs as { axis: number; batchDims: number };
      if (axis !== 0 || batchDims !== 0 || indices.shape.length !== 1) {
        throw new Error(`GatherV2(wasm): only row gathers (axis 0, 1-D indices) are supported, got axis ${axis}, batchDims ${batchDims}`);
      }
      const rowSize = rowSizeOf(x.shape);
      const rows = x.shape[0]!;
      const out = wasm.makeOutput([indices.shape[0]!, ...x.shape.slice(1)], x.dtype);
      const xv = wasm.typedArrayFromHeap(x);
      const iv = wasm.typedArrayFromHeap(indices);
      const ov = wasm.typedArrayFromHeap(out);
      for (let r = 0; r < iv.length; r++) {
        const i = iv[r]!;
        if (i < 0 || i >= rows) throw new Error(`GatherV2(wasm): index ${i} out of range [0, ${rows})`);
        ov.set(xv.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
      }
      return out;
    },
  });
}

let registered = false;

/** Registers the engine's wasm kernels once (after tfjs-backend-wasm is imported). */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  registerUnsortedSegmentSum();
  registerRowGather();
}
