// `npm run bench:page-million`: a million generated events (bench/scaledStream.ts, the stream bench:scale
// trains in Node) imported in the page's engine worker through the bridge, as the app does, then one whole
// epoch (train, validation, test) played with the CLI's settings (TGN, B = 200): the epoch's time, the
// engine's tensor count after the first batch and after the epoch, and the page's main-thread tasks over
// 50 ms and longest frame gap while the worker trains (issue 13's scale item). BUSY=1 holds one core with
// another process for the run. Builds the app into dist-bench/, drives Debian Chromium headless. Prints
// numbers; asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSession } from '../e2e/browser.ts';
import { serveBenchBuild } from './servedBuild.ts';
import { SETTINGS } from './profile.ts';
import { scaledCsv } from './scaledStream.ts';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const server = await serveBenchBuild();
const session = await openSession();
let busy: ChildProcess | null = null;
try {
  await session.page.goto(`${server.origin}/test-harness.html`);
  await session.page.waitForFunction(() => window.__harnessReady === true, null, { timeout: 60_000 });
  const csv = scaledCsv(EVENTS);
  const url = `${server.origin}/bench-data/generated-${EVENTS}.csv`;
  await session.page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/csv', body: Buffer.from(csv) }));
  if (process.env['BUSY'] === '1') busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  const r = await session.page.evaluate(([u, settings]) => window.__harness!.epoch(u, settings), [url, SETTINGS] as const);
  const over = r.longTasks.filter((d) => d > 50);
  console.log(`\n## One epoch of ${EVENTS.toLocaleString('en-US')} generated events in the page's engine worker (${r.report.reason}; ${process.env['BUSY'] === '1' ? 'one core held by another process' : 'no other load'})\n`);
  console.log('| events | nodes | CSV MB | import s | epoch s (train + val + test) | train events/s | test AP | tensors after batch 1 → after the epoch | snapshots drawn | main-thread tasks > 50 ms | worst task ms | longest frame gap ms |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(`| ${r.events.toLocaleString('en-US')} | ${r.nodes.toLocaleString('en-US')} | ${(csv.length / 1e6).toFixed(1)} | ${(r.importMs / 1000).toFixed(2)} | ${(r.epochMs / 1000).toFixed(1)} | ${Math.round(r.trainEventsPerSec)} | ${r.testAp.toFixed(4)} | ${r.tensorsAfterFirstBatch} → ${r.tensorsAfterEpoch} | ${r.snapshots} | ${over.length} | ${r.longTasks.length ? Math.max(...r.longTasks).toFixed(0) : 0} | ${r.maxFrameGapMs.toFixed(0)} |`);
  if (session.errors.length > 0) console.log(`\npage errors:\n${session.errors.join('\n')}`);
} finally {
  busy?.kill();
  await session.close();
  await server.close();
}
