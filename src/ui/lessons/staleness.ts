import type { Lesson } from './types.ts';

/** Lesson (b): why batches make memory stale and lose information (batch anatomy, B slider, live probes). */
export const STALENESS_LESSON: Lesson = {
  name: 'staleness',
  title: 'Why batches make memory stale and lose mail',
  summary: 'Look inside one batch, double its size, and watch the trainer\'s stale and dropped shares and memory age while it trains.',
  settings: { model: 'tgn', batchSize: 50, mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 0, exact: false },
  steps: [
    {
      title: 'Inside one batch',
      text:
        'The **batch anatomy** in the Staleness lab shows the first {batch1|int} events of the stream as one [[batch]]. All of them '
        + 'read memory as it was **before** the batch; the batch\'s memory writes happen together at its end. So an event whose '
        + 'node already appears earlier in the same batch reads a memory that misses that earlier event: it is a [[stale event]] '
        + '(the arcs point back to the event it misses).',
      setup: { focus: 'batch-anatomy', anatomy: { batchSize: 50, mailboxSize: 1, batch: 0 } },
      predict: {
        question: 'What share of these {batch1|int} events will be stale?',
        choices: [
          { id: 'few', text: 'Under 10 %', agrees: (m) => m.stale! < 0.1 },
          { id: 'some', text: '10 % to 40 %', agrees: (m) => m.stale! >= 0.1 && m.stale! <= 0.4 },
          { id: 'many', text: 'Over 40 %', agrees: (m) => m.stale! > 0.4 },
        ],
      },
      run: { kind: 'anatomy', batchSize: 50, mailboxSize: 1, batch: 0 },
      runLabel: 'Count them',
      show: [
        { label: 'stale events', key: 'staleCount', format: 'int' },
        { label: 'share of the batch', key: 'stale', format: 'pct' },
        { label: 'dropped mails', key: 'droppedCount', format: 'int' },
        { label: 'share of the mails sent', key: 'dropped', format: 'pct' },
      ],
      why: [
        {
          text:
            '{staleCount|int} of {events|int} events ({stale|pct}) read a memory that misses an earlier event of their own batch. '
            + 'Each event also sends a [[mail]] to each of its nodes; with a [[mailbox]] of k = 1, a node that gets several mails in '
            + 'one batch keeps only the last, so {droppedCount|int} of {mails|int} mails ({dropped|pct}) are dropped: their events '
            + 'never reach any memory. That is [[information loss]].',
        },
      ],
    },
    {
      title: 'Double the batch',
      text:
        'The same two shares over the whole training range, for every batch of B = {batch1|int} and of B = {batch2|int} events. '
        + 'No model is needed: only which nodes meet, and when. Move the **B** slider of the batch anatomy to see single batches.',
      setup: { focus: 'batch-anatomy', anatomy: { batchSize: 50, mailboxSize: 1, batch: 0 } },
      predict: {
        question: 'Double B from {batch1|int} to {batch2|int}: will the dropped-mail share rise or fall?',
        choices: [
          { id: 'rise', text: 'Rise', agrees: (m) => m.dropped2! > m.dropped1! + 0.005 },
          { id: 'fall', text: 'Fall', agrees: (m) => m.dropped2! < m.dropped1! - 0.005 },
          { id: 'same', text: 'Stay about the same', agrees: (m) => Math.abs(m.dropped2! - m.dropped1!) <= 0.005 },
        ],
      },
      run: { kind: 'staleness-curve', batchSizes: [50, 100], mailboxSize: 1 },
      runLabel: 'Measure both',
      show: [
        { label: 'dropped mails at B = {batch1|int}', key: 'dropped1', format: 'pct' },
        { label: 'dropped mails at B = {batch2|int}', key: 'dropped2', format: 'pct' },
        { label: 'stale events at B = {batch1|int}', key: 'stale1', format: 'pct' },
        { label: 'stale events at B = {batch2|int}', key: 'stale2', format: 'pct' },
      ],
      why: [
        {
          when: (m) => m.dropped2! > m.dropped1!,
          text:
            'It rose from {dropped1|pct} to {dropped2|pct}, and stale events from {stale1|pct} to {stale2|pct}. A batch twice as '
            + 'long holds more events of each node, so more of them find their node already in the batch (stale), and more of a '
            + 'node\'s mails overwrite each other in a one-mail mailbox (dropped). DistTGL calls these **staleness** and '
            + '**information loss**: both grow with B, and both are zero at B = 1.',
        },
        {
          text:
            'It did not rise here ({dropped1|pct} → {dropped2|pct}): on this stream a node rarely returns within {batch2|int} '
            + 'events. Staleness and information loss need a node to act more than once inside one batch.',
        },
      ],
    },
    {
      title: 'Live while training: stale and dropped per batch',
      text:
        'The trainer measures the same shares on every batch it trains: bars are stale events, the line is dropped mails. The '
        + 'lesson trains a fresh model at B = {batch1|int} and then at B = {batch2|int}, {measureEvents|int} events each after the '
        + 'first {warmupEvents|int}; the chart then shows the B = {batch2|int} run.',
      setup: { focus: 'probe-bars' },
      predict: {
        question: 'Training at B = {batch2|int} instead of {batch1|int}: how tall will the stale bars be?',
        choices: [
          { id: 'taller', text: 'Taller', agrees: (m) => m.stale2! > m.stale1! + 0.01 },
          { id: 'shorter', text: 'Shorter', agrees: (m) => m.stale2! < m.stale1! - 0.01 },
          { id: 'same', text: 'About the same', agrees: (m) => Math.abs(m.stale2! - m.stale1!) <= 0.01 },
        ],
      },
      run: { kind: 'train-compare', runs: [{ batchSize: 50 }, { batchSize: 'large' }], warmupEvents: 2000, measureEvents: 2000 },
      runLabel: 'Train both',
      show: [
        { label: 'stale events per batch at B = {batch1|int}', key: 'stale1', format: 'pct' },
        { label: 'stale events per batch at B = {batch2|int}', key: 'stale2', format: 'pct' },
        { label: 'dropped mails per batch at B = {batch1|int}', key: 'dropped1', format: 'pct' },
        { label: 'dropped mails per batch at B = {batch2|int}', key: 'dropped2', format: 'pct' },
      ],
      why: [
        {
          when: (m) => m.stale2! > m.stale1!,
          text:
            'At B = {batch2|int} {stale2|pct} of each batch\'s events were stale and {dropped2|pct} of its mails were dropped, '
            + 'against {stale1|pct} and {dropped1|pct} at B = {batch1|int}. In a large batch most events are predicted, and '
            + 'learned from, with a memory that misses earlier events of the same batch, and most mails never reach a memory.',
        },
        {
          text:
            'The stale share did not grow here ({stale1|pct} at B = {batch1|int}, {stale2|pct} at B = {batch2|int}): few nodes '
            + 'act twice within a batch on this stream.',
        },
      ],
    },
    {
      title: 'How old is the memory a batch reads?',
      text:
        'Each event reads the memory of its two nodes; the [[memory age]] of a read is the event\'s time minus the last update '
        + 'of that memory. The histogram shows the ages of the last batch\'s reads; the lesson trains both batch sizes again and '
        + 'compares the median age of a batch\'s reads, averaged over the measured batches.',
      setup: { focus: 'age-histogram' },
      predict: {
        question: 'Which batch size reads older memory (a larger median memory age)?',
        choices: [
          { id: 'large', text: 'B = {batch2|int}', agrees: (m) => m.age2! > m.age1! },
          { id: 'small', text: 'B = {batch1|int}', agrees: (m) => m.age2! < m.age1! },
        ],
      },
      run: { kind: 'train-compare', runs: [{ batchSize: 50 }, { batchSize: 'large' }], warmupEvents: 2000, measureEvents: 2000 },
      runLabel: 'Train both',
      show: [
        { label: 'median memory age at B = {batch1|int}', key: 'age1', format: 'span' },
        { label: 'median memory age at B = {batch2|int}', key: 'age2', format: 'span' },
        { label: 'older by', key: 'ageRatio', format: 'ratio' },
      ],
      why: [
        {
          when: (m) => m.age2! > m.age1!,
          text:
            'The median read at B = {batch2|int} was {age2|span} old, against {age1|span} at B = {batch1|int} ({ageRatio|ratio}). A '
            + 'memory is written only at the end of a batch its node takes part in, so the longer the batch, the further memory '
            + 'lags behind the stream. The next lesson measures what this costs in accuracy.',
        },
        {
          text:
            'The median read was not older at B = {batch2|int} ({age2|span} against {age1|span}): on this stream a node\'s events '
            + 'are far apart compared with the time a batch covers.',
        },
      ],
    },
  ],
};
