// The arithmetic of the engine's fused kernels (fused.ts) on plain typed arrays: the same code runs on the
// wasm heap and in the cpu backend's arrays. Each kernel replaces a chain of small tfjs ops (and the
// chain's gradient), which on wasm cost more in per-op overhead and intermediate copies than in arithmetic.

const TWO_PI = 2 * Math.PI;
const INV_TWO_PI = 1 / TWO_PI;
/** adding and subtracting 1.5·2^52 rounds a double to the nearest integer (ties to even) */
const ROUND = 6755399441055744.0;

const HALF_PI = Math.PI / 2;
const INV_HALF_PI = 2 / Math.PI;

// Taylor coefficients of cos and sin on [−π/4, π/4]: truncated after r^10 / r^11, the error is below 2e-10,
// far under float32's resolution of the results (6e-8)
const C1 = -1 / 2, C2 = 1 / 24, C3 = -1 / 720, C4 = 1 / 40320, C5 = -1 / 3628800;
const S1 = -1 / 6, S2 = 1 / 120, S3 = -1 / 5040, S4 = 1 / 362880, S5 = -1 / 39916800;
// cos x and sin x from c = cos r, s = sin r where x = r + q·π/2: by the quadrant q mod 4
const COS_FROM_C = [1, 0, -1, 0], COS_FROM_S = [0, -1, 0, 1];
const SIN_FROM_C = [0, 1, 0, -1], SIN_FROM_S = [1, 0, -1, 0];

/**
 * x reduced to [−π, π] in double precision: V8's exact reduction of huge arguments (w·Δt reaches 1e7 rad) is
 * slow, and a float32 input carries no more precision than this
 */
export function reduceAngle(x: number): number {
  return x - (x * INV_TWO_PI + ROUND - ROUND) * TWO_PI;
}

const cosPoly = (r2: number): number => 1 + r2 * (C1 + r2 * (C2 + r2 * (C3 + r2 * (C4 + r2 * C5))));
const sinPoly = (r: number, r2: number): number => r * (1 + r2 * (S1 + r2 * (S2 + r2 * (S3 + r2 * (S4 + r2 * S5)))));

/** the nearest multiple q of π/2 to x (as a double); x − q·π/2 is in [−π/4, π/4] */
const quadrantOf = (x: number): number => x * INV_HALF_PI + ROUND - ROUND;

/** cos(x) without branches: the quadrant, then a short polynomial (V8 reduces huge arguments exactly, which is slow) */
export function fastCos(x: number): number {
  const q = quadrantOf(x);
  const r = x - q * HALF_PI;
  const r2 = r * r;
  const k = q & 3;
  return COS_FROM_C[k]! * cosPoly(r2) + COS_FROM_S[k]! * sinPoly(r, r2);
}

export function fastSin(x: number): number {
  const q = quadrantOf(x);
  const r = x - q * HALF_PI;
  const r2 = r * r;
  const k = q & 3;
  return SIN_FROM_C[k]! * cosPoly(r2) + SIN_FROM_S[k]! * sinPoly(r, r2);
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
 * The cosine time encoding out[i, j] = cos(dt[i]·w[j] + b[j]) (n × D), and sin of the same arguments into
 * `sines` for the backward pass. Arguments first, then both functions in place (one range reduction for
 * both): two plain loops ran ~1.5× faster in V8 than one nested loop doing both.
 */
export function timeEncodingForward(dt: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, out: Float32Array, sines: Float32Array): void {
  timeArguments(dt, w, b, out);
  for (let i = 0; i < out.length; i++) {
    const x = out[i]!;
    const q = quadrantOf(x);
    const r = x - q * HALF_PI;
    const r2 = r * r;
    const c = cosPoly(r2);
    const sn = sinPoly(r, r2);
    const k = q & 3;
    out[i] = COS_FROM_C[k]! * c + COS_FROM_S[k]! * sn;
    sines[i] = SIN_FROM_C[k]! * c + SIN_FROM_S[k]! * sn;
  }
}

/**
 * The time encoding's gradients from the forward pass's sines: dw[j] = −Σᵢ dy[i, j]·sin(x[i, j])·dt[i],
 * db[j] = −Σᵢ dy[i, j]·sin(x[i, j]).
 */
export function timeEncodingBackward(dy: ArrayLike<number>, dt: ArrayLike<number>, sines: ArrayLike<number>, dw: Float32Array, db: Float32Array): void {
  const D = dw.length;
  const sw = new Float64Array(D);
  const sb = new Float64Array(D);
  for (let i = 0; i < dt.length; i++) {
    const t = dt[i]!;
    const o = i * D;
    for (let j = 0; j < D; j++) {
      const g = -dy[o + j]! * sines[o + j]!;
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

/**
 * The arrays of one neighbour-attention call (see fused.ts neighbourAttention for their meaning): slot s of
 * query q (s = q·K + k) reads row rows[s] of the kv table and row eRows[s] of the edge terms.
 */
export interface AttentionArrays {
  /** U × 2HC: key projection (first HC columns), value projection (last HC) of each table node */
  readonly kv: ArrayLike<number>;
  /** Q·K: the kv row of each slot */
  readonly rows: ArrayLike<number>;
  /** R × HC: the edge terms of the real slots, added to both key and value */
  readonly e: ArrayLike<number>;
  /** Q·K: the row in e of each real slot (padding: ignored) */
  readonly eRows: ArrayLike<number>;
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
    const kvo = a.rows[slot]! * 2 * HC + h * C;
    const eo = a.eRows[slot]! * HC + h * C;
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
        const vo = a.rows[slot]! * 2 * HC + HC + h * C;
        const eo = a.eRows[slot]! * HC + h * C;
        for (let c = 0; c < C; c++) acc[c]! += wk * (a.kv[vo + c]! + a.e[eo + c]!);
      }
      const oo = q * HC + h * C;
      for (let c = 0; c < C; c++) out[oo + c] = acc[c]!;
    }
  }
}

/** Gradients of attentionForward's output (dy, Q × HC) with respect to kv, e and q (summed over the slots that read a row); dkv, de, dq start zeroed. */
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
        const vo = a.rows[slot]! * 2 * HC + HC + h * C;
        const eo = a.eRows[slot]! * HC + h * C;
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
        const ko = a.rows[slot]! * 2 * HC + h * C;
        const eo = a.eRows[slot]! * HC + h * C;
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

/** Adam's constants for one step: the step size, the betas, ε, and 1 − βᵗ for both (float32 values) */
export interface AdamStep {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly oneMinusAccBeta1: number;
  readonly oneMinusAccBeta2: number;
}

/**
 * One Adam step of a variable, element by element, in double precision (stored as float32):
 * m' = β₁m + (1 − β₁)g, v' = β₂v + (1 − β₂)g², x' = x − lr · (m'/(1 − β₁ᵗ)) / (√(v'/(1 − β₂ᵗ)) + ε), tfjs'
 * AdamOptimizer's formula. Rounding each operation to float32 as tfjs' ops do cost ~4 ms per TGN step in V8
 * (14 roundings per value); this agrees with tfjs to float32 noise (fusedAdam.test.ts).
 */
export function adamUpdate(
  value: ArrayLike<number>, m: ArrayLike<number>, v: ArrayLike<number>, g: ArrayLike<number>, step: AdamStep,
  outValue: Float32Array, outM: Float32Array, outV: Float32Array,
): void {
  const b1 = step.beta1;
  const b2 = step.beta2;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const eps = step.epsilon;
  const lr = step.learningRate;
  const inv1 = 1 / step.oneMinusAccBeta1;
  const inv2 = 1 / step.oneMinusAccBeta2;
  for (let i = 0; i < value.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + c1 * gi;
    const vi = b2 * v[i]! + c2 * gi * gi;
    outM[i] = mi;
    outV[i] = vi;
    outValue[i] = value[i]! - (lr * mi * inv1) / (Math.sqrt(vi * inv2) + eps);
  }
}

const LOG2E = Math.LOG2E;
/** 2^k for whole k in [−140, 140] */
const POW2 = Float64Array.from({ length: 281 }, (_, i) => 2 ** (i - 140));

/**
 * e^x to ~1e-9 relative (2^(x·log₂e): a table for the whole power, a degree-7 polynomial for the fraction
 * in [−½, ½]); ~3× faster in V8 than Math.exp. Arguments are clamped to ±87 (float32's range).
 */
export function fastExp(x: number): number {
  const t = Math.max(-87, Math.min(87, x)) * LOG2E;
  const k = t + ROUND - ROUND;
  const f = (t - k) * Math.LN2;
  const p = 1 + f * (1 + f * (1 / 2 + f * (1 / 6 + f * (1 / 24 + f * (1 / 120 + f * (1 / 720 + f * (1 / 5040)))))));
  return p * POW2[k + 140]!;
}

/**
 * PyTorch's GRUCell gates from the two projections gx = x·Wx + bx and gh = h·Wh + bh (M × 3H, gates r, z, n
 * side by side) and the previous state h (M × H): r = σ(gx_r + gh_r), z = σ(gx_z + gh_z),
 * n = tanh(gx_n + r·gh_n), h' = (1 − z)·n + z·h. Keeps r, z, n (M × 3H) for the backward pass.
 */
export function gruForward(gx: ArrayLike<number>, gh: ArrayLike<number>, h: ArrayLike<number>, H: number, out: Float32Array, gates: Float32Array): void {
  const M = out.length / Math.max(H, 1);
  for (let m = 0; m < M; m++) {
    const g = m * 3 * H;
    const o = m * H;
    for (let j = 0; j < H; j++) {
      const r = 1 / (1 + fastExp(-(gx[g + j]! + gh[g + j]!)));
      const z = 1 / (1 + fastExp(-(gx[g + H + j]! + gh[g + H + j]!)));
      const n = 1 - 2 / (fastExp(2 * (gx[g + 2 * H + j]! + r * gh[g + 2 * H + j]!)) + 1);
      gates[g + j] = r;
      gates[g + H + j] = z;
      gates[g + 2 * H + j] = n;
      out[o + j] = (1 - z) * n + z * h[o + j]!;
    }
  }
}

/** gruForward's gradients with respect to gx, gh and h (dy: M × H), from its kept gates. */
export function gruBackward(
  dy: ArrayLike<number>, gh: ArrayLike<number>, h: ArrayLike<number>, gates: ArrayLike<number>, H: number,
  dgx: Float32Array, dgh: Float32Array, dh: Float32Array,
): void {
  const M = dh.length / Math.max(H, 1);
  for (let m = 0; m < M; m++) {
    const g = m * 3 * H;
    const o = m * H;
    for (let j = 0; j < H; j++) {
      const r = gates[g + j]!;
      const z = gates[g + H + j]!;
      const n = gates[g + 2 * H + j]!;
      const d = dy[o + j]!;
      const dan = d * (1 - z) * (1 - n * n);
      const dar = dan * gh[g + 2 * H + j]! * r * (1 - r);
      const daz = d * (h[o + j]! - n) * z * (1 - z);
      dgx[g + j] = dar;
      dgx[g + H + j] = daz;
      dgx[g + 2 * H + j] = dan;
      dgh[g + j] = dar;
      dgh[g + H + j] = daz;
      dgh[g + 2 * H + j] = dan * r;
      dh[o + j] = d * z;
    }
  }
}
