import { tf } from '../tf.ts';
import { copyBlocks, replaceKernel, rowSizeOf, segmentSumRows, splitSizes, wrapKernel } from './shared.ts';
import { registerFusedKernels, type KernelIo } from './fused.ts';
import { reduceAngle } from './fusedMath.ts';

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
}

function wasmBackend(b: unknown, kernel: string): WasmBackendLike {
  if (typeof b === 'object' && b !== null && 'makeOutput' in b && 'typedArrayFromHeap' in b && 'incRef' in b) return b as WasmBackendLike;
  throw new Error(`${kernel}(wasm): unexpected backend object`);
}


/**
 * tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, which tf.gather's gradient needs: a plain
 * loop over the wasm heap (rows of x summed into numSegments rows by segment id).
 */
function registerUnsortedSegmentSum(): void {
  replaceKernel({
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
      if (!(ov instanceof Float32Array)) throw new Error('UnsortedSegmentSum(wasm): output is not float32');
      ov.fill(0);
      segmentSumRows(xv, iv, ov, rowSize, numSegments);
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
  replaceKernel({
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

/**
 * tfjs-backend-wasm 4.22 runs BatchMatMul through XNNPACK only when neither input is transposed; with
 * transposeA or transposeB (every weight gradient, dX = dY·Wᵀ) it takes a naive loop that measured
 * ~10× slower here (28 ms vs 2.2 ms for [100×3040]·[3040×100]). This wraps the kernel: transposed
 * inputs are transposed explicitly (a memory copy) and the fast path runs.
 */
function registerTransposeFreeMatMul(): void {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('BatchMatMul(wasm): tfjs-backend-wasm must be imported first');
  wrapKernel('BatchMatMul', 'wasm', (original) => (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const aShape = args.inputs['a']!.shape;
    const inner = aShape[aShape.length - (transposeA ? 2 : 1)]!;
    if (inner === 0) return zeroProduct(args, transposeA, transposeB);
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const backend = args.backend as { disposeData(id: object): void };
    const flip = (x: tf.TensorInfo): tf.TensorInfo => {
      const r = x.shape.length;
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
      return transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const a = transposeA ? flip(args.inputs['a']!) : args.inputs['a']!;
    const b = transposeB ? flip(args.inputs['b']!) : args.inputs['b']!;
    const out = original.kernelFunc({ inputs: { a, b }, backend: args.backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    if (transposeA) backend.disposeData(a.dataId);
    if (transposeB) backend.disposeData(b.dataId);
    return out;
  });
}

/**
 * A product over an inner dimension of 0 (e.g. the weight gradient of a layer that saw no rows) is all
 * zeros; XNNPACK refuses to create the operator and tfjs-backend-wasm 4.22 then returns the output's
 * uninitialised memory.
 */
function zeroProduct(args: Parameters<tf.KernelFunc>[0], transposeA: boolean, transposeB: boolean): tf.TensorInfo {
  const wasm = wasmBackend(args.backend, 'BatchMatMul');
  const a = args.inputs['a']!.shape;
  const b = args.inputs['b']!.shape;
  const rows = a[a.length - (transposeA ? 1 : 2)]!;
  const cols = b[b.length - (transposeB ? 2 : 1)]!;
  const batch = a.length > 2 ? a.slice(0, -2) : b.slice(0, -2);
  const out = wasm.makeOutput([...batch, rows, cols], 'float32');
  wasm.typedArrayFromHeap(out).fill(0);
  return out;
}

/**
 * Identity without a copy: tfjs runs it on every tensor a recorded op saves for its gradient (engine
 * clone), ~100 per TGN training batch, and wasm's version copies the data each time (~2.5 ms per batch
 * on CollegeMsg). tfjs tensors are immutable (a variable's assign swaps its data, never writes it), so
 * sharing the data with one more reference, as the cpu backend does, is safe.
 */
function registerSharedIdentity(): void {
  replaceKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const wasm = wasmBackend(backend, 'Identity');
      const x = inputs['x']!;
      if (x.dtype === 'string') throw new Error('Identity(wasm): string tensors are not used by the engine');
      wasm.incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  });
}

/**
 * SplitV and Concat as contiguous row copies (TypedArray.set): tfjs-backend-wasm 4.22 copies a column block
 * (a message's three parts joined, and split again in its gradient) element by element, ~0.45 ms per split
 * of 491 × 300 here against ~0.05 ms. Float32 only; other dtypes keep tfjs' kernels.
 */
function registerBlockCopies(): void {
  wrapKernel('SplitV', 'wasm', (split) => (args) => {
    const x = args.inputs['x']!;
    if (x.dtype !== 'float32') return split.kernelFunc(args);
    const wasm = wasmBackend(args.backend, 'SplitV');
    const { numOrSizeSplits, axis: rawAxis } = args.attrs as { numOrSizeSplits: number[] | number; axis: number };
    const axis = rawAxis < 0 ? rawAxis + x.shape.length : rawAxis;
    const sizes = splitSizes(numOrSizeSplits, x.shape[axis]!, 'SplitV(wasm)');
    // every output first: an allocation can grow the heap and detach views taken before it
    const outs = sizes.map((size) => {
      const shape = [...x.shape];
      shape[axis] = size;
      return wasm.makeOutput(shape, 'float32');
    });
    copyBlocks('split', wasm.typedArrayFromHeap(x), x.shape, axis, sizes, outs.map((o) => wasm.typedArrayFromHeap(o)));
    return outs;
  });
  wrapKernel('Concat', 'wasm', (concat) => (args) => {
    const parts = Object.values(args.inputs) as tf.TensorInfo[];
    const first = parts[0];
    if (!first || parts.some((p) => p.dtype !== 'float32' || p.shape.length !== first.shape.length)) return concat.kernelFunc(args);
    const wasm = wasmBackend(args.backend, 'Concat');
    const rank = first.shape.length;
    const rawAxis = Number((args.attrs as { axis: number | number[] }).axis);
    const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
    const sizes = parts.map((p) => p.shape[axis]!);
    const shape = [...first.shape];
    shape[axis] = sizes.reduce((a, b) => a + b, 0);
    if (parts.some((p) => p.shape.some((d, i) => i !== axis && d !== shape[i]))) return concat.kernelFunc(args);
    const out = wasm.makeOutput(shape, 'float32');
    copyBlocks('concat', wasm.typedArrayFromHeap(out), shape, axis, sizes, parts.map((p) => wasm.typedArrayFromHeap(p)));
    return out;
  });
}

/**
 * Sum over the rows of a matrix (every bias gradient, the backward of a broadcast add) as one pass
 * accumulating columns: tfjs-backend-wasm 4.22 sums only innermost axes, so it transposes the matrix
 * first (~0.1 ms per 491 × 300 here, eleven times a TGN batch). Other reductions keep tfjs' kernel.
 */
function registerColumnSum(): void {
  wrapKernel('Sum', 'wasm', (sum) => (args) => {
    const x = args.inputs['x']!;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const axes = Array.isArray(axis) ? axis : [axis];
    const rowsOnly = x.shape.length === 2 && axes.length === 1 && (axes[0] === 0 || axes[0] === -2);
    if (!rowsOnly || x.dtype !== 'float32') return sum.kernelFunc(args);
    const wasm = wasmBackend(args.backend, 'Sum');
    const [rows, cols] = x.shape as [number, number];
    const out = wasm.makeOutput(keepDims ? [1, cols] : [cols], 'float32');
    const xv = wasm.typedArrayFromHeap(x);
    const ov = wasm.typedArrayFromHeap(out);
    ov.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) ov[c]! += xv[o + c]!;
    }
    return out;
  });
}

/**
 * Elementwise cos and sin (tf.cos, tf.sin: the time encoding's tfjs-op composition) as JS loops over the wasm
 * heap: tfjs-backend-wasm's versions took ~40 ns per element here, V8's Math.cos/sin ~5.
 */
function registerTrig(): void {
  for (const [kernelName, fn] of [['Cos', Math.cos], ['Sin', Math.sin]] as const) {
    replaceKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => {
        const wasm = wasmBackend(backend, kernelName);
        const x = inputs['x']!;
        if (x.dtype !== 'float32') throw new Error(`${kernelName}(wasm): expected float32 input, got ${x.dtype}`);
        const out = wasm.makeOutput([...x.shape], 'float32');
        const xv = wasm.typedArrayFromHeap(x);
        const ov = wasm.typedArrayFromHeap(out);
        for (let i = 0; i < xv.length; i++) ov[i] = fn(reduceAngle(xv[i]!));
        return out;
      },
    });
  }
}


/** the fused kernels' view of the wasm heap */
export function wasmIo(b: unknown, kernel: string): KernelIo {
  const wasm = wasmBackend(b, kernel);
  return {
    read: (t) => wasm.typedArrayFromHeap(t),
    outputs: (shapes) => {
      // every allocation first: a later one can grow the heap and detach the views taken before it
      const infos = shapes.map((shape) => wasm.makeOutput([...shape], 'float32'));
      const values = infos.map((info) => {
        const v = wasm.typedArrayFromHeap(info);
        if (!(v instanceof Float32Array)) throw new Error(`${kernel}(wasm): output is not float32`);
        v.fill(0);
        return v;
      });
      return { infos, values };
    },
  };
}

let registered = false;

/** Registers the engine's wasm kernels once (after tfjs-backend-wasm is imported). */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  registerUnsortedSegmentSum();
  registerRowGather();
  registerTransposeFreeMatMul();
  registerTrig();
  registerBlockCopies();
  registerColumnSum();
  registerSharedIdentity();
  registerFusedKernels('wasm', wasmIo);
}
