// `tgnn train --resume DIR`: the checkpoint a run continues from, and the flags that would contradict it.
import { log, UserError, type ParsedArgs } from './args.ts';
import { checkpointFolder, modelJsonPath } from './checkpointFiles.ts';
import { CheckpointError, loadCheckpoint, type LoadedCheckpoint } from '../engine/checkpoint/checkpoint.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import { evalBatchSizeOf, KNOBS } from '../shared/knobs.ts';
import { checkpointSettings } from '../engine/session/fromCheckpoint.ts';
import type { FlagSettings } from './settings.ts';

/** A checkpoint to continue: the loaded model (weights set) and what the run resumes with. */
export interface ResumeRun {
  readonly loaded: LoadedCheckpoint;
  readonly jsonPath: string;
  readonly learningRate: number;
  readonly seed: number;
}

/**
 * Refuses, before training starts, the flags a resumed run cannot take: several seeds, and every knob given
 * (knobs.ts) whose value differs from the checkpoint's settings (naming the flag and the saved value). The
 * inductive setting and EdgeBank are refused by runTrain before the checkpoint is read. The learning rate and
 * seed count only when the checkpoint holds them (resume state).
 */
export function refuseResumeConflicts(args: ParsedArgs, dir: string, loaded: LoadedCheckpoint, flags: FlagSettings): void {
  if (args.flags.has('seeds')) throw new UserError(`--resume continues one run (seed ${loaded.resume?.seed ?? '?'}); drop --seeds`);
  // without resume state the checkpoint holds no learning rate or seed: the flags' stand
  const saved = checkpointSettings(loaded.meta, loaded.resume, flags.settings);
  for (const name of flags.given) {
    const k = KNOBS[name];
    const value = saved[name];
    // 0 for --eval-batch-size means the batch size, as in a fresh run
    const same = name === 'evalBatchSize' ? evalBatchSizeOf(flags.settings) === evalBatchSizeOf(saved) : flags.settings[name] === value;
    if (!same) {
      const shown = k.type === 'bool' ? '' : ` ${String(args.flags.get(k.flag))}`;
      throw new UserError(`--${k.flag}${shown} conflicts with the checkpoint in ${dir} (its ${k.label.toLowerCase()} is ${String(value)}); ` +
        `a resumed run keeps the checkpoint's settings: drop --${k.flag} or give ${String(value)}`);
    }
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
