import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { chronologicalSplit } from '../data/split.ts';
import { makeEventStream } from '../data/eventStream.ts';
import { createTgn } from '../models/tgn.ts';
import { Trainer, TRAINER_DEFAULTS } from './trainer.ts';
import { coldStartEvents, copyResets, parallelSchedule, rankWork, trainerRanges, unitRange, type ParallelSchedule } from './parallel.ts';
import { stalenessByBatchSize } from '../probes/staleness.ts';
import { randomStream, TINY_TGN } from '../testing.ts';
import type { Parallelism } from '../../shared/training.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

const P = (minibatch: number, epoch: number, memory: number): Parallelism => ({ minibatch, epoch, memory });

/** per global iteration: what each (copy, rank) does, as "u<unit>r<repetition>" or "-" when idle */
function table(s: ParallelSchedule): string[][] {
  return Array.from({ length: s.iterations }, (_, m) => {
    const row: string[] = [];
    for (let g = 0; g < s.parallelism.memory; g++) {
      for (let r = 0; r < s.parallelism.epoch; r++) {
        const w = rankWork(s, g, r, m);
        row.push(w ? `u${w.unit}r${w.repetition}` : '-');
      }
    }
    return row;
  });
}

describe('DistTGL schedule, by hand', () => {
  it('mini-batch parallelism: units of i·b events, split among the i trainers (the last unit short)', () => {
    const s = parallelSchedule(0, 10, 3, P(2, 1, 1));
    expect([s.units, s.iterations]).toEqual([2, 2]);
    expect(unitRange(s, 0)).toEqual([0, 6]);
    expect(unitRange(s, 1)).toEqual([6, 10]);
    expect(trainerRanges(s, 0)).toEqual([[0, 3], [3, 6]]);
    expect(trainerRanges(s, 1)).toEqual([[6, 9], [9, 10]]);
    expect(trainerRanges(parallelSchedule(0, 7, 3, P(2, 1, 1)), 1)).toEqual([[6, 7]]); // trainer 2 of the last unit has none
  });

  it('epoch parallelism j = 2 over 5 units: rank r starts unit n ≡ r (mod 2) at iteration n, repeats it once, idles outside', () => {
    const s = parallelSchedule(0, 50, 10, P(1, 2, 1));
    expect([s.units, s.iterations]).toEqual([5, 6]);
    expect(table(s)).toEqual([
      ['u0r0', '-'],
      ['u0r1', 'u1r0'],
      ['u2r0', 'u1r1'],
      ['u2r1', 'u3r0'],
      ['u4r0', 'u3r1'],
      ['u4r1', '-'],
    ]);
  });

  it('epoch parallelism j = 3: each unit trained 3 times, written once, in order', () => {
    const s = parallelSchedule(0, 70, 10, P(1, 3, 1));
    const seen = new Map<number, number[]>();
    const writes: number[] = [];
    for (let m = 0; m < s.iterations; m++) {
      for (let r = 0; r < 3; r++) {
        const w = rankWork(s, 0, r, m);
        if (!w) continue;
        seen.set(w.unit, [...(seen.get(w.unit) ?? []), w.repetition]);
        if (w.repetition === 0) writes.push(w.unit);
      }
    }
    expect(writes).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (let u = 0; u < 7; u++) expect(seen.get(u)).toEqual([0, 1, 2]);
  });

  it('memory parallelism k = 2 over 6 units: copy 1 starts at unit 3 with zeroed memory and wraps to unit 0, reset', () => {
    const s = parallelSchedule(0, 60, 10, P(1, 1, 2));
    expect(s.copyStart).toEqual([0, 3]);
    expect(table(s)).toEqual([
      ['u0r0', 'u3r0'],
      ['u1r0', 'u4r0'],
      ['u2r0', 'u5r0'],
      ['u3r0', 'u0r0'],
      ['u4r0', 'u1r0'],
      ['u5r0', 'u2r0'],
    ]);
    expect(Array.from({ length: 6 }, (_, m) => copyResets(s, 1, m))).toEqual([true, false, false, true, false, false]);
    expect(Array.from({ length: 6 }, (_, m) => copyResets(s, 0, m))).toEqual([true, false, false, false, false, false]);
  });

  it('j = 2 and k = 2: a copy idles on the units it did not start in its current run', () => {
    const s = parallelSchedule(0, 40, 10, P(1, 2, 2));
    expect([s.units, s.iterations, s.copyStart]).toEqual([4, 5, [0, 2]]);
    // copy 1: local iterations 2, 3, 4, 0, 1 (reset at global iteration 3)
    expect(table(s)).toEqual([
      ['u0r0', '-', 'u2r0', '-'], // copy 1's rank 1 would repeat unit 1, which it never started
      ['u0r1', 'u1r0', 'u2r1', 'u3r0'],
      ['u2r0', 'u1r1', '-', 'u3r1'], // unit 4 does not exist
      ['u2r1', 'u3r0', 'u0r0', '-'],
      ['-', 'u3r1', 'u0r1', 'u1r0'],
    ]);
  });

  it('cold-start events: first reads, in a copy that starts mid-stream, of nodes with earlier history', () => {
    // 6 events, b = 2, k = 2: 3 units, 3 iterations, copy 1 starts at unit 1 (events 2..)
    const stream = makeEventStream([[0, 1, 1], [2, 3, 2], [0, 4, 3], [4, 1, 4], [5, 6, 5], [1, 5, 6]], 7);
    const s = parallelSchedule(0, 6, 2, P(1, 1, 2));
    expect(s.copyStart).toEqual([0, 1]);
    // history before event 2: nodes 0, 1, 2, 3. Event 2 (0→4) first reads 0: cold; event 3 (4→1) first reads 1:
    // cold; events 4 (5→6) and 5 (1→5: node 1 already counted) are not
    expect(coldStartEvents(stream, s)).toBe(2);
    expect(coldStartEvents(stream, parallelSchedule(0, 6, 2, P(1, 1, 1)))).toBe(0);
  });
});

describe('the one-thread reference trainer', () => {
  const stream = randomStream(400, 14, 21);
  const split = chronologicalSplit(stream);

  async function trainPass(parallelism: Parallelism | undefined, batchSize: number, learningRate: number, seed = 3, dropout = TINY_TGN.dropout) {
    const model = createTgn(stream, { ...TINY_TGN, dropout }, seed);
    const trainer = new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, batchSize, evalBatchSize: 20, learningRate, seed, ...(parallelism ? { parallelism } : {}) });
    const counts: number[] = [];
    const report = await trainer.runEpoch({ onBatch: (b) => void (b.phase === 'train' && counts.push(tf.memory().numTensors)) });
    const state = trainer.stateAfterTraining!;
    const weights = model.variables.map((v) => Array.from(v.dataSync()));
    trainer.dispose();
    model.dispose();
    return { report, state, weights, counts };
  }

  it('mini-batch parallelism 2 × b reports exactly the stale and dropped fractions of batches of 2b (tgnn staleness)', async () => {
    const { report } = await trainPass(P(2, 1, 1), 20, 1e-3);
    const [expected] = stalenessByBatchSize(stream, [40], TINY_TGN.mailboxSize, split.train);
    expect(report.parallel!.staleFraction).toBe(expected!.staleFraction);
    expect(report.parallel!.droppedMailFraction).toBe(expected!.droppedMailFraction);
    expect(report.parallel!.staleFraction).toBeGreaterThan(0);
  });

  it('mini-batch parallelism 2 × 20 trains as one batch of 40 at twice the rate: same memory, weights within float noise', async () => {
    // 280 training events: 7 units of 40, each split 20 + 20, so the mean of the two means is the mean
    // (no dropout: a parallel pass seeds each trainer's dropout masks apart, plain training draws them in one sequence)
    expect(split.train[1] - split.train[0]).toBe(280);
    const parallel = await trainPass(P(2, 1, 1), 20, 1e-3, 3, 0);
    const plain = await trainPass(undefined, 40, 2e-3, 3, 0);
    expect(parallel.report.parallel!.learningRate).toBeCloseTo(2e-3, 12);
    expect(parallel.report.parallel!.iterations).toBe(7);
    parallel.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - plain.weights[i]![j]!)).toBeLessThan(1e-5)));
    const a = parallel.state.memory.state;
    const b = plain.state.memory.state;
    for (let x = 0; x < a.length; x++) expect(Math.abs(a[x]! - b[x]!)).toBeLessThan(1e-4);
  });

  it('epoch parallelism adds no staleness: with frozen weights its memory equals one rank’s exactly, each unit trained j times', async () => {
    const one = await trainPass(undefined, 20, 0);
    const three = await trainPass(P(1, 3, 1), 20, 0);
    expect(Array.from(three.state.memory.state)).toEqual(Array.from(one.state.memory.state));
    expect(Array.from(three.state.memory.lastUpdate)).toEqual(Array.from(one.state.memory.lastUpdate));
    const stats = three.report.parallel!;
    expect(stats.iterations).toBe(14 + 2);
    expect(stats.staleFraction).toBe(stalenessByBatchSize(stream, [20], 1, split.train)[0]!.staleFraction);
    expect(stats.trainers).toBe(3);
  });

  it('memory parallelism: copy 0 ends where plain training ends (frozen weights: the same memory); cold starts counted', async () => {
    const one = await trainPass(undefined, 20, 0);
    const two = await trainPass(P(1, 1, 2), 20, 0);
    expect(Array.from(two.state.memory.state)).toEqual(Array.from(one.state.memory.state));
    expect(two.report.parallel!.coldStartEvents).toBeGreaterThan(0);
    expect(two.report.parallel!.coldStartEvents).toBe(coldStartEvents(stream, parallelSchedule(split.train[0], split.train[1], 20, P(1, 1, 2))));
  });

  it('i = j = k = 2 trains, evaluates, and keeps the tensor count flat across iterations', async () => {
    const before = tf.memory().numTensors;
    const { report, counts } = await trainPass(P(2, 2, 2), 10, 1e-3);
    expect(Number.isFinite(report.loss)).toBe(true);
    expect(report.val.ap).toBeGreaterThan(0);
    expect(report.parallel!.trainers).toBe(8);
    const settled = counts.slice(2);
    expect(Math.max(...settled)).toBe(Math.min(...settled));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses exact mode with parallelism', () => {
    const model = createTgn(stream, TINY_TGN, 1);
    expect(() => new Trainer(model, stream, split, { ...TRAINER_DEFAULTS, exact: true, parallelism: P(2, 1, 1) })).toThrow(/exact mode/);
    model.dispose();
  });
});
