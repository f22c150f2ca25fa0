// `npm run bench:serve`: the serving lab on CollegeMsg (src/engine/serve). Trains TGN one epoch (B = 200,
// seed 1), then: the virtual clock's costs measured on this model (DEFAULT_SERVE_COSTS comes from this),
// update-based serving around its update throughput (the knee), and the three modes at a low and a high
// event rate, with the measured clock and on the wall clock (two worker threads). Prints numbers; asserts nothing.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importEventStream } from '../src/engine/data/import.ts';
import { chronologicalSplit } from '../src/engine/data/split.ts';
import { useBackend } from '../src/engine/backend.ts';
import { createTgn } from '../src/engine/models/tgn.ts';
import { TGN_DEFAULTS } from '../src/shared/presets.ts';
import { Trainer, TRAINER_DEFAULTS } from '../src/engine/train/trainer.ts';
import { tf } from '../src/engine/tf.ts';
import { calibrateCosts } from '../src/engine/serve/calibrate.ts';
import { prepareServing, runServing } from '../src/engine/serve/simulator.ts';
import { DEFAULT_SERVE_COSTS, SERVE_MODES, type Grouping, type ServeClock, type ServeMode, type ServeSummary } from '../src/shared/serving.ts';
import { serveOnNodeThreads } from '../src/cli/serveWorkers.ts';

const file = fileURLToPath(new URL('../../shared/datasets/collegemsg/CollegeMsg.txt', import.meta.url));
if (!existsSync(file)) {
  console.log(`serving bench skipped: ${file} is missing (the shared datasets are not in a user's clone)`);
  process.exit(0);
}
tf.env().set('PROD', true);
await useBackend('wasm', 'bench');
const { stream } = importEventStream(new Uint8Array(readFileSync(file)));
const split = chronologicalSplit(stream);
const model = createTgn(stream, TGN_DEFAULTS, 1);
const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, seed: 1 });
const report = await trainer.runEpoch();
console.log(`\n## Serving lab, CollegeMsg (TGN, 1 epoch, seed 1: test AP ${report.test.ap.toFixed(4)}), wasm, Node ${process.version}\n`);
const trained = trainer.lastTrained;
if (!trained) throw new Error('no trained state after an epoch');
const base = await prepareServing(model, trained.state, split, TRAINER_DEFAULTS.evalBatchSize);
console.log(`feed: test events ${split.test[0]}..${split.test[1]} (${split.test[1] - split.test[0]})`);

const costs = await calibrateCosts(base);
const fmt = (c: { fixedMs: number; perItemMs: number }) => `${c.fixedMs.toFixed(3)} + ${c.perItemMs.toFixed(4)}·n`;
console.log('\n### Operation costs measured here (ms; n = events, nodes or pairs) vs DEFAULT_SERVE_COSTS\n');
console.log('| operation | measured | default |');
console.log('|---|---|---|');
for (const op of ['advance', 'embed', 'query', 'cached'] as const) console.log(`| ${op} | ${fmt(costs[op])} | ${fmt(DEFAULT_SERVE_COSTS[op])} |`);

const row = (s: ServeSummary) => `| ${s.mode} | ${s.eventRate} | ${s.updateGrouping.size} | ${s.queries} | ${s.latencyMs.p50.toFixed(2)} | ${s.latencyMs.p99.toFixed(2)} | ` +
  `${s.stalenessEvents.mean.toFixed(1)} | ${s.stalenessEvents.p99.toFixed(0)} | ${(s.stalenessSeconds.mean * 1000).toFixed(1)} | ${s.ap.toFixed(4)} | ${s.exactAp.toFixed(4)} | ` +
  `${Math.round(s.updateEventsPerSec)} | ${s.backlogGrowthPerS.toFixed(1)} | ${s.samplingMs.hop1.p99.toFixed(3)} | ${s.samplingMs.hop2.p99.toFixed(3)} |`;
const header = () => {
  console.log('| mode | R /s | G | queries | latency P50 ms | P99 ms | staleness mean (events) | P99 | staleness mean ms | AP served | AP exact | update events/s | backlog growth /s | sampling 1-hop P99 ms | 2-hop P99 ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
};
const serve = async (mode: ServeMode, eventRate: number, size: number, queryRate: number, durationS: number, clock: ServeClock = 'measured') => {
  const grouping: Grouping = { size, windowMs: null };
  const options = { mode, eventRate, queryRate, updateGrouping: grouping, queryGrouping: { size: 1, windowMs: null }, durationS, seed: 1, clock, costs: DEFAULT_SERVE_COSTS };
  const run = clock === 'wall' ? await serveOnNodeThreads(base, options, 'wasm') : await runServing(base, options);
  console.log(row(run.summary));
};

console.log('\n### Update-based, G = 1, around its update throughput (measured clock, Q = 100/s, 2 s)\n');
header();
for (const r of [250, 500, 1000, 1500, 2000, 4000]) await serve('update', r, 1, 100, 2);

console.log('\n### The three modes at a low and a high event rate (measured clock, G = 1, Q = 400/s, 2 s)\n');
header();
for (const r of [250, 4000]) for (const mode of SERVE_MODES) await serve(mode, r, 1, 400, 2);

console.log('\n### The same on the wall clock: update and query servers on two worker threads, in real time\n');
header();
for (const r of [250, 4000]) for (const mode of SERVE_MODES) await serve(mode, r, 1, 400, 2, 'wall');
trainer.dispose();
model.dispose();
