// The arithmetic of the engine's fused kernels (fused.ts) on plain typed arrays: the same code runs on the
// wasm heap and in the cpu backend's arrays. Each kernel replaces a chain of small tfjs ops (and the
// chain's gradient), which on wasm cost more in per-op overhead and intermediate copies than in arithmetic.

const TWO_PI = 2 * Math.PI;
const INV_TWO_PI = 1 / TWO_PI;
/** adding and subtracting 1.5·2^52 rounds a double to the nearest integer (ties to even) */
const ROUND = 6755399441055744.0;

// Taylor coefficients of cos and sin on [−π, π]: truncated after x^18 / x^19, the error is below 4e-9,
// far under float32's resolution of the result (6e-8)
const C1 = -1 / 2, C2 = 1 / 24, C3 = -1 / 720, C4 = 1 / 40320, C5 = -1 / 3628800, C6 = 1 / 479001600;
const C7 = -1 / 87178291200, C8 = 1 / 20922789888000, C9 = -1 / 6402373705728000;
const S1 = -1 / 6, S2 = 1 / 120, S3 = -1 / 5040, S4 = 1 / 362880, S5 = -1 / 39916800, S6 = 1 / 6227020800;
const S7 = -1 / 1307674368000, S8 = 1 / 355687428096000, S9 = -1 / 121645100408832000;

/**
 * x reduced to [−π, π] in double precision: V8's exact reduction of huge arguments (w·Δt reaches 1e7 rad) is
 * slow, and a float32 input carries no more precision than this
 */
export function reduceAngle(x: number): number {
  return x - (x * INV_TWO_PI + ROUND - ROUND) * TWO_PI;
}

/** cos(x) without branches: ~7 ns per value in V8, against ~22 for Math.cos after the same reduction */
export function fastCos(x: number): number {
  const r = reduceAngle(x);
  const r2 = r * r;
  return 1 + r2 * (C1 + r2 * (C2 + r2 * (C3 + r2 * (C4 + r2 * (C5 + r2 * (C6 + r2 * (C7 + r2 * (C8 + r2 * C9))))))));
}

export function fastSin(x: number): number {
  const r = reduceAngle(x);
  const r2 = r * r;
  return r * (1 + r2 * (S1 + r2 * (S2 + r2 * (S3 + r2 * (S4 + r2 * (S5 + r2 * (S6 + r2 * (S7 + r2 * (S8 + r2 * S9)))))))));
}

/** x[i, j] = dt[i]·w[j] + b[j], rounded to float32 at each step as the matMul-then-add it replaces was */
function timeArguments(dt: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, x: Float32Array): void {
  const D = w.length;
  for (let i = 0; i < dt.length; i++) {
    const t = dt[i]!;
    const o = i * D;
    for (let j = 0; j < D; j++) x[o + j] = Math.fround(t * w[j]!) + b[j]!;
  }
}

/**
 * The cosine time encoding out[i, j] = cos(dt[i]·w[j] + b[j]) (n × D). Arguments first, then the cosines
 * in place: two plain loops ran ~1.5× faster in V8 than one nested loop doing both.
 */
export function timeEncodingForward(dt: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, out: Float32Array): void {
  timeArguments(dt, w, b, out);
  for (let k = 0; k < out.length; k++) out[k] = fastCos(out[k]!);
}

/** The time encoding's gradients: dw[j] = −Σᵢ dy[i, j]·sin(x[i, j])·dt[i], db[j] = −Σᵢ dy[i, j]·sin(x[i, j]). */
export function timeEncodingBackward(
  dy: ArrayLike<number>, dt: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, dw: Float32Array, db: Float32Array,
): void {
  const D = w.length;
  const x = new Float32Array(dt.length * D);
  timeArguments(dt, w, b, x);
  for (let k = 0; k < x.length; k++) x[k] = -dy[k]! * fastSin(x[k]!);
  const sw = new Float64Array(D);
  const sb = new Float64Array(D);
  for (let i = 0; i < dt.length; i++) {
    const t = dt[i]!;
    const o = i * D;
    for (let j = 0; j < D; j++) {
      const g = x[o + j]!;
      sb[j]! += g;
      sw[j]! += g * t;
    }
  }
  for (let j = 0; j < D; j++) {
    dw[j] = sw[j]!;
    db[j] = sb[j]!;
  }
}

/** Shapes of one neighbour-attention call: Q queries × K slots, H heads of C values each. */
export interface AttentionShape {
  readonly Q: number;
  readonly K: number;
  readonly H: number;
  readonly C: number;
}

/** The arrays of one neighbour-attention call (see fused.ts neighbourAttention for their meaning). */
export interface AttentionArrays {
  /** Q·K × 2HC: key projection (first HC columns), value projection (last HC) of each slot's node */
  readonly kv: ArrayLike<number>;
  /** Q·K × HC: the slot's edge term, added to both key and value */
  readonly e: ArrayLike<number>;
  /** Q × HC */
  readonly q: ArrayLike<number>;
  /** Q·K: 1 for a neighbour, 0 for padding */
  readonly mask: ArrayLike<number>;
  /** Q·K·H: dropout multiplier of each attention weight (0 or 1/(1−p); 1 without dropout) */
  readonly keep: ArrayLike<number>;
}

/**
 * Softmax weights of query q, head h over its K slots into p (length K), from the scores
 * (key + edge)·query/√C; padding slots get 0, and a query without neighbours gets all zeros. Returns
 * whether it has a neighbour at all.
 */
function softmaxWeights(a: AttentionArrays, s: AttentionShape, q: number, h: number, p: Float64Array): boolean {
  const { K, H, C } = s;
  const HC = H * C;
  const scale = 1 / Math.sqrt(C);
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    const slot = q * K + k;
    if (a.mask[slot] === 0) {
      p[k] = -Infinity;
      continue;
    }
    const kvo = slot * 2 * HC + h * C;
    const eo = slot * HC + h * C;
    const qo = q * HC + h * C;
    let dot = 0;
    for (let c = 0; c < C; c++) dot += (a.kv[kvo + c]! + a.e[eo + c]!) * a.q[qo + c]!;
    p[k] = dot * scale;
    if (p[k]! > max) max = p[k]!;
  }
  if (max === -Infinity) {
    p.fill(0);
    return false;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    p[k] = p[k] === -Infinity ? 0 : Math.exp(p[k]! - max);
    sum += p[k]!;
  }
  for (let k = 0; k < K; k++) p[k]! /= sum;
  return true;
}

/** out[q, h·C + c] = Σₖ p[k]·keep·(value + edge)[q·K + k, h·C + c] (Q × HC) */
export function attentionForward(a: AttentionArrays, s: AttentionShape, out: Float32Array): void {
  const { Q, K, H, C } = s;
  const HC = H * C;
  const p = new Float64Array(K);
  const acc = new Float64Array(C);
  out.fill(0);
  for (let q = 0; q < Q; q++) {
    for (let h = 0; h < H; h++) {
      if (!softmaxWeights(a, s, q, h, p)) continue;
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const slot = q * K + k;
        const wk = p[k]! * a.keep[slot * H + h]!;
        if (wk === 0) continue;
        const vo = slot * 2 * HC + HC + h * C;
        const eo = slot * HC + h * C;
        for (let c = 0; c < C; c++) acc[c]! += wk * (a.kv[vo + c]! + a.e[eo + c]!);
      }
      const oo = q * HC + h * C;
      for (let c = 0; c < C; c++) out[oo + c] = acc[c]!;
    }
  }
}

/** Gradients of attentionForward's output (dy, Q × HC) with respect to kv, e and q; dkv, de, dq start zeroed. */
export function attentionBackward(
  a: AttentionArrays, s: AttentionShape, dy: ArrayLike<number>, dkv: Float32Array, de: Float32Array, dq: Float32Array,
): void {
  const { Q, K, H, C } = s;
  const HC = H * C;
  const scale = 1 / Math.sqrt(C);
  const p = new Float64Array(K);
  const dp = new Float64Array(K);
  for (let q = 0; q < Q; q++) {
    for (let h = 0; h < H; h++) {
      if (!softmaxWeights(a, s, q, h, p)) continue;
      const go = q * HC + h * C;
      // through the weighted sum: d(value + edge) = weight·dy, d weight = dy·(value + edge)
      let weighted = 0;
      for (let k = 0; k < K; k++) {
        const slot = q * K + k;
        dp[k] = 0;
        if (a.mask[slot] === 0) continue;
        const keep = a.keep[slot * H + h]!;
        const wk = p[k]! * keep;
        const vo = slot * 2 * HC + HC + h * C;
        const eo = slot * HC + h * C;
        let d = 0;
        for (let c = 0; c < C; c++) {
          const g = dy[go + c]!;
          d += g * (a.kv[vo + c]! + a.e[eo + c]!);
          if (wk !== 0) {
            dkv[vo + c]! += wk * g;
            de[eo + c]! += wk * g;
          }
        }
        dp[k] = d * keep;
        weighted += p[k]! * dp[k]!;
      }
      // through the softmax and the scaled dot product
      for (let k = 0; k < K; k++) {
        const slot = q * K + k;
        if (a.mask[slot] === 0) continue;
        const ds = p[k]! * (dp[k]! - weighted) * scale;
        if (ds === 0) continue;
        const ko = slot * 2 * HC + h * C;
        const eo = slot * HC + h * C;
        for (let c = 0; c < C; c++) {
          const qc = a.q[go + c]!;
          dkv[ko + c]! += ds * qc;
          de[eo + c]! += ds * qc;
          dq[go + c]! += ds * (a.kv[ko + c]! + a.e[eo + c]!);
        }
      }
    }
  }
}
