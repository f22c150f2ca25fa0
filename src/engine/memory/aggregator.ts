import { tf, type Tensor2D, type Variable } from '../tf.ts';
import type { Mailbox } from './mailbox.ts';
import { Linear } from '../nn/linear.ts';
import type { Module } from '../nn/module.ts';
import type { Rng } from '../util/rng.ts';

/** Which stored mails feed each node's update: `mailSlots[i]` is applied to node row `segment[i]`. */
export interface MailSelection {
  readonly mailSlots: Int32Array;
  readonly segment: Int32Array;
}

/** Reduces several messages per node to one (TGN's message aggregator). */
export interface MessageAggregator extends Module {
  readonly name: 'last' | 'mean' | 'attention';
  /** picks the mails to apply for each node (every node listed must hold mail) */
  select(mailbox: Mailbox, nodes: ArrayLike<number>): MailSelection;
  /** messages (one row per selected mail) → one row per node; `memory` = the nodes' current memory */
  aggregate(messages: Tensor2D, selection: MailSelection, numNodes: number, memory: Tensor2D): Tensor2D;
}

/** every mail of each node, oldest first */
function selectAll(mailbox: Mailbox, nodes: ArrayLike<number>): MailSelection {
  const slots: number[] = [];
  const seg: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (const s of mailbox.slots(nodes[i]!)) {
      slots.push(s);
      seg.push(i);
    }
  }
  return { mailSlots: Int32Array.from(slots), segment: Int32Array.from(seg) };
}

/** Keeps only the most recent mail (TGN's default, PyG's LastAggregator). */
export class LastAggregator implements MessageAggregator {
  readonly name = 'last' as const;
  readonly variables: readonly Variable[] = [];
  resetParameters(): void {}
  dispose(): void {}

  select(mailbox: Mailbox, nodes: ArrayLike<number>): MailSelection {
    const mailSlots = new Int32Array(nodes.length);
    const segment = new Int32Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      mailSlots[i] = mailbox.lastSlot(nodes[i]!);
      segment[i] = i;
    }
    return { mailSlots, segment };
  }

  aggregate(messages: Tensor2D): Tensor2D {
    return messages;
  }
}

/** Averages all held mails (for mailboxes of size k > 1). */
export class MeanAggregator implements MessageAggregator {
  readonly name = 'mean' as const;
  readonly variables: readonly Variable[] = [];
  resetParameters(): void {}
  dispose(): void {}

  select(mailbox: Mailbox, nodes: ArrayLike<number>): MailSelection {
    return selectAll(mailbox, nodes);
  }

  aggregate(messages: Tensor2D, selection: MailSelection, numNodes: number): Tensor2D {
    const counts = new Float32Array(numNodes);
    for (const s of selection.segment) counts[s]!++;
    const sums = tf.unsortedSegmentSum(messages, tf.tensor1d(selection.segment, 'int32'), numNodes);
    return tf.div(sums, tf.tensor2d(counts, [numNodes, 1]));
  }
}

/**
 * Attention over a node's mails (as APAN / TGL's mailbox attention): score_j = (W_q s)·(W_k m_j)/√d with
 * s the node's memory and m_j its messages; softmax over the node's own mails; the aggregate is the
 * weighted sum of the messages.
 */
export class AttentionAggregator implements MessageAggregator {
  readonly name = 'attention' as const;
  private readonly query: Linear;
  private readonly key: Linear;

  constructor(memoryDim: number, messageDim: number, private readonly dim: number, rng: Rng) {
    this.query = new Linear(memoryDim, dim, rng);
    this.key = new Linear(messageDim, dim, rng);
  }

  get variables(): readonly Variable[] {
    return [...this.query.variables, ...this.key.variables];
  }

  resetParameters(rng: Rng): void {
    this.query.resetParameters(rng);
    this.key.resetParameters(rng);
  }

  dispose(): void {
    this.query.dispose();
    this.key.dispose();
  }

  select(mailbox: Mailbox, nodes: ArrayLike<number>): MailSelection {
    return selectAll(mailbox, nodes);
  }

  aggregate(messages: Tensor2D, selection: MailSelection, numNodes: number, memory: Tensor2D): Tensor2D {
    const segment = tf.tensor1d(selection.segment, 'int32');
    const q = tf.gather(this.query.apply(memory), segment); // one query row per mail
    const k = this.key.apply(messages);
    const scores = tf.div(tf.sum(tf.mul(q, k), 1), Math.sqrt(this.dim));
    // per-node softmax; subtracting the global max keeps exp() finite and leaves each node's softmax unchanged
    const e = tf.exp(tf.sub(scores, tf.max(scores)));
    const totals = tf.unsortedSegmentSum(e, segment, numNodes);
    const alpha = tf.div(e, tf.gather(totals, segment));
    return tf.unsortedSegmentSum(tf.mul(messages, tf.reshape(alpha, [-1, 1])), segment, numNodes) as Tensor2D;
  }
}
