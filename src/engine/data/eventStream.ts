/**
 * A temporal event stream in columnar typed arrays (no per-event objects).
 * Events are sorted by time ascending; ties keep file order (stable).
 */
export interface EventStream {
  /** compacted source node ids 0..numNodes-1 */
  readonly src: Int32Array;
  /** compacted destination node ids 0..numNodes-1 */
  readonly dst: Int32Array;
  /** event times, ascending */
  readonly t: Float64Array;
  /** edge features, row-major (numEvents × edgeFeatureDim); length 0 when edgeFeatureDim is 0 */
  readonly edgeFeatures: Float32Array;
  readonly edgeFeatureDim: number;
  /** optional per-event label (e.g. JODIE state_label) */
  readonly labels: Float32Array | null;
  readonly numEvents: number;
  readonly numNodes: number;
  /** raw id of each compacted node (string as written in the file) */
  readonly rawNodeIds: readonly string[];
  /** 1-based line in the source file of each event after sorting (for messages) */
  readonly sourceLine: Int32Array;
}

export function assertEventStream(s: EventStream): void {
  const n = s.numEvents;
  if (s.src.length !== n || s.dst.length !== n || s.t.length !== n) {
    throw new Error(`EventStream: expected src/dst/t of length ${n}, got ${s.src.length}/${s.dst.length}/${s.t.length}`);
  }
  if (s.edgeFeatures.length !== n * s.edgeFeatureDim) {
    throw new Error(`EventStream: expected ${n * s.edgeFeatureDim} edge feature values, got ${s.edgeFeatures.length}`);
  }
  for (let i = 1; i < n; i++) {
    if (s.t[i]! < s.t[i - 1]!) throw new Error(`EventStream: times not sorted at event ${i}`);
  }
}

/** Builds an EventStream from plain arrays (tests, generators). Node ids must already be 0..N-1. */
export function makeEventStream(
  events: ReadonlyArray<readonly [src: number, dst: number, t: number, ...features: number[]]>,
  numNodes?: number,
): EventStream {
  const n = events.length;
  const d = n > 0 ? events[0]!.length - 3 : 0;
  const src = new Int32Array(n);
  const dst = new Int32Array(n);
  const t = new Float64Array(n);
  const edgeFeatures = new Float32Array(n * d);
  let maxId = -1;
  events.forEach((e, i) => {
    if (e.length - 3 !== d) throw new Error(`makeEventStream: event ${i} has ${e.length - 3} features, expected ${d}`);
    src[i] = e[0];
    dst[i] = e[1];
    t[i] = e[2];
    for (let k = 0; k < d; k++) edgeFeatures[i * d + k] = e[3 + k]!;
    maxId = Math.max(maxId, e[0], e[1]);
  });
  const nodes = numNodes ?? maxId + 1;
  const s: EventStream = {
    src, dst, t, edgeFeatures, edgeFeatureDim: d, labels: null, numEvents: n, numNodes: nodes,
    rawNodeIds: Array.from({ length: nodes }, (_, i) => String(i)),
    sourceLine: Int32Array.from({ length: n }, (_, i) => i + 1),
  };
  assertEventStream(s);
  return s;
}
