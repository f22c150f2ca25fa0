// Where the page's main-thread time goes while training plays: the production build (built first, as
// `npm run bench:browser` does) trains the default stream for N seconds with every view live and on screen
// and one core held by another process (as e2e/perf.e2e.ts does), under a Chromium trace. Prints the tasks
// over 50 ms (wall and thread CPU time, and what they were made of) and, per rendered frame, the CPU of
// each stage (script, style, layout, paint, layerize, commit).
//   npx tsx bench/page-trace.ts [--seconds 20] [--quiet]
import { spawn, type ChildProcess } from 'node:child_process';
import type { CDPSession } from 'playwright-core';
import { openSession } from '../e2e/browser.ts';
import { serveBenchBuild } from './servedBuild.ts';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  /** thread CPU time (µs) */
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string; readonly data?: { readonly type?: string } };
}

const argValue = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(argValue('--seconds') ?? 20);
const quiet = process.argv.includes('--quiet');
if (!(seconds > 0)) throw new Error('--seconds: expected a positive number');

const STAGES = ['FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit'] as const;
const TASK = 'ThreadControllerImpl::RunTask';

async function trace(cdp: CDPSession, during: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'], recordMode: 'recordContinuously' },
    transferMode: 'ReportEvents',
  });
  await during();
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await complete;
  return events;
}

const { origin, close } = await serveBenchBuild();
const session = await openSession();
try {
  const page = session.page;
  await page.setViewportSize({ width: 1100, height: 2450 });
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
  await page.getByTestId('anatomy-follow').check();
  const cdp = await session.context.newCDPSession(page);
  const events = await trace(cdp, async () => {
    let busy: ChildProcess | null = quiet ? null : spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    try {
      await page.getByTestId('play').click();
      await page.waitForTimeout(seconds * 1000);
      await page.getByTestId('pause').click();
    } finally {
      busy?.kill();
      busy = null;
    }
  });
  // the page's main thread: the busiest thread named CrRendererMain
  const threadOf = (e: TraceEvent): string => `${e.pid}:${e.tid}`;
  const count = new Map<string, number>();
  for (const e of events) count.set(threadOf(e), (count.get(threadOf(e)) ?? 0) + 1);
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(threadOf);
  const main = mains.sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0))[0];
  if (!main) throw new Error('the trace has no renderer main thread');
  const onMain = events.filter((e) => threadOf(e) === main && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  const tasks = onMain.filter((e) => e.name === TASK);
  const inside = (t: TraceEvent): TraceEvent[] => onMain.filter((e) => e !== t && e.name !== TASK && e.ts >= t.ts && e.ts + e.dur! <= t.ts + t.dur!);
  const ms = (us: number | undefined): number => (us ?? 0) / 1000;
  const wall = tasks.reduce((a, t) => a + ms(t.dur), 0);
  const cpu = tasks.reduce((a, t) => a + ms(t.tdur), 0);
  console.log(`${seconds} s of training${quiet ? '' : ' with one core held by another process'}: ${tasks.length} main-thread tasks, ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU`);
  const stageCpu = (kids: readonly TraceEvent[], stage: string): number => kids.filter((k) => k.name === stage).reduce((a, k) => a + ms(k.tdur), 0);
  const long = tasks.filter((t) => ms(t.dur) > 50);
  console.log(`tasks over 50 ms: ${long.length}`);
  for (const t of long) {
    const kids = inside(t);
    console.log(`  ${ms(t.dur).toFixed(0)} ms (CPU ${ms(t.tdur).toFixed(0)}): ${STAGES.map((s) => `${s} ${stageCpu(kids, s).toFixed(1)}`).join(', ')}`);
  }
  const frames = tasks.map(inside).filter((kids) => kids.some((k) => k.name === 'Paint' || k.name === 'Commit'));
  const perFrame = (stage: string): string => (frames.reduce((a, kids) => a + stageCpu(kids, stage), 0) / Math.max(1, frames.length)).toFixed(2);
  console.log(`rendered frames: ${frames.length}; CPU ms per frame: ${STAGES.map((s) => `${s} ${perFrame(s)}`).join(', ')}`);
} finally {
  await session.close();
  await close();
}
