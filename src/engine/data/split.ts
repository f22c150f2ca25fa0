import type { EventStream } from './eventStream.ts';
import { Rng } from '../util/rng.ts';

/** Contiguous chronological ranges of event indices: [start, end). */
export interface ChronologicalSplit {
  readonly train: readonly [number, number];
  readonly val: readonly [number, number];
  readonly test: readonly [number, number];
  readonly valTime: number;
  readonly testTime: number;
  /**
   * Present when the time thresholds left validation or test empty (the last events share one or two
   * times): the parts then follow event order instead (first ⌊n·(1−val−test)⌋ events, next up to
   * ⌊n·(1−test)⌋, the rest), events at one time can fall in two parts, and valTime/testTime are the times
   * of the last training and last validation event. checkTrainable (trainable.ts) warns about it.
   */
  readonly byOrder?: true;
}

/** numpy.quantile with linear interpolation on sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error('quantileSorted: empty input');
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Chronological split by time quantiles, as TGN, DyGLib and PyG do: train = t ≤ q(1−val−test),
 * val = up to t ≤ q(1−test), test = the rest. Events sharing a time never straddle two parts, except
 * when that would leave validation or test empty (tied or coarse times at the end): then the split
 * falls back to event order (`byOrder`), where DyGLib would evaluate on nothing.
 */
export function chronologicalSplit(stream: EventStream, valRatio = 0.15, testRatio = 0.15): ChronologicalSplit {
  const n = stream.numEvents;
  if (n < 3) throw new Error(`chronologicalSplit: need at least 3 events, got ${n}`);
  const valTime = quantileSorted(stream.t, 1 - valRatio - testRatio);
  const testTime = quantileSorted(stream.t, 1 - testRatio);
  const trainEnd = upperBound(stream.t, valTime);
  const valEnd = upperBound(stream.t, testTime);
  if (trainEnd < valEnd && valEnd < n) return { train: [0, trainEnd], val: [trainEnd, valEnd], test: [valEnd, n], valTime, testTime };
  // every part keeps at least one event
  const a = Math.max(1, Math.min(n - 2, Math.floor(n * (1 - valRatio - testRatio))));
  const b = Math.max(a + 1, Math.min(n - 1, Math.floor(n * (1 - testRatio))));
  return { train: [0, a], val: [a, b], test: [b, n], valTime: stream.t[a - 1]!, testTime: stream.t[b - 1]!, byOrder: true };
}

/** first index with t > x (t sorted ascending) */
export function upperBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Options of `inductiveSplit` (DyGLib's `get_link_prediction_data`). */
export interface InductiveSplitOptions {
  /** seed of the choice of new test nodes (DyGLib fixes 2020) */
  readonly seed: number;
  /** share of ALL nodes of the stream held out as new test nodes (DyGLib: 0.1) */
  readonly newNodeRatio?: number;
  readonly valRatio?: number;
  readonly testRatio?: number;
}

/** The stream and split of DyGLib's link-prediction protocol (both settings) and its inductive subset. */
export interface InductiveSplit {
  /**
   * the stream without the training events (t ≤ valTime) that touch a new test node; validation and test
   * events unchanged; same node ids, features and labels
   */
  readonly stream: EventStream;
  /** the split of the derived stream, at the time thresholds of the original stream */
  readonly split: ChronologicalSplit;
  /** index in the original stream of each event of the derived stream */
  readonly originalEvent: Int32Array;
  /** the sampled new test nodes, ascending */
  readonly newTestNodes: Int32Array;
  /** nodes that occur in the stream but in no training event of the derived stream (DyGLib's new_node_set), ascending */
  readonly unseenNodes: Int32Array;
  /** per event of the derived stream: 1 for a validation or test event with an endpoint unseen in training */
  readonly inductiveMask: Uint8Array;
  /** training events removed (those touching a new test node) */
  readonly removedTrainEvents: number;
}

/**
 * DyGLib's transductive/inductive split (`utils/DataLoader.py`, `get_link_prediction_data`): the nodes of
 * events after valTime form the test node set; ⌊newNodeRatio · (all nodes)⌋ of them, chosen with the seed,
 * are the new test nodes; training keeps only events with t ≤ valTime touching no new test node (in both
 * settings); transductive evaluation is every validation/test event, inductive evaluation those with an
 * endpoint that occurs in no kept training event. DyGLib samples from a Python set with `random.sample`,
 * so the chosen nodes differ from ours for the same seed; the definition is the same.
 */
export function inductiveSplit(stream: EventStream, options: InductiveSplitOptions): InductiveSplit {
  const { seed, newNodeRatio = 0.1, valRatio = 0.15, testRatio = 0.15 } = options;
  if (!(newNodeRatio >= 0 && newNodeRatio < 1)) throw new Error(`inductiveSplit: newNodeRatio must be in [0, 1), got ${newNodeRatio}`);
  const full = chronologicalSplit(stream, valRatio, testRatio);
  const occurs = new Uint8Array(stream.numNodes);
  const afterVal = new Uint8Array(stream.numNodes);
  for (let e = 0; e < stream.numEvents; e++) {
    occurs[stream.src[e]!] = occurs[stream.dst[e]!] = 1;
    if (e >= full.train[1]) afterVal[stream.src[e]!] = afterVal[stream.dst[e]!] = 1;
  }
  const numNodes = occurs.reduce((a, b) => a + b, 0);
  const want = Math.floor(newNodeRatio * numNodes);
  const testNodes: number[] = [];
  for (let v = 0; v < stream.numNodes; v++) if (afterVal[v]) testNodes.push(v);
  if (want > testNodes.length) {
    throw new Error(`inductiveSplit: ${want} new test nodes wanted (${newNodeRatio} of ${numNodes} nodes) but only ${testNodes.length} nodes occur after the validation time; lower newNodeRatio`);
  }
  // seeded partial Fisher–Yates over the ascending test node ids
  const rng = new Rng(seed);
  for (let i = 0; i < want; i++) {
    const j = i + rng.int(testNodes.length - i);
    const tmp = testNodes[i]!;
    testNodes[i] = testNodes[j]!;
    testNodes[j] = tmp;
  }
  return inductiveSplitWithNewNodes(stream, Int32Array.from(testNodes.slice(0, want)).sort(), valRatio, testRatio);
}

/** `inductiveSplit` with the new test nodes given (tests, or a choice made elsewhere). */
export function inductiveSplitWithNewNodes(stream: EventStream, newTestNodes: Int32Array, valRatio = 0.15, testRatio = 0.15): InductiveSplit {
  const full = chronologicalSplit(stream, valRatio, testRatio);
  const isNew = new Uint8Array(stream.numNodes);
  for (const v of newTestNodes) {
    if (!(v >= 0 && v < stream.numNodes)) throw new Error(`inductiveSplit: new test node ${v} is not a node id (0..${stream.numNodes - 1})`);
    isNew[v] = 1;
  }
  const kept: number[] = [];
  const seenInTraining = new Uint8Array(stream.numNodes);
  for (let e = 0; e < full.train[1]; e++) {
    const u = stream.src[e]!;
    const v = stream.dst[e]!;
    if (isNew[u] || isNew[v]) continue;
    kept.push(e);
    seenInTraining[u] = seenInTraining[v] = 1;
  }
  const trainEnd = kept.length;
  for (let e = full.train[1]; e < stream.numEvents; e++) kept.push(e);
  const originalEvent = Int32Array.from(kept);
  const derived = selectEvents(stream, originalEvent);
  const shift = full.train[1] - trainEnd;
  const split: ChronologicalSplit = {
    train: [0, trainEnd],
    val: [full.val[0] - shift, full.val[1] - shift],
    test: [full.test[0] - shift, full.test[1] - shift],
    valTime: full.valTime,
    testTime: full.testTime,
    ...(full.byOrder ? { byOrder: true as const } : {}),
  };
  const inductiveMask = new Uint8Array(derived.numEvents);
  for (let e = trainEnd; e < derived.numEvents; e++) {
    if (!seenInTraining[derived.src[e]!] || !seenInTraining[derived.dst[e]!]) inductiveMask[e] = 1;
  }
  const occurs = new Uint8Array(stream.numNodes);
  for (let e = 0; e < stream.numEvents; e++) occurs[stream.src[e]!] = occurs[stream.dst[e]!] = 1;
  const unseen: number[] = [];
  for (let v = 0; v < stream.numNodes; v++) if (occurs[v] && !seenInTraining[v]) unseen.push(v);
  return {
    stream: derived,
    split,
    originalEvent,
    newTestNodes: Int32Array.from(newTestNodes).sort(),
    unseenNodes: Int32Array.from(unseen),
    inductiveMask,
    removedTrainEvents: shift,
  };
}

/** the events `index` (ascending) of a stream as a new stream with the same nodes */
function selectEvents(stream: EventStream, index: Int32Array): EventStream {
  const d = stream.edgeFeatureDim;
  const n = index.length;
  const edgeFeatures = new Float32Array(n * d);
  for (let i = 0; i < n; i++) edgeFeatures.set(stream.edgeFeatures.subarray(index[i]! * d, (index[i]! + 1) * d), i * d);
  const pick = <A extends Int32Array | Float64Array | Float32Array>(a: A, make: (len: number) => A): A => {
    const out = make(n);
    for (let i = 0; i < n; i++) out[i] = a[index[i]!]!;
    return out;
  };
  return {
    src: pick(stream.src, (len) => new Int32Array(len)),
    dst: pick(stream.dst, (len) => new Int32Array(len)),
    t: pick(stream.t, (len) => new Float64Array(len)),
    edgeFeatures,
    edgeFeatureDim: d,
    labels: stream.labels ? pick(stream.labels, (len) => new Float32Array(len)) : null,
    numEvents: n,
    numNodes: stream.numNodes,
    rawNodeIds: stream.rawNodeIds,
    sourceLine: pick(stream.sourceLine, (len) => new Int32Array(len)),
  };
}
