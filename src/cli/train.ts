import { allowOnly, log, out, stringFlag, boolFlag, UserError } from './args.ts';
import { COMMANDS } from './commands.ts';
import type { ParsedArgs } from './args.ts';
import { loadStream } from './load.ts';
import { checkpointDirFlag, saveTrainedCheckpoint } from './checkpointFiles.ts';
import { requireTrainable } from './trainable.ts';
import { loadResume, refuseResumeConflicts, type ResumeRun } from './resume.ts';
import { choiceOption, listOption, numberOption, settingsFromFlags } from './settings.ts';
import { checkpointBlocker, trainerThreadsBlocker, usesParallelism } from '../shared/knobs.ts';
import { startTrainerWorkers } from './trainerWorkers.ts';
import { trainersOf } from '../shared/parallelSchedule.ts';
import { formatIssue } from '../engine/data/import.ts';
import { evaluateEdgeBankSplit } from '../engine/models/edgeBank.ts';
import { useBackend } from '../engine/backend.ts';
import { useCliWasmThreads, withThreadCount } from './wasmThreads.ts';
import { buildRun, type ExperimentRun } from '../engine/experiment.ts';
import { createTgn } from '../engine/models/tgn.ts';
import { Trainer, type ResumeState } from '../engine/train/trainer.ts';
import { EarlyStopping } from '../engine/train/earlyStopping.ts';
import type { LinkMetrics, ParallelEpochStats } from '../shared/training.ts';
import { tf } from '../engine/tf.ts';

/** `tgnn train`: trains a model chronologically and prints one JSON line per epoch on stdout. */
export async function runTrain(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.train.flags);
  if (args.flags.has('seed') && args.flags.has('seeds')) throw new UserError('--seed and --seeds both given; use --seed N for one run or --seeds A,B,C for several');
  const backend = choiceOption(args, 'train', 'backend', ['cpu', 'wasm'] as const);
  const flagSettings = settingsFromFlags(args, 'train');
  const { settings, edgebank } = flagSettings;
  const model = edgebank ? 'edgebank' : settings.model;
  const setting = settings.evalSetting;
  const negatives = settings.evalNegatives;
  const epochs = numberOption(args, 'train', 'epochs');
  const workers = numberOption(args, 'train', 'workers');
  useCliWasmThreads(args, 'train');
  const patience = numberOption(args, 'train', 'patience', Infinity);
  const seeds = listOption(args, 'train', 'seeds') ?? [settings.seed];
  const json = boolFlag(args, 'json');
  const edgeBankMemory = choiceOption(args, 'train', 'edgebank-memory', ['unlimited', 'window'] as const);
  const resumeDir = stringFlag(args, 'resume');
  if (resumeDir !== undefined && edgebank) throw new UserError('--resume continues a trained model; EdgeBank learns nothing (drop --model edgebank)');
  if (resumeDir !== undefined && setting !== 'transductive') throw new UserError('--resume supports the transductive setting only (checkpoints follow the chronological split); drop --setting');
  // the inductive setting's refusals are said above (--resume) and by checkpointDirFlag (--save-checkpoint)
  const blocker = checkpointBlocker(settings);
  if (blocker !== null && blocker !== 'inductive' && (resumeDir !== undefined || stringFlag(args, 'save-checkpoint') !== undefined)) {
    throw new UserError(CHECKPOINT_REFUSALS[blocker]);
  }
  if (usesParallelism(settings) && edgebank) throw new UserError('EdgeBank trains nothing, so it has no parallelism: drop the --*-parallelism flags');
  if (workers > 1 && !usesParallelism(settings)) {
    throw new UserError('--workers runs DistTGL\'s trainers in parallel: add --minibatch-parallelism, --epoch-parallelism or --memory-parallelism (a plain run has one trainer)');
  }
  if (workers > 1 && trainerThreadsBlocker(settings) !== null) {
    throw new UserError('--workers does not carry a pre-trained static memory to its threads yet: drop --workers or --static-memory-training pretrained');
  }

  const { path, stream, report } = loadStream(args);
  for (const issue of report.issues) log(`import: ${formatIssue(issue)}`);
  log(`loaded ${path}: ${stream.numEvents} events, ${stream.numNodes} nodes, ${stream.edgeFeatureDim} edge features`);
  requireTrainable(path, stream);
  const data = settingRun(stream, settings);
  const options = data.options;

  if (edgebank) {
    // no learning: the history is every event before each evaluated batch (DyGLib's protocol)
    // (inductive: the history is the derived stream, so the new test nodes' training events are not in it)
    const { val, test } = evaluateEdgeBankSplit(data.stream, data.split, {
      memory: edgeBankMemory, negatives, evalBatchSize: options.evalBatchSize, evalSeed: options.evalSeed,
      negativesPerPositive: options.negativesPerPositive, inductiveMask: options.evalMask ?? null, negativeSource: options.negativeSource ?? null,
    });
    const line = {
      epoch: 1, model, setting, memory: edgeBankMemory, negatives, batchSize: options.evalBatchSize,
      val: roundMetrics(val.metrics), test: roundMetrics(test.metrics), ...inductiveFields(val.inductive, test.inductive),
    };
    out(json ? JSON.stringify(line) + '\n'
      : `edgebank (${edgeBankMemory}, ${negatives} negatives, ${setting}): val AP ${line.val.apBatchMean.toFixed(4)}, test AP ${line.test.apBatchMean.toFixed(4)}` +
        `${line.test.mrr !== undefined ? `, test MRR ${line.test.mrr.toFixed(4)}` : ''}${inductiveText(line)} (mean of per-batch values)\n`);
    return 0;
  }

  tf.env().set('PROD', true); // tfjs' own console hints stay off stdout and stderr
  const choice = await useBackend(backend, `--backend ${backend}`);
  log(`backend ${choice.backend} (${withThreadCount(choice.reason)})`);

  const { split } = data;
  const best: ({ seed: number } & BestEpoch)[] = [];
  const checkpointDir = checkpointDirFlag(stringFlag(args, 'save-checkpoint'), split, stream);
  // --resume: the checkpoint's model, settings and training state (a flag that contradicts them is refused)
  let resumed: ResumeRun | null = null;
  if (resumeDir !== undefined) {
    resumed = await loadResume(resumeDir, stream, path, { learningRate: options.learningRate, seed: options.seed });
    try {
      refuseResumeConflicts(args, resumeDir, resumed.loaded, flagSettings);
    } catch (e) {
      resumed.loaded.model.dispose();
      throw e;
    }
  }
  const saved = resumed?.loaded.meta;
  const run = saved
    ? {
      model: saved.preset,
      negatives: saved.options.evalNegatives,
      options: {
        ...saved.options, learningRate: resumed!.learningRate, seed: resumed!.seed, evalSeed: saved.options.evalSeed,
      },
      seeds: [resumed!.seed],
    }
    : { model: model as string, negatives, options, seeds };
  for (const seed of run.seeds) {
    const net = resumed ? resumed.loaded.model : createTgn(data.stream, data.config, seed);
    const trainer = new Trainer(net, data.stream, split, { ...run.options, seed });
    const parallelism = run.options.parallelism;
    const trainers = parallelism ? trainersOf(parallelism) : 1;
    const executor = workers > 1 ? await startTrainerWorkers(Math.min(workers, trainers), choice.backend, data.stream, net.config) : null;
    if (executor) {
      trainer.setTrainerExecutor(executor);
      log(`seed ${seed}: ${executor.workers} trainer worker threads (the numbers are those of one thread)`);
    }
    const stopper = new EarlyStopping(patience);
    let bestReport: BestEpoch | null = null;
    let bestResume: ResumeState | null = null;
    try {
      if (resumed) {
        // without resume state (format 1): this trainer's fresh optimizer and generators, after the saved epochs
        await trainer.restore(resumed.loaded.resume?.state ?? { ...(await trainer.resumeState()), epochs: resumed.loaded.meta.epochs ?? 0 });
      }
      for (let e = 0; e < epochs; e++) {
        const started = Date.now();
        const rep = await trainer.runEpoch({
          onBatch: (b) => {
            if (b.batch % 50 === 0 || b.batch === b.batches - 1) {
              log(`seed ${seed} epoch ${b.epoch} ${b.phase} batch ${b.batch + 1}/${b.batches}${b.phase === 'train' ? ` loss ${b.loss.toFixed(4)}` : ''}`);
            }
          },
        });
        // early stopping on validation AP (mean of per-batch AP, as DyGLib), over every validation event in both
        // settings: DyGLib selects the epoch on val_data's metrics, never on new_node_val_data's
        if (stopper.update(rep.epoch, rep.val.apBatchMean, net.variables)) {
          bestReport = { epoch: rep.epoch, val: rep.val, test: rep.test, valInductive: rep.valInductive, testInductive: rep.testInductive };
          // the optimizer and generators at that epoch's training end: what resuming from its checkpoint needs
          bestResume = trainer.lastTrained?.resume ?? null;
        }
        const line = {
          epoch: rep.epoch,
          model: run.model,
          setting,
          negatives: run.negatives,
          batchSize: run.options.batchSize,
          seed,
          trainSeconds: round(rep.trainSeconds, 3),
          trainEventsPerSec: round(rep.trainEventsPerSec, 1),
          loss: round(rep.loss, 5),
          val: roundMetrics(rep.val),
          test: roundMetrics(rep.test),
          ...inductiveFields(rep.valInductive, rep.testInductive),
          backend: choice.backend,
          numTensors: rep.numTensors,
          ...parallelFields(rep.parallel),
          ...(run.options.pipelineStaleness ? { parallelism: { i: 1, j: 1, k: 1, s: run.options.pipelineStaleness } } : {}),
          ...(rep.staticPretrain ? { staticPretrain: { epochs: rep.staticPretrain.epochs, seconds: round(rep.staticPretrain.seconds, 3), valAp: round(rep.staticPretrain.valAp, 5) } } : {}),
        };
        if (json) out(JSON.stringify(line) + '\n');
        else {
          out(
            `seed ${seed} epoch ${line.epoch}: loss ${line.loss}, ${line.trainEventsPerSec} train events/s (${backend}); ` +
              `val AP ${line.val.apBatchMean.toFixed(4)} AUC ${line.val.aucBatchMean.toFixed(4)}; ` +
              `test AP ${line.test.apBatchMean.toFixed(4)} AUC ${line.test.aucBatchMean.toFixed(4)} ` +
              `(mean of per-batch values; global AP ${line.test.ap.toFixed(4)})${inductiveText(line)}${parallelText(rep.parallel)}${rep.staticPretrain && rep.epoch === 1 ? `; static memory pre-trained ${rep.staticPretrain.epochs} epochs in ${rep.staticPretrain.seconds.toFixed(1)} s (its val AP ${rep.staticPretrain.valAp.toFixed(4)})` : ''} [${((Date.now() - started) / 1000).toFixed(1)} s]\n`,
          );
        }
        if (stopper.shouldStop) {
          log(`seed ${seed}: no better validation AP for ${patience} epochs; best epoch ${stopper.bestEpoch}`);
          break;
        }
      }
      // the model keeps the weights of its best validation epoch
      stopper.restoreBest(net.variables);
      if (checkpointDir !== undefined) {
        await saveTrainedCheckpoint(checkpointDir, trainer, {
          preset: run.model, datasetName: path, seed, seeds: run.seeds, epoch: stopper.bestEpoch, json,
          resume: bestResume ? { learningRate: run.options.learningRate, seed, state: bestResume } : null,
        });
      }
      if (bestReport) best.push({ seed, ...bestReport });
    } finally {
      executor?.dispose();
      stopper.dispose();
      trainer.dispose();
      net.dispose();
    }
  }
  if (run.seeds.length > 1 || Number.isFinite(patience)) {
    const stat = (xs: number[]) => ({ mean: round(xs.reduce((a, b) => a + b, 0) / xs.length, 5), std: round(Math.sqrt(xs.reduce((a, b) => a + (b - xs.reduce((p, q) => p + q, 0) / xs.length) ** 2, 0) / xs.length), 5) });
    const summary = {
      summary: true,
      model: run.model,
      setting,
      negatives: run.negatives,
      seeds: run.seeds,
      bestEpochs: best.map((b) => b.epoch),
      val: { apBatchMean: stat(best.map((b) => b.val.apBatchMean)), aucBatchMean: stat(best.map((b) => b.val.aucBatchMean)) },
      test: { apBatchMean: stat(best.map((b) => b.test.apBatchMean)), aucBatchMean: stat(best.map((b) => b.test.aucBatchMean)), ap: stat(best.map((b) => b.test.ap)),
        ...(best.every((b) => b.test.mrr !== undefined) ? { mrr: stat(best.map((b) => b.test.mrr!)) } : {}) },
      ...(setting === 'inductive' ? {
        valInductive: { apBatchMean: stat(best.map((b) => b.valInductive?.apBatchMean ?? NaN)), aucBatchMean: stat(best.map((b) => b.valInductive?.aucBatchMean ?? NaN)) },
        testInductive: {
          apBatchMean: stat(best.map((b) => b.testInductive?.apBatchMean ?? NaN)), aucBatchMean: stat(best.map((b) => b.testInductive?.aucBatchMean ?? NaN)),
          ap: stat(best.map((b) => b.testInductive?.ap ?? NaN)),
          ...(best.every((b) => b.testInductive?.mrr !== undefined) ? { mrr: stat(best.map((b) => b.testInductive!.mrr!)) } : {}),
        },
      } : {}),
    };
    out(json ? JSON.stringify(summary) + '\n'
      : `best epochs ${summary.bestEpochs.join(', ')}: test AP ${summary.test.apBatchMean.mean} ± ${summary.test.apBatchMean.std} over seeds ${run.seeds.join(', ')}\n`);
  }
  return 0;
}

/** why `--save-checkpoint`/`--resume` are refused, per checkpointBlocker answer the CLI says it for */
const CHECKPOINT_REFUSALS: Readonly<Record<'parallelism' | 'pipelining' | 'pretrained static memory', string>> = {
  parallelism: 'checkpoints do not record DistTGL parallelism yet (its memory copies and in-flight units): drop --save-checkpoint/--resume or the --*-parallelism flags',
  pipelining: 'checkpoints do not record pipelining yet: drop --save-checkpoint/--resume or --pipeline-staleness',
  'pretrained static memory': 'checkpoints do not hold a pre-trained static memory yet: drop --save-checkpoint/--resume or --static-memory-training pretrained',
};

/** DistTGL's parallelism in an epoch line: {i, j, k}, trainers, workers, the pass's staleness and cold starts */
function parallelFields(p: ParallelEpochStats | undefined): Record<string, unknown> {
  if (!p) return {};
  return {
    parallelism: { i: p.parallelism.minibatch, j: p.parallelism.epoch, k: p.parallelism.memory, s: 0 },
    trainers: p.trainers,
    workers: p.workers,
    waitFraction: round(p.waitFraction, 4),
    iterations: p.iterations,
    learningRate: p.learningRate,
    staleFraction: round(p.staleFraction, 6),
    droppedMailFraction: round(p.droppedMailFraction, 6),
    coldStartEvents: p.coldStartEvents,
    processedEventsPerSec: round(p.processedEventsPerSec, 1),
  };
}

function parallelText(p: ParallelEpochStats | undefined): string {
  if (!p) return '';
  const { minibatch: i, epoch: j, memory: k } = p.parallelism;
  return `; parallelism i=${i} j=${j} k=${k} (${p.trainers} trainers on ${p.workers === 1 ? '1 thread' : `${p.workers} worker threads, ${(100 * p.waitFraction).toFixed(0)} % waiting`}, lr ${p.learningRate}): ` +
    `stale ${(100 * p.staleFraction).toFixed(2)} %, dropped mail ${(100 * p.droppedMailFraction).toFixed(2)} %, ${p.coldStartEvents} cold-start events`;
}

/** the best-validation epoch of one seed */
interface BestEpoch {
  epoch: number;
  val: LinkMetrics;
  test: LinkMetrics;
  valInductive?: LinkMetrics | undefined;
  testInductive?: LinkMetrics | undefined;
}

/** the run of the settings (buildRun), with what the inductive setting did said on stderr */
function settingRun(stream: ExperimentRun['stream'], settings: ExperimentRun['settings']): ExperimentRun {
  let run: ExperimentRun;
  try {
    run = buildRun(stream, settings);
  } catch (e) {
    if (settings.evalSetting === 'inductive' && e instanceof Error) throw new UserError(`--setting inductive: ${e.message}`);
    throw e;
  }
  const s = run.inductive;
  if (s) {
    const count = (a: number, b: number) => s.inductiveMask.subarray(a, b).reduce((x, y) => x + y, 0);
    log(`inductive setting: ${s.newTestNodes.length} new test nodes; ${s.removedTrainEvents} of ${s.removedTrainEvents + s.split.train[1]} training events removed; ` +
      `${s.unseenNodes.length} nodes unseen in training; inductive events: val ${count(...s.split.val)}/${s.split.val[1] - s.split.val[0]}, ` +
      `test ${count(...s.split.test)}/${s.split.test[1] - s.split.test[0]}`);
  }
  return run;
}

/** `valInductive`/`testInductive` for a JSON line, when the setting has them */
function inductiveFields(val: LinkMetrics | null | undefined, test: LinkMetrics | null | undefined): { valInductive?: LinkMetrics; testInductive?: LinkMetrics } {
  return val && test ? { valInductive: roundMetrics(val), testInductive: roundMetrics(test) } : {};
}

function inductiveText(line: { valInductive?: LinkMetrics; testInductive?: LinkMetrics }): string {
  if (!line.valInductive || !line.testInductive) return '';
  const mrr = line.testInductive.mrr !== undefined ? `, MRR ${line.testInductive.mrr.toFixed(4)}` : '';
  // NaN: the part has no event with a node unseen in training, so there is nothing to measure
  const ap = (m: LinkMetrics): string => (Number.isNaN(m.apBatchMean) ? 'none (no event with a new node)' : m.apBatchMean.toFixed(4));
  return `; inductive: val AP ${ap(line.valInductive)}, test AP ${ap(line.testInductive)}${mrr}`;
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

function roundMetrics(m: LinkMetrics): LinkMetrics {
  return {
    ap: round(m.ap, 5), auc: round(m.auc, 5), apBatchMean: round(m.apBatchMean, 5), aucBatchMean: round(m.aucBatchMean, 5),
    ...(m.mrr !== undefined ? { mrr: round(m.mrr, 5) } : {}),
  };
}
