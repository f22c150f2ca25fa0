import type { Lesson } from './types.ts';

// every serve step serves the same feed shape: only the rate, the grouping and the mode change
const FAST = { eventRate: 4000, queryRate: 400, groupSize: 1, groupWindowMs: null, queryGroupSize: 1, queryGroupWindowMs: null, durationS: 1, seed: 1 };

/** Lesson (f): serving a trained model on a live feed: update-based, inference-based and collaborative serving. */
export const SERVING_LESSON: Lesson = {
  name: 'serving',
  title: 'Serving a live graph: fresh, fast, or both?',
  summary: 'Serve a trained model while events keep arriving: watch a cache fall behind, exact answers wait, and STAG\'s split sit in between.',
  settings: { model: 'tgn', exact: false },
  steps: [
    {
      title: 'A model to serve',
      text:
        'Training is half the story: afterwards events keep arriving and clients ask questions ([[serving]]): will these two people '
        + 'write to each other next? Train a model on this chat stream first. The Serving card then serves what a checkpoint of it '
        + 'holds, and plays the stream\'s test events as a live feed.',
      setup: { focus: 'serving' },
      predict: {
        question: 'A query arrives while events are still pouring in. Which events can its answer know about?',
        choices: [
          { id: 'arrived', text: 'Every event that has arrived' },
          { id: 'applied', text: 'Only the events the server has applied to its state' },
        ],
      },
      run: { kind: 'train-batches', batches: 'rest-of-training', fresh: true },
      runLabel: 'Train the model',
      show: [{ label: 'training batches', key: 'batches', format: 'int' }],
      why: [
        {
          text:
            'The model trained on {batches|int} batches. An answer knows only what the server has applied: an event that arrived a '
            + 'moment ago but still waits in a queue is not in it. The next steps count those [[missed events]] for each way of serving.',
        },
      ],
    },
    {
      title: 'Update-based: answers from a cache',
      text:
        'In [[update-based serving]] an update server takes arriving events in groups of G = 10, writes them into memory and '
        + 'recomputes the embeddings of their nodes into a cache; a query only reads the cache (the decoder, nothing else). Events '
        + 'arrive at 200 a second and queries at 50.',
      setup: { focus: 'serving' },
      predict: {
        question: 'How many arrived events will an average answer miss?',
        choices: [
          { id: 'none', text: 'None: the cache is always current', agrees: (m) => m.stale1! < 0.5 },
          { id: 'few', text: 'A few: the ones waiting for their group', agrees: (m) => m.stale1! >= 0.5 && m.stale1! <= 20 },
          { id: 'many', text: 'Many, and more over time', agrees: (m) => m.stale1! > 20 },
        ],
      },
      run: { kind: 'serve', action: 'serve', mode: 'update', values: { ...FAST, eventRate: 200, queryRate: 50, groupSize: 10, durationS: 5 } },
      runLabel: 'Serve',
      show: [
        { label: 'P99 latency (ms)', key: 'latency991', format: 'num' },
        { label: 'missed events per answer (mean)', key: 'stale1', format: 'num' },
        { label: 'AP of the served answers', key: 'ap1', format: 'ap' },
        { label: 'AP of the exact answers', key: 'exactAp1', format: 'ap' },
      ],
      why: [
        {
          text:
            'Answers came back in {latency991|num} ms (P99): reading a cache is cheap. But they missed {stale1|num} events on average: '
            + 'an event waits until nine more have arrived to form a group, 50 ms at 200 events a second. The same [[stale event|staleness]] '
            + 'that large training batches cause, now at serving time. The timeline shows it: each query\'s bar is coloured by what it missed.',
        },
      ],
    },
    {
      title: 'Events faster than updates',
      text:
        'Now 4,000 events arrive a second, and the update server applies each one alone (G = 1) to keep groups small. Each update '
        + 'writes memory and re-embeds two nodes.',
      setup: { focus: 'serving' },
      predict: {
        question: 'What happens to the events an answer misses?',
        choices: [
          { id: 'bounded', text: 'It stays small: groups of one are as fresh as it gets', agrees: (m) => m.backlog1! < 1 },
          { id: 'grows', text: 'It grows for as long as the feed runs', agrees: (m) => m.backlog1! >= 1 },
        ],
      },
      run: { kind: 'serve', action: 'serve', mode: 'update', values: FAST },
      runLabel: 'Serve',
      show: [
        { label: 'events the update server applies per second', key: 'updateRate1', format: 'rate' },
        { label: 'missed events per answer (mean)', key: 'stale1', format: 'num' },
        { label: 'missed events, growth per second', key: 'backlog1', format: 'num' },
        { label: 'AP served / exact', key: 'ap1', format: 'ap' },
        { label: 'AP of the exact answers', key: 'exactAp1', format: 'ap' },
      ],
      why: [
        {
          when: (m) => m.backlog1! >= 1,
          text:
            'The update server manages {updateRate1|rate}, fewer than the 4,000 that arrive, so its queue grows by {backlog1|num} '
            + 'events every second and answers fall further behind the longer the feed runs: {stale1|num} missed events on average. '
            + 'Served AP fell to {ap1|ap} against {exactAp1|ap} for exact answers: on this stream, who writes next depends on the chat a '
            + 'person is in now, and a cache that lags cannot know.',
        },
        {
          text:
            'The update server applied {updateRate1|rate} and kept up (the missed events grew by only {backlog1|num} a second). '
            + 'Above its throughput the queue would grow without bound; try a faster rate in the card.',
        },
      ],
    },
    {
      title: 'Fresh answers cost time',
      text:
        'The same feed, served three ways. [[inference-based serving|Inference-based]]: arriving events only wait, and each query first applies '
        + 'everything that arrived, one event at a time. [[collaborative serving|Collaborative]] (STAG): the background updates memory only, '
        + 'which is cheaper, and each query embeds its nodes itself over the freshest neighbours.',
      setup: { focus: 'serving' },
      predict: {
        question: 'Which mode will answer with the best AP at 4,000 events a second?',
        choices: [
          { id: 'update', text: 'Update-based: it has the most work done in advance', agrees: (m) => m.ap1! >= m.ap2! && m.ap1! >= m.ap3! },
          { id: 'inference', text: 'Inference-based: it never misses an event', agrees: (m) => m.ap2! >= m.ap1! && m.ap2! >= m.ap3! },
          { id: 'collaborative', text: 'Collaborative: fresh enough, and quick', agrees: (m) => m.ap3! > m.ap1! && m.ap3! > m.ap2! },
        ],
      },
      run: { kind: 'serve', action: 'compare', mode: 'update', values: FAST },
      runLabel: 'Serve all three',
      show: [
        { label: 'AP: update-based', key: 'ap1', format: 'ap' },
        { label: 'AP: inference-based', key: 'ap2', format: 'ap' },
        { label: 'AP: collaborative', key: 'ap3', format: 'ap' },
        { label: 'P99 latency (ms): update-based', key: 'latency991', format: 'num' },
        { label: 'P99 latency (ms): inference-based', key: 'latency992', format: 'num' },
        { label: 'P99 latency (ms): collaborative', key: 'latency993', format: 'num' },
        { label: 'missed events: collaborative', key: 'stale3', format: 'num' },
      ],
      why: [
        {
          text:
            'Inference-based answers missed nothing and equal the exact ones (AP {ap2|ap}), but a query waited up to {latency992|num} ms '
            + '(P99): it pays for every event that arrived since the last query. Update-based answered in {latency991|num} ms from a '
            + 'cache that had fallen behind (AP {ap1|ap}). Collaborative sat between on both: its memory-only updates keep up where '
            + 'update-based ones did not, so its answers missed {stale3|num} events on average (AP {ap3|ap}), and each query paid one '
            + 'model pass, {latency993|num} ms at P99. STAG\'s point: split the work so that neither side does all of it.',
        },
      ],
    },
    {
      title: 'The frontier',
      text:
        'Last, each mode at six event rates, from 125 to 4,000 a second: the card draws each run at its P99 [[latency]] and its mean '
        + '[[answer staleness]]. Lower left is better on both.',
      setup: { focus: 'serving' },
      predict: {
        question: 'Can one mode be best on both axes at every rate?',
        choices: [
          { id: 'yes', text: 'Yes, one of them dominates' },
          { id: 'no', text: 'No, each trades one axis for the other' },
        ],
      },
      run: { kind: 'serve', action: 'frontier', mode: 'update', values: { ...FAST, eventRate: 1000 } },
      runLabel: 'Run the frontier',
      show: [{ label: 'fastest rate update-based serving kept up with (events/s)', key: 'knee', format: 'int' }],
      why: [
        {
          text:
            'Update-based serving kept up to {knee|int} events a second; above that its points climb the chart, the [[missed events]] '
            + 'growing with the run. Inference-based points stay on the bottom edge and slide right as the rate rises: never stale, '
            + 'ever slower. Collaborative points sit between. There is no free lunch, only a choice of where to pay: that is the '
            + 'trade-off a serving system for a dynamic graph has to make (STAG; AliGraph\'s P99 targets: sampling under 20 ms, '
            + 'updates visible within 5 s).',
        },
      ],
    },
  ],
};
