// Checkpoints in the engine worker: the current model as downloadable files or in IndexedDB (tf.io
// `indexeddb://` URLs work in workers), and checkpoints from files or IndexedDB evaluated against the loaded
// dataset. Evaluation runs on a separate model, so the playground's model is never touched.
import * as Comlink from 'comlink';
import { tf } from '../engine/tf.ts';
import {
  artifactsFromModelJson, checkpointModelJson, CheckpointError, createCheckpoint, evaluateCheckpoint, loadCheckpoint, MODEL_JSON_FILE,
  weightBuffer, weightsBasename, WEIGHTS_FILE, type CheckpointMeta,
} from '../engine/checkpoint/checkpoint.ts';
import type { EngineSession } from '../engine/session/session.ts';
import { settingsOfCheckpoint } from '../engine/session/fromCheckpoint.ts';
import type { ExperimentSettings } from '../shared/settings.ts';
import type {
  BrowserCheckpointEntry, CheckpointContinued, CheckpointDownload, CheckpointEvaluationResult, CheckpointFile, CheckpointSummary,
} from '../shared/checkpoint.ts';

export const BROWSER_PREFIX = 'indexeddb://tgnn-';

export function summaryOf(meta: CheckpointMeta): CheckpointSummary {
  return {
    preset: meta.preset,
    datasetName: meta.dataset.name,
    numEvents: meta.dataset.numEvents,
    numNodes: meta.dataset.numNodes,
    epochs: meta.epochs,
    createdAt: meta.createdAt,
    saved: meta.evaluation,
    memory: meta.memory ?? null,
  };
}

/** The current model as model.json text + weights bytes (transferred), evaluated as it is saved (not with `evaluate: false`). */
export async function exportCheckpoint(session: EngineSession, evaluate = true): Promise<CheckpointDownload> {
  const { artifacts, meta } = await createCheckpoint(session.checkpointSource(), { evaluate });
  // a fresh buffer of its own, so it can be transferred
  const weights = weightBuffer(artifacts).slice(0);
  const download: CheckpointDownload = {
    modelJsonName: MODEL_JSON_FILE,
    modelJson: JSON.stringify(checkpointModelJson(artifacts, `./${WEIGHTS_FILE}`)),
    weightsName: WEIGHTS_FILE,
    weights,
    summary: summaryOf(meta),
  };
  return Comlink.transfer(download, [weights]);
}

function storageName(meta: CheckpointMeta, now: Date): string {
  const dataset = meta.dataset.name.replace(/\.[a-z0-9]+$/i, '').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'data';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  return `${dataset}-${meta.preset}-e${meta.epochs ?? 0}-${stamp}`;
}

/** Saves the current model in IndexedDB as indexeddb://tgnn-<dataset>-<preset>-e<epochs>-<time>. */
export async function saveCheckpointToBrowser(session: EngineSession): Promise<{ readonly entry: BrowserCheckpointEntry; readonly summary: CheckpointSummary }> {
  const now = new Date();
  const { artifacts, meta } = await createCheckpoint(session.checkpointSource(), { now });
  const url = BROWSER_PREFIX + storageName(meta, now);
  const handler = tf.io.getSaveHandlers(url)[0];
  if (!handler?.save) throw new Error('this browser offers no storage for checkpoints (a private window?); use Save to download the files instead');
  const result = await handler.save(artifacts);
  if (result.errors && result.errors.length > 0) throw new Error(`saving in this browser failed: ${result.errors.join('; ')}`);
  return {
    entry: { url, name: url.slice('indexeddb://'.length), dateSaved: now.toISOString(), bytes: weightBuffer(artifacts).byteLength },
    summary: summaryOf(meta),
  };
}

/** TGNN checkpoints in IndexedDB, newest first. */
export async function listBrowserCheckpoints(): Promise<BrowserCheckpointEntry[]> {
  const all = await tf.io.listModels();
  return Object.entries(all)
    .filter(([url]) => url.startsWith(BROWSER_PREFIX))
    .map(([url, info]) => ({
      url,
      name: url.slice('indexeddb://'.length),
      dateSaved: new Date(info.dateSaved).toISOString(),
      bytes: (info.weightDataBytes ?? 0) + (info.modelTopologyBytes ?? 0),
    }))
    .sort((a, b) => b.dateSaved.localeCompare(a.dateSaved));
}

export async function deleteBrowserCheckpoint(url: string): Promise<void> {
  if (!url.startsWith(BROWSER_PREFIX)) throw new Error(`not a TGNN checkpoint in this browser: ${url}`);
  await tf.io.removeModel(url);
}

/** the checkpoint each session loaded last (for "continue training from it") */
const lastLoaded = new WeakMap<EngineSession, { readonly artifacts: tf.io.ModelArtifacts; readonly source: string }>();

async function evaluateArtifacts(session: EngineSession, artifacts: tf.io.ModelArtifacts, source: string): Promise<CheckpointEvaluationResult> {
  const { name, stream } = session.loadedStream();
  const loaded = loadCheckpoint(artifacts, stream, name);
  lastLoaded.set(session, { artifacts, source });
  try {
    const evaluation = await evaluateCheckpoint(loaded, stream);
    return { source, summary: summaryOf(loaded.meta), val: evaluation.val, test: evaluation.test, backend: tf.getBackend() };
  } finally {
    loaded.model.dispose();
  }
}

/**
 * Makes the last loaded checkpoint the session's model (EngineSession.continueFrom) with its settings
 * (settingsOfCheckpoint; `current` supplies learning rate and seed when it holds no resume state).
 */
export async function continueFromLoaded(session: EngineSession, current: ExperimentSettings): Promise<CheckpointContinued> {
  const last = lastLoaded.get(session);
  if (!last) throw new CheckpointError('load a checkpoint first (from files or this browser), then continue training from it');
  const { name, stream } = session.loadedStream();
  const loaded = loadCheckpoint(last.artifacts, stream, name);
  let settings: ExperimentSettings;
  try {
    settings = settingsOfCheckpoint(loaded.meta, loaded.resume, current);
  } catch (e) {
    loaded.model.dispose();
    throw e;
  }
  const { epochs, freshOptimizer } = await session.continueFrom(loaded, settings);
  return { source: last.source, settings, epochs, freshOptimizer };
}

/** Loads a checkpoint from IndexedDB and evaluates it on the loaded dataset. */
export async function evaluateBrowserCheckpoint(session: EngineSession, url: string): Promise<CheckpointEvaluationResult> {
  if (!url.startsWith(BROWSER_PREFIX)) throw new Error(`not a TGNN checkpoint in this browser: ${url}`);
  const handler = tf.io.getLoadHandlers(url)[0];
  if (!handler?.load) throw new Error('this browser offers no storage for checkpoints (a private window?)');
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (e) {
    throw new Error(`could not read ${url.slice('indexeddb://'.length)} from browser storage: ${e instanceof Error ? e.message : String(e)}`);
  }
  return evaluateArtifacts(session, artifacts, url.slice('indexeddb://'.length));
}

/**
 * Loads a checkpoint from picked files (model.json as text and its weights file as bytes) and evaluates
 * it. Weight files are matched to the manifest by name; a single picked weights file is used whatever
 * its name (browsers rename repeated downloads, e.g. "model.weights (1).bin").
 */
export async function evaluateCheckpointFiles(session: EngineSession, files: readonly CheckpointFile[]): Promise<CheckpointEvaluationResult> {
  const artifacts = await artifactsOfFiles(files);
  return evaluateArtifacts(session, artifacts, files.map((f) => f.name).join(' + '));
}

/**
 * Makes a checkpoint given as files the session's model at once (no evaluation first): the bridge's own
 * checkpoint of the last finished epoch, after a restarted worker has loaded the dataset again.
 */
export async function continueFromFiles(session: EngineSession, files: readonly CheckpointFile[], current: ExperimentSettings): Promise<CheckpointContinued> {
  lastLoaded.set(session, { artifacts: await artifactsOfFiles(files), source: 'the last finished epoch' });
  return continueFromLoaded(session, current);
}

/** model.json (text) and its weight files (bytes) as tfjs artifacts; a damaged or incomplete pick says what is wrong */
async function artifactsOfFiles(files: readonly CheckpointFile[]): Promise<tf.io.ModelArtifacts> {
  const jsons = files.filter((f) => typeof f.data === 'string');
  const bins = files.filter((f): f is CheckpointFile & { data: ArrayBuffer } => typeof f.data !== 'string');
  if (jsons.length !== 1) {
    throw new CheckpointError(`pick the checkpoint's model.json and its weights file together (got ${jsons.length === 0 ? 'no .json file' : `${jsons.length} .json files`})`);
  }
  const jsonFile = jsons[0]!;
  let json: unknown;
  try {
    json = JSON.parse(jsonFile.data as string);
  } catch (e) {
    throw new CheckpointError(`${jsonFile.name} is not valid JSON (${e instanceof Error ? e.message : String(e)}); pick the checkpoint's model.json`);
  }
  const artifacts = await artifactsFromModelJson(json, (path) => {
    const base = weightsBasename(path);
    const match = bins.find((b) => b.name === base) ?? (bins.length === 1 ? bins[0] : undefined);
    if (!match) {
      throw new CheckpointError(bins.length === 0
        ? `${jsonFile.name} needs its weights file ${base}; pick both files together`
        : `${jsonFile.name} needs ${base}; the picked files are ${bins.map((b) => b.name).join(', ')}`);
    }
    return match.data;
  });
  return artifacts;
}
