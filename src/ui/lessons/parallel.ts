import type { Lesson } from './types.ts';

/** Lesson (e): DistTGL's three kinds of parallelism, what each does to staleness, and what each costs. */
export const PARALLEL_LESSON: Lesson = {
  name: 'parallel',
  title: 'Training on many trainers without staler memory',
  summary: 'Split a batch between two trainers, train each batch twice on one memory, and give two trainers their own memory: measure what each does to staleness.',
  settings: { model: 'tgn', batchSize: 'small', mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 0, exact: false },
  steps: [
    {
      title: 'Two trainers, one memory snapshot',
      text:
        'The obvious way to train on two trainers: each takes one of two consecutive batches of B = {batch1|int} events, and '
        + 'their gradients are averaged ([[mini-batch parallelism]], i = 2). Both must read memory before either writes, so the '
        + 'pair reads one memory snapshot. Two fresh models train for a while, one trainer and two; the trainer\'s own probes count '
        + 'the [[stale event|stale events]] of what each step writes.',
      setup: { focus: 'parallel-card' },
      predict: {
        question: 'With two trainers of B = {batch1|int} each, will the stale share be that of one batch of B or of one batch of 2 × B?',
        choices: [
          { id: 'B', text: 'Of B: each trainer has its own batch', agrees: (m) => m.stale2! <= m.stale1! + 0.01 },
          { id: '2B', text: 'Of 2 × B: they share one snapshot', agrees: (m) => m.stale2! > m.stale1! + 0.01 },
        ],
      },
      run: { kind: 'train-compare', runs: [{}, { minibatchParallelism: 2 }], warmupEvents: 600, measureEvents: 1200 },
      runLabel: 'Train both',
      show: [
        { label: 'stale events, 1 trainer (B = {batch1|int})', key: 'stale1', format: 'pct' },
        { label: 'stale events, 2 trainers (i = 2)', key: 'stale2', format: 'pct' },
        { label: 'dropped mails, 1 trainer', key: 'dropped1', format: 'pct' },
        { label: 'dropped mails, 2 trainers', key: 'dropped2', format: 'pct' },
      ],
      why: [
        {
          when: (m) => m.stale2! > m.stale1! + 0.01,
          text:
            'Stale events rose from {stale1|pct} to {stale2|pct} and dropped mails from {dropped1|pct} to {dropped2|pct}: two '
            + 'trainers reading one snapshot are, for memory, one batch of 2 × B. An event in the second trainer\'s batch misses '
            + 'every update of the first. Splitting a batch buys speed, never freshness; that is DistTGL\'s starting point.',
        },
        {
          text:
            'Stale events went from {stale1|pct} to {stale2|pct} (dropped mails {dropped1|pct} → {dropped2|pct}). In principle the '
            + 'two trainers reading one snapshot are one batch of 2 × B for memory; on this stream so few nodes repeat within '
            + 'B events that doubling the batch adds little. The lab\'s batch-size sweep shows where it starts to matter.',
        },
      ],
    },
    {
      title: 'One memory, every batch twice',
      text:
        'DistTGL\'s answer is [[epoch parallelism]] (j = 2): two ranks share one memory, and each step memory advances by one '
        + 'batch only. Rank 1 starts batch 1, rank 2 starts batch 2 a step later, while rank 1 trains batch 1 again against '
        + 'other negatives. The Parallel training card draws who does what at each step (dark: reads and writes; light: trains '
        + 'again, no write).',
      setup: { focus: 'parallel-card' },
      predict: {
        question: 'With j = 2, will the stale share rise above one trainer\'s?',
        choices: [
          { id: 'same', text: 'No, it stays the same', agrees: (m) => Math.abs(m.stale2! - m.stale1!) <= 0.01 },
          { id: 'rise', text: 'Yes, like a batch of 2 × B', agrees: (m) => m.stale2! > m.stale1! + 0.01 },
        ],
      },
      run: { kind: 'train-compare', runs: [{}, { epochParallelism: 2 }], warmupEvents: 600, measureEvents: 1200 },
      runLabel: 'Train both',
      show: [
        { label: 'stale events, 1 trainer', key: 'stale1', format: 'pct' },
        { label: 'stale events, j = 2', key: 'stale2', format: 'pct' },
        { label: 'stream events per second, 1 trainer', key: 'rate1', format: 'rate' },
        { label: 'stream events per second, j = 2 (each batch trained twice)', key: 'rate2', format: 'rate' },
      ],
      why: [
        {
          text:
            'The stale share stayed at {stale2|pct} (one trainer: {stale1|pct}): each batch reads memory after the batch before it, '
            + 'as with one trainer. What j = 2 adds is gradient signal: every batch is trained twice, against two negative sets, so '
            + 'one pass over the stream does the work of two [[epoch|epochs]]. With two cores the page runs the two ranks on two worker '
            + 'threads side by side (the engine\'s thread keeps memory, as DistTGL\'s memory daemon), with the numbers one thread would '
            + 'give: the stream moved at {rate2|rate} against {rate1|rate} with one trainer, doing twice the training work per event.',
        },
      ],
    },
    {
      title: 'Two memories that never talk',
      text:
        'Across machines DistTGL uses [[memory parallelism]] (k = 2): two copies of memory, each its own trainer. Copy 2 starts in '
        + 'the middle of the stream with zeroed memory, runs to the end, then starts again from the beginning, so both cover '
        + 'every batch and only gradients are exchanged. Train one [[epoch]] with k = 2 and look at the card: copy 2 begins with '
        + 'a [[cold start]].',
      setup: { focus: 'parallel-card', settings: { memoryParallelism: 2 } },
      predict: {
        question: 'Copy 2 starts mid-stream knowing nothing. Is that a cost DistTGL accepts?',
        choices: [
          { id: 'yes', text: 'Yes: a few cold reads, no memory traffic at all' },
          { id: 'no', text: 'No: the copies must exchange memory first' },
        ],
      },
      run: { kind: 'train-batches', batches: 'rest-of-training', fresh: true },
      runLabel: 'Train an epoch',
      show: [
        { label: 'steps trained', key: 'batches', format: 'int' },
        { label: 'nodes with a memory', key: 'nodes', format: 'int' },
      ],
      why: [
        {
          text:
            'After {batches|int} steps both copies have trained on every batch. The card marks where copy 2 began (cold, in red): '
            + 'its first read of each node with earlier events misses that history. Those cold-start events are the whole price '
            + 'of k, since memory is never sent between copies; the card counts them once the epoch\'s validation and test have '
            + 'run (press Play). On CollegeMsg a copy started mid-stream read 625 of them and test AP did not drop: a few cold '
            + 'reads cost less than keeping two memories in step. Validation continues copy 1, whose pass ends where training ends.',
        },
      ],
    },
  ],
};
