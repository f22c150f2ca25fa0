// The engine's fused kernels: the cosine time encoding and the neighbour-attention core, each one kernel
// forward and one backward on the CPU-side backends (wasm, cpu), where tfjs would run a chain of 10–60
// small ops and as many gradient ops. Measured on CollegeMsg (TGN, B = 200, wasm in Node) these chains
// took about half of a training batch, mostly in per-op overhead and intermediate copies. Backends
// without the kernels (webgpu) run the same arithmetic as tfjs ops: `timeEncoding` and
// `neighbourAttention` pick by whether the running backend has the kernel.
import { tf, type Tensor1D, type Tensor2D } from '../tf.ts';
import { replaceKernel } from './shared.ts';
import { adamUpdate, attentionBackward, attentionForward, gruBackward, gruForward, timeEncodingBackward, timeEncodingForward, type AdamStep, type AttentionArrays, type AttentionShape } from './fusedMath.ts';

const TIME_ENCODING = 'TgnCosineTimeEncoding';
const TIME_ENCODING_GRAD = 'TgnCosineTimeEncodingGrad';
const ATTENTION = 'TgnNeighbourAttention';
const ATTENTION_GRAD = 'TgnNeighbourAttentionGrad';
const GRU = 'TgnGruGates';
const GRU_GRAD = 'TgnGruGatesGrad';
/** one Adam step of one variable (train/fusedAdam.ts) */
export const ADAM_UPDATE = 'TgnAdamUpdate';
/** the kernels registerFusedKernels adds (tests remove them to compare with the tfjs-op composition) */
export const FUSED_KERNELS: readonly string[] = [TIME_ENCODING, TIME_ENCODING_GRAD, ATTENTION, ATTENTION_GRAD, GRU, GRU_GRAD, ADAM_UPDATE];

/**
 * How a backend's kernels read their inputs and make float32 outputs they can fill in place. A kernel makes
 * all its outputs in one `outputs` call before reading an input: on wasm each new output can grow the heap,
 * which detaches every view of it taken before (an output's view included: its writes would be lost).
 */
export interface KernelIo {
  read(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** new zeroed float32 outputs, all allocated before the first array to write them through is taken */
  outputs(shapes: readonly number[][]): { infos: tf.TensorInfo[]; values: Float32Array[] };
}

type IoOf = (backend: unknown, kernel: string) => KernelIo;

function float(io: KernelIo, t: tf.TensorInfo, kernel: string, name: string): Float32Array {
  const v = io.read(t);
  if (!(v instanceof Float32Array)) throw new Error(`${kernel}: input ${name} must be float32, got ${t.dtype}`);
  return v;
}

function int(io: KernelIo, t: tf.TensorInfo, kernel: string, name: string): Int32Array {
  const v = io.read(t);
  if (!(v instanceof Int32Array)) throw new Error(`${kernel}: input ${name} must be int32, got ${t.dtype}`);
  return v;
}

function input(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`${kernel}: missing input ${name}`);
  return t;
}

function attentionArrays(io: KernelIo, inputs: tf.NamedTensorInfoMap, kernel: string): AttentionArrays {
  const read = (name: string) => float(io, input(inputs, name, kernel), kernel, name);
  const readInt = (name: string) => int(io, input(inputs, name, kernel), kernel, name);
  return { kv: read('kv'), rows: readInt('rows'), e: read('e'), eRows: readInt('eRows'), q: read('q'), mask: read('mask'), keep: read('keep') };
}

function attentionShape(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined, kernel: string): AttentionShape {
  const heads = Number((attrs as { heads?: unknown } | undefined)?.heads);
  if (!Number.isInteger(heads) || heads < 1) throw new Error(`${kernel}: attribute heads must be a positive integer`);
  const [Q, HC] = input(inputs, 'q', kernel).shape as [number, number];
  const slots = input(inputs, 'mask', kernel).shape[0]!;
  return { Q, K: Q > 0 ? slots / Q : 0, H: heads, C: HC / heads };
}

/** Registers the four kernels for one backend (a second call replaces them). */
export function registerFusedKernels(backendName: string, ioOf: IoOf): void {
  const register = (kernelName: string, kernelFunc: tf.KernelFunc) => replaceKernel({ kernelName, backendName, kernelFunc });
  register(TIME_ENCODING, ({ inputs, backend }) => {
    const io = ioOf(backend, TIME_ENCODING);
    const dt = input(inputs, 'dt', TIME_ENCODING);
    const w = input(inputs, 'w', TIME_ENCODING);
    const shape = [dt.shape[0]!, w.shape[1]!];
    // outputs: the encoding, and the sines the gradient needs (not part of the op's result)
    const out = io.outputs([shape, shape]);
    timeEncodingForward(
      float(io, dt, TIME_ENCODING, 'dt'), float(io, w, TIME_ENCODING, 'w'), float(io, input(inputs, 'b', TIME_ENCODING), TIME_ENCODING, 'b'),
      out.values[0]!, out.values[1]!,
    );
    return out.infos;
  });
  register(TIME_ENCODING_GRAD, ({ inputs, backend }) => {
    const k = TIME_ENCODING_GRAD;
    const io = ioOf(backend, k);
    const w = input(inputs, 'w', k);
    const out = io.outputs([[...w.shape], [w.shape[1]!]]);
    timeEncodingBackward(
      float(io, input(inputs, 'dy', k), k, 'dy'), float(io, input(inputs, 'dt', k), k, 'dt'), float(io, input(inputs, 'sines', k), k, 'sines'),
      out.values[0]!, out.values[1]!,
    );
    return out.infos;
  });
  register(ATTENTION, ({ inputs, backend, attrs }) => {
    const io = ioOf(backend, ATTENTION);
    const shape = attentionShape(inputs, attrs, ATTENTION);
    const out = io.outputs([[shape.Q, shape.H * shape.C]]);
    attentionForward(attentionArrays(io, inputs, ATTENTION), shape, out.values[0]!);
    return out.infos[0]!;
  });
  register(ATTENTION_GRAD, ({ inputs, backend, attrs }) => {
    const k = ATTENTION_GRAD;
    const io = ioOf(backend, k);
    const shape = attentionShape(inputs, attrs, k);
    const out = io.outputs([[...input(inputs, 'kv', k).shape], [...input(inputs, 'e', k).shape], [...input(inputs, 'q', k).shape]]);
    const [dkv, de, dq] = out.values as [Float32Array, Float32Array, Float32Array];
    attentionBackward(attentionArrays(io, inputs, k), shape, float(io, input(inputs, 'dy', k), k, 'dy'), dkv, de, dq);
    return out.infos;
  });
  register(GRU, ({ inputs, backend }) => {
    const io = ioOf(backend, GRU);
    const h = input(inputs, 'h', GRU);
    const gx = input(inputs, 'gx', GRU);
    // outputs: the new state, and the gates r, z, n the gradient needs (not part of the op's result)
    const out = io.outputs([[...h.shape], [...gx.shape]]);
    gruForward(float(io, gx, GRU, 'gx'), float(io, input(inputs, 'gh', GRU), GRU, 'gh'), float(io, h, GRU, 'h'), h.shape[1]!, out.values[0]!, out.values[1]!);
    return out.infos;
  });
  register(GRU_GRAD, ({ inputs, backend }) => {
    const k = GRU_GRAD;
    const io = ioOf(backend, k);
    const h = input(inputs, 'h', k);
    const gh = input(inputs, 'gh', k);
    const out = io.outputs([[...gh.shape], [...gh.shape], [...h.shape]]);
    gruBackward(
      float(io, input(inputs, 'dy', k), k, 'dy'), float(io, gh, k, 'gh'), float(io, h, k, 'h'), float(io, input(inputs, 'gates', k), k, 'gates'),
      h.shape[1]!, out.values[0]!, out.values[1]!, out.values[2]!,
    );
    return out.infos;
  });
  register(ADAM_UPDATE, ({ inputs, backend, attrs }) => {
    const k = ADAM_UPDATE;
    const io = ioOf(backend, k);
    const value = input(inputs, 'value', k);
    const out = io.outputs([[...value.shape], [...value.shape], [...value.shape]]);
    const read = (name: string) => float(io, input(inputs, name, k), k, name);
    adamUpdate(read('value'), read('m'), read('v'), read('g'), attrs as unknown as AdamStep, out.values[0]!, out.values[1]!, out.values[2]!);
    return out.infos;
  });
  registerFusedGradients();
}

let gradientsRegistered = false;

function registerFusedGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: TIME_ENCODING,
    inputsToSave: ['dt', 'w'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [dt, w, sines] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [dw, db] = tf.engine().runKernel(TIME_ENCODING_GRAD, { dy: resultGradient(dy), dt, w, sines }) as [tf.Tensor, tf.Tensor];
      return { dt: () => tf.zerosLike(dt), w: () => dw, b: () => db };
    },
  });
  tf.registerGradient({
    kernelName: GRU,
    inputsToSave: ['gh', 'h'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [gh, h, gates] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [dgx, dgh, dh] = tf.engine().runKernel(GRU_GRAD, { dy: resultGradient(dy), gh, h, gates }) as [tf.Tensor, tf.Tensor, tf.Tensor];
      return { gx: () => dgx, gh: () => dgh, h: () => dh };
    },
  });
  tf.registerGradient({
    kernelName: ATTENTION,
    inputsToSave: ['kv', 'rows', 'e', 'eRows', 'q', 'mask', 'keep'],
    gradFunc: (dy, saved, attrs) => {
      const [kv, rows, e, eRows, q, mask, keep] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [dkv, de, dq] = tf.engine().runKernel(ATTENTION_GRAD, { dy: dy as tf.Tensor, kv, rows, e, eRows, q, mask, keep }, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor];
      return {
        kv: () => dkv, e: () => de, q: () => dq,
        rows: () => tf.zerosLike(rows), eRows: () => tf.zerosLike(eRows), mask: () => tf.zerosLike(mask), keep: () => tf.zerosLike(keep),
      };
    },
  });
}

export const fusedOnRunningBackend = (kernelName: string): boolean => tf.getKernel(kernelName, tf.getBackend()) !== undefined;

/**
 * The op's result of a kernel whose further outputs only its gradient reads (the time encoding's sines, the
 * GRU's gates): those are disposed here, a gradient tape keeping its own clone of each output it saves.
 */
function firstOutput(kernelName: string, inputs: tf.NamedTensorMap): Tensor2D {
  const [result, ...forGradient] = tf.engine().runKernel(kernelName, inputs) as Tensor2D[];
  tf.dispose(forGradient);
  return result!;
}

/** the gradient of a firstOutput kernel's result (tfjs passes one per output; the others carry none) */
const resultGradient = (dy: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(dy) ? dy[0]! : dy);

/** cos(dt·w + b), n × D, for dt (n), w (1 × D), b (D); differentiable in w and b. */
export function timeEncoding(dt: Tensor1D, w: Tensor2D, b: Tensor1D): Tensor2D {
  if (fusedOnRunningBackend(TIME_ENCODING)) return firstOutput(TIME_ENCODING, { dt, w, b });
  return compositeTimeEncoding(dt, w, b);
}

/** the same as tfjs ops (backends without the fused kernel; the reference in tests) */
export function compositeTimeEncoding(dt: Tensor1D, w: Tensor2D, b: Tensor1D): Tensor2D {
  return tf.cos(tf.add(tf.matMul(tf.reshape(dt, [-1, 1]), w), b)) as Tensor2D;
}

/**
 * PyTorch's GRUCell from its two projections gx = x·Wx + bx and gh = h·Wh + bh (M × 3H, gates r, z, n side by
 * side) and the previous state h (M × H): h' = (1 − z)·n + z·h with r = σ(gx_r + gh_r), z = σ(gx_z + gh_z),
 * n = tanh(gx_n + r·gh_n). Differentiable in gx, gh and h.
 */
export function gruGates(gx: Tensor2D, gh: Tensor2D, h: Tensor2D): Tensor2D {
  if (fusedOnRunningBackend(GRU)) return firstOutput(GRU, { gx, gh, h });
  return compositeGruGates(gx, gh, h);
}

/** the same as tfjs ops (backends without the fused kernel; the reference in tests) */
export function compositeGruGates(gx: Tensor2D, gh: Tensor2D, h: Tensor2D): Tensor2D {
  const [xr, xz, xn] = tf.split(gx, 3, 1) as [Tensor2D, Tensor2D, Tensor2D];
  const [hr, hz, hn] = tf.split(gh, 3, 1) as [Tensor2D, Tensor2D, Tensor2D];
  const r = tf.sigmoid(tf.add(xr, hr));
  const z = tf.sigmoid(tf.add(xz, hz));
  const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
  return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
}

/**
 * The inputs of the attention core for Q queries with K neighbour slots each, H heads of C values. A slot
 * names its node's row in the kv table and its edge term's row in e, so padding slots cost nothing but
 * their index, and no per-slot copy of the table is made.
 */
export interface NeighbourAttentionInput {
  /** U × 2HC: key (first HC columns) and value (last HC) projections of each table node */
  readonly kv: Tensor2D;
  /** Q·K int32: the kv row of each slot (a valid row, never read, for padding) */
  readonly rows: Tensor1D;
  /** R × HC: the projected time encoding and edge features of the real slots, added to key and value */
  readonly e: Tensor2D;
  /** Q·K int32: the row in e of each real slot (padding: ignored, 0) */
  readonly eRows: Tensor1D;
  /** Q × HC: the query projection */
  readonly q: Tensor2D;
  /** Q·K: 1 for a neighbour, 0 for padding */
  readonly mask: Tensor1D;
  /** Q·K·H: dropout multiplier per attention weight (0 or 1/(1−p); all 1 without dropout) */
  readonly keep: Tensor1D;
  readonly heads: number;
}

/**
 * Multi-head attention of each query over its K slots: per head, softmax over the neighbours of
 * (key + e)·q/√C (padding masked; a query without neighbours gets zero), dropout on the weights, then the
 * weighted sum of (value + e). Q × HC, heads concatenated. Differentiable in kv, e and q.
 */
export function neighbourAttention(x: NeighbourAttentionInput): Tensor2D {
  if (fusedOnRunningBackend(ATTENTION)) {
    return tf.engine().runKernel(ATTENTION, { kv: x.kv, rows: x.rows, e: x.e, eRows: x.eRows, q: x.q, mask: x.mask, keep: x.keep }, { heads: x.heads }) as Tensor2D;
  }
  return compositeNeighbourAttention(x);
}

/** the same as tfjs ops (backends without the fused kernel; the reference in tests) */
export function compositeNeighbourAttention(x: NeighbourAttentionInput): Tensor2D {
  const [Q, HC] = x.q.shape;
  const heads = x.heads;
  const C = HC / heads;
  const K = x.mask.shape[0] / Math.max(Q, 1);
  const q = tf.reshape(x.q, [Q, 1, heads, C]);
  const [kSlots, vSlots] = tf.split(tf.gather(x.kv, x.rows), 2, 1) as [Tensor2D, Tensor2D];
  // padding slots read row 0 of e (or zeros when no slot is real); the mask removes them below
  const e = x.e.shape[0] > 0 ? tf.gather(x.e, x.eRows) : tf.zeros([x.mask.shape[0], HC]);
  const key = tf.reshape(tf.add(kSlots, e), [Q, K, heads, C]);
  const value = tf.reshape(tf.add(vSlots, e), [Q, K, heads, C]);
  const mask = tf.reshape(x.mask, [Q, K, 1]);
  let scores = tf.div(tf.sum(tf.mul(key, q), 3), Math.sqrt(C)); // Q × K × H
  scores = tf.add(scores, tf.mul(tf.sub(1, mask), -1e9));
  // softmax over the K neighbours: move K last
  let alpha = tf.transpose(tf.softmax(tf.transpose(scores, [0, 2, 1])), [0, 2, 1]); // Q × K × H
  alpha = tf.mul(tf.mul(alpha, mask), tf.reshape(x.keep, [Q, K, heads])); // rows with no neighbour at all become zero
  const aggregated = tf.sum(tf.mul(tf.expandDims(alpha, 3), value), 1); // Q × H × C
  return tf.reshape(aggregated, [Q, HC]);
}
