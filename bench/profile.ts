// `npm run bench` (second part): where a training batch's time goes, per phase (issue 13's profile), on
// wasm in Node: TGN at B = 200 (the PyG setup's batch size) on CollegeMsg when ../shared is beside the
// clone, and on the bundled conversations stream always. Prints numbers; asserts nothing.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importEventStream } from '../src/engine/data/import.ts';
import { chronologicalSplit } from '../src/engine/data/split.ts';
import { useBackend } from '../src/engine/backend.ts';
import { createTgn } from '../src/engine/models/tgn.ts';
import { TGN_DEFAULTS } from '../src/shared/presets.ts';
import { Trainer, TRAINER_DEFAULTS } from '../src/engine/train/trainer.ts';
import { PhaseProfiler, type PhaseRow } from '../src/engine/train/phases.ts';
import { tf } from '../src/engine/tf.ts';

const WARM = 10;
const BATCHES = Number(process.env['BENCH_BATCHES'] ?? 60);
const B = TRAINER_DEFAULTS.batchSize;

const streams: { name: string; path: string }[] = [
  { name: 'collegemsg', path: fileURLToPath(new URL('../../shared/datasets/collegemsg/CollegeMsg.txt', import.meta.url)) },
  { name: 'conversations', path: fileURLToPath(new URL('../public/datasets/conversations.csv', import.meta.url)) },
];

/** ms per batch of each phase over BATCHES training batches after WARM warm-up ones, and the batch's wall time */
async function profile(path: string): Promise<{ rows: PhaseRow[]; wallMs: number; batches: number }> {
  const { stream } = importEventStream(new Uint8Array(readFileSync(path)));
  const model = createTgn(stream, TGN_DEFAULTS, 1);
  const trainer = new Trainer(model, stream, chronologicalSplit(stream), { ...TRAINER_DEFAULTS, seed: 1 });
  const profiler = new PhaseProfiler();
  const batches = Math.min(trainer.cursor.batches, WARM + BATCHES);
  let started = 0;
  for (let b = 0; b < batches; b++) {
    if (b === WARM) {
      trainer.profile(profiler);
      started = performance.now();
    }
    await trainer.step();
  }
  const wallMs = (performance.now() - started) / (batches - WARM);
  const rows = profiler.rows(batches - WARM);
  trainer.dispose();
  model.dispose();
  return { rows, wallMs, batches: batches - WARM };
}

tf.env().set('PROD', true);
await useBackend('wasm', 'bench');
console.log(`\n## Where a TGN training batch's time goes (wasm in Node ${process.version}, B = ${B}, ${BATCHES} batches after ${WARM} warm-up)\n`);
const found = streams.filter((s) => existsSync(s.path));
const results = [];
for (const s of found) results.push({ ...s, ...(await profile(s.path)) });
console.log(`| phase | ${results.map((r) => `${r.name} ms/batch | share`).join(' | ')} |`);
console.log(`|---|${results.map(() => '---|---').join('|')}|`);
for (let i = 0; i < (results[0]?.rows.length ?? 0); i++) {
  const phase = results[0]!.rows[i]!.phase;
  console.log(`| ${phase} | ${results.map((r) => `${r.rows[i]!.ms.toFixed(2)} | ${(100 * r.rows[i]!.share).toFixed(1)} %`).join(' | ')} |`);
}
console.log(`| measured, all phases | ${results.map((r) => `${r.rows.reduce((a, x) => a + x.ms, 0).toFixed(2)} | 100 %`).join(' | ')} |`);
console.log(`| wall time per batch | ${results.map((r) => `${r.wallMs.toFixed(2)} | ${Math.round((B * 1000) / r.wallMs)} events/s`).join(' | ')} |`);
if (found.length < streams.length) console.log(`\n(CollegeMsg not found beside the clone: ../shared/datasets; only the bundled stream was profiled)`);
