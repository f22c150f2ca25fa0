import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { chronologicalSplit } from '../data/split.ts';
import { makeEventStream } from '../data/eventStream.ts';
import { createTgn, type ModelState } from '../models/tgn.ts';
import { JODIE_PRESET } from '../../shared/presets.ts';
import { Trainer, TRAINER_DEFAULTS, type TrainerOptions } from '../train/trainer.ts';
import { randomStream, TINY_TGN } from '../testing.ts';
import { MODEL_NAMES, MODEL_PRESETS } from '../../shared/presets.ts';
import {
  artifactsFromModelJson, checkpointModelJson, CheckpointError, createCheckpoint, encodeCheckpoint, evaluateCheckpoint, evaluateFromState,
  loadCheckpoint, momentName, paramName, replayTraining, streamHash, weightBuffer, weightsBasename, type CheckpointMeta,
} from './checkpoint.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

const stream = randomStream(240, 15, 11, 2);
const split = chronologicalSplit(stream);
const options: TrainerOptions = { ...TRAINER_DEFAULTS, batchSize: 20, evalBatchSize: 30, learningRate: 1e-2, seed: 3 };

/** saves through model.json text + bytes, as files do */
async function throughFiles(artifacts: tf.io.ModelArtifacts): Promise<tf.io.ModelArtifacts> {
  const json = JSON.parse(JSON.stringify(checkpointModelJson(artifacts))) as unknown;
  const bytes = weightBuffer(artifacts).slice(0);
  return artifactsFromModelJson(json, (path) => {
    expect(weightsBasename(path)).toBe('model.weights.bin');
    return bytes;
  });
}

function expectSameState(a: ModelState, b: ModelState): void {
  expect(Array.from(b.memory.state)).toEqual(Array.from(a.memory.state));
  expect(Array.from(b.memory.lastUpdate)).toEqual(Array.from(a.memory.lastUpdate));
  expect(Array.from(b.memory.updates)).toEqual(Array.from(a.memory.updates));
  for (const k of ['other', 't', 'edge', 'count', 'head'] as const) expect(Array.from(b.mailbox[k])).toEqual(Array.from(a.mailbox[k]));
  expect(Object.keys(b.mailbox).sort()).toEqual(Object.keys(a.mailbox).sort());
  expect(b.mailbox.dropped).toBe(a.mailbox.dropped);
  expect(b.index.inserted).toBe(a.index.inserted);
  expect(b.index.lastT).toBe(a.index.lastT);
  expect(Array.from(b.index.fill)).toEqual(Array.from(a.index.fill));
}

describe('checkpoint', () => {
  it('evaluateFromState reproduces the Trainer\'s val and test metrics from its post-training state', async () => {
    for (const evalNegatives of ['random', 'historical'] as const) {
      const model = createTgn(stream, TINY_TGN, 2);
      const trainer = new Trainer(model, stream, split, { ...options, evalNegatives });
      const report = await trainer.runEpoch();
      const state = trainer.stateAfterTraining!;
      const evaluation = await evaluateFromState(model, stream, split, { ...options, evalNegatives }, state);
      expect(evaluation.val).toEqual(report.val);
      expect(evaluation.test).toEqual(report.test);
      trainer.dispose();
      model.dispose();
    }
  });

  it('round-trips weights, memory, mailbox and index through model.json + weights bytes, and evaluates identically', async () => {
    const before = tf.memory().numTensors;
    for (const config of [TINY_TGN, { ...JODIE_PRESET, memoryDim: 5, timeDim: 3, mailboxSize: 2, aggregator: 'mean' as const, staticMemory: true }]) {
      const model = createTgn(stream, config, 4);
      const trainer = new Trainer(model, stream, split, options);
      await trainer.runEpoch();
      const { artifacts, meta } = await createCheckpoint({ model, stream, options, preset: 'tgn', datasetName: 'random', epochs: 1 });
      expect(meta.evaluation).not.toBeNull();
      expect(meta.position).toBe(split.train[1]);
      expect(meta.dataset).toMatchObject({ numEvents: 240, numNodes: 15, edgeFeatureDim: 2, hash: streamHash(stream) });
      // the saved model's memory = replay of the training range with the final weights
      const replayed = await replayTraining(model, stream, split, options);

      const loaded = loadCheckpoint(await throughFiles(artifacts), stream, 'random');
      expect(loaded.model.variables.length).toBe(model.variables.length);
      loaded.model.variables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(model.variables[i]!.dataSync())));
      expectSameState(replayed, loaded.state);
      const evaluation = await evaluateCheckpoint(loaded, stream);
      expect(evaluation).toEqual(meta.evaluation);
      // and the same as evaluating the replayed state in the original model
      expect(await evaluateFromState(model, stream, split, options, replayed)).toEqual(meta.evaluation);
      loaded.model.dispose();
      trainer.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('made from the model as its last training phase left it, a checkpoint records that epoch\'s val and test AP', async () => {
    const before = tf.memory().numTensors;
    const model = createTgn(stream, TINY_TGN, 7);
    const trainer = new Trainer(model, stream, split, options);
    expect(trainer.lastTrained).toBeNull();
    const report = await trainer.runEpoch();
    const replayed = await createCheckpoint({ model, stream, options, preset: 'tgn', datasetName: 'random', epochs: 1 });
    // training goes on into epoch 2: the weights move, but lastTrained still holds epoch 1's end
    for (let k = 0; k < 3; k++) await trainer.step();
    const trained = trainer.lastTrained!;
    expect(trained.epoch).toBe(1);
    expect(trained.state).toBe(trainer.stateAfterTraining);
    const { artifacts, meta } = await createCheckpoint({ model, stream, options, preset: 'tgn', datasetName: 'random', epochs: trained.epoch, trained });
    expect(meta.memory).toBe('trained');
    expect(meta.evaluation!.val).toEqual(report.val);
    expect(meta.evaluation!.test).toEqual(report.test);
    // the file holds that memory and those weights, and loading it gives the same AP again
    const loaded = loadCheckpoint(await throughFiles(artifacts), stream, 'random');
    expect(Array.from(loaded.state.memory.state)).toEqual(Array.from(trained.state.memory.state));
    loaded.model.variables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(trained.weights[i]!)));
    expect(await evaluateCheckpoint(loaded, stream)).toEqual(meta.evaluation);
    // a replay with epoch 1's weights builds other memory: its AP is not the curve's (what the panel used to show)
    expect(replayed.meta.memory).toBe('replayed');
    expect(replayed.meta.evaluation!.val.apBatchMean).not.toBe(report.val.apBatchMean);
    loaded.model.dispose();
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('every preset round-trips with identical evaluation (DyRep mail payloads included)', async () => {
    for (const name of MODEL_NAMES) {
      const config = { ...MODEL_PRESETS[name], memoryDim: 4, timeDim: 4, embeddingDim: 4, neighbours: 3 };
      const model = createTgn(stream, config, 5);
      const trainer = new Trainer(model, stream, split, options);
      await trainer.runEpoch();
      const { artifacts, meta } = await createCheckpoint({ model, stream, options, preset: name, datasetName: 'random', epochs: 1 });
      const loaded = loadCheckpoint(await throughFiles(artifacts), stream, 'random');
      expect(loaded.meta.preset).toBe(name);
      expect(await evaluateCheckpoint(loaded, stream), name).toEqual(meta.evaluation);
      loaded.model.dispose();
      trainer.dispose();
      model.dispose();
    }
  });

  it('a checkpoint keeps the weights of the moment it was started while the source trains on', async () => {
    const model = createTgn(stream, TINY_TGN, 6);
    const before = model.variables.map((v) => Array.from(v.dataSync()));
    const pending = createCheckpoint({ model, stream, options, preset: 'tgn', datasetName: 'random' }, { evaluate: false });
    // the source changes right away (as a training step in the worker could)
    for (const v of model.variables) v.assign(tf.zerosLike(v));
    const loaded = loadCheckpoint((await pending).artifacts, stream, 'random');
    loaded.model.variables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(before[i]));
    loaded.model.dispose();
    model.dispose();
  });

  it('stores float64 times bit-exactly', async () => {
    const s = makeEventStream([[0, 1, 1], [1, 2, 2], [2, 0, 3], [0, 2, 4], [1, 0, 5]], 3);
    const sp = chronologicalSplit(s);
    const model = createTgn(s, TINY_TGN, 1);
    const tricky = [0.1, 1_700_000_000.123456789, 2 ** 53 - 1, -1e-300];
    const state = model.saveState();
    state.memory.lastUpdate.set(tricky.slice(0, 3));
    state.mailbox.t.set([Math.PI * 1e12, -Infinity, tricky[3]!]);
    const meta = (await createCheckpoint({ model, stream: s, options, preset: 'tgn', datasetName: 's' }, { evaluate: false })).meta;
    const artifacts = await encodeCheckpoint(model, state, { ...meta, position: sp.train[1] } satisfies CheckpointMeta);
    const loaded = loadCheckpoint(await throughFiles(artifacts), s, 's');
    for (let i = 0; i < 3; i++) expect(Object.is(loaded.state.memory.lastUpdate[i], state.memory.lastUpdate[i])).toBe(true);
    for (let i = 0; i < 3; i++) expect(Object.is(loaded.state.mailbox.t[i], state.mailbox.t[i])).toBe(true);
    expect(loaded.state.memory.lastUpdate[1]).toBe(1_700_000_000.123456789);
    loaded.model.dispose();
    model.dispose();
  });

  it('resumes training exactly: 2 epochs straight = 1 epoch, checkpoint, load, resume 1 epoch (weights, loss, val/test AP)', async () => {
    for (const exact of [false, true]) {
      const opts: TrainerOptions = { ...options, exact };
      const before = tf.memory().numTensors;
      // straight
      const a = createTgn(stream, TINY_TGN, 2);
      const straight = new Trainer(a, stream, split, opts);
      await straight.runEpoch();
      const second = await straight.runEpoch();
      const straightWeights = a.variables.map((v) => Array.from(v.dataSync()));

      // one epoch, then a checkpoint of it (with a step of epoch 2 already run: the checkpoint keeps epoch 1's end)
      const b = createTgn(stream, TINY_TGN, 2);
      const first = new Trainer(b, stream, split, opts);
      await first.runEpoch();
      await first.step();
      const trained = first.lastTrained!;
      expect(trained.resume.epochs).toBe(1);
      expect(trained.resume.optimizer.iterations).toBe(Math.ceil((split.train[1] - split.train[0]) / opts.batchSize));
      const { artifacts, meta } = await createCheckpoint({
        model: b, stream, options: opts, preset: 'tgn', datasetName: 'random', epochs: 1, trained,
        resume: { learningRate: opts.learningRate, seed: opts.seed, state: trained.resume },
      });
      first.dispose();
      b.dispose();
      expect(meta.version).toBe(2);
      expect(meta.resume).toMatchObject({ epochs: 1, learningRate: 1e-2, seed: 3, optimizer: { kind: 'adam', moments: true } });
      expect(artifacts.weightSpecs!.filter((w) => w.name.startsWith('optimizer/')).length).toBe(2 * a.variables.length);

      // load and resume
      const loaded = loadCheckpoint(await throughFiles(artifacts), stream, 'random');
      expect(loaded.resume!.state.optimizer.firstMoments.map((m) => Array.from(m))).toEqual(trained.resume.optimizer.firstMoments.map((m) => Array.from(m)));
      const resumed = new Trainer(loaded.model, stream, split, opts);
      await resumed.restore(loaded.resume!.state);
      expect(resumed.cursor).toMatchObject({ epoch: 2, phase: 'train', batch: 0 });
      // restored as saved, bit for bit (tfjs' setWeights alone would make the beta powers pow(beta, t + 1))
      expect(await resumed.resumeState()).toEqual(trained.resume);
      const again = await resumed.runEpoch();
      expect(again.epoch).toBe(2);
      expect(again.loss).toBe(second.loss);
      expect(again.val).toEqual(second.val);
      expect(again.test).toEqual(second.test);
      loaded.model.variables.forEach((v, i) => expect(Array.from(v.dataSync()), `variable ${i}`).toEqual(straightWeights[i]));

      // the optimizer state matters: the same weights with a fresh optimizer train to other numbers
      const fresh = loadCheckpoint(artifacts, stream, 'random');
      const noOptimizer = new Trainer(fresh.model, stream, split, opts);
      await noOptimizer.restore({ ...fresh.resume!.state, optimizer: { iterations: 0, beta1Power: 0.9, beta2Power: 0.999, firstMoments: [], secondMoments: [] } });
      expect((await noOptimizer.runEpoch()).loss).not.toBe(second.loss);

      for (const x of [straight, resumed, noOptimizer]) x.dispose();
      for (const m of [a, loaded.model, fresh.model]) m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('a version-1 file (no resume state) still loads and evaluates; a resume state with moments of the wrong size is refused', async () => {
    const model = createTgn(stream, TINY_TGN, 4);
    const trainer = new Trainer(model, stream, split, options);
    await trainer.runEpoch();
    const trained = trainer.lastTrained!;
    const { artifacts, meta } = await createCheckpoint({
      model, stream, options, preset: 'tgn', datasetName: 'random', epochs: 1, trained, resume: { learningRate: 1e-2, seed: 3, state: trained.resume },
    });
    // what a version-1 file is: no resume in the metadata, no optimizer tensors
    const keep = artifacts.weightSpecs!.filter((w) => !w.name.startsWith('optimizer/'));
    const bytes = new Uint8Array(weightBuffer(artifacts));
    const sizeOf = (w: tf.io.WeightsManifestEntry) => w.shape.reduce((x, y) => x * y, 1) * 4;
    let at = 0;
    const parts: Uint8Array[] = [];
    for (const w of artifacts.weightSpecs!) {
      if (!w.name.startsWith('optimizer/')) parts.push(bytes.slice(at, at + sizeOf(w)));
      at += sizeOf(w);
    }
    const v1Bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) (v1Bytes.set(p, o), (o += p.length));
    const { resume: _dropped, ...v1Meta } = meta;
    const v1 = { ...artifacts, modelTopology: { ...v1Meta, version: 1 }, weightSpecs: keep, weightData: v1Bytes.buffer };
    const loaded = loadCheckpoint(v1, stream, 'random');
    expect(loaded.resume).toBeNull();
    expect(await evaluateCheckpoint(loaded, stream)).toEqual(meta.evaluation);
    loaded.model.dispose();
    // a version-2 file that says it has moments but lacks one
    const missing = { ...artifacts, weightSpecs: artifacts.weightSpecs!.map((w) => (w.name === momentName('v', 0) ? { ...w, name: 'other' } : w)) };
    expect(() => loadCheckpoint(missing, stream, 'random')).toThrow(`this checkpoint lacks the tensor '${momentName('v', 0)}'`);
    expect(() => loadCheckpoint({ ...artifacts, modelTopology: { ...meta, resume: { ...meta.resume!, rng: { negatives: -1, dropout: 0 } } } }, stream, 'r'))
      .toThrow(/'resume' is missing or malformed/);
    trainer.dispose();
    model.dispose();
  });

  it('refuses another stream, a damaged file and a non-checkpoint with a message for the user', async () => {
    const model = createTgn(stream, TINY_TGN, 4);
    const { artifacts } = await createCheckpoint({ model, stream, options, preset: 'tgn', datasetName: 'random.csv' }, { evaluate: false });
    const before = tf.memory().numTensors;
    const other = randomStream(300, 20, 11, 2);
    expect(() => loadCheckpoint(artifacts, other, 'other.csv')).toThrow(CheckpointError);
    expect(() => loadCheckpoint(artifacts, other, 'other.csv')).toThrow(
      'this checkpoint was saved for a stream of 240 events / 15 nodes / 2 edge features (random.csv); the loaded stream other.csv has 300 events / 20 nodes / 2 edge features; load the same file',
    );
    const sameSize = randomStream(240, 15, 12, 2);
    expect(sameSize.numNodes).toBe(15);
    expect(() => loadCheckpoint(artifacts, sameSize, 'x.csv')).toThrow(/same size .* events differ/);

    const truncated = { ...artifacts, weightData: weightBuffer(artifacts).slice(0, 100) };
    expect(() => loadCheckpoint(truncated, stream, 'random.csv')).toThrow(/weights file has 100 bytes; model.json expects [\d,]+: it is truncated/);
    expect(() => loadCheckpoint({ ...artifacts, modelTopology: { class_name: 'Sequential' } }, stream, 'r')).toThrow(/not a TGNN checkpoint/);
    const meta = artifacts.modelTopology as unknown as CheckpointMeta;
    expect(() => loadCheckpoint({ ...artifacts, modelTopology: { ...meta, version: 9 } }, stream, 'r')).toThrow(/format version 9; this build reads versions 1 and 2/);
    const wrongShape = { ...artifacts, weightSpecs: artifacts.weightSpecs!.map((s) => (s.name === paramName(0) ? { ...s, shape: [...s.shape].reverse() } : s)) };
    if (artifacts.weightSpecs![0]!.shape.length > 1) expect(() => loadCheckpoint(wrongShape, stream, 'r')).toThrow(/param\/000/);
    await expect(artifactsFromModelJson('[1,2]', () => new ArrayBuffer(0))).rejects.toThrow(/not a JSON object/);
    await expect(artifactsFromModelJson({ modelTopology: {} }, () => new ArrayBuffer(0))).rejects.toThrow(/no weightsManifest/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
