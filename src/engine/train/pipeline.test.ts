import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { chronologicalSplit } from '../data/split.ts';
import { makeEventStream } from '../data/eventStream.ts';
import { createTgn } from '../models/tgn.ts';
import { Trainer, TRAINER_DEFAULTS, type BatchReport } from './trainer.ts';
import { TINY_TGN } from '../testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

// node 0 talks in every batch of 2 events (times 10, 11 | 20, 21 | ...): with writes landing a batch late,
// each batch reads node 0's memory as the batch before the last left it
const events: [number, number, number][] = [];
for (let b = 0; b < 10; b++) events.push([0, 1 + (b % 3), 10 * (b + 1)], [4, 5 + (b % 2), 10 * (b + 1) + 1]);
const stream = makeEventStream(events, 8);
const split = chronologicalSplit(stream);

async function trainAges(pipelineStaleness: number) {
  const model = createTgn(stream, TINY_TGN, 2);
  const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize: 2, evalBatchSize: 2, learningRate: 0, seed: 2, pipelineStaleness });
  const ages: number[][] = [];
  await trainer.runEpoch({ onBatch: (b: BatchReport) => void (b.phase === 'train' && ages.push(Array.from(b.readAges))) });
  const state = trainer.stateAfterTraining!;
  trainer.dispose();
  model.dispose();
  return { ages, state };
}

describe('pipelining with bounded staleness (MSPipe)', () => {
  it('s = 1: each batch reads memory without the previous batch\'s writes (node 0 one batch older), by hand', async () => {
    const now = await trainAges(0);
    const late = await trainAges(1);
    // training: events 0..13, 7 batches of 2. Batch 2 (times 20, 21): node 0 last updated at 10 (s = 0) or
    // never (s = 1: batch 1's write has not landed: its memory is the initial one, last update at t0 = 10... the stream start)
    expect(now.ages[1]![0]).toBe(20 - 10);
    expect(late.ages[2]![0]).toBe(30 - 10); // batch 3 reads node 0 as batch 1 left it, not batch 2
    expect(now.ages[2]![0]).toBe(30 - 20);
    for (let b = 0; b < now.ages.length; b++) now.ages[b]!.forEach((a, i) => expect(late.ages[b]![i]!).toBeGreaterThanOrEqual(a));
  });

  it('every pending write lands when the training phase ends; later mails survive an older write (by hand, s = 2)', async () => {
    const now = await trainAges(0);
    const late = await trainAges(2);
    // 7 training batches; node 0 at t = 10, 20, ..., 70. With s = 2 batch n applies the mail batch n − 3
    // stored, so the last batch (t = 70) applies t = 40's mail: memory lags three batches behind (s = 0:
    // one, t = 60). Writes that land after newer mail was stored consume only the mail they applied, so
    // node 0 ends holding batch 6's mail (t = 70) in both.
    expect(split.train[1]).toBe(14);
    expect(now.state.memory.lastUpdate[0]).toBe(60);
    expect(late.state.memory.lastUpdate[0]).toBe(40);
    for (const r of [now, late]) {
      expect(r.state.mailbox.count[0]).toBe(1);
      expect(r.state.mailbox.t[0]).toBe(70);
    }
  });

  it('refuses pipelining with exact mode and with parallelism', () => {
    const model = createTgn(stream, TINY_TGN, 1);
    expect(() => new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, exact: true, pipelineStaleness: 1 })).toThrow(/exact mode/);
    expect(() => new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, pipelineStaleness: 1, parallelism: { minibatch: 1, epoch: 2, memory: 1 } })).toThrow(/pipelining/);
    model.dispose();
  });
});
