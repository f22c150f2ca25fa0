import type { Rng } from '../util/rng.ts';

/** Neighbour slots returned by a query: up to k per query node, most recent last. */
export interface NeighbourBatch {
  /** k slots per query, row-major (numQueries × k) */
  readonly node: Int32Array;
  readonly edge: Int32Array;
  readonly t: Float64Array;
  /** number of valid slots per query (valid slots are 0..count-1; the rest are padding with node = -1) */
  readonly count: Int32Array;
  readonly k: number;
}

/**
 * Temporal neighbour index in T-CSR layout (as TGL): per node, its incident events in one flat array
 * ordered by time, so "neighbours before t" is a binary search. It is filled incrementally: `insert`
 * appends events (which must arrive in non-decreasing time), `reset` empties it without reallocating.
 * Both directions are indexed (src sees dst and dst sees src); a self-loop is indexed once.
 */
export class TemporalIndex {
  private readonly offset: Int32Array;
  private readonly fill: Int32Array;
  private readonly nbrNode: Int32Array;
  private readonly nbrEdge: Int32Array;
  private readonly nbrT: Float64Array;
  private lastT = -Infinity;
  private inserted = 0;

  /** `src`, `dst` are the whole stream, used only to size each node's slot range. */
  constructor(numNodes: number, src: Int32Array, dst: Int32Array) {
    const degree = new Int32Array(numNodes);
    for (let i = 0; i < src.length; i++) {
      degree[src[i]!]!++;
      if (dst[i] !== src[i]) degree[dst[i]!]!++;
    }
    this.offset = new Int32Array(numNodes + 1);
    for (let v = 0; v < numNodes; v++) this.offset[v + 1] = this.offset[v]! + degree[v]!;
    const total = this.offset[numNodes]!;
    this.fill = this.offset.slice(0, numNodes);
    this.nbrNode = new Int32Array(total);
    this.nbrEdge = new Int32Array(total);
    this.nbrT = new Float64Array(total);
  }

  get numNodes(): number {
    return this.fill.length;
  }

  /** events inserted since the last reset */
  get size(): number {
    return this.inserted;
  }

  /** the insertion cursor: events inserted since reset can be rolled back to it with `restore` */
  save(): { fill: Int32Array; lastT: number; inserted: number } {
    return { fill: this.fill.slice(), lastT: this.lastT, inserted: this.inserted };
  }

  restore(saved: { fill: Int32Array; lastT: number; inserted: number }): void {
    this.fill.set(saved.fill);
    this.lastT = saved.lastT;
    this.inserted = saved.inserted;
  }

  reset(): void {
    this.fill.set(this.offset.subarray(0, this.fill.length));
    this.lastT = -Infinity;
    this.inserted = 0;
  }

  /** Adds events [from, to) of the stream the index was built for. */
  insertRange(src: Int32Array, dst: Int32Array, t: Float64Array, from: number, to: number): void {
    for (let e = from; e < to; e++) this.insert(src[e]!, dst[e]!, t[e]!, e);
  }

  insert(u: number, v: number, time: number, edge: number): void {
    if (time < this.lastT) {
      throw new Error(`TemporalIndex.insert: events must arrive in time order, got t=${time} after t=${this.lastT}`);
    }
    this.lastT = time;
    this.push(u, v, time, edge);
    if (u !== v) this.push(v, u, time, edge);
    this.inserted++;
  }

  private push(u: number, v: number, time: number, edge: number): void {
    const p = this.fill[u]!;
    if (p >= this.offset[u + 1]!) {
      throw new Error(`TemporalIndex: node ${u} has more events than the stream it was sized for`);
    }
    this.nbrNode[p] = v;
    this.nbrEdge[p] = edge;
    this.nbrT[p] = time;
    this.fill[u] = p + 1;
  }

  /** Number of indexed events of `u` strictly before `before` (Infinity = all indexed). */
  degreeBefore(u: number, before: number): number {
    return this.cut(u, before) - this.offset[u]!;
  }

  /** end (exclusive) of u's slots with time < before */
  private cut(u: number, before: number): number {
    let lo = this.offset[u]!;
    let hi = this.fill[u]!;
    if (before === Infinity || hi === lo || this.nbrT[hi - 1]! < before) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.nbrT[mid]! < before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The k most recent neighbours of each query node strictly before its time (Infinity = everything
   * indexed so far). Slots are in time order, oldest first; ties keep insertion order.
   */
  mostRecent(nodes: Int32Array, before: Float64Array | number, k: number): NeighbourBatch {
    const out = allocate(nodes.length, k);
    for (let q = 0; q < nodes.length; q++) {
      const u = nodes[q]!;
      const end = this.cut(u, typeof before === 'number' ? before : before[q]!);
      const start = Math.max(this.offset[u]!, end - k);
      const c = end - start;
      out.count[q] = c;
      for (let j = 0; j < c; j++) {
        const s = q * k + j;
        out.node[s] = this.nbrNode[start + j]!;
        out.edge[s] = this.nbrEdge[start + j]!;
        out.t[s] = this.nbrT[start + j]!;
      }
    }
    return out;
  }

  /** k neighbours drawn uniformly with replacement from those strictly before the query time, sorted by time. */
  uniform(nodes: Int32Array, before: Float64Array | number, k: number, rng: Rng): NeighbourBatch {
    const out = allocate(nodes.length, k);
    const picks = new Int32Array(k);
    for (let q = 0; q < nodes.length; q++) {
      const u = nodes[q]!;
      const start = this.offset[u]!;
      const end = this.cut(u, typeof before === 'number' ? before : before[q]!);
      const n = end - start;
      if (n === 0) continue;
      for (let j = 0; j < k; j++) picks[j] = start + rng.int(n);
      picks.sort();
      out.count[q] = k;
      for (let j = 0; j < k; j++) {
        const s = q * k + j;
        const p = picks[j]!;
        out.node[s] = this.nbrNode[p]!;
        out.edge[s] = this.nbrEdge[p]!;
        out.t[s] = this.nbrT[p]!;
      }
    }
    return out;
  }
}

function allocate(numQueries: number, k: number): NeighbourBatch {
  return {
    node: new Int32Array(numQueries * k).fill(-1),
    edge: new Int32Array(numQueries * k).fill(-1),
    t: new Float64Array(numQueries * k),
    count: new Int32Array(numQueries),
    k,
  };
}
