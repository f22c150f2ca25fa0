import { tf, type Tensor2D } from '../tf.ts';
import type { Mailbox } from './mailbox.ts';

/** Which stored mails feed each node's update: `mailSlots[i]` is applied to node row `segment[i]`. */
export interface MailSelection {
  readonly mailSlots: Int32Array;
  readonly segment: Int32Array;
}

/** Reduces several messages per node to one (TGN's message aggregator). */
export interface MessageAggregator {
  readonly name: 'last' | 'mean';
  /** picks the mails to apply for each node (every node listed must hold mail) */
  select(mailbox: Mailbox, nodes: ArrayLike<number>): MailSelection;
  /** messages (one row per selected mail) → one row per node */
  aggregate(messages: Tensor2D, selection: MailSelection, numNodes: number): Tensor2D;
}

/** Keeps only the most recent mail (TGN's default, PyG's LastAggregator). */
export class LastAggregator implements MessageAggregator {
  readonly name = 'last' as const;

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

  select(mailbox: Mailbox, nodes: ArrayLike<number>): MailSelection {
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

  aggregate(messages: Tensor2D, selection: MailSelection, numNodes: number): Tensor2D {
    const counts = new Float32Array(numNodes);
    for (const s of selection.segment) counts[s]!++;
    const sums = tf.unsortedSegmentSum(messages, tf.tensor1d(selection.segment, 'int32'), numNodes);
    return tf.div(sums, tf.tensor2d(counts, [numNodes, 1]));
  }
}
