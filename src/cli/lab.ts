import { allowOnly, boolFlag, boundedFlag, enumFlag, listFlag, log, out, requiredString, stringFlag, UserError, type ParsedArgs } from './args.ts';
import { LIST_BOUNDS } from './bounds.ts';
import { COMMANDS } from './commands.ts';
import { importOptions, loadStream, readInput } from './load.ts';
import { formatIssue } from '../engine/data/import.ts';
import { chronologicalSplit } from '../engine/data/split.ts';
import { TrainableError } from '../engine/data/trainable.ts';
import { stalenessByBatchSize } from '../engine/probes/staleness.ts';
import { EngineSession } from '../engine/session/session.ts';
import { DEFAULT_SETTINGS, type ExperimentSettings } from '../shared/settings.ts';
import type { BackendName } from '../shared/backend.ts';
import { TRAINER_DEFAULTS } from '../engine/train/trainer.ts';
import { tf } from '../engine/tf.ts';

const AGGREGATORS = ['last', 'mean', 'attention'] as const;


const round = (v: number, digits = 5): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** `tgnn staleness`: data-level stale and dropped fractions per batch size (no model, fast). */
export async function runStaleness(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.staleness.flags);
  const sizes = listFlag(args, 'batch-sizes', LIST_BOUNDS['staleness batch-sizes'], '1,50,200') ?? [1, 50, 200, 600, 2000, 6000];
  const mailbox = boundedFlag(args, 'mailbox-size', 1);
  const rangeName = stringFlag(args, 'range') ?? 'all';
  if (!['all', 'train'].includes(rangeName)) throw new UserError(`--range must be all or train, got '${rangeName}'`);
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
  const sizes = listFlag(args, 'batch-sizes', LIST_BOUNDS['sweep batch-sizes'], '50,200,600') ?? [50, 200, 600, 2000];
  const evalSizes = listFlag(args, 'eval-batch-sizes', LIST_BOUNDS['sweep eval-batch-sizes'], '2000,200,50') ?? null;
  const epochs = boundedFlag(args, 'epochs', 1);
  void epochs; // one epoch per point, as DistTGL's Fig. 3; the flag is accepted for explicitness
  const backendName = stringFlag(args, 'backend') ?? 'wasm';
  if (backendName !== 'wasm' && backendName !== 'cpu') throw new UserError(`--backend must be wasm or cpu in Node, got '${backendName}'`);
  const agg = enumFlag(args, 'aggregator', AGGREGATORS, 'last');
  const base: ExperimentSettings = {
    ...DEFAULT_SETTINGS,
    memoryDim: boundedFlag(args, 'memory-dim', DEFAULT_SETTINGS.memoryDim),
    timeDim: boundedFlag(args, 'time-dim', DEFAULT_SETTINGS.timeDim),
    embeddingDim: boundedFlag(args, 'embedding-dim', DEFAULT_SETTINGS.embeddingDim),
    neighbours: boundedFlag(args, 'neighbours', DEFAULT_SETTINGS.neighbours),
    learningRate: boundedFlag(args, 'lr', TRAINER_DEFAULTS.learningRate),
    seed: boundedFlag(args, 'seed', TRAINER_DEFAULTS.seed),
    mailboxSize: boundedFlag(args, 'mailbox-size', 1),
    aggregator: agg,
    staticMemory: boolFlag(args, 'static-memory'),
    evalBatchSize: boundedFlag(args, 'eval-batch-size', 0),
    exact: boolFlag(args, 'exact'),
  };
  if (base.mailboxSize > 1 && base.aggregator === 'last') log('note: --mailbox-size > 1 with the last aggregator only ever applies the newest mail; add --aggregator mean or attention');
  const driftEvents = boundedFlag(args, 'drift-events', 2000);
  const json = boolFlag(args, 'json');
  const path = requiredString(args, 'data');

  tf.env().set('PROD', true);
  const session = new EngineSession();
  const backend = await session.setBackend(backendName as BackendName);
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
  const mitigations = { mailboxSize: base.mailboxSize, aggregator: base.aggregator, staticMemory: base.staticMemory, evalBatchSize: base.evalBatchSize || null, exact: base.exact };
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
