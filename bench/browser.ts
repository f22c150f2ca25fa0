// `npm run bench:browser`: the same training run in a Chromium worker (the page's engine worker, wasm) and
// in Node (the CLI's engine), back to back in one run, with where each batch's time goes (issue 13: the
// browser within 1.25× of the CLI's events/s). Builds the app into dist-bench/, serves it, drives Debian
// Chromium headless. Prints numbers; asserts nothing.
import { readFileSync } from 'node:fs';
import { openSession } from '../e2e/browser.ts';
import { serveBenchBuild } from './servedBuild.ts';
import { useBackend } from '../src/engine/backend.ts';
import { tf } from '../src/engine/tf.ts';
import type { TrainingProfile } from '../src/shared/training.ts';
import { BATCHES, nodeProfile, phaseTable, SETTINGS, STREAMS, WARM } from './profile.ts';
import { scaledCsv } from './scaledStream.ts';

const server = await serveBenchBuild();
const session = await openSession();
tf.env().set('PROD', true);
await useBackend('wasm', 'bench');
try {
  await session.page.goto(`${server.origin}/test-harness.html`);
  await session.page.waitForFunction(() => window.__harnessReady === true, null, { timeout: 60_000 });
  console.log(`\n## The same run in a Chromium worker and in Node (wasm, TGN, B = ${SETTINGS.batchSize}, ${BATCHES} batches after ${WARM} warm-up)\n`);
  const rows: string[] = ['| stream | Chromium worker events/s | Node (CLI engine) events/s | Node ÷ Chromium |', '|---|---:|---:|---:|'];
  const tables: string[] = [];
  for (const s of STREAMS) {
    // the file reaches the page through a route on the harness's own origin (the shared datasets are not in dist)
    const url = `${server.origin}/bench-data/${s.name}.csv`;
    await session.page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/csv', body: readFileSync(s.path) }));
    const browser = await session.page.evaluate(
      ([u, settings, warm, batches]) => window.__harness!.profile('wasm', u, settings, warm, batches),
      [url, SETTINGS, WARM, BATCHES] as const,
    );
    const node: TrainingProfile = await nodeProfile(s.path);
    const ratio = node.eventsPerSec / browser.profile.eventsPerSec;
    rows.push(`| ${s.name} | ${Math.round(browser.profile.eventsPerSec)} | ${Math.round(node.eventsPerSec)} | ${ratio.toFixed(2)}× |`);
    tables.push(`### ${s.name}: Chromium worker (${browser.backend.reason}) and Node\n\n${phaseTable([{ title: 'Chromium', profile: browser.profile }, { title: 'Node', profile: node }])}`);
  }
  console.log(rows.join('\n'));
  for (const t of tables) console.log(`\n${t}`);
  // a million events uploaded in the page: the File goes to a fresh engine worker, which reads it in slices
  const million = scaledCsv(1_000_000);
  const bigUrl = `${server.origin}/bench-data/generated-1m.csv`;
  await session.page.route(bigUrl, (route) => route.fulfill({ status: 200, contentType: 'text/csv', body: Buffer.from(million) }));
  console.log('\n### Importing a 1,000,000-event upload in the page (a fresh engine worker, the File read in slices)\n');
  console.log('| run | MB | events | nodes | import s | MB/s |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (let i = 1; i <= 3; i++) {
    const r = await session.page.evaluate((u) => window.__harness!.importTime(u), bigUrl);
    console.log(`| ${i} | ${(r.bytes / 1e6).toFixed(1)} | ${r.events.toLocaleString('en-US')} | ${r.nodes.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(2)} | ${(r.bytes / 1e6 / (r.ms / 1000)).toFixed(0)} |`);
  }
  if (session.errors.length > 0) console.log(`\npage errors:\n${session.errors.join('\n')}`);
} finally {
  await session.close();
  await server.close();
}
