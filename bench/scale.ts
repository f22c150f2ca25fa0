// `npm run bench:scale`: how TGN's time per epoch and memory grow with the stream (issue 13 point 5):
// seeded generated streams of 100k, 300k and 1M events (about 7.5k, 22k and 75k nodes), each imported from
// CSV bytes and trained one epoch (train, val, test) with the CLI's defaults on wasm in Node. Prints import
// speed, epoch time, ms per 1k events (flat = linear), tensors before and after the epoch, and the bytes the
// model's node state takes per node (memory, mailbox) and the neighbour index per event. Asserts nothing.
import { importEventStream } from '../src/engine/data/import.ts';
import { scaledCsv } from './scaledStream.ts';
import { chronologicalSplit } from '../src/engine/data/split.ts';
import { useBackend } from '../src/engine/backend.ts';
import { createTgn } from '../src/engine/models/tgn.ts';
import { buildRun } from '../src/engine/experiment.ts';
import { Trainer } from '../src/engine/train/trainer.ts';
import { resolveSettings } from '../src/shared/knobs.ts';
import { tf } from '../src/engine/tf.ts';

const SIZES = (process.env['BENCH_SCALE_EVENTS'] ?? '100000,300000,1000000').split(',').map(Number);
const settings = resolveSettings({}, 'cli');

/** bytes of every typed array directly held by `o` */
function typedBytes(o: object): number {
  let n = 0;
  for (const v of Object.values(o)) if (ArrayBuffer.isView(v)) n += v.byteLength;
  return n;
}

tf.env().set('PROD', true);
await useBackend('wasm', 'bench');
console.log(`\n## Scale: one TGN epoch per stream size (wasm in Node ${process.version}, B = ${settings.batchSize}, CLI defaults)\n`);
console.log('| events | nodes | CSV MB | import s (MB/s) | train s | val + test s | epoch s | epoch ms per 1k events | tensors after batch 1 → after the epoch | node state bytes/node | index bytes/event | RSS MB |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const n of SIZES) {
  const bytes = scaledCsv(n);
  const t0 = performance.now();
  const { stream } = importEventStream(bytes);
  const importS = (performance.now() - t0) / 1000;
  const run = buildRun(stream, settings, chronologicalSplit(stream));
  const model = createTgn(run.stream, run.config, settings.seed);
  const trainer = new Trainer(model, run.stream, run.split, run.options);
  // after the first batch: Adam has made its moments (two per variable), which live as long as the optimizer
  const e0 = performance.now();
  let first = await trainer.step();
  const before = tf.memory().numTensors;
  while (!first?.epochReport) first = await trainer.step();
  const report = first.epochReport;
  const epochS = (performance.now() - e0) / 1000;
  const after = tf.memory().numTensors;
  const nodeBytes = (typedBytes(model.memory) + typedBytes(model.mailbox)) / stream.numNodes;
  const indexBytes = typedBytes(model.index) / stream.numEvents;
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`| ${n.toLocaleString('en-US')} | ${stream.numNodes.toLocaleString('en-US')} | ${(bytes.length / 1e6).toFixed(1)} | ${importS.toFixed(2)} (${(bytes.length / 1e6 / importS).toFixed(0)}) | ` +
    `${report.trainSeconds.toFixed(1)} | ${report.evalSeconds.toFixed(1)} | ${epochS.toFixed(1)} | ${((epochS * 1000) / (n / 1000)).toFixed(0)} | ${before} → ${after} | ` +
    `${Math.round(nodeBytes)} | ${indexBytes.toFixed(1)} | ${rss.toFixed(0)} |`);
  trainer.dispose();
  model.dispose();
}
