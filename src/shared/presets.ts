/**
 * The model family as presets of one typed config (no tfjs import, so the page bundle can read the
 * presets and their descriptions). Each preset only chooses which engine modules are injected into
 * the one model class (models/tgn.ts); nothing is copied per model.
 */

/** Sizes and choices of a TGN-family model (one typed config; presets fill it). */
export interface TgnConfig {
  readonly memoryDim: number;
  readonly timeDim: number;
  readonly embeddingDim: number;
  /** temporal neighbours attended to per query (and per hop) */
  readonly neighbours: number;
  readonly heads: number;
  readonly dropout: number;
  /** mails kept per node between updates */
  readonly mailboxSize: number;
  readonly aggregator: 'last' | 'mean' | 'attention';
  /** DistTGL static node memory added to the dynamic memory when read */
  readonly staticMemory: boolean;
  /** false: no node memory at all (TGAT); every node reads as zeros (its featureless input) */
  readonly memory: boolean;
  /** memory updater: GRU (TGN) or vanilla RNN (JODIE, DyRep) */
  readonly updater: 'gru' | 'rnn';
  /**
   * embedding the decoder reads: temporal graph attention (TGN, TGAT), JODIE's time projection of the
   * memory, or the memory itself (DyRep, APAN)
   */
  readonly embedding: 'attention' | 'time-projection' | 'identity';
  /** attention layers (hops) of the attention embedding: 1 (TGN) or 2 (TGAT) */
  readonly layers: number;
  /**
   * Δt of a neighbour slot in attention: the neighbour's last memory update − edge time (PyG's TGN), or
   * the query time − edge time (TGAT, which has no memory)
   */
  readonly neighbourTime: 'last-update' | 'query';
  /**
   * which events attention may see: those of earlier batches only (PyG's TGN: the neighbour loader is
   * updated after each batch), or every event strictly before the query's own event, earlier events of
   * the same batch included (DyGLib's and TGAT's neighbour samplers); then each event's endpoints are
   * embedded at that event's time
   */
  readonly neighbourScope: 'earlier-batches' | 'before-event';
  /**
   * the other endpoint's part of a message: its memory (TGN, JODIE) or its attention embedding at the
   * event's batch (DyRep), stored with the mail
   */
  readonly messageOther: 'memory' | 'embedding';
}

export const TGN_DEFAULTS: TgnConfig = {
  memoryDim: 100,
  timeDim: 100,
  embeddingDim: 100,
  neighbours: 10,
  heads: 2,
  dropout: 0.1,
  mailboxSize: 1,
  aggregator: 'last',
  staticMemory: false,
  memory: true,
  updater: 'gru',
  embedding: 'attention',
  layers: 1,
  neighbourTime: 'last-update',
  neighbourScope: 'earlier-batches',
  messageOther: 'memory',
};

/**
 * JODIE-style preset (Kumar et al. 2019) from the same modules: RNN memory updater and the time
 * projection embedding z = m ⊙ (1 + w·Δt); no neighbour attention. Embedding dim = memory dim.
 */
export const JODIE_PRESET: TgnConfig = { ...TGN_DEFAULTS, updater: 'rnn', embedding: 'time-projection' };

/**
 * DyRep-style preset (Trivedi et al. 2019, as DyGLib builds it): RNN updater; the message carries the
 * other endpoint's neighbour-attention embedding instead of its memory; the decoder reads the memory.
 */
export const DYREP_PRESET: TgnConfig = { ...TGN_DEFAULTS, updater: 'rnn', embedding: 'identity', messageOther: 'embedding' };

/**
 * APAN-style preset (Wang et al. 2021): a mailbox of the 10 most recent mails per node, attention over
 * the mailbox (query = the node's memory), GRU update, and the memory read directly at query time (no
 * neighbour attention on the inference path).
 */
export const APAN_PRESET: TgnConfig = { ...TGN_DEFAULTS, mailboxSize: 10, aggregator: 'attention', embedding: 'identity' };

/**
 * TGAT-style preset (Xu et al. 2020): no node memory; two layers of temporal attention over the most
 * recent neighbours, Δt = query time − edge time.
 */
export const TGAT_PRESET: TgnConfig = { ...TGN_DEFAULTS, memory: false, layers: 2, neighbourTime: 'query', neighbourScope: 'before-event' };

/** DistTGL's TGN: TGN plus a learnable static node memory added to the dynamic memory when read. */
export const TGN_STATIC_PRESET: TgnConfig = { ...TGN_DEFAULTS, staticMemory: true };

export const MODEL_NAMES = ['tgn', 'jodie', 'dyrep', 'apan', 'tgat', 'tgn-static'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export const MODEL_PRESETS: Readonly<Record<ModelName, TgnConfig>> = {
  tgn: TGN_DEFAULTS,
  jodie: JODIE_PRESET,
  dyrep: DYREP_PRESET,
  apan: APAN_PRESET,
  tgat: TGAT_PRESET,
  'tgn-static': TGN_STATIC_PRESET,
};

/** One paragraph per preset: what it wires together, and where it differs from the paper. */
export const MODEL_DESCRIPTIONS: Readonly<Record<ModelName, string>> = {
  tgn: 'TGN (Rossi et al. 2020): each event leaves a mail [memory of both endpoints, time encoding, edge features] '
    + 'for both endpoints; at the next batch a GRU folds the mail into the node memory, and a layer of temporal '
    + 'graph attention over the 10 most recent neighbours turns memory into the embedding the link decoder scores.',
  jodie: 'JODIE (Kumar et al. 2019): the same mailbox and messages, a plain RNN updater, and no neighbour attention: '
    + 'the embedding is the memory projected forward in time, z = m ⊙ (1 + w·Δt), so a node that has been idle drifts '
    + 'along a learned direction. Cheap and strong on bipartite interaction streams.',
  dyrep: 'DyRep (Trivedi et al. 2019), as DyGLib builds it: an RNN updater whose message carries the other endpoint\'s '
    + 'neighbour-attention embedding (computed in the event\'s batch and stored with the mail) instead of its memory; the '
    + 'link decoder reads the updated memory directly. As in DyGLib, the attention only feeds stored (detached) mails, '
    + 'so it receives no gradient.',
  apan: 'APAN (Wang et al. 2021)-style: every node keeps a mailbox of its 10 most recent mails; attention over the '
    + 'mailbox (query = the node\'s memory) summarises it, a GRU updates the memory, and queries read the memory directly: '
    + 'no graph work on the inference path. Unlike APAN, mails go to the two endpoints only (APAN also propagates them to '
    + 'neighbours).',
  tgat: 'TGAT (Xu et al. 2020): no node memory at all. Two layers of temporal self-attention over the 10 most recent '
    + 'neighbours (and theirs), with a learned time encoding of query time − edge time, compute every embedding from '
    + 'the graph alone. Immune to memory staleness; blind to anything older than the sampled neighbourhood.',
  'tgn-static': 'DistTGL\'s TGN (Zhou et al. 2023): TGN plus a learnable static memory per node that is added to the '
    + 'dynamic memory whenever it is read. Static memory holds what does not change over time, so the dynamic memory '
    + 'loses less when large batches make it stale. (DistTGL pre-trains it; here it trains jointly.)',
};
