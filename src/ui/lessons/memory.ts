import type { Lesson } from './types.ts';

/** Lesson (a): what node memory is and how one event updates it (memory map, node inspector). */
export const MEMORY_LESSON: Lesson = {
  name: 'memory',
  title: 'Node memory: how one event updates it',
  summary: 'Watch a fresh model write its first memories, follow one node through one event, and see memory age grow.',
  settings: { model: 'tgn', batchSize: 100, mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 0, exact: false },
  steps: [
    {
      title: 'A fresh model: every memory is empty',
      text:
        'The model keeps a [[node memory]] for every node: a vector that summarises what the node has done so far. A fresh model '
        + 'starts every memory at zero, so on the **memory map** every dot is grey ("never updated") and all of them sit on one '
        + 'spot: equal memories project to the same point. Training reads the stream in '
        + '[[batches]] of B = {batch|int} [[events]].',
      setup: { focus: 'memory-map' },
      predict: {
        question: 'Train one batch of {batch|int} events on the fresh model. How many nodes will have their memory written?',
        choices: [
          { id: 'none', text: 'None yet', agrees: (m) => m.written === 0 },
          { id: 'batch', text: 'The nodes of those {batch|int} events', agrees: (m) => m.written! > 0 && m.written! <= m.batchNodes! },
          { id: 'all', text: 'Every node', agrees: (m) => m.written === m.nodes },
        ],
      },
      run: { kind: 'train-batches', batches: 1, fresh: true },
      runLabel: 'Train one batch',
      show: [
        { label: 'nodes with a written memory', key: 'written', format: 'int' },
        { label: 'nodes on the memory map', key: 'nodes', format: 'int' },
        { label: 'nodes in the batch', key: 'batchNodes', format: 'int' },
      ],
      why: [
        {
          when: (m) => m.written === 0,
          text:
            'No memory was written yet. A batch first **reads** memory (all zeros here), predicts its events and learns from them; '
            + 'only then does each event leave a [[mail]] for each of its two nodes. The {batchNodes|int} nodes of this batch now '
            + 'have mail waiting, and a node\'s mail is applied to its memory the next time the node appears in a batch.',
        },
        {
          text:
            '{written|int} of the {nodes|int} nodes have a written memory after one batch: their mail was applied in this batch. '
            + 'Memory is written only for nodes that take part in a batch.',
        },
      ],
    },
    {
      title: 'One event updates one memory',
      text:
        'The lesson now picks a node that appears in the **next** batch and still has a [[mail]] waiting from the batch before, '
        + 'selects it on the memory map and follows it in the **node inspector** (its events over time, its [[memory age]]).',
      setup: { focus: 'node-inspector' },
      predict: {
        question: 'Train the next batch. What happens to that node\'s memory?',
        choices: [
          { id: 'written', text: 'It is rewritten: the waiting mail is applied', agrees: (m) => m.changed === 1 },
          { id: 'same', text: 'It stays as it was until the end of the epoch', agrees: (m) => m.changed === 0 },
        ],
      },
      run: { kind: 'node-batch', pick: 'has-event' },
      runLabel: 'Train one batch',
      show: [
        { label: 'node', key: 'node', format: 'int' },
        { label: 'memory before (length of the vector)', key: 'normBefore', format: 'num' },
        { label: 'memory after (length of the vector)', key: 'normAfter', format: 'num' },
        { label: 'how far the memory moved', key: 'change', format: 'num' },
        { label: 'memory age before', key: 'ageBefore', format: 'span' },
        { label: 'memory age after', key: 'ageAfter', format: 'span' },
        { label: 'its events in this batch', key: 'eventsInBatch', format: 'int' },
      ],
      why: [
        {
          when: (m) => m.changed === 1,
          text:
            'Node #{node|int} had a mail waiting. In this batch the [[memory updater]] (a GRU) read its old memory and the mail '
            + '(the other node\'s memory, the time since the last update, the event\'s features) and wrote a new memory vector, '
            + 'which moved by {change|num}. Its [[memory age]] ({ageBefore|span} before) now counts from the event that sent the '
            + 'mail: {ageAfter|span}. Its {eventsInBatch|int} event(s) in this batch left a new mail, which waits for its next batch.',
        },
        {
          text:
            'Node #{node|int}\'s memory did not move: the mail it had waiting was not applied in this batch. Memory is written only '
            + 'for the nodes of a batch\'s real events that have mail waiting.',
        },
      ],
    },
    {
      title: 'No event, no update: the memory only gets older',
      text:
        'Now the lesson picks a node whose memory was written but that has **no** event in the next batch, and follows it in the '
        + 'node inspector.',
      setup: { focus: 'node-inspector' },
      predict: {
        question: 'Train one more batch. What happens to this node?',
        choices: [
          { id: 'older', text: 'Its memory stays the same and its memory age grows', agrees: (m) => m.changed === 0 && m.ageAfter! > m.ageBefore! },
          { id: 'rewritten', text: 'Its memory is rewritten anyway', agrees: (m) => m.changed === 1 },
          { id: 'fresh', text: 'Its memory age goes back to zero', agrees: (m) => m.ageAfter! < m.ageBefore! },
        ],
      },
      run: { kind: 'node-batch', pick: 'no-event' },
      runLabel: 'Train one batch',
      show: [
        { label: 'node', key: 'node', format: 'int' },
        { label: 'how far the memory moved', key: 'change', format: 'num' },
        { label: 'memory age before', key: 'ageBefore', format: 'span' },
        { label: 'memory age after', key: 'ageAfter', format: 'span' },
        { label: 'stream time the batch covered', key: 'ageGrowth', format: 'span' },
      ],
      why: [
        {
          when: (m) => m.changed === 0,
          text:
            'Node #{node|int}\'s memory did not move ({change|num}): a memory is rewritten only when one of the node\'s mails is '
            + 'applied, and that happens only in a batch where the node has an event. Meanwhile the stream moved on by '
            + '{ageGrowth|span}, so its [[memory age]] grew from {ageBefore|span} to {ageAfter|span}. A prediction about this node '
            + 'now reads older information: the memory map\'s colour shows this age for every node.',
        },
        {
          text:
            'Node #{node|int}\'s memory moved by {change|num} without an event of its own in this batch, which this model should '
            + 'not do: please report it.',
        },
      ],
    },
    {
      title: 'After training: who has a memory?',
      text:
        'Train 40 more batches (fewer if the training range ends first). On the memory map colour is [[memory age]] (how long '
        + 'ago each memory was last written) and grey dots have never been updated; nodes whose memories end up close together '
        + 'have behaved alike.',
      setup: { focus: 'memory-map' },
      predict: {
        question: 'After 40 more batches, what share of the nodes on the map will have a written memory?',
        choices: [
          { id: 'few', text: 'Under a quarter', agrees: (m) => m.writtenShare! < 0.25 },
          { id: 'some', text: 'A quarter to three quarters', agrees: (m) => m.writtenShare! >= 0.25 && m.writtenShare! <= 0.75 },
          { id: 'most', text: 'Over three quarters', agrees: (m) => m.writtenShare! > 0.75 },
        ],
      },
      run: { kind: 'train-batches', batches: 40, fresh: false },
      runLabel: 'Train 40 batches',
      show: [
        { label: 'nodes with a written memory', key: 'written', format: 'int' },
        { label: 'share of the nodes on the map', key: 'writtenShare', format: 'pct' },
        { label: 'batches trained in this step', key: 'batches', format: 'int' },
        { label: 'events trained so far', key: 'processed', format: 'int' },
      ],
      why: [
        {
          text:
            '{written|int} of the {nodes|int} nodes ({writtenShare|pct}) have a memory after the first {processed|int} events. The '
            + 'others have had no event yet, or only in the last batch (their mail still waits). A memory is only as fresh as the '
            + 'node\'s last event: busy nodes have a young memory, quiet ones an old one. Bigger batches make every memory older '
            + 'still; the lesson "Why batches make memory stale" shows how.',
        },
      ],
    },
  ],
};
