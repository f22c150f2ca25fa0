import { allowOnly, boolFlag, log, out, requiredString, stringFlag, UserError, type ParsedArgs } from './args.ts';
import { loadStream } from './load.ts';
import { COMMANDS } from './commands.ts';
import { checkpointFolder, metricsText, modelJsonPath } from './checkpointFiles.ts';
import { requireTrainable } from './trainable.ts';
import { formatIssue } from '../engine/data/import.ts';
import { useBackend } from '../engine/backend.ts';
import { useCliWasmThreads, withThreadCount } from './wasmThreads.ts';
import type { BackendName } from '../shared/backend.ts';
import { CheckpointError, evaluateCheckpoint, loadCheckpoint, type LoadedCheckpoint } from '../engine/checkpoint/checkpoint.ts';
import type { EventStream } from '../engine/data/eventStream.ts';
import { tf } from '../engine/tf.ts';

const BACKENDS: readonly BackendName[] = ['cpu', 'wasm'];

/**
 * `tgnn eval --checkpoint DIR --data PATH`: loads a checkpoint (saved by `tgnn train --save-checkpoint`
 * or downloaded from the playground) against the stream it was saved for, and prints its validation
 * and test AP/AUC (mean of per-batch values, as training reports them).
 */
export async function runEval(args: ParsedArgs): Promise<number> {
  allowOnly(args, COMMANDS.eval.flags);
  const json = boolFlag(args, 'json');
  const { path, stream, loaded, backend: choice, jsonPath } = await openCheckpoint(args, 'eval');
  try {
    const { meta } = loaded;
    const evaluation = await evaluateCheckpoint(loaded, stream);
    const saved = meta.evaluation;
    const matchesSaved = saved !== null && saved.val.apBatchMean === evaluation.val.apBatchMean && saved.test.apBatchMean === evaluation.test.apBatchMean;
    if (json) {
      out(JSON.stringify({
        checkpoint: jsonPath, preset: meta.preset, epochs: meta.epochs, backend: choice,
        val: evaluation.val, test: evaluation.test, saved, matchesSaved,
      }) + '\n');
    } else {
      out(`${meta.preset} checkpoint on ${path}: ${metricsText(evaluation)} (mean of per-batch values, ${choice})\n`);
      if (saved) out(matchesSaved ? 'same AP as when it was saved\n' : `when saved: ${metricsText(saved)} (another backend or build gives other float rounding)\n`);
    }
    return 0;
  } finally {
    loaded.model.dispose();
  }
}

/**
 * What `eval` and `serve` start from: the stream (import issues logged), the backend, and the checkpoint
 * loaded against the stream (a mismatch is the user's error, naming the checkpoint's model.json).
 */
export async function openCheckpoint(args: ParsedArgs, command: 'eval' | 'serve' | 'serve-sweep'): Promise<{
  readonly path: string; readonly stream: EventStream; readonly loaded: LoadedCheckpoint; readonly backend: BackendName; readonly jsonPath: string;
}> {
  const checkpoint = requiredString(args, 'checkpoint');
  useCliWasmThreads(args, command);
  const backendName = stringFlag(args, 'backend') ?? 'wasm';
  const backend = BACKENDS.find((b) => b === backendName);
  if (!backend) throw new UserError(`--backend must be one of ${BACKENDS.join(', ')} in Node, got '${backendName}'`);
  const jsonPath = modelJsonPath(checkpoint);

  const { path, stream, report } = loadStream(args);
  for (const issue of report.issues) log(`import: ${formatIssue(issue)}`);
  log(`loaded ${path}: ${stream.numEvents} events, ${stream.numNodes} nodes, ${stream.edgeFeatureDim} edge features`);
  requireTrainable(path, stream);

  tf.env().set('PROD', true);
  const choice = await useBackend(backend, `--backend ${backend}`);
  log(`backend ${choice.backend} (${withThreadCount(choice.reason)})`);

  const artifacts = await checkpointFolder(checkpoint).load();
  const loaded = (() => {
    try {
      return loadCheckpoint(artifacts, stream, path);
    } catch (e) {
      if (e instanceof CheckpointError) throw new UserError(`${jsonPath}: ${e.message}`);
      throw e;
    }
  })();
  const { meta } = loaded;
  log(`checkpoint ${jsonPath}: ${meta.preset}, saved ${meta.createdAt}${meta.epochs !== null ? ` after epoch ${meta.epochs}` : ''} on ${meta.dataset.name}`);
  return { path, stream, loaded, backend: choice.backend, jsonPath };
}
