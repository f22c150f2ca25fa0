import { tf } from '../tf.ts';

/** Replaces a kernel without tfjs' "already registered" console warning. */
export function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** out[s] += x[r] for every row r with segment s = ids[r] in [0, numSegments); `out` must start zeroed. */
export function segmentSumRows(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  out: Float32Array,
  rowSize: number,
  numSegments: number,
): void {
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r]!;
    if (s < 0 || s >= numSegments) continue;
    const xo = r * rowSize;
    const oo = s * rowSize;
    for (let c = 0; c < rowSize; c++) out[oo + c]! += x[xo + c]!;
  }
}

/**
 * Replaces a backend's kernel with one built around the original (the fallback for the cases the new one
 * leaves to tfjs): the original's config is kept, its setup included (tfjs-backend-wasm binds its wasm
 * function there), only kernelFunc changes.
 */
export function wrapKernel(kernelName: string, backendName: string, wrap: (original: tf.KernelConfig) => tf.KernelFunc): void {
  const original = tf.getKernel(kernelName, backendName);
  if (!original) throw new Error(`${kernelName}(${backendName}): the backend must be imported first`);
  replaceKernel({ ...original, kernelFunc: wrap(original) });
}

/** product of the dimensions after the first */
export const rowSizeOf = (shape: readonly number[]): number => shape.slice(1).reduce((a, b) => a * b, 1);

/** the block sizes SplitV's numOrSizeSplits gives along an axis of length axisLen (−1: the rest) */
export function splitSizes(numOrSizeSplits: number[] | number, axisLen: number, kernel: string): number[] {
  const sizes = typeof numOrSizeSplits === 'number'
    ? Array.from({ length: numOrSizeSplits }, () => axisLen / numOrSizeSplits)
    : numOrSizeSplits.map((v, _i, all) => (v === -1 ? axisLen - all.reduce((a, b) => a + (b === -1 ? 0 : b), 0) : v));
  if (sizes.some((v) => !Number.isInteger(v) || v < 0) || sizes.reduce((a, b) => a + b, 0) !== axisLen) {
    throw new Error(`${kernel}: sizes ${JSON.stringify(numOrSizeSplits)} do not split length ${axisLen}`);
  }
  return sizes;
}

type Values = Float32Array | Int32Array | Uint8Array;

/**
 * Moves blocks between one array of `shape` and parts cut along `axis` (part i: sizes[i] wide), as
 * contiguous row copies: split (whole → parts) or concat (parts → whole).
 */
export function copyBlocks(direction: 'split' | 'concat', whole: Values, shape: readonly number[], axis: number, sizes: readonly number[], parts: readonly Values[]): void {
  const axisLen = shape[axis]!;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  let offset = 0;
  sizes.forEach((size, i) => {
    const block = size * inner;
    const part = parts[i]!;
    for (let o = 0; o < outer; o++) {
      const at = o * axisLen * inner + offset * inner;
      if (direction === 'split') part.set(whole.subarray(at, at + block), o * block);
      else whole.set(part.subarray(o * block, (o + 1) * block), at);
    }
    offset += size;
  });
}
