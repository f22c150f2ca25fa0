import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { makeEventStream } from '../data/eventStream.ts';
import { createTgn } from './tgn.ts';
import { JODIE_PRESET } from '../../shared/presets.ts';
import { RnnUpdater } from '../nn/updater.ts';
import { bceLoss } from '../train/trainer.ts';
import { TINY_TGN } from '../testing.ts';
import { Rng } from '../util/rng.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

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

async function scoresOfBatch1(evts: [number, number, number][]): Promise<Float32Array> {
  const stream = makeEventStream(evts, 5);
  const model = createTgn(stream, TINY_TGN, 7);
  const p0 = model.plan(0, 3, negatives);
  const mem0 = tf.tidy(() => model.forward(p0, false, new Rng(1)).updatedMemory);
  model.commit(p0, (await mem0.data()) as Float32Array);
  mem0.dispose();
  const p1 = model.plan(3, 6, negatives);
  const pos = tf.tidy(() => model.forward(p1, false, new Rng(1)).pos);
  const out = (await pos.data()) as Float32Array;
  pos.dispose();
  model.dispose();
  return out;
}

describe('TGN batch semantics', () => {
  it('first batch: no mail yet, no neighbours; commit stores the last mail per node and indexes events', () => {
    const stream = makeEventStream(events, 5);
    const model = createTgn(stream, TINY_TGN, 1);
    const plan = model.plan(0, 3, negatives);
    expect(plan.mailNodes.length).toBe(0);
    expect(Array.from(plan.neighbourMask).every((m) => m === 0)).toBe(true);
    expect(plan.writeRows.length).toBe(0);
    model.commit(plan, new Float32Array(0));
    // node 0: e0, e2 → e2; node 1: e0, e1 → e1; node 2: e1, e2 → e2
    expect([0, 1, 2].map((v) => model.mailbox.edge[model.mailbox.lastSlot(v)])).toEqual([2, 1, 2]);
    expect(model.mailbox.hasMail(3)).toBe(false);
    expect(model.index.size).toBe(3);
    model.dispose();
  });

  it('second batch reads only earlier batches: mails and neighbours come from e0..e2', () => {
    const stream = makeEventStream(events, 5);
    const model = createTgn(stream, TINY_TGN, 1);
    model.commit(model.plan(0, 3, negatives), new Float32Array(0));
    const plan = model.plan(3, 6, negatives);
    // nodes read: 0,1,2,3 (+ neighbours 0,1,2); with mail: 0,1,2
    expect(Array.from(plan.mailNodes).sort()).toEqual([0, 1, 2]);
    for (const slot of plan.selection.mailSlots) expect(model.mailbox.edge[slot]).toBeLessThan(3);
    // Δt of node 0's mail (e2 at t=12) since its last update (stream start t=10) = 2
    const row0 = Array.from(plan.mailNodes).indexOf(0);
    expect(plan.mailDt[row0]).toBe(2);
    expect(plan.mailNodeTime[row0]).toBe(12);
    // every valid neighbour slot is an edge of batch 0: Δt = neighbour last update − edge time ≥ 0
    const K = TINY_TGN.neighbours;
    for (let q = 0; q < plan.queryRows.length; q++) {
      for (let j = 0; j < K; j++) if (plan.neighbourMask[q * K + j]) expect(plan.neighbourDt[q * K + j]).toBeGreaterThanOrEqual(0);
    }
    // the positive endpoints 0,1,2 (all with mail) get their memory written; negative 3 does not
    expect(plan.writeRows.length).toBe(3);
    const written = Array.from(plan.writeRows).map((r) => plan.mailNodes[r]).sort();
    expect(written).toEqual([0, 1, 2]);
    model.dispose();
  });

  it('commit writes memory and last-update time, consumes mail, then stores the new batch', async () => {
    const stream = makeEventStream(events, 5);
    const model = createTgn(stream, TINY_TGN, 1);
    model.commit(model.plan(0, 3, negatives), new Float32Array(0));
    const plan = model.plan(3, 6, negatives);
    const mem = tf.tidy(() => model.forward(plan, false, new Rng(1)).updatedMemory);
    const values = (await mem.data()) as Float32Array;
    mem.dispose();
    model.commit(plan, values);
    const d = TINY_TGN.memoryDim;
    const r = Array.from(plan.mailNodes).indexOf(2);
    expect(Array.from(model.memory.state.subarray(2 * d, 3 * d))).toEqual(Array.from(values.subarray(r * d, r * d + d)));
    expect(model.memory.lastUpdate[2]).toBe(12); // node 2's applied mail was e2 at t=12
    expect(model.memory.lastUpdate[3]).toBe(10); // node 3 never updated
    // new mails: node 2 ← e4 (t=14), node 0 ← e5, node 3 ← e4
    expect(model.mailbox.edge[model.mailbox.lastSlot(2)]).toBe(4);
    expect(model.mailbox.edge[model.mailbox.lastSlot(0)]).toBe(5);
    expect(model.mailbox.edge[model.mailbox.lastSlot(3)]).toBe(4);
    model.dispose();
  });

  it('only commit writes node memory: plan and forward leave it as it was; commit changes exactly the positive endpoints with pending mail', async () => {
    // batch 2 = e6..e8 on top of the six events: positives 0, 2, 4; negative 3
    const stream = makeEventStream([...events, [0, 2, 16], [2, 4, 17], [0, 4, 18]], 5);
    const model = createTgn(stream, TINY_TGN, 1);
    const batch = async (from: number, to: number) => {
      const plan = model.plan(from, to, negatives);
      const out = tf.tidy(() => model.forward(plan, false, new Rng(1)).commitValues);
      const values = (await out.data()) as Float32Array;
      out.dispose();
      return { plan, values };
    };
    for (const from of [0, 3]) {
      const b = await batch(from, from + 3);
      model.commit(b.plan, b.values);
    }
    const snapshot = () => ({ ...model.memory.save(), mailCount: model.mailbox.count.slice() });
    const before = snapshot();
    // non-zero memory going in, so a write of any value would show
    expect(before.state.some((x) => x !== 0)).toBe(true);
    const b2 = await batch(6, 9);
    // node 3 (negative) and node 1 (neighbour of 0) are read with pending mail but are no endpoint of the batch
    expect(Array.from(b2.plan.mailNodes).sort()).toEqual([0, 1, 2, 3]);
    expect(snapshot()).toEqual(before);
    model.commit(b2.plan, b2.values);
    const d = TINY_TGN.memoryDim;
    const after = model.memory.save();
    const changed = [0, 1, 2, 3, 4].filter((v) =>
      after.lastUpdate[v] !== before.lastUpdate[v] || after.updates[v] !== before.updates[v]
      || after.state.subarray(v * d, v * d + d).some((x, i) => x !== before.state[v * d + i]));
    // 4 has no pending mail; 0 and 2 apply b1's mails (newest: e5 at t=15 and e4 at t=14)
    expect(changed).toEqual([0, 2]);
    expect([after.lastUpdate[0], after.lastUpdate[2]]).toEqual([15, 14]);
    expect([after.updates[0]! - before.updates[0]!, after.updates[2]! - before.updates[2]!]).toEqual([1, 1]);
    // 1 and 3 keep their unapplied mail (e5 and e4)
    expect([model.mailbox.edge[model.mailbox.lastSlot(1)], model.mailbox.edge[model.mailbox.lastSlot(3)]]).toEqual([5, 4]);
    model.dispose();
  });

  it('no leakage within a batch: changing a later event of the batch does not change earlier scores', async () => {
    const a = await scoresOfBatch1(events);
    const changed = events.map((e) => [...e] as [number, number, number]);
    changed[5] = [1, 4, 15]; // e5 now goes to node 4
    const b = await scoresOfBatch1(changed);
    expect(b[0]).toBe(a[0]);
    expect(b[1]).toBe(a[1]);
    expect(b[2]).not.toBe(a[2]);
  });

  it('the GRU updater gets gradients through the stored mails (and none before any mail exists)', async () => {
    const stream = makeEventStream([...events, [0, 2, 16], [1, 2, 17], [2, 0, 18]], 5);
    const model = createTgn(stream, TINY_TGN, 3);
    const updaterVars = model.modules.updater.variables;
    const gradsFor = (from: number, to: number) =>
      tf.variableGrads(() => {
        const out = model.forward(model.plan(from, to, negatives), true, new Rng(2));
        return bceLoss(out.pos, out.neg);
      }, model.variables);
    const first = gradsFor(0, 3);
    for (const v of updaterVars) expect(first.grads[v.name]).toBeUndefined();
    tf.dispose([first.value, ...Object.values(first.grads)]);
    model.commit(model.plan(0, 3, negatives), new Float32Array(0));
    // batch 1 applies batch 0's mail, so memory becomes non-zero
    const p1 = model.plan(3, 6, negatives);
    const mem = tf.tidy(() => model.forward(p1, false, new Rng(2)).updatedMemory);
    model.commit(p1, (await mem.data()) as Float32Array);
    mem.dispose();
    // batch 2: every updater weight (input and hidden side) gets a non-zero gradient from batch 1's mail
    const third = gradsFor(6, 9);
    for (const v of updaterVars) {
      const g = third.grads[v.name];
      expect(g, `gradient for ${v.name}`).toBeDefined();
      expect(tf.sum(tf.abs(g!)).dataSync()[0]).toBeGreaterThan(0);
    }
    tf.dispose([third.value, ...Object.values(third.grads)]);
    model.dispose();
  });

  it('JODIE preset: RNN updater and time projection; each node is embedded at its first read time in the batch', async () => {
    const stream = makeEventStream(events, 5);
    const config = { ...JODIE_PRESET, memoryDim: 6, timeDim: 4, embeddingDim: 6, neighbours: 3 };
    const model = createTgn(stream, config, 4);
    expect(model.modules.updater).toBeInstanceOf(RnnUpdater);
    model.commit(model.plan(0, 3, negatives), new Float32Array(0));
    const plan = model.plan(3, 6, negatives);
    // query nodes in first-read order: 0 (e3, t=13), 1 (e3), 3 (negative of e3), 2 (e4, t=14)
    expect(Array.from(plan.queryNodes)).toEqual([0, 1, 3, 2]);
    // Δt = first read time − last update after applying pending mail: node 0 mail e2 (t=12) → 1;
    // node 1 mail e1 (t=11) → 2; node 3 never updated (stream start t=10) → 3; node 2 mail e2 (t=12) → 2
    expect(Array.from(plan.queryDt)).toEqual([1, 2, 3, 2]);
    const before = tf.memory().numTensors;
    const out = tf.tidy(() => {
      const r = model.forward(plan, true, new Rng(1));
      return [r.pos, r.neg];
    });
    expect(out.map((t) => t.shape)).toEqual([[3], [3]]);
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
