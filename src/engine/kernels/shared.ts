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

/** product of the dimensions after the first */
export const rowSizeOf = (shape: readonly number[]): number => shape.slice(1).reduce((a, b) => a * b, 1);
