import type { tf } from '../tf.ts';
import { copyBlocks, replaceKernel, rowSizeOf, segmentSumRows, splitSizes } from './shared.ts';
import { registerFusedKernels, type KernelIo } from './fused.ts';

/** The part of tfjs-backend-cpu's MathBackendCPU this kernel uses. */
interface CpuBackendLike {
  data: { get(dataId: object): { values: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo;
}

function cpuBackend(b: unknown, kernel = 'UnsortedSegmentSum'): CpuBackendLike {
  if (typeof b === 'object' && b !== null && 'data' in b && 'makeTensorInfo' in b) return b as CpuBackendLike;
  throw new Error(`${kernel}(cpu): unexpected backend object`);
}

/** the fused kernels' view of the cpu backend's arrays */
function cpuIo(b: unknown, kernel: string): KernelIo {
  const cpu = cpuBackend(b, kernel);
  return {
    read: (t) => valuesOf(cpu, t),
    outputs: (shapes) => {
      const values = shapes.map((shape) => new Float32Array(shape.reduce((a, x) => a * x, 1)));
      return { infos: values.map((v, i) => cpu.makeTensorInfo([...shapes[i]!], 'float32', v)), values };
    },
  };
}

function valuesOf(backend: CpuBackendLike, t: tf.TensorInfo): Float32Array | Int32Array {
  const v = backend.data.get(t.dataId)?.values;
  if (v instanceof Float32Array || v instanceof Int32Array) return v;
  throw new Error(`cpu kernel: expected numeric data, got ${typeof v}`);
}

/**
 * SplitV as contiguous block copies. tfjs-backend-cpu slices non-leading axes element by element
 * (400 ms to split a 2600 × 200 matrix into two columns blocks in one TGN step here).
 */
function registerSplitV(): void {
  replaceKernel({
    kernelName: 'SplitV',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = cpuBackend(backend);
      const x = inputs['x']!;
      if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`SplitV(cpu): expected float32 or int32 input, got ${x.dtype}`);
      const dtype = x.dtype;
      const { numOrSizeSplits, axis: rawAxis } = attrs as { numOrSizeSplits: number[] | number; axis: number };
      const rank = x.shape.length;
      const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
      const sizes = splitSizes(numOrSizeSplits, x.shape[axis]!, 'SplitV(cpu)');
      const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const parts = sizes.map((size) => (dtype === 'int32' ? new Int32Array(outer * size * inner) : new Float32Array(outer * size * inner)));
      copyBlocks('split', valuesOf(cpu, x), x.shape, axis, sizes, parts);
      return parts.map((values, i) => {
        const shape = [...x.shape];
        shape[axis] = sizes[i]!;
        return cpu.makeTensorInfo(shape, dtype, values);
      });
    },
  });
}


/**
 * tfjs-backend-cpu 4.22 computes UnsortedSegmentSum with one masked pass per segment
 * (segments × rows × cols): 26 s for tf.gather's gradient over 386 rows × 200 in one TGN step here.
 * This is the direct loop (rows × cols). Also registers the block-copy SplitV below and the fused
 * kernels (fused.ts).
 */
export function registerCpuKernels(): void {
  registerSplitV();
  registerFusedKernels('cpu', cpuIo);
  replaceKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = cpuBackend(backend);
      const x = inputs['x']!;
      const ids = inputs['segmentIds']!;
      const numSegments = Number((attrs as { numSegments: number }).numSegments);
      if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum(cpu): expected float32 input, got ${x.dtype}`);
      const rowSize = rowSizeOf(x.shape);
      const out = new Float32Array(numSegments * rowSize);
      segmentSumRows(valuesOf(cpu, x), valuesOf(cpu, ids), out, rowSize, numSegments);
      return cpu.makeTensorInfo([numSegments, ...x.shape.slice(1)], 'float32', out);
    },
  });
}
