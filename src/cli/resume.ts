// `tgnn train --resume DIR`: the checkpoint a run continues from, and the flags that would contradict it.
import { log, UserError, type ParsedArgs } from './args.ts';
import { checkpointFolder, modelJsonPath } from './checkpointFiles.ts';
import { CheckpointError, loadCheckpoint, type LoadedCheckpoint } from '../engine/checkpoint/checkpoint.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import type { TgnConfig } from '../shared/presets.ts';

/** A checkpoint to continue: the loaded model (weights set) and what the run resumes with. */
export interface ResumeRun {
  readonly loaded: LoadedCheckpoint;
  readonly jsonPath: string;
  readonly learningRate: number;
  readonly seed: number;
}

/** the checkpoint's value of each train flag that sets something a resumed run must keep */
function savedValues(loaded: LoadedCheckpoint): Record<string, { value: string | number; what: string }> {
  const { meta, resume } = loaded;
  const c: TgnConfig = meta.config;
  const o = meta.options;
  const values: Record<string, { value: string | number; what: string }> = {
    model: { value: meta.preset, what: 'model' },
    'batch-size': { value: o.batchSize, what: 'batch size' },
    'eval-batch-size': { value: o.evalBatchSize, what: 'evaluation batch size' },
    'memory-dim': { value: c.memoryDim, what: 'memory dim' },
    'time-dim': { value: c.timeDim, what: 'time dim' },
    'embedding-dim': { value: c.embeddingDim, what: 'embedding dim' },
    neighbours: { value: c.neighbours, what: 'neighbours' },
    'mailbox-size': { value: c.mailboxSize, what: 'mailbox size' },
    layers: { value: c.layers, what: 'layers' },
    'neighbour-scope': { value: c.neighbourScope, what: 'neighbour scope' },
    'neighbour-time': { value: c.neighbourTime, what: 'neighbour time' },
    negatives: { value: o.evalNegatives, what: 'evaluation negatives' },
    'negatives-per-positive': { value: o.negativesPerPositive, what: 'negatives per positive' },
  };
  if (resume) {
    values.lr = { value: resume.learningRate, what: 'learning rate' };
    values.seed = { value: resume.seed, what: 'seed' };
  }
  return values;
}

/**
 * Refuses, before any training, the flags a resumed run cannot take: several seeds, the inductive
 * setting, EdgeBank, and any setting that differs from the checkpoint's (naming the flag and the saved value).
 */
export function refuseResumeConflicts(args: ParsedArgs, dir: string, loaded: LoadedCheckpoint): void {
  if (args.flags.has('seeds')) throw new UserError(`--resume continues one run (seed ${loaded.resume?.seed ?? '?'}); drop --seeds`);
  const setting = args.flags.get('setting');
  if (setting !== undefined && setting !== 'transductive') throw new UserError('--resume supports the transductive setting only (checkpoints follow the chronological split); drop --setting');
  const saved = savedValues(loaded);
  for (const [flag, { value, what }] of Object.entries(saved)) {
    const given = args.flags.get(flag);
    if (given === undefined || given === true) continue;
    // 0 for --eval-batch-size means the batch size, as in a fresh run
    const asGiven = flag === 'eval-batch-size' && Number(given) === 0 ? loaded.meta.options.batchSize : given;
    const same = typeof value === 'number' ? Number(asGiven) === value : asGiven === value;
    if (!same) {
      throw new UserError(`--${flag} ${given} conflicts with the checkpoint in ${dir} (its ${what} is ${value}); a resumed run keeps the checkpoint's settings: drop --${flag} or give ${value}`);
    }
  }
  const metric = args.flags.get('metric');
  if (metric === 'mrr' && loaded.meta.options.negativesPerPositive < 2) {
    throw new UserError(`--metric mrr conflicts with the checkpoint in ${dir} (it was trained with 1 negative per positive); drop --metric`);
  }
}

/**
 * Loads the checkpoint of `--resume DIR` against the stream (refusing another stream, with both sizes) and
 * says what the run continues with; a checkpoint without resume state (format version 1, or saved before
 * any step) continues from its weights with a fresh optimizer, which is said.
 */
export async function loadResume(dir: string, stream: EventStream, streamName: string, fallback: { learningRate: number; seed: number }): Promise<ResumeRun> {
  const jsonPath = modelJsonPath(dir, 'resume');
  const artifacts = await checkpointFolder(dir, 'resume').load();
  let loaded: LoadedCheckpoint;
  try {
    loaded = loadCheckpoint(artifacts, stream, streamName);
  } catch (e) {
    if (e instanceof CheckpointError) throw new UserError(`--resume ${jsonPath}: ${e.message}`);
    throw e;
  }
  const { meta, resume } = loaded;
  if (resume) {
    log(`resuming ${jsonPath}: ${meta.preset} after epoch ${resume.state.epochs} (optimizer step ${resume.state.optimizer.iterations}, learning rate ${resume.learningRate}, seed ${resume.seed}); the next epoch starts from fresh memory, as every epoch does`);
    return { loaded, jsonPath, learningRate: resume.learningRate, seed: resume.seed };
  }
  log(`resuming ${jsonPath}: this checkpoint (format version ${meta.version}) holds no optimizer state, so training continues from its weights ` +
    `with a fresh Adam optimizer (learning rate ${fallback.learningRate}, seed ${fallback.seed}); it will not match an uninterrupted run`);
  return { loaded, jsonPath, learningRate: fallback.learningRate, seed: fallback.seed };
}
