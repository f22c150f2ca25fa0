// The glossary: one meaning per word, in the words the page and the lessons use. Lesson text links an
// entry with [[term]] (its name or one of its other forms); the Glossary panel lists them all.

export interface GlossaryEntry {
  /** stable id (the anchor of the entry) */
  readonly id: string;
  /** the word as headings show it */
  readonly term: string;
  /** other forms a lesson may link it by (plurals, short forms) */
  readonly aliases: readonly string[];
  /** what it means, in one or two sentences */
  readonly meaning: string;
  /** where on the page it shows */
  readonly where: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'event',
    term: 'event',
    aliases: ['events', 'event stream', 'stream'],
    meaning: 'One interaction in the stream: a source node, a destination node, a time and its features (a message sent, an item bought). The stream is the list of events in time order.',
    where: 'Stream timeline; the dataset panel counts them.',
  },
  {
    id: 'node-memory',
    term: 'node memory',
    aliases: ['memory', 'memories', 'memory vector'],
    meaning: 'A vector per node that summarises what the node has done so far. It starts at zero and is rewritten only when a mail for the node is applied; the model reads it to predict the node\'s next events.',
    where: 'Memory map (one dot per node), memory heatmap (the vectors themselves), node inspector.',
  },
  {
    id: 'mail',
    term: 'mail',
    aliases: ['mails', 'message', 'messages'],
    meaning: 'What an event leaves for each of its two nodes: the other node\'s memory, the time since the node\'s last memory update and the event\'s features. A node\'s mail is applied to its memory when the node next appears in a batch.',
    where: 'Batch anatomy (the small squares under each event).',
  },
  {
    id: 'mailbox',
    term: 'mailbox',
    aliases: ['mailbox size', 'mailbox k'],
    meaning: 'Where a node\'s mails wait until they are applied. With mailbox size k = 1 only the last mail of a batch is kept; with k > 1 the last k are kept and combined (their mean, or attention over them) into one update.',
    where: 'Settings → Mailbox size k and Aggregator; batch anatomy (mailbox k).',
  },
  {
    id: 'memory-updater',
    term: 'memory updater',
    aliases: ['updater', 'gru'],
    meaning: 'The small recurrent network (a GRU in TGN) that turns a node\'s old memory and its mail into the new memory. It is trained with the rest of the model.',
    where: 'The model diagram in Settings.',
  },
  {
    id: 'batch',
    term: 'batch',
    aliases: ['batches', 'batch size'],
    meaning: 'B consecutive events processed together: one forward and backward pass, one gradient step. Every event of a batch reads the memory as it was before the batch, and the batch\'s memory writes happen together at its end.',
    where: 'Settings → Batch size; batch anatomy (the B slider); the training counters.',
  },
  {
    id: 'stale-event',
    term: 'stale event',
    aliases: ['stale events', 'stale', 'staleness', 'stale share', 'stale fraction'],
    meaning: 'An event whose source or destination already occurs earlier in the same batch. It reads that node\'s memory without the earlier event\'s update, because the batch\'s updates are written only at its end. The stale share is stale events / events; at B = 1 it is 0.',
    where: 'Batch anatomy (red events, arcs to the event they miss); "Stale and dropped, per training batch" (bars).',
  },
  {
    id: 'memory-age',
    term: 'memory age',
    aliases: ['age', 'memory ages'],
    meaning: 'The time since a node\'s memory was last updated. For a read, the event\'s time minus the last update of the memory it reads. Bigger batches make reads older. (Not the same as a stale event: age is a time, staleness is about the same batch.)',
    where: 'Memory map colour; node inspector; "Memory age of the last batch\'s reads".',
  },
  {
    id: 'information-loss',
    term: 'information loss',
    aliases: ['dropped mails', 'dropped mail', 'dropped', 'dropped-mail share', 'dropped share'],
    meaning: 'Mails that never reach a memory: with a mailbox of k mails per node, a node that gets more than k mails in one batch keeps only the last k; the others are dropped. The dropped share is dropped mails / mails sent; at B = 1 it is 0.',
    where: 'Batch anatomy (crossed-out mails); the line in "Stale and dropped, per training batch".',
  },
  {
    id: 'memory-drift',
    term: 'memory drift',
    aliases: ['drift'],
    meaning: 'With the trained weights frozen, how far node memory ends up from where it would be at B = 1 after the same events: the mean relative distance of the touched nodes\' memory vectors (0 = identical).',
    where: 'The sweep\'s CSV (memoryDrift); lesson "What batches do to accuracy".',
  },
  {
    id: 'negative-sample',
    term: 'negative sample',
    aliases: ['negative', 'negatives', 'negative samples'],
    meaning: 'A made-up event (the real source with a random destination) that the model must score lower than the real one. Training and AP both compare real events with negatives.',
    where: 'The EdgeBank panel (negatives); the model is trained on them.',
  },
  {
    id: 'ap',
    term: 'AP',
    aliases: ['average precision', 'test ap', 'val ap'],
    meaning: 'Average precision of telling real events from negative samples, from 0.5 (guessing) to 1 (always right). Test AP is measured on the last 15% of the stream, after training on the first 70%.',
    where: 'Training curves (val/test AP per epoch); the sweep chart; the checkpoint and EdgeBank panels.',
  },
  {
    id: 'epoch',
    term: 'epoch',
    aliases: ['epochs'],
    meaning: 'One pass over the training events (the first 70% of the stream), then validation and test on the next 15% each. Each epoch starts from fresh memory.',
    where: 'The training counters; training curves.',
  },
  {
    id: 'throughput',
    term: 'throughput',
    aliases: ['events/s', 'events per second', 'speed'],
    meaning: 'Training events processed per second. Bigger batches share each model call among more events, so they train faster.',
    where: 'The training counters (Speed); training curves; the sweep chart.',
  },
  {
    id: 'edgebank',
    term: 'EdgeBank',
    aliases: ['edge bank'],
    meaning: 'A baseline with no learning: it predicts that an event is real when the same pair of nodes has interacted before. A model that only matches EdgeBank has learned repetition, not what memory adds.',
    where: 'The Baseline: EdgeBank panel; its dashed line on the training curves.',
  },
  {
    id: 'static-memory',
    term: 'static memory',
    aliases: ['static node memory'],
    meaning: 'DistTGL\'s fix: a learnable vector per node, added to the node memory when it is read. It holds what does not change over time, so stale or lost updates of the changing memory cost less.',
    where: 'Settings → Static node memory; the tgn-static preset; the sweep variant "static node memory".',
  },
  {
    id: 'eval-batch-size',
    term: 'evaluation batch size',
    aliases: ['eval batch size', 'evaluation batch'],
    meaning: 'The batch size used for validation and test. Evaluating in smaller batches than training gives the same model fresher memory at inference (DistTGL evaluates at a small batch size).',
    where: 'Settings → Eval batch size.',
  },
  {
    id: 'exact-mode',
    term: 'exact mode',
    aliases: ['exact'],
    meaning: 'Every event reads the memory updated by all events before it, even inside its batch: the memory of B = 1, with one gradient step per batch. No stale events and no dropped mails, but events are processed one at a time, so it is slow: a reference, not a fix for speed.',
    where: 'Settings → Exact mode; the sweep variant "exact mode".',
  },
  {
    id: 'embedding',
    term: 'embedding',
    aliases: ['embeddings'],
    meaning: 'What the model computes for a node at prediction time: its memory combined (by attention) with its most recent neighbours. The decoder scores a pair of embeddings.',
    where: 'The model diagram in Settings.',
  },
  {
    id: 'minibatch-parallelism',
    term: 'mini-batch parallelism',
    aliases: ['minibatch parallelism'],
    meaning: 'DistTGL: i trainers take i consecutive batches and read the same memory snapshot, then average their gradients. For memory it is one batch of i × B: as stale as that.',
    where: 'Settings → Advanced (Mini-batch parallelism i); the lab\'s Parallel training card.',
  },
  {
    id: 'epoch-parallelism',
    term: 'epoch parallelism',
    aliases: [],
    meaning: 'DistTGL: j ranks share one memory; each trains its batch j times against different negatives and writes memory once, so memory advances one batch per step (no added staleness) and one pass does the work of j epochs.',
    where: 'Settings → Advanced (Epoch parallelism j); the lab\'s Parallel training card.',
  },
  {
    id: 'memory-parallelism',
    term: 'memory parallelism',
    aliases: ['memory copies'],
    meaning: 'DistTGL: k independent copies of memory, started at different points of the stream from zeroed memory; only gradients are exchanged, never memory.',
    where: 'Settings → Advanced (Memory parallelism k); the lab\'s Parallel training card.',
  },
  {
    id: 'cold-start',
    term: 'cold start',
    aliases: ['cold starts', 'cold-start events'],
    meaning: 'A memory copy that starts mid-stream with zeroed memory: its first read of each node that had events before its start misses that history.',
    where: 'The lab\'s Parallel training card (cold; measured cold-start events).',
  },
  {
    id: 'serving',
    term: 'serving',
    aliases: ['live feed', 'query', 'queries'],
    meaning: 'Using a trained model while events keep arriving: a query asks about a link that has not happened yet (will u and v interact next?), and the server answers with the state it has.',
    where: 'The lab\'s Serving card.',
  },
  {
    id: 'answer-staleness',
    term: 'answer staleness',
    aliases: ['missed events', 'staleness of an answer'],
    meaning: 'How many events had arrived when the server started on a query but were not in the state its answer read (and how long the oldest of them had waited). An exact answer misses none.',
    where: 'The lab\'s Serving card (table, timeline colours, the frontier\'s y axis).',
  },
  {
    id: 'update-based-serving',
    term: 'update-based serving',
    aliases: ['update-based', 'update server', 'update group', 'update groups'],
    meaning: 'A background update server applies arriving events to memory in groups (G events, or after W ms) and recomputes the cached embeddings of their nodes; a query only reads the cache.',
    where: 'The lab\'s Serving card (mode update-based).',
  },
  {
    id: 'inference-based-serving',
    term: 'inference-based serving',
    aliases: ['inference-based'],
    meaning: 'Arriving events only wait; each query first applies every waiting event, one at a time, then embeds its nodes: exact answers, paid for in the query\'s latency.',
    where: 'The lab\'s Serving card (mode inference-based).',
  },
  {
    id: 'collaborative-serving',
    term: 'collaborative serving',
    aliases: ['collaborative', 'STAG'],
    meaning: 'STAG\'s split: the background updates only memory, and each query computes its embedding itself, over the freshest neighbours. Updates are cheaper than update-based ones; queries cost a model pass.',
    where: 'The lab\'s Serving card (mode collaborative).',
  },
  {
    id: 'latency',
    term: 'latency',
    aliases: ['P99 latency', 'P50 latency', 'response latency'],
    meaning: 'The time from a query\'s arrival to its answer: waiting for its group, for the server, and the computing. P99 is the time 99 % of queries stay under.',
    where: 'The lab\'s Serving card (table gauges, timeline bars, the frontier\'s x axis).',
  },
];

const byName = new Map<string, GlossaryEntry>();
for (const e of GLOSSARY) for (const name of [e.term, ...e.aliases]) byName.set(name.toLowerCase(), e);

/** the entry a lesson's [[name]] links, by its term or one of its other forms (any case) */
export function findTerm(name: string): GlossaryEntry | undefined {
  return byName.get(name.trim().toLowerCase());
}
