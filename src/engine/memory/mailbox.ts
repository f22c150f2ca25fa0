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
  /**
   * optional vector stored with each mail (payloadDim per slot; empty when 0): DyRep's messages carry the
   * other endpoint's embedding as computed in the event's batch, which cannot be recomputed later
   */
  readonly payload: Float32Array;
  /** mails overwritten before being applied, since reset (information loss) */
  dropped = 0;

  constructor(readonly numNodes: number, readonly capacity: number, readonly payloadDim = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`Mailbox: capacity must be an integer ≥ 1, got ${capacity}`);
    this.payload = new Float32Array(numNodes * capacity * payloadDim);
    this.other = new Int32Array(numNodes * capacity);
    this.t = new Float64Array(numNodes * capacity);
    this.edge = new Int32Array(numNodes * capacity);
    this.count = new Int32Array(numNodes);
    this.head = new Int32Array(numNodes);
  }

  save(): { other: Int32Array; t: Float64Array; edge: Int32Array; count: Int32Array; head: Int32Array; payload: Float32Array; dropped: number } {
    return {
      other: this.other.slice(), t: this.t.slice(), edge: this.edge.slice(), count: this.count.slice(), head: this.head.slice(),
      payload: this.payload.slice(), dropped: this.dropped,
    };
  }

  restore(saved: ReturnType<Mailbox['save']>): void {
    this.payload.set(saved.payload);
    this.other.set(saved.other);
    this.t.set(saved.t);
    this.edge.set(saved.edge);
    this.count.set(saved.count);
    this.head.set(saved.head);
    this.dropped = saved.dropped;
  }

  /** copies the mails of `nodes` into `to`, arrays laid out as save()'s (a mirror another thread reads) */
  copyNodesTo(nodes: ArrayLike<number>, to: MailboxArrays): void {
    copyNodeMail(this.arrays(), to, nodes, this.capacity, this.payloadDim);
  }

  /** the mails of `nodes` from `from`, arrays laid out as save()'s */
  copyNodesFrom(nodes: ArrayLike<number>, from: MailboxArrays): void {
    copyNodeMail(from, this.arrays(), nodes, this.capacity, this.payloadDim);
  }

  /** this mailbox's own arrays (not copies: for copyNodesFrom of another mailbox) */
  arrays(): MailboxArrays {
    return { other: this.other, t: this.t, edge: this.edge, count: this.count, head: this.head, payload: this.payload };
  }

  reset(): void {
    this.count.fill(0);
    this.head.fill(0);
    this.dropped = 0;
  }

  hasMail(node: number): boolean {
    return this.count[node]! > 0;
  }

  /** stores a mail; `payload` (payloadDim values from `payloadAt`) is copied into the slot when given */
  push(node: number, other: number, t: number, edge: number, payload?: Float32Array, payloadAt = 0): void {
    const k = this.capacity;
    const slot = node * k + this.head[node]!;
    if (payload && this.payloadDim > 0) {
      const p = this.payloadDim;
      this.payload.set(payload.subarray(payloadAt * p, payloadAt * p + p), slot * p);
    }
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

  /**
   * Consumes the node's mails up to time t (those a memory update applied), oldest first; newer mails stay.
   * Without pipelining every held mail is at most t, so this is `clear`; with delayed writes (a batch's
   * update landing after later batches stored mail) the later mails survive.
   */
  consumeUpTo(node: number, t: number): void {
    const slots = this.slots(node);
    let n = 0;
    while (n < slots.length && this.t[slots[n]!]! <= t) n++;
    if (n === slots.length) this.clear(node);
    else this.count[node] = slots.length - n;
  }

  /**
   * Stores the mails of events [from, to): one to each endpoint; a self-loop mails its node once. With
   * `payload`, the mail to u from v carries row `payload.rowOf(v)` of `payload.values` (payloadDim wide).
   */
  storeEvents(
    src: Int32Array, dst: Int32Array, t: Float64Array, from: number, to: number,
    payload?: { readonly values: Float32Array; readonly rowOf: (node: number) => number },
  ): void {
    for (let e = from; e < to; e++) {
      const u = src[e]!;
      const v = dst[e]!;
      this.push(u, v, t[e]!, e, payload?.values, payload ? payload.rowOf(v) : 0);
      if (v !== u) this.push(v, u, t[e]!, e, payload?.values, payload ? payload.rowOf(u) : 0);
    }
  }
}

/** a mailbox's arrays, as save() returns them (without the dropped count) */
export type MailboxArrays = Omit<ReturnType<Mailbox['save']>, 'dropped'>;

function copyNodeMail(from: MailboxArrays, to: MailboxArrays, nodes: ArrayLike<number>, k: number, p: number): void {
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i]!;
    const a = v * k;
    to.other.set(from.other.subarray(a, a + k), a);
    to.t.set(from.t.subarray(a, a + k), a);
    to.edge.set(from.edge.subarray(a, a + k), a);
    if (p > 0) to.payload.set(from.payload.subarray(a * p, (a + k) * p), a * p);
    to.count[v] = from.count[v]!;
    to.head[v] = from.head[v]!;
  }
}
