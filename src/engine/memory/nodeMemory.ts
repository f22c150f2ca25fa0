/**
 * Node memory s_i(t) of a memory-based TGNN: one vector per node plus the time of its last update,
 * kept in plain typed arrays (detached from any gradient tape; the updater re-derives gradients from
 * stored mails each batch).
 */
export class NodeMemory {
  readonly state: Float32Array;
  readonly lastUpdate: Float64Array;
  /** number of updates applied to each node since reset */
  readonly updates: Int32Array;

  constructor(readonly numNodes: number, readonly dim: number, private initTime = 0) {
    this.state = new Float32Array(numNodes * dim);
    this.lastUpdate = new Float64Array(numNodes).fill(initTime);
    this.updates = new Int32Array(numNodes);
  }

  /** zero memory; every node's last update is `initTime` (by default the stream's first event time) */
  reset(initTime = this.initTime): void {
    this.initTime = initTime;
    this.state.fill(0);
    this.lastUpdate.fill(initTime);
    this.updates.fill(0);
  }

  /** a copy of the whole state (for restoring later) */
  save(): { state: Float32Array; lastUpdate: Float64Array; updates: Int32Array } {
    return { state: this.state.slice(), lastUpdate: this.lastUpdate.slice(), updates: this.updates.slice() };
  }

  restore(saved: { state: Float32Array; lastUpdate: Float64Array; updates: Int32Array }): void {
    this.state.set(saved.state);
    this.lastUpdate.set(saved.lastUpdate);
    this.updates.set(saved.updates);
  }

  /** copies the state of `nodes` into `to`, arrays laid out as save()'s (a mirror another thread reads) */
  copyNodesTo(nodes: ArrayLike<number>, to: MemoryArrays): void {
    copyNodeRows(this, to, nodes, this.dim);
  }

  /** the state of `nodes` from `from`, arrays laid out as save()'s */
  copyNodesFrom(nodes: ArrayLike<number>, from: MemoryArrays): void {
    copyNodeRows(from, this, nodes, this.dim);
  }

  /** copies the memory rows of `nodes` into `out` (row-major) */
  gather(nodes: ArrayLike<number>, out: Float32Array = new Float32Array(nodes.length * this.dim)): Float32Array {
    const d = this.dim;
    for (let i = 0; i < nodes.length; i++) {
      const v = nodes[i]!;
      out.set(this.state.subarray(v * d, v * d + d), i * d);
    }
    return out;
  }

  /** writes row `row` of `values` as the memory of `node`, updated at time `t` */
  write(node: number, values: Float32Array, row: number, t: number): void {
    const d = this.dim;
    this.state.set(values.subarray(row * d, row * d + d), node * d);
    this.lastUpdate[node] = t;
    this.updates[node]!++;
  }
}

/** a node memory's arrays, as save() returns them */
export type MemoryArrays = ReturnType<NodeMemory['save']>;

function copyNodeRows(from: MemoryArrays, to: MemoryArrays, nodes: ArrayLike<number>, d: number): void {
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i]!;
    to.state.set(from.state.subarray(v * d, v * d + d), v * d);
    to.lastUpdate[v] = from.lastUpdate[v]!;
    to.updates[v] = from.updates[v]!;
  }
}
