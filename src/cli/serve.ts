import { createWriteStream } from 'node:fs';
import { allowOnly, boolFlag, log, out, stringFlag, UserError, type ParsedArgs } from './args.ts';
import { choiceOption, listOption, numberOption } from './settings.ts';
import { COMMANDS } from './commands.ts';
import { openCheckpoint } from './eval.ts';
import { prepareServing, runServing } from '../engine/serve/simulator.ts';
import { serveOnNodeThreads } from './serveWorkers.ts';
import {
  DEFAULT_SERVE_COSTS, SERVE_CLOCKS, SERVE_KNOBS, SERVE_MODES, servingOptions,
  type ServeKnob, type ServeKnobValues, type ServeOptions, type ServeRun, type ServeSummary,
} from '../shared/serving.ts';

type ServeCommand = 'serve' | 'serve-sweep';

/** every serving knob the command takes, checked against its range before a file is read (a window not given: none) */
function knobValues(args: ParsedArgs, command: ServeCommand): ServeKnobValues {
  const flags = COMMANDS[command].flags;
  const value = (k: ServeKnob): number | null =>
    flags.includes(k.flag) && (k.default !== null || stringFlag(args, k.flag) !== undefined) ? numberOption(args, command, k.flag) : k.default;
  return Object.fromEntries(SERVE_KNOBS.map((k) => [k.key, value(k)])) as ServeKnobValues;
}

const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(0));

function summaryText(s: ServeSummary): string {
  return `${s.mode} (${s.clock} clock), R=${s.eventRate}/s Q=${s.queryRate}/s G=${s.updateGrouping.size}${s.updateGrouping.windowMs !== null ? ` W=${s.updateGrouping.windowMs}ms` : ''}: ` +
    `${s.queries} queries, latency P50 ${ms(s.latencyMs.p50)} / P99 ${ms(s.latencyMs.p99)} ms, ` +
    `staleness mean ${s.stalenessEvents.mean.toFixed(1)} events (P99 ${s.stalenessEvents.p99.toFixed(0)}), ${(s.stalenessSeconds.mean * 1000).toFixed(0)} ms; ` +
    `AP ${s.ap.toFixed(4)} (exact ${s.exactAp.toFixed(4)}), updates ${s.updateEventsPerSec.toFixed(0)} events/s, backlog ${s.backlogGrowthPerS >= 0 ? '+' : ''}${s.backlogGrowthPerS.toFixed(1)} events/s`;
}

async function open(args: ParsedArgs, command: ServeCommand): Promise<{ serve: (options: ServeOptions) => Promise<ServeRun>; dispose: () => void }> {
  const { loaded, backend } = await openCheckpoint(args, command);
  const base = await prepareServing(loaded.model, loaded.state, loaded.split, loaded.meta.options.evalBatchSize);
  log(`serving the test events from ${base.feedFrom} (${loaded.model.stream.numEvents - base.feedFrom} events) after the validation events`);
  // the wall clock runs the two servers on worker threads; the others simulate them here
  const serve = (options: ServeOptions): Promise<ServeRun> => (options.clock === 'wall' ? serveOnNodeThreads(base, options, backend) : runServing(base, options));
  return { serve, dispose: () => loaded.model.dispose() };
}

/**
 * `tgnn serve --checkpoint DIR --data PATH --mode M …`: serves the checkpoint's model on the stream's test
 * events as a live feed (src/engine/serve) and prints one summary (`--json`: one JSON line);
 * `--records FILE` writes one JSON line per query.
 */
export async function runServe(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.serve.flags);
  const mode = choiceOption(args, 'serve', 'mode', SERVE_MODES);
  const clock = choiceOption(args, 'serve', 'clock', SERVE_CLOCKS);
  const options = servingOptions(mode, knobValues(args, 'serve'), clock, DEFAULT_SERVE_COSTS);
  const json = boolFlag(args, 'json');
  const recordsPath = stringFlag(args, 'records');
  const { serve, dispose } = await open(args, 'serve');
  try {
    const run = await serve(options);
    if (recordsPath !== undefined) {
      const file = createWriteStream(recordsPath);
      for (const r of run.records) file.write(JSON.stringify(r) + '\n');
      await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(new UserError(`--records ${recordsPath}: ${e.message}`)) : resolve())));
      log(`wrote ${run.records.length} query records to ${recordsPath}`);
    }
    out(json ? JSON.stringify(run.summary) + '\n' : summaryText(run.summary) + '\n');
    return 0;
  } finally {
    dispose();
  }
}

/** `tgnn serve-sweep`: each mode at each update group size and event rate; one JSON line (or text line) per point. */
export async function runServeSweep(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS['serve-sweep'].flags);
  const clock = choiceOption(args, 'serve-sweep', 'clock', SERVE_CLOCKS);
  const values = knobValues(args, 'serve-sweep');
  const rates = listOption(args, 'serve-sweep', 'event-rates') ?? [];
  const sizes = listOption(args, 'serve-sweep', 'group-sizes') ?? [];
  const json = boolFlag(args, 'json');
  const { serve, dispose } = await open(args, 'serve-sweep');
  try {
    for (const mode of SERVE_MODES) {
      // inference-based serving has no update server: group sizes do not change it
      for (const groupSize of mode === 'inference' ? [sizes[0]!] : sizes) {
        for (const eventRate of rates) {
          const run = await serve(servingOptions(mode, { ...values, eventRate, groupSize }, clock, DEFAULT_SERVE_COSTS));
          out(json ? JSON.stringify(run.summary) + '\n' : summaryText(run.summary) + '\n');
        }
      }
    }
    return 0;
  } finally {
    dispose();
  }
}
