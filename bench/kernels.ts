// Where a training batch's kernel time goes, per tfjs kernel and per kernel + input shapes (tf.profile):
// TGN with the CLI's defaults on CollegeMsg, wasm in Node, 10 profiled batches after SKIP (default 40)
// unprofiled ones. `npx tsx bench/kernels.ts` (SKIP=170 for the heavier end of the epoch). Needs
// ../shared/datasets beside the clone. Prints numbers; asserts nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useBackend } from '../src/engine/backend.ts';
import { importEventStream } from '../src/engine/data/import.ts';
import { buildRun } from '../src/engine/experiment.ts';
import { resolveSettings } from '../src/shared/knobs.ts';
import { Trainer } from '../src/engine/train/trainer.ts';
import { createTgn } from '../src/engine/models/tgn.ts';
import { tf } from '../src/engine/tf.ts';
tf.env().set('PROD', true);
await useBackend('wasm', 'k');
const { stream } = importEventStream(new Uint8Array(readFileSync(fileURLToPath(new URL('../../shared/datasets/collegemsg/CollegeMsg.txt', import.meta.url)))));
const settings = resolveSettings({}, 'cli');
const run = buildRun(stream, settings);
const model = createTgn(stream, run.config, 1);
const trainer = new Trainer(model, stream, run.split, run.options);
for (let i = 0; i < Number(process.env['SKIP'] ?? 40); i++) await trainer.step();
const agg = new Map<string, { ms: number; n: number }>();
const N = 10;
let total = 0;
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  const info = await tf.profile(async () => { await trainer.step(); });
  total += performance.now() - t0;
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const e = agg.get(key) ?? { ms: 0, n: 0 };
    e.ms += Number(k.kernelTimeMs); e.n++;
    agg.set(key, e);
  }
}
const byName = new Map<string, { ms: number; n: number }>();
for (const [k, v] of agg) { const n = k.split(' ')[0]!; const e = byName.get(n) ?? { ms: 0, n: 0 }; e.ms += v.ms; e.n += v.n; byName.set(n, e); }
console.log('wall ms/batch (profiled)', (total / N).toFixed(1));
let sum = 0; for (const v of byName.values()) sum += v.ms;
console.log('kernel ms/batch', (sum / N).toFixed(1));
for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(k.padEnd(24), (v.ms / N).toFixed(2), (v.n / N).toFixed(0));
console.log('---');
for (const [k, v] of [...agg].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) console.log((v.ms / N).toFixed(2).padStart(7), (v.n / N).toFixed(0).padStart(4), k);
