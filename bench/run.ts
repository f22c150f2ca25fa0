// `npm run bench`: import speed, then TGN training speed per Node backend on the shared datasets.
// Then the phase profile (bench/profile.ts) and the back-to-back comparison with PyG when it is installed
// (bench/pyg.ts). Prints numbers; asserts nothing. Full 1-epoch accuracy runs: bash bench/acceptance.sh.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { importEventStream } from '../src/engine/data/import.ts';
import { chronologicalSplit } from '../src/engine/data/split.ts';
import { useBackend } from '../src/engine/backend.ts';
import type { BackendName } from '../src/shared/backend.ts';
import { createTgn } from '../src/engine/models/tgn.ts';
import { TGN_DEFAULTS } from '../src/shared/presets.ts';
import { Trainer, TRAINER_DEFAULTS } from '../src/engine/train/trainer.ts';
import { tf } from '../src/engine/tf.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const datasets = fileURLToPath(new URL('../../shared/datasets/', import.meta.url));
const BATCHES = Number(process.env['BENCH_BATCHES'] ?? 60);

spawnSync(process.execPath, ['--import', 'tsx', 'bench/parse.ts'], { cwd: root, stdio: 'inherit' });

tf.env().set('PROD', true);
console.log(`\n## TGN training speed (batch 200, first ${BATCHES} training batches after 10 warm-up, Node ${process.version})\n`);
console.log('| dataset | backend | ms/batch | train events/s |');
console.log('|---|---|---|---|');
for (const backend of ['wasm', 'cpu'] as BackendName[]) {
  await useBackend(backend, 'bench');
  for (const file of ['collegemsg/CollegeMsg.txt', 'bitcoin-otc/soc-sign-bitcoinotc.csv']) {
    const { stream } = importEventStream(new Uint8Array(readFileSync(datasets + file)));
    const split = chronologicalSplit(stream);
    const model = createTgn(stream, TGN_DEFAULTS, 1);
    const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, seed: 1 });
    const warm = 10;
    const B = TRAINER_DEFAULTS.batchSize;
    const batches = Math.min(trainer.cursor.batches, warm + BATCHES);
    let started = 0;
    for (let b = 0; b < batches; b++) {
      if (b === warm) started = performance.now();
      await trainer.step();
    }
    const ms = (performance.now() - started) / (batches - warm);
    console.log(`| ${file.split('/')[0]} | ${backend} | ${ms.toFixed(1)} | ${Math.round((B * 1000) / ms)} |`);
    trainer.dispose();
    model.dispose();
  }
}

spawnSync(process.execPath, ['--import', 'tsx', 'bench/profile.ts'], { cwd: root, stdio: 'inherit' });

spawnSync(process.execPath, ['--import', 'tsx', 'bench/pyg.ts'], { cwd: root, stdio: 'inherit' });
