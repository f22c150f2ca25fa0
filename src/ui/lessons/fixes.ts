import type { Lesson } from './types.ts';

const BASELINE = { variant: 'baseline', batchSize: 'large' } as const;
/** every step also knows the plain model at a small batch: the accuracy the fixes try to win back */
const SWEEP = { kind: 'sweep', where: 'lesson', workers: 2, driftEvents: 300, reference: { variant: 'baseline', batchSize: 'small' } } as const;

/** Lesson (d): what fixes it (mailbox k, static memory, evaluation batch size, exact mode), each measured. */
export const FIXES_LESSON: Lesson = {
  name: 'fixes',
  title: 'What fixes stale memory',
  summary: 'At a large batch, measure what a bigger mailbox, static node memory, small evaluation batches and exact mode each recover.',
  settings: { model: 'tgn', batchSize: 'large', mailboxSize: 1, aggregator: 'last', staticMemory: false, evalBatchSize: 0, exact: false },
  steps: [
    {
      title: 'A bigger mailbox',
      text:
        'Every fix is tried at B = {batch1|int}, where memory is stalest, against the plain model at B = {batch1|int} and at '
        + 'B = {refBatch|int} (one fresh model per setting, one [[epoch]] each, {workers|int} workers in parallel; this first step '
        + 'takes up to a minute). First the [[mailbox]]: keep the last k = 4 mails of each node per batch and apply their mean '
        + '(Settings → Mailbox size k, Aggregator), so fewer mails are lost.',
      setup: { focus: 'settings' },
      predict: {
        question: 'Will k = 4 mails raise test AP at B = {batch1|int}?',
        choices: [
          { id: 'up', text: 'Yes, by more than 0.01', agrees: (m) => m.apGain2! > 0.01 },
          { id: 'same', text: 'Hardly (within 0.01)', agrees: (m) => Math.abs(m.apGain2!) <= 0.01 },
          { id: 'down', text: 'It will lower it', agrees: (m) => m.apGain2! < -0.01 },
        ],
      },
      run: { ...SWEEP, points: [BASELINE, { variant: 'mailbox4', batchSize: 'large' }] },
      runLabel: 'Train both',
      show: [
        { label: 'test AP, plain at B = {refBatch|int}', key: 'refAp', format: 'ap' },
        { label: 'test AP, plain at B = {batch1|int} (k = 1)', key: 'ap1', format: 'ap' },
        { label: 'test AP, k = 4 at B = {batch1|int}', key: 'ap2', format: 'ap' },
        { label: 'change from k = 4', key: 'apGain2', format: 'signed-ap' },
        { label: 'dropped mails, k = 1', key: 'dropped1', format: 'pct' },
        { label: 'dropped mails, k = 4', key: 'dropped2', format: 'pct' },
      ],
      why: [
        {
          when: (m) => m.apGain2! > 0.01,
          text:
            'With k = 4 the dropped share fell from {dropped1|pct} to {dropped2|pct} and test AP rose from {ap1|ap} to {ap2|ap} '
            + '({apGain2|signed-ap}; the plain model at B = {refBatch|int} scores {refAp|ap}): fewer events are lost before they '
            + 'reach memory. This is why APAN and DistTGL keep several mails per node.',
        },
        {
          text:
            'With k = 4 the dropped share fell from {dropped1|pct} to {dropped2|pct}, but test AP moved only {apGain2|signed-ap} '
            + '({ap1|ap} → {ap2|ap}, against {refAp|ap} at B = {refBatch|int}). A mailbox cures [[information loss]], not '
            + '[[staleness]]: events still read memory from before their batch, and the mean of several mails blurs their order.',
        },
      ],
    },
    {
      title: 'Static node memory',
      text:
        'DistTGL\'s [[static memory]] adds a learned vector per node to its memory when the memory is read. It does not change '
        + 'with events, so it cannot go stale: it can hold what a node is, while the memory holds what it did lately.',
      setup: { focus: 'settings' },
      predict: {
        question: 'Will static memory raise test AP at B = {batch1|int}?',
        choices: [
          { id: 'up', text: 'Yes, by more than 0.01', agrees: (m) => m.apGain2! > 0.01 },
          { id: 'same', text: 'Hardly (within 0.01)', agrees: (m) => Math.abs(m.apGain2!) <= 0.01 },
          { id: 'down', text: 'It will lower it', agrees: (m) => m.apGain2! < -0.01 },
        ],
      },
      run: { ...SWEEP, points: [BASELINE, { variant: 'static', batchSize: 'large' }] },
      runLabel: 'Train it',
      show: [
        { label: 'test AP, plain', key: 'ap1', format: 'ap' },
        { label: 'test AP, static memory', key: 'ap2', format: 'ap' },
        { label: 'change', key: 'apGain2', format: 'signed-ap' },
        { label: 'stale events (unchanged)', key: 'stale2', format: 'pct' },
      ],
      why: [
        {
          when: (m) => m.apGain2! > 0.01,
          text:
            'Static memory raised test AP from {ap1|ap} to {ap2|ap} ({apGain2|signed-ap}; {refAp|ap} at B = {refBatch|int}) though '
            + '{stale2|pct} of events are still stale: the per-node vector carries what does not change over time, so the model '
            + 'leans less on a memory that lags.',
        },
        {
          text:
            'Static memory moved test AP by {apGain2|signed-ap} ({ap1|ap} → {ap2|ap}, against {refAp|ap} at B = {refBatch|int}). '
            + 'It helps when nodes have lasting traits worth a vector of their own; here what matters is what a node did lately, '
            + 'which only fresher memory gives.',
        },
      ],
    },
    {
      title: 'Evaluate in small batches',
      text:
        'Training needs large batches for speed; prediction does not. The same training at B = {batch1|int}, but validation and '
        + 'test in batches of {evalBatch2|int} ([[evaluation batch size]], Settings → Eval batch size), so the memory the '
        + 'predictions read is fresher.',
      setup: { focus: 'settings' },
      predict: {
        question: 'Same trained model, tested in batches of {evalBatch2|int} instead of {batch1|int}: will test AP rise?',
        choices: [
          { id: 'up', text: 'Yes, by more than 0.01', agrees: (m) => m.apGain2! > 0.01 },
          { id: 'same', text: 'Hardly (within 0.01)', agrees: (m) => Math.abs(m.apGain2!) <= 0.01 },
          { id: 'down', text: 'It will fall', agrees: (m) => m.apGain2! < -0.01 },
        ],
      },
      run: { ...SWEEP, points: [BASELINE, { variant: 'baseline', batchSize: 'large', evalBatchSize: 'small' }] },
      runLabel: 'Train and test',
      show: [
        { label: 'test AP, tested at B = {batch1|int}', key: 'ap1', format: 'ap' },
        { label: 'test AP, tested at B = {evalBatch2|int}', key: 'ap2', format: 'ap' },
        { label: 'change', key: 'apGain2', format: 'signed-ap' },
      ],
      why: [
        {
          when: (m) => m.apGain2! > 0.01,
          text:
            'Tested in batches of {evalBatch2|int}, the same model scored {ap2|ap} instead of {ap1|ap} ({apGain2|signed-ap}): at '
            + 'inference each prediction now sees almost every earlier event of its nodes. DistTGL trains large and evaluates small '
            + 'for this reason; it costs nothing in training time.',
        },
        {
          when: (m) => m.apGain2! < -0.01,
          text:
            'Tested in batches of {evalBatch2|int} the model scored {ap2|ap} instead of {ap1|ap} ({apGain2|signed-ap}): worse. A '
            + 'model trained at B = {batch1|int} has only ever seen memory that lags by a batch, and has learned to read it that '
            + 'way; fresh memory at test time is unlike anything it trained on. Staleness shaped the weights, so the cure has to '
            + 'act in training.',
        },
        {
          text:
            'Tested in batches of {evalBatch2|int} the model scored {ap2|ap} instead of {ap1|ap} ({apGain2|signed-ap}): hardly '
            + 'different. A model trained on stale memory has learned to expect it, so fresher memory at test time alone does not '
            + 'win back the {refGain|signed-ap} that B = {refBatch|int} training gives.',
        },
      ],
    },
    {
      title: 'Exact mode: memory as at B = 1, at a price',
      text:
        '[[exact mode|Exact mode]] processes the events of each batch one by one for memory (no stale events, no dropped mails) and '
        + 'still takes one gradient step per batch: B = 1 memory with the batch\'s gradient. The lesson trains a fresh model both '
        + 'ways at B = {batch1|int}: {warmupEvents|int} events, then {measureEvents|int} more that it times and whose reads\' '
        + '[[memory age]] it measures.',
      setup: { focus: 'settings', settings: { batchSize: 500 } },
      predict: {
        question: 'How much slower will exact mode train?',
        choices: [
          { id: 'bit', text: 'Under 2× slower', agrees: (m) => m.rate1! / m.rate2! < 2 },
          { id: 'some', text: '2× to 10× slower', agrees: (m) => m.rate1! / m.rate2! >= 2 && m.rate1! / m.rate2! <= 10 },
          { id: 'much', text: 'More than 10× slower', agrees: (m) => m.rate1! / m.rate2! > 10 },
        ],
      },
      run: { kind: 'train-compare', runs: [{ exact: false }, { exact: true }], warmupEvents: 500, measureEvents: 500 },
      runLabel: 'Train both',
      show: [
        { label: 'batched', key: 'rate1', format: 'rate' },
        { label: 'exact mode', key: 'rate2', format: 'rate' },
        { label: 'one epoch in exact mode would take', key: 'epochSeconds2', format: 'seconds' },
        { label: 'median memory age of a read, batched', key: 'age1', format: 'span' },
        { label: 'median memory age of a read, exact', key: 'age2', format: 'span' },
      ],
      why: [
        {
          text:
            'Exact mode trained {rate2|rate} against {rate1|rate} batched: one epoch would take {epochSeconds2|seconds} instead '
            + 'of {epochSeconds1|seconds}. In return its reads were fresh: a median [[memory age]] of {age2|span} against '
            + '{age1|span} batched, because every event sees the updates of the events before it. Memory has to be updated event '
            + 'by event, so the batch\'s work can no longer be shared: exact mode is the reference the other fixes are measured '
            + 'against, not a way to train fast: a whole exact epoch here would take longer than this lesson.',
        },
      ],
    },
    {
      title: 'Which fix helped most?',
      text:
        'All the measurements of this lesson side by side (nothing is trained again): what each fix added to the plain model at '
        + 'B = {batch1|int}, next to what training at B = {refBatch|int} gives.',
      setup: { focus: 'settings' },
      predict: {
        question: 'Which of the three cheap fixes raised test AP most on this stream?',
        choices: [
          { id: 'mailbox', text: 'Mailbox k = 4', agrees: (m) => m.best === 2 && m.apGain2! > 0.005 },
          { id: 'static', text: 'Static memory', agrees: (m) => m.best === 3 && m.apGain3! > 0.005 },
          { id: 'eval', text: 'Small evaluation batches', agrees: (m) => m.best === 4 && m.apGain4! > 0.005 },
          { id: 'none', text: 'None of them clearly (all within 0.005)', agrees: (m) => Math.max(m.apGain2!, m.apGain3!, m.apGain4!) <= 0.005 },
        ],
      },
      run: {
        ...SWEEP,
        points: [
          BASELINE,
          { variant: 'mailbox4', batchSize: 'large' },
          { variant: 'static', batchSize: 'large' },
          { variant: 'baseline', batchSize: 'large', evalBatchSize: 'small' },
        ],
      },
      runLabel: 'Compare',
      show: [
        { label: 'plain model at B = {batch1|int}, test AP', key: 'ap1', format: 'ap' },
        { label: 'mailbox k = 4', key: 'apGain2', format: 'signed-ap' },
        { label: 'static memory', key: 'apGain3', format: 'signed-ap' },
        { label: 'evaluation batches of {evalBatch4|int}', key: 'apGain4', format: 'signed-ap' },
        { label: 'training at B = {refBatch|int} instead', key: 'refGain', format: 'signed-ap' },
      ],
      why: [
        {
          when: (m) => Math.max(m.apGain2!, m.apGain3!, m.apGain4!) <= 0.005,
          text:
            'None of the cheap fixes raised test AP here (mailbox {apGain2|signed-ap}, static memory {apGain3|signed-ap}, small '
            + 'evaluation batches {apGain4|signed-ap}), while training at B = {refBatch|int} changes it by {refGain|signed-ap}. On '
            + 'this stream what a node does next depends on its latest events, and only memory that has seen them, from smaller '
            + 'batches or exact mode (step 4, at its price), brings that back.',
        },
        {
          when: (m) => m.best === 2,
          text:
            'The mailbox helped most ({apGain2|signed-ap}; static memory {apGain3|signed-ap}, small evaluation batches '
            + '{apGain4|signed-ap}; training at B = {refBatch|int}: {refGain|signed-ap}): here much of the loss was '
            + '[[information loss]], mails overwritten inside a batch. That wins back {recovered|pct} of what smaller batches give.',
        },
        {
          when: (m) => m.best === 3,
          text:
            'Static memory helped most ({apGain3|signed-ap}; mailbox {apGain2|signed-ap}, small evaluation batches '
            + '{apGain4|signed-ap}; training at B = {refBatch|int}: {refGain|signed-ap}): a part of each node that never goes '
            + 'stale made up for some of the memory that does. That wins back {recovered|pct} of what smaller batches give.',
        },
        {
          text:
            'Small evaluation batches helped most ({apGain4|signed-ap}; mailbox {apGain2|signed-ap}, static memory '
            + '{apGain3|signed-ap}; training at B = {refBatch|int}: {refGain|signed-ap}), and they cost no training time: the '
            + 'model predicts with fresher memory. That wins back {recovered|pct} of what smaller batches give.',
        },
      ],
    },
  ],
};
