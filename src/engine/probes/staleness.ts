import type { EventStream } from '../data/eventStream.ts';
import type { AnatomyEvent, AnatomyMail, BatchAnatomy, StalenessAtBatchSize } from '../../shared/lab.ts';

/**
 * Counts for consecutive batches (ARCHITECTURE §2): an event is stale when its source or destination
 * already occurs in an earlier event of the same batch; every event mails each endpoint once (a
 * self-loop mails its node once), and a mailbox keeps at most `mailboxSize` mails per node per batch.
 */
export class StalenessCounter {
  private readonly seenIn: Int32Array;
  private readonly mailsTo: Int32Array;
  private batchId = 0;

  constructor(numNodes: number) {
    this.seenIn = new Int32Array(numNodes).fill(-1);
    this.mailsTo = new Int32Array(numNodes);
  }

  /** stale events, mails sent and mails surviving in events [from, to) taken as one batch */
  count(src: Int32Array, dst: Int32Array, from: number, to: number, mailboxSize: number): { stale: number; mails: number; surviving: number } {
    const id = this.batchId++;
    let stale = 0;
    let mails = 0;
    let surviving = 0;
    for (let e = from; e < to; e++) {
      const u = src[e]!;
      const v = dst[e]!;
      if (this.seenIn[u] === id || this.seenIn[v] === id) stale++;
      for (const w of u === v ? [u] : [u, v]) {
        if (this.seenIn[w] !== id) {
          this.seenIn[w] = id;
          this.mailsTo[w] = 0;
        }
        mails++;
        if (this.mailsTo[w]! < mailboxSize) surviving++;
        this.mailsTo[w]!++;
      }
    }
    return { stale, mails, surviving };
  }
}

/** staleFraction and droppedMailFraction of events [range) cut into consecutive batches of each size */
export function stalenessByBatchSize(
  stream: EventStream,
  batchSizes: readonly number[],
  mailboxSize = 1,
  range: readonly [number, number] = [0, stream.numEvents],
): StalenessAtBatchSize[] {
  const counter = new StalenessCounter(stream.numNodes);
  return batchSizes.map((B) => {
    if (!Number.isInteger(B) || B < 1) throw new Error(`batch size must be an integer ≥ 1, got ${B}`);
    let stale = 0;
    let mails = 0;
    let surviving = 0;
    let batches = 0;
    for (let from = range[0]; from < range[1]; from += B) {
      const c = counter.count(stream.src, stream.dst, from, Math.min(range[1], from + B), mailboxSize);
      stale += c.stale;
      mails += c.mails;
      surviving += c.surviving;
      batches++;
    }
    const events = range[1] - range[0];
    return {
      batchSize: B,
      batches,
      staleFraction: events > 0 ? stale / events : 0,
      droppedMailFraction: mails > 0 ? 1 - surviving / mails : 0,
    };
  });
}

/** The teaching picture of one batch: which events are stale (and whose update they miss), which mails drop. */
export function batchAnatomy(stream: EventStream, from: number, to: number, mailboxSize = 1): BatchAnatomy {
  if (from < 0 || to > stream.numEvents || from >= to) throw new Error(`batchAnatomy: bad range [${from}, ${to}) for ${stream.numEvents} events`);
  const lastEventOf = new Map<number, number>();
  const events: AnatomyEvent[] = [];
  const mailEvents = new Map<number, number[]>();
  const mails: { event: number; node: number }[] = [];
  for (let e = from; e < to; e++) {
    const u = stream.src[e]!;
    const v = stream.dst[e]!;
    const missedViaSrc = lastEventOf.get(u) ?? -1;
    const missedViaDst = u === v ? -1 : (lastEventOf.get(v) ?? -1);
    events.push({ index: e, src: u, dst: v, t: stream.t[e]!, stale: missedViaSrc >= 0 || missedViaDst >= 0, missedViaSrc, missedViaDst });
    for (const w of u === v ? [u] : [u, v]) {
      lastEventOf.set(w, e);
      mails.push({ event: e, node: w });
      const list = mailEvents.get(w) ?? [];
      list.push(e);
      mailEvents.set(w, list);
    }
  }
  // a mail survives when it is among the node's last `mailboxSize` mails of the batch
  const out: AnatomyMail[] = mails.map(({ event, node }) => {
    const list = mailEvents.get(node)!;
    const later = list.length - 1 - list.lastIndexOf(event);
    return { event, node, dropped: later >= mailboxSize };
  });
  const stale = events.filter((x) => x.stale).length;
  const dropped = out.filter((m) => m.dropped).length;
  return {
    from, to, mailboxSize, events, mails: out,
    staleFraction: stale / events.length,
    droppedMailFraction: out.length > 0 ? dropped / out.length : 0,
  };
}
