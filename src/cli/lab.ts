import { allowOnly, boolFlag, log, out, requiredString, UserError, type ParsedArgs } from './args.ts';
import { choiceOption, listOption, numberOption, settingsFromFlags } from './settings.ts';
import { COMMANDS } from './commands.ts';
import { importOptions, loadStream, readInput } from './load.ts';
import { formatIssue } from '../engine/data/import.ts';
import { chronologicalSplit } from '../engine/data/split.ts';
import { TrainableError } from '../engine/data/trainable.ts';
import { stalenessByBatchSize } from '../engine/probes/staleness.ts';
import { EngineSession } from '../engine/session/session.ts';
import { useCliWasmThreads } from './wasmThreads.ts';
import { mitigationsOf } from '../shared/lab.ts';
import { tf } from '../engine/tf.ts';



const round = (v: number, digits = 5): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** `tgnn staleness`: data-level stale and dropped fractions per batch size (no model, fast). */
export async function runStaleness(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.staleness.flags);
  const sizes = listOption(args, 'staleness', 'batch-sizes')!;
  const mailbox = settingsFromFlags(args, 'staleness').settings.mailboxSize;
  const rangeName = choiceOption(args, 'staleness', 'range', ['all', 'train'] as const);
  const json = boolFlag(args, 'json');
  const { path, stream, report } = loadStream(args);
  for (const issue of report.issues) log(`import: ${formatIssue(issue)}`);
  const range: [number, number] = rangeName === 'train' ? [...chronologicalSplit(stream).train] : [0, stream.numEvents];
  log(`${path}: ${stream.numEvents} events, ${stream.numNodes} nodes; events ${range[0]}..${range[1]}, mailbox ${mailbox}`);
  for (const r of stalenessByBatchSize(stream, sizes, mailbox, range)) {
    const line = { batchSize: r.batchSize, staleFraction: round(r.staleFraction), droppedMailFraction: round(r.droppedMailFraction), batches: r.batches };
    out(json ? JSON.stringify(line) + '\n' : `B=${line.batchSize}: stale ${line.staleFraction}, dropped ${line.droppedMailFraction}, ${line.batches} batches\n`);
  }
  return 0;
}

/** `tgnn sweep`: a fresh model per batch size, one epoch each, with optional mitigations. */
export async function runSweep(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.sweep.flags);
  const sizes = listOption(args, 'sweep', 'batch-sizes')!;
  const evalSizes = listOption(args, 'sweep', 'eval-batch-sizes') ?? null;
  // one epoch per point, as DistTGL's Fig. 3; the flag is accepted for explicitness (its range is 1)
  numberOption(args, 'sweep', 'epochs');
  const backendName = choiceOption(args, 'sweep', 'backend', ['cpu', 'wasm'] as const);
  // the batch size of each point comes from --batch-sizes
  const base = settingsFromFlags(args, 'sweep').settings;
  const driftEvents = numberOption(args, 'sweep', 'drift-events');
  useCliWasmThreads(args, 'sweep');
  const json = boolFlag(args, 'json');
  const path = requiredString(args, 'data');

  tf.env().set('PROD', true);
  const session = new EngineSession();
  const backend = await session.setBackend(backendName);
  log(`backend ${backend.backend} (${backend.reason})`);
  const data = (() => {
    try {
      return session.importData(path, readInput(path), importOptions(args));
    } catch (e) {
      // times that cannot train: the same message as train and eval, as bad input
      if (e instanceof TrainableError) throw new UserError(e.message);
      throw e;
    }
  })();
  for (const issue of data.report.issues) log(`import: ${formatIssue(issue)}`);
  log(`${path}: ${data.events} events, ${data.nodes} nodes`);
  const mitigations = mitigationsOf(base);
  try {
    if (evalSizes) {
      // train once at the first batch size, then evaluate the same weights at each evaluation batch size
      const trainB = sizes[0]!;
      const point = await session.runSweepPoint({ ...base, batchSize: trainB }, 0, (done, total) => {
        if (done % 50 === 0 || done === total) log(`train B=${trainB}: batch ${done}/${total}`);
      });
      for (const evalB of evalSizes) {
        const r = await session.evaluateAt(evalB);
        const line = { trainBatchSize: trainB, evalBatchSize: evalB, trainEventsPerSec: round(point.trainEventsPerSec, 1), val: { ap: round(r.val.ap), auc: round(r.val.auc) }, test: { ap: round(r.test.ap), auc: round(r.test.auc) }, mitigations };
        out(json ? JSON.stringify(line) + '\n' : `train B=${trainB}, eval B=${evalB}: val AP ${line.val.ap}, test AP ${line.test.ap}\n`);
      }
      return 0;
    }
    for (const B of sizes) {
      const p = await session.runSweepPoint({ ...base, batchSize: B }, driftEvents, (done, total) => {
        if (done % 50 === 0 || done === total) log(`B=${B}: train batch ${done}/${total}`);
      });
      const line = {
        batchSize: B,
        trainEventsPerSec: round(p.trainEventsPerSec, 1),
        val: { ap: round(p.valAp) },
        test: { ap: round(p.testAp) },
        staleFraction: round(p.staleFraction),
        droppedMailFraction: round(p.droppedMailFraction),
        memoryDrift: round(p.memoryDrift),
        driftApDelta: round(p.driftApDelta),
        driftEvents: p.driftEvents,
        mitigations,
        backend: backend.backend,
      };
      out(json ? JSON.stringify(line) + '\n'
        : `B=${B}: ${line.trainEventsPerSec} events/s, val AP ${line.val.ap}, test AP ${line.test.ap}, stale ${line.staleFraction}, dropped ${line.droppedMailFraction}, drift ${line.memoryDrift} (AP ${line.driftApDelta >= 0 ? '+' : ''}${line.driftApDelta})\n`);
    }
  } finally {
    session.dispose();
  }
  return 0;
}
