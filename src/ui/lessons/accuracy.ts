import type { Lesson } from './types.ts';

/** Lesson (c): what staleness does to accuracy and throughput (the lab's batch-size sweep). */
export const ACCURACY_LESSON: Lesson = {
  name: 'accuracy',
  title: 'What batches do to speed and accuracy',
  summary: 'Measure how much faster large batches train, what they cost in test AP (the lab\'s sweep), and how much of that is stale memory.',
  settings: { model: 'tgn', batchSize: 'small', mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 0, exact: false },
  steps: [
    {
      title: 'Bigger batches train faster',
      text:
        'The lesson trains a fresh model at B = {batch1|int} and at B = {batch2|int} on the same events and times the training '
        + 'batches in the engine ([[throughput]]: training events per second over {measureEvents|int} events, after '
        + '{warmupEvents|int} untimed ones).',
      setup: { focus: 'training-curves' },
      predict: {
        question: 'How much faster will B = {batch2|int} train than B = {batch1|int}?',
        choices: [
          { id: 'same', text: 'About as fast (under 2×)', agrees: (m) => m.rateRatio! < 2 },
          { id: 'some', text: '2× to 5× faster', agrees: (m) => m.rateRatio! >= 2 && m.rateRatio! <= 5 },
          { id: 'much', text: 'More than 5× faster', agrees: (m) => m.rateRatio! > 5 },
        ],
      },
      run: { kind: 'train-compare', runs: [{ batchSize: 'small' }, { batchSize: 'large' }], warmupEvents: 2000, measureEvents: 2000 },
      runLabel: 'Train both',
      show: [
        { label: 'B = {batch1|int}', key: 'rate1', format: 'rate' },
        { label: 'B = {batch2|int}', key: 'rate2', format: 'rate' },
        { label: 'speed-up', key: 'rateRatio', format: 'ratio' },
      ],
      why: [
        {
          when: (m) => m.rateRatio! >= 1.2,
          text:
            'B = {batch2|int} trained {rate2|rate}, B = {batch1|int} {rate1|rate}: {rateRatio|ratio} faster. Each batch costs a '
            + 'fixed amount of work (model calls, one gradient step, the memory writes) that its events share, so large batches '
            + 'use the machine better. A whole epoch takes {epochSeconds2|seconds} at B = {batch2|int} against '
            + '{epochSeconds1|seconds} at B = {batch1|int}: this is why large-scale training wants large batches.',
        },
        {
          text:
            'Here B = {batch2|int} was not clearly faster ({rate2|rate} against {rate1|rate}): the machine is busy, or the model '
            + 'is so small that a batch\'s fixed cost hardly matters. Try again when nothing else runs.',
        },
      ],
    },
    {
      title: '…and what they cost in accuracy',
      text:
        'The lab\'s **batch-size sweep** trains a fresh model for one [[epoch]] at each batch size, {workers|int} at a time in '
        + 'parallel workers (this takes up to a minute), and measures test [[AP]]: how well it tells the real events of the last '
        + '15% of the stream from [[negatives|made-up ones]] (0.5 is guessing, 1 is perfect).',
      setup: { focus: 'sweep' },
      predict: {
        question: 'After one epoch each, which model will predict better?',
        choices: [
          { id: 'small', text: 'B = {batch1|int}', agrees: (m) => m.ap1! > m.ap2! + 0.01 },
          { id: 'large', text: 'B = {batch2|int}', agrees: (m) => m.ap2! > m.ap1! + 0.01 },
          { id: 'same', text: 'About the same', agrees: (m) => Math.abs(m.ap1! - m.ap2!) <= 0.01 },
        ],
      },
      run: {
        kind: 'sweep', where: 'lab', workers: 2, driftEvents: 500,
        points: [{ variant: 'baseline', batchSize: 'small' }, { variant: 'baseline', batchSize: 'large' }],
      },
      runLabel: 'Run the sweep',
      show: [
        { label: 'test AP at B = {batch1|int}', key: 'ap1', format: 'ap' },
        { label: 'test AP at B = {batch2|int}', key: 'ap2', format: 'ap' },
        { label: 'change', key: 'apGain2', format: 'signed-ap' },
        { label: 'stale events at B = {batch2|int}', key: 'stale2', format: 'pct' },
      ],
      why: [
        {
          when: (m) => m.ap2! < m.ap1! - 0.01,
          text:
            'Test AP fell from {ap1|ap} at B = {batch1|int} to {ap2|ap} at B = {batch2|int} ({apGain2|signed-ap}). Same model, '
            + 'events and seed; only the batch changed. At B = {batch2|int} {stale2|pct} of training events are [[stale]] and '
            + '{dropped2|pct} of [[mails]] are dropped (at B = {batch1|int}: {stale1|pct} and {dropped1|pct}), so the model '
            + 'learns from, and predicts with, memory that lags behind the stream. (It also takes fewer gradient steps: the next '
            + 'step separates the two.)',
        },
        {
          text:
            'Test AP did not fall here ({ap1|ap} at B = {batch1|int}, {ap2|ap} at B = {batch2|int}): on this stream what a node '
            + 'does next depends little on its latest events, so stale memory costs little after one epoch. The next step '
            + 'measures how far the memory drifted anyway.',
        },
      ],
    },
    {
      title: 'Is it the memory? Freeze the weights',
      text:
        'Large batches also mean fewer gradient steps per epoch. To measure the memory alone, the sweep took each trained model, '
        + 'froze its weights, and replayed the first {driftEvents|int} validation events twice: at its batch size and at B = 1, '
        + 'where no event is stale and no mail is dropped.',
      setup: { focus: 'sweep' },
      predict: {
        question: 'Same weights, same events: will AP be lower when they are replayed at B = {batch2|int} than at B = 1?',
        choices: [
          { id: 'lower', text: 'Lower at B = {batch2|int}', agrees: (m) => m.driftAp2! < -0.005 },
          { id: 'same', text: 'The same', agrees: (m) => Math.abs(m.driftAp2!) <= 0.005 },
          { id: 'higher', text: 'Higher at B = {batch2|int}', agrees: (m) => m.driftAp2! > 0.005 },
        ],
      },
      run: {
        kind: 'sweep', where: 'lab', workers: 2, driftEvents: 500,
        points: [{ variant: 'baseline', batchSize: 'small' }, { variant: 'baseline', batchSize: 'large' }],
      },
      runLabel: 'Read the replay',
      show: [
        { label: 'AP at B = {batch2|int} minus AP at B = 1', key: 'driftAp2', format: 'signed-ap' },
        { label: 'memory drift at B = {batch2|int}', key: 'drift2', format: 'num' },
        { label: 'AP at B = {batch1|int} minus AP at B = 1', key: 'driftAp1', format: 'signed-ap' },
        { label: 'memory drift at B = {batch1|int}', key: 'drift1', format: 'num' },
      ],
      why: [
        {
          when: (m) => m.driftAp2! < -0.005,
          text:
            'With frozen weights, batches of {batch2|int} scored {driftAp2|signed-ap} AP against B = 1, and their memory ended a '
            + 'relative distance of {drift2|num} away from B = 1\'s ([[memory drift]]; at B = {batch1|int}: {driftAp1|signed-ap}, '
            + 'drift {drift1|num}). That loss is stale reads and dropped mails alone, with training unchanged: the model needs '
            + 'the latest events of a node, and a large batch hides them. The lesson "What fixes it" measures the cures.',
        },
        {
          when: (m) => m.driftAp2! > 0.005,
          text:
            'Higher, by {driftAp2|signed-ap}, though the memory ended a relative distance of {drift2|num} from B = 1\'s '
            + '([[memory drift]]). The model trained at B = {batch2|int} has only ever read memory that lags by a batch, and has '
            + 'learned to read it that way: fresh memory is unlike anything it trained on. (The B = {batch1|int} model, trained on '
            + 'fresher memory, scores {driftAp1|signed-ap} at its batch size against B = 1.) So large batches do not only feed '
            + 'stale memory at test time: they shape the weights while training, and a cure has to act there. The lesson '
            + '"What fixes it" measures the cures.',
        },
        {
          text:
            'With frozen weights the replay at B = {batch2|int} changed AP by only {driftAp2|signed-ap} (memory drift '
            + '{drift2|num}, at B = {batch1|int} {drift1|num}): the memory did move, but this model leans little on a node\'s latest '
            + 'events, so most of any accuracy gap comes from fewer, staler training steps.',
        },
      ],
    },
  ],
};
