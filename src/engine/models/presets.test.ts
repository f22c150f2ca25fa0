import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { makeEventStream } from '../data/eventStream.ts';
import { createTgn, type TgnModel } from './tgn.ts';
import { MODEL_NAMES, MODEL_PRESETS, type TgnConfig } from '../../shared/presets.ts';
import { chronologicalSplit } from '../data/split.ts';
import { Trainer, TRAINER_DEFAULTS } from '../train/trainer.ts';
import { randomStream } from '../testing.ts';
import { Rng } from '../util/rng.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

/** small sizes of every preset (memory 6, time 4, embedding 6 so DyRep's embeddings fit its messages) */
function tiny(name: (typeof MODEL_NAMES)[number], extra: Partial<TgnConfig> = {}): TgnConfig {
  return { ...MODEL_PRESETS[name], memoryDim: 6, timeDim: 4, embeddingDim: 6, neighbours: 3, heads: 2, ...extra };
}

// batch size 3: batch 0 = e0..e2, batch 1 = e3..e5
const events: [number, number, number][] = [
  [0, 1, 10], // e0
  [1, 2, 11], // e1
  [0, 2, 12], // e2
  [0, 1, 13], // e3
  [2, 3, 14], // e4
  [1, 0, 15], // e5
];
const negatives = Int32Array.from([3, 3, 3]);

/** plan + forward + commit of events [from, to); returns the forward's values */
async function runBatch(model: TgnModel, from: number, to: number) {
  const plan = model.plan(from, to, negatives);
  const out = tf.tidy(() => {
    const o = model.forward(plan, false, new Rng(1));
    return { pos: o.pos, neg: o.neg, updated: o.updatedMemory, commit: o.commitValues };
  });
  const [pos, neg, updated, commit] = await Promise.all([out.pos.data(), out.neg.data(), out.updated.data(), out.commit.data()]);
  const shapes = { pos: out.pos.shape, neg: out.neg.shape, updated: out.updated.shape, commit: out.commit.shape };
  tf.dispose([out.pos, out.neg, out.updated, out.commit]);
  model.commit(plan, commit as Float32Array);
  return { plan, pos, neg, updated, commit: commit as Float32Array, shapes };
}

describe('model presets', () => {
  it.each(MODEL_NAMES.map((n) => [n]))('%s: one score per event, memory rows per mail node, no tensor growth', async (name) => {
    const stream = makeEventStream(events, 5);
    const model = createTgn(stream, tiny(name), 3);
    const before = tf.memory().numTensors;
    const b0 = await runBatch(model, 0, 3);
    const b1 = await runBatch(model, 3, 6);
    expect(tf.memory().numTensors).toBe(before);
    for (const b of [b0, b1]) {
      expect(b.shapes.pos).toEqual([3]);
      expect(b.shapes.neg).toEqual([3]);
      expect(b.shapes.updated).toEqual([b.plan.mailNodes.length, 6]);
      // DyRep appends one message embedding per query node
      const extra = name === 'dyrep' ? b.plan.queryNodes.length : 0;
      expect(b.shapes.commit).toEqual([b.plan.mailNodes.length + extra, 6]);
      expect(Array.from(b.pos).every(Number.isFinite)).toBe(true);
    }
    // batch 1 applies the mail of batch 0 (nodes 0, 1, 2) — except TGAT, which has no memory
    expect(Array.from(b1.plan.mailNodes).sort()).toEqual(name === 'tgat' ? [] : [0, 1, 2]);
    expect(model.variables.length).toBeGreaterThan(0);
    model.dispose();
  });

  it('DyRep: a mail carries the other endpoint\'s embedding from the event\'s batch, not its memory at apply time', async () => {
    const stream = makeEventStream(events, 5);
    const model = createTgn(stream, tiny('dyrep'), 5);
    const b0 = await runBatch(model, 0, 3);
    const d = 6;
    const embeddingOf = (v: number): number[] => {
      const q = Array.from(b0.plan.queryNodes).indexOf(v);
      const at = (b0.plan.mailNodes.length + q) * d;
      return Array.from(b0.commit.subarray(at, at + d));
    };
    // node 0's last mail in batch 0 is e2 from node 2; node 1's is e1 from node 2; node 2's is e2 from node 0
    const payload = (v: number): number[] => {
      const slot = model.mailbox.lastSlot(v);
      return Array.from(model.mailbox.payload.subarray(slot * d, slot * d + d));
    };
    expect(payload(0)).toEqual(embeddingOf(2));
    expect(payload(1)).toEqual(embeddingOf(2));
    expect(payload(2)).toEqual(embeddingOf(0));
    // the embeddings are not the (zero) memories
    expect(embeddingOf(2).some((x) => x !== 0)).toBe(true);
    // batch 1's messages read the stored embedding as the "other" part
    const plan = model.plan(3, 6, negatives);
    const row = Array.from(plan.mailNodes).indexOf(0);
    const i = Array.from(plan.selection.segment).indexOf(row);
    expect(Array.from(plan.mailOther.subarray(i * d, i * d + d))).toEqual(payload(0));
    model.commit(plan, new Float32Array((plan.mailNodes.length + plan.queryNodes.length) * d));
    model.dispose();
  });

  it('APAN: keeps up to 10 mails per node and applies all of them with attention', async () => {
    const stream = makeEventStream(events, 5);
    const model = createTgn(stream, tiny('apan'), 5);
    const b0 = await runBatch(model, 0, 3);
    expect(b0.plan.mailNodes.length).toBe(0);
    expect([0, 1, 2, 3].map((v) => model.mailbox.count[v])).toEqual([2, 2, 2, 0]);
    const plan = model.plan(3, 6, negatives);
    // nodes 0, 1, 2 apply both of their mails (6 mails), not just the last
    expect(plan.selection.mailSlots.length).toBe(6);
    model.dispose();
  });

  it('TGAT: no memory is ever written; two hops of neighbours strictly before each event, same batch included', async () => {
    // one batch of 4: e0 (0,1,t=1), e1 (1,2,t=2), e2 (2,3,t=3), e3 (3,0,t=3)
    const stream = makeEventStream([[0, 1, 1], [1, 2, 2], [2, 3, 3], [3, 0, 3]], 4);
    const model = createTgn(stream, tiny('tgat'), 2);
    const plan = model.plan(0, 4, Int32Array.from([0, 0, 0, 0]));
    const K = 3;
    const q = (v: number, t: number): number => {
      for (let i = 0; i < plan.queryNodes.length; i++) {
        if (plan.queryNodes[i] === v && queryTime(i) === t) return i;
      }
      throw new Error(`no query (${v}, ${t})`);
    };
    // query times per query: the event each query belongs to (reads of one node at one time share a query)
    const times: number[] = [];
    for (let e = 0; e < 4; e++) {
      for (const v of [plan.srcQuery[e]!, plan.dstQuery[e]!, plan.negQuery[e]!]) times[v] = stream.t[e]!;
    }
    function queryTime(i: number): number {
      return times[i]!;
    }
    const nodesOf = (i: number): number[] => {
      const out: number[] = [];
      for (let j = 0; j < K; j++) if (plan.neighbourMask[i * K + j] === 1) out.push(plan.neighbourRows[i * K + j]!);
      return out.map((r) => rowNode(r));
    };
    const rowNode = (r: number): number => (r < plan.mailNodes.length ? plan.mailNodes[r]! : plan.restNodes[r - plan.mailNodes.length]!);
    // node 2 read at t=2 (e1) sees nothing before t=2 of its own; at t=3 (e2) sees node 1 (e1, t=2)
    expect(nodesOf(q(2, 2))).toEqual([]);
    expect(nodesOf(q(2, 3))).toEqual([1]);
    // node 0 at t=3 (e3) sees node 1 (e0); node 1 at t=2 (e1) sees node 0 (e0)
    expect(nodesOf(q(0, 3))).toEqual([1]);
    expect(nodesOf(q(1, 2))).toEqual([0]);
    // Δt = query time − edge time
    expect(plan.neighbourDt[q(2, 3) * K]).toBe(1);
    expect(plan.neighbourDt[q(0, 3) * K]).toBe(2);
    // hop 2 of (node 2 at t=3)'s neighbour slot (node 1 via e1 at t=2): node 1's events before t=2 → node 0
    const hop2 = plan.hop2!;
    const slot = q(2, 3) * K;
    expect(hop2.mask[slot * K]).toBe(1);
    expect(rowNode(hop2.rows[slot * K]!)).toBe(0);
    expect(hop2.dt[slot * K]).toBe(1); // 2 − 1
    expect(Array.from(hop2.mask.subarray(slot * K + 1, slot * K + K))).toEqual([0, 0]);
    const out = tf.tidy(() => model.forward(plan, false, new Rng(1)).commitValues);
    expect(out.shape).toEqual([0, 6]);
    model.commit(plan, new Float32Array(0));
    out.dispose();
    expect(model.mailbox.count.every((c) => c === 0)).toBe(true);
    expect(model.memory.state.every((x) => x === 0)).toBe(true);
    expect(model.index.size).toBe(4);
    model.dispose();
  });

  it('earlier-batches scope (TGN) does not see the batch\'s own events', () => {
    const stream = makeEventStream([[0, 1, 1], [1, 2, 2], [2, 3, 3], [3, 0, 3]], 4);
    const model = createTgn(stream, tiny('tgn'), 2);
    const plan = model.plan(0, 4, Int32Array.from([0, 0, 0, 0]));
    expect(Array.from(plan.neighbourMask).every((m) => m === 0)).toBe(true);
    expect(plan.hop2).toBeNull();
    // one query per distinct node
    expect(plan.queryNodes.length).toBe(4);
    model.dispose();
  });

  it.each(MODEL_NAMES.map((n) => [n]))('%s trains two epochs with a flat tensor count and learns something', async (name) => {
    const stream = randomStream(120, 12, 4);
    const model = createTgn(stream, tiny(name), 1);
    const trainer = new Trainer(model, stream, chronologicalSplit(stream), { ...TRAINER_DEFAULTS, batchSize: 20, learningRate: 1e-2 });
    const first = await trainer.runEpoch();
    const count = tf.memory().numTensors;
    const second = await trainer.runEpoch();
    expect(tf.memory().numTensors).toBe(count);
    expect(Number.isFinite(second.loss)).toBe(true);
    expect(second.loss).toBeLessThan(first.loss + 0.05);
    trainer.dispose();
    model.dispose();
  });
});
