/**
 * Mailbox: the raw mails each node received and has not yet applied to its memory, at most
 * `capacity` per node (older ones are overwritten, ring-buffer style). A mail is stored raw, as the
 * event that caused it (other endpoint, time, edge index); the message vector is computed when the
 * mail is applied, from the memories at that moment (as PyG's TGN does), so the updater gets gradients.
 */
export class Mailbox {
  readonly other: Int32Array;
  readonly t: Float64Array;
  readonly edge: Int32Array;
  /** mails held by each node (≤ capacity) */
  readonly count: Int32Array;
  /** slot the next mail of each node goes to */
  private readonly head: Int32Array;
  /** mails overwritten before being applied, since reset (information loss) */
  dropped = 0;

  constructor(readonly numNodes: number, readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`Mailbox: capacity must be an integer ≥ 1, got ${capacity}`);
    this.other = new Int32Array(numNodes * capacity);
    this.t = new Float64Array(numNodes * capacity);
    this.edge = new Int32Array(numNodes * capacity);
    this.count = new Int32Array(numNodes);
    this.head = new Int32Array(numNodes);
  }

  save(): { other: Int32Array; t: Float64Array; edge: Int32Array; count: Int32Array; head: Int32Array; dropped: number } {
    return { other: this.other.slice(), t: this.t.slice(), edge: this.edge.slice(), count: this.count.slice(), head: this.head.slice(), dropped: this.dropped };
  }

  restore(saved: ReturnType<Mailbox['save']>): void {
    this.other.set(saved.other);
    this.t.set(saved.t);
    this.edge.set(saved.edge);
    this.count.set(saved.count);
    this.head.set(saved.head);
    this.dropped = saved.dropped;
  }

  reset(): void {
    this.count.fill(0);
    this.head.fill(0);
    this.dropped = 0;
  }

  hasMail(node: number): boolean {
    return this.count[node]! > 0;
  }

  push(node: number, other: number, t: number, edge: number): void {
    const k = this.capacity;
    const slot = node * k + this.head[node]!;
    this.other[slot] = other;
    this.t[slot] = t;
    this.edge[slot] = edge;
    this.head[node] = (this.head[node]! + 1) % k;
    if (this.count[node]! < k) this.count[node]!++;
    else this.dropped++;
  }

  /** slot indices of the node's mails, oldest first */
  slots(node: number): number[] {
    const k = this.capacity;
    const c = this.count[node]!;
    const out: number[] = [];
    for (let i = 0; i < c; i++) out.push(node * k + ((this.head[node]! - c + i + k) % k));
    return out;
  }

  /** slot of the most recent mail (the node must have mail) */
  lastSlot(node: number): number {
    const k = this.capacity;
    return node * k + ((this.head[node]! - 1 + k) % k);
  }

  clear(node: number): void {
    this.count[node] = 0;
    this.head[node] = 0;
  }

  /** Stores the mails of events [from, to): one to each endpoint; a self-loop mails its node once. */
  storeEvents(src: Int32Array, dst: Int32Array, t: Float64Array, from: number, to: number): void {
    for (let e = from; e < to; e++) {
      const u = src[e]!;
      const v = dst[e]!;
      this.push(u, v, t[e]!, e);
      if (v !== u) this.push(v, u, t[e]!, e);
    }
  }
}
