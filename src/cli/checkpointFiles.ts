// Checkpoint files in Node: a tf.io IOHandler over a directory holding model.json + model.weights.bin,
// the layout tf.io.browserDownloads writes, so a checkpoint downloaded from the playground loads here and
// one saved here uploads there. Also the `tgnn train --save-checkpoint` step.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { log, out, UserError } from './args.ts';
import { type ChronologicalSplit, chronologicalSplit } from '../engine/data/split.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import {
  artifactsFromModelJson, checkpointModelJson, CheckpointError, createCheckpoint, MODEL_JSON_FILE, weightBuffer, weightsBasename, WEIGHTS_FILE,
  type CheckpointEvaluation, type CheckpointOptions, type CheckpointResume,
} from '../engine/checkpoint/checkpoint.ts';
import type { TgnModel } from '../engine/models/tgn.ts';
import type { LinkMetrics } from '../shared/training.ts';
import { tf } from '../engine/tf.ts';

/** the model.json of a checkpoint path: the file itself, DIR/model.json, or the one .json file in DIR (`flag`: the flag that named it) */
export function modelJsonPath(path: string, flag = 'checkpoint'): string {
  if (!existsSync(path)) throw new UserError(`--${flag} '${path}' does not exist (looked at ${resolve(path)})`);
  if (!statSync(path).isDirectory()) return path;
  const named = join(path, MODEL_JSON_FILE);
  if (existsSync(named)) return named;
  const jsons = readdirSync(path).filter((f) => f.endsWith('.json'));
  if (jsons.length === 1) return join(path, jsons[0]!);
  throw new UserError(jsons.length === 0
    ? `--${flag} '${path}' holds no model.json; pass the folder a checkpoint was saved to, or its .json file`
    : `--${flag} '${path}' holds several .json files (${jsons.join(', ')}) and no model.json; pass the one to load`);
}

/** A tf.io IOHandler reading and writing a checkpoint folder (model.json + model.weights.bin). */
export function checkpointFolder(path: string, flag = 'checkpoint'): Required<Pick<tf.io.IOHandler, 'save' | 'load'>> {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      try {
        mkdirSync(path, { recursive: true });
        writeFileSync(join(path, MODEL_JSON_FILE), JSON.stringify(checkpointModelJson(artifacts, `./${WEIGHTS_FILE}`)));
        writeFileSync(join(path, WEIGHTS_FILE), new Uint8Array(weightBuffer(artifacts)));
      } catch (e) {
        throw new UserError(`cannot write the checkpoint to '${path}': ${e instanceof Error ? e.message : String(e)}`);
      }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = modelJsonPath(path, flag);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(jsonPath, 'utf8'));
      } catch (e) {
        throw new UserError(`${jsonPath} is not readable JSON (${e instanceof Error ? e.message : String(e)}); is it a checkpoint's model.json?`);
      }
      try {
        return await artifactsFromModelJson(json, (p) => {
          const file = join(dirname(jsonPath), weightsBasename(p));
          if (!existsSync(file)) throw new CheckpointError(`the weights file ${file} named by ${jsonPath} is missing; keep model.json and its weights file together`);
          const buf = readFileSync(file);
          return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
        });
      } catch (e) {
        if (e instanceof CheckpointError) throw new UserError(`${jsonPath}: ${e.message}`);
        throw e;
      }
    },
  };
}

/**
 * `--save-checkpoint DIR`: the flag's value, or undefined. Checkpoints follow the chronological split of
 * the stream as loaded, so the inductive setting (a derived stream and split) is refused here, before training.
 */
export function checkpointDirFlag(value: string | undefined, split: ChronologicalSplit, stream: EventStream): string | undefined {
  if (value === undefined) return undefined;
  const plain = chronologicalSplit(stream);
  if (plain.train[1] !== split.train[1] || plain.val[1] !== split.val[1] || plain.test[1] !== split.test[1]) {
    throw new UserError('--save-checkpoint supports the transductive setting only (drop --setting inductive)');
  }
  return value;
}

/** What the trainer exposes that a checkpoint needs. */
export interface TrainedRun {
  readonly model: TgnModel;
  readonly stream: EventStream;
  readonly options: CheckpointOptions;
}

/**
 * After a seed's run (best weights restored): saves the checkpoint (its memory replayed with these
 * weights; `resume`: the optimizer and generators at that epoch's end, so `train --resume` continues it),
 * prints its val/test evaluation (what `tgnn eval` of the folder reports) and returns it.
 */
export async function saveTrainedCheckpoint(
  dir: string,
  run: TrainedRun,
  info: { preset: string; datasetName: string; seed: number; seeds: readonly number[]; epoch: number; json: boolean; resume?: CheckpointResume | null },
): Promise<CheckpointEvaluation> {
  const target = info.seeds.length > 1 ? join(dir, `seed-${info.seed}`) : dir;
  const { artifacts, meta } = await createCheckpoint({
    model: run.model, stream: run.stream, options: run.options, preset: info.preset, datasetName: info.datasetName, epochs: info.epoch,
    resume: info.resume ?? null,
  });
  await checkpointFolder(target).save(artifacts);
  const evaluation = meta.evaluation!;
  const line = { checkpoint: target, seed: info.seed, epoch: info.epoch, val: evaluation.val, test: evaluation.test };
  out(info.json ? JSON.stringify(line) + '\n' : `checkpoint saved to ${target}: ${metricsText(evaluation)} (memory replayed with the saved weights)\n`);
  log(`checkpoint: ${target}/${MODEL_JSON_FILE} + ${WEIGHTS_FILE}, ${artifacts.weightData ? weightBuffer(artifacts).byteLength : 0} bytes of tensors`);
  return evaluation;
}

export function metricsText(e: CheckpointEvaluation): string {
  const m = (x: LinkMetrics) => `AP ${x.apBatchMean.toFixed(6)} AUC ${x.aucBatchMean.toFixed(6)}`;
  return `val ${m(e.val)}; test ${m(e.test)}`;
}
