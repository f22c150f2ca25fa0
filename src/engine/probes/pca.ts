/**
 * Projects row vectors (n × d, row-major) onto their top two principal components by power iteration
 * with deflation. Deterministic: fixed start vectors, and each component's sign is chosen so that its
 * largest-magnitude entry is positive, so successive projections do not flip while training moves.
 * `previous` (the last components) warm-starts the iteration and keeps their orientation.
 */
export interface Projection2D {
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** the components (2 × d), to pass back as `previous` */
  readonly components: Float64Array;
  /** variance explained by each component (eigenvalues of the sample covariance) */
  readonly variance: readonly [number, number];
  /** total variance of the data (trace of the sample covariance), so variance[c] / totalVariance is PC c's share */
  readonly totalVariance: number;
  /** the share of the total variance each component explains, in [0, 1] (0 and 0 when the data has no spread) */
  readonly varianceFraction: readonly [number, number];
}

export function pca2(data: Float32Array, n: number, d: number, previous: Float64Array | null = null, iterations = 30): Projection2D {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, n);
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = data[i * d + j]! - mean[j]!;
      sumSquares += c * c;
    }
  }
  const totalVariance = sumSquares / Math.max(1, n - 1);
  const components = new Float64Array(2 * d);
  const variance: [number, number] = [0, 0];
  const scores = new Float64Array(n);
  for (let c = 0; c < 2; c++) {
    const v = new Float64Array(d);
    if (previous && previous.length === 2 * d) v.set(previous.subarray(c * d, c * d + d));
    else for (let j = 0; j < d; j++) v[j] = 1 + ((j * (c + 1) * 7919) % 13) / 13;
    normalise(v);
    for (let it = 0; it < iterations; it++) {
      // w = Xcᵀ (Xc v), with earlier components projected out
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[i * d + j]! - mean[j]!) * v[j]!;
        scores[i] = s;
      }
      const w = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const s = scores[i]!;
        if (s === 0) continue;
        for (let j = 0; j < d; j++) w[j]! += (data[i * d + j]! - mean[j]!) * s;
      }
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += w[j]! * components[p * d + j]!;
        for (let j = 0; j < d; j++) w[j]! -= dot * components[p * d + j]!;
      }
      const norm = normalise(w);
      if (norm === 0) break;
      v.set(w);
      variance[c] = norm / Math.max(1, n - 1);
    }
    if (!previous) {
      let big = 0;
      for (let j = 0; j < d; j++) if (Math.abs(v[j]!) > Math.abs(v[big]!)) big = j;
      if (v[big]! < 0) for (let j = 0; j < d; j++) v[j] = -v[j]!;
    } else {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += v[j]! * previous[c * d + j]!;
      if (dot < 0) for (let j = 0; j < d; j++) v[j] = -v[j]!;
    }
    components.set(v, c * d);
  }
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < d; j++) {
      const centred = data[i * d + j]! - mean[j]!;
      a += centred * components[j]!;
      b += centred * components[d + j]!;
    }
    x[i] = a;
    y[i] = b;
  }
  const share = (v: number): number => (totalVariance > 0 ? Math.min(1, v / totalVariance) : 0);
  return { x, y, components, variance, totalVariance, varianceFraction: [share(variance[0]), share(variance[1])] };
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (const a of v) s += a * a;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j]! /= norm;
  return norm;
}
