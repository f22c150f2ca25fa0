// `npm run bench` (second part): where a training batch's time goes, per phase (issue 13's profile), on
// wasm in Node: TGN with the CLI's defaults (B = 200, the PyG setup's batch size) on CollegeMsg when
// ../shared is beside the clone, and on the bundled conversations stream always. bench/browser.ts measures
// the same in a Chromium worker. Prints numbers; asserts nothing.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { useBackend, wasmThreadCount } from '../src/engine/backend.ts';
import { EngineSession } from '../src/engine/session/session.ts';
import { resolveSettings } from '../src/shared/knobs.ts';
import type { TrainingProfile } from '../src/shared/training.ts';
import { tf } from '../src/engine/tf.ts';
import { useNodeWasmThreads } from '../src/cli/wasmThreads.ts';

export const WARM = 10;
export const BATCHES = Number(process.env['BENCH_BATCHES'] ?? 60);
/** what `tgnn train` runs without flags: TGN, B = 200, the CLI's learning rate */
export const SETTINGS = resolveSettings({}, 'cli');

export const STREAMS: readonly { readonly name: string; readonly path: string }[] = [
  { name: 'collegemsg', path: fileURLToPath(new URL('../../shared/datasets/collegemsg/CollegeMsg.txt', import.meta.url)) },
  { name: 'conversations', path: fileURLToPath(new URL('../public/datasets/conversations.csv', import.meta.url)) },
].filter((s) => existsSync(s.path));

/** the profile of WARM + BATCHES training batches in Node, through the session the worker runs */
export async function nodeProfile(path: string): Promise<TrainingProfile> {
  const session = new EngineSession();
  try {
    await session.setBackend('wasm');
    session.importData(path, new Uint8Array(readFileSync(path)));
    session.configure(SETTINGS);
    return await session.profileTraining(WARM, BATCHES);
  } finally {
    session.dispose();
  }
}

/** a markdown table: one column pair (ms per batch, share) per profile */
export function phaseTable(columns: readonly { readonly title: string; readonly profile: TrainingProfile }[]): string {
  const first = columns[0]?.profile.phases ?? [];
  const lines = [
    `| phase | ${columns.map((c) => `${c.title} ms/batch | share`).join(' | ')} |`,
    `|---|${columns.map(() => '---:|---:').join('|')}|`,
    ...first.map((row, i) => `| ${row.phase} | ${columns.map((c) => `${c.profile.phases[i]!.ms.toFixed(2)} | ${(100 * c.profile.phases[i]!.share).toFixed(1)} %`).join(' | ')} |`),
    `| all phases | ${columns.map((c) => `${c.profile.phases.reduce((a, x) => a + x.ms, 0).toFixed(2)} | 100 %`).join(' | ')} |`,
    `| wall time per batch | ${columns.map((c) => `${c.profile.wallMs.toFixed(2)} | ${Math.round(c.profile.eventsPerSec)} events/s`).join(' | ')} |`,
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  tf.env().set('PROD', true);
  // as `tgnn train --wasm-threads N` runs wasm (default 1, as tgnn train)
  useNodeWasmThreads(Number(process.env['BENCH_WASM_THREADS'] ?? 1));
  await useBackend('wasm', 'bench');
  console.log(`\n## Where a TGN training batch's time goes (wasm in Node ${process.version}, ${wasmThreadCount()} threads, B = ${SETTINGS.batchSize}, ${BATCHES} batches after ${WARM} warm-up)\n`);
  const columns = [];
  for (const s of STREAMS) columns.push({ title: s.name, profile: await nodeProfile(s.path) });
  console.log(phaseTable(columns));
  if (!STREAMS.some((s) => s.name === 'collegemsg')) console.log('\n(CollegeMsg not found beside the clone, in ../shared/datasets: only the bundled stream was profiled)');
}
