import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor1D, type Tensor2D } from '../tf.ts';
import { useBackend } from '../backend.ts';
import { Rng } from '../util/rng.ts';
import {
  IdentityEmbedding,
  TemporalAttentionEmbedding,
  TimeProjectionEmbedding,
  TwoLayerAttentionEmbedding,
  type AttentionConfig,
  type EmbeddingInput,
} from './embedding.ts';
import { CosineTimeEncoder, type TimeEncoder } from './timeEncoder.ts';
import { allOk, expectRowsClose, gradientReport, named, rows, setWeights } from './testing.ts';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await useBackend('cpu', 'tests');
});

/** φ(Δt) = Δt (one column, no weights), so the hand arithmetic stays linear in Δt */
const linearTime: TimeEncoder = { dim: 1, encode: (dt: Tensor1D) => tf.reshape(dt, [-1, 1]) as Tensor2D };

/** the attention layer's variables in their fixed (checkpoint) order */
const ATTENTION = ['queryW', 'queryB', 'keyValueW', 'keyValueB', 'edgeW', 'rootW', 'rootB'] as const;

function input(table: Tensor2D, fields: Partial<EmbeddingInput> & Pick<EmbeddingInput, 'queryRows' | 'k' | 'neighbourRows'>): EmbeddingInput {
  const slots = fields.neighbourRows.length;
  return {
    table,
    queryDt: new Float32Array(fields.queryRows.length),
    neighbourMask: new Float32Array(slots).fill(1),
    neighbourDt: new Float32Array(slots),
    neighbourEdgeFeatures: new Float32Array(0),
    training: false,
    rng: new Rng(0),
    ...fields,
  };
}

describe('IdentityEmbedding', () => {
  it('returns the query nodes’ memory rows; no weights; the gradient reaches exactly the rows read', () => {
    const before = tf.memory().numTensors;
    const emb = new IdentityEmbedding(3);
    expect(emb.variables).toEqual([]);
    const table = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const args = { queryRows: Int32Array.from([2, 0]), k: 0, neighbourRows: new Int32Array(0) };
    const out = tf.tidy(() => emb.embed(input(table, args)));
    expect(out.shape).toEqual([2, 3]);
    expect(rows(out)).toEqual([[7, 8, 9], [1, 2, 3]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(emb.embed(input(t as Tensor2D, args))))(table);
    // rows 2 and 0 are read once each, row 1 not at all
    expect(rows(g)).toEqual([[1, 1, 1], [0, 0, 0], [1, 1, 1]]);
    tf.dispose([out, g, table]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TimeProjectionEmbedding', () => {
  const TABLE = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  const ARGS = { queryRows: Int32Array.from([2, 0]), queryDt: Float32Array.from([4, 1]), k: 0, neighbourRows: new Int32Array(0) };

  it('computes m ⊙ (1 + W·Δt/scale + b) exactly (2 × 3)', () => {
    const before = tf.memory().numTensors;
    const emb = new TimeProjectionEmbedding(3, 2, new Rng(1));
    const v = named(emb.variables, ['W', 'b']);
    expect([v.W.shape, v.b.shape]).toEqual([[1, 3], [3]]);
    setWeights(v.W, [0.5, -1, 0]);
    setWeights(v.b, [0, 0.5, 1]);
    // Δt/scale = [4/2, 1/2] = [2, 0.5]
    // node 2, m = [7, 8, 9], d = 2:   1 + [1, −2, 0] + [0, 0.5, 1] = [2, −0.5, 2]   → [14, −4, 18]
    // node 0, m = [1, 2, 3], d = 0.5: 1 + [0.25, −0.5, 0] + [0, 0.5, 1] = [1.25, 1, 2] → [1.25, 2, 6]
    const table = tf.tensor2d(TABLE);
    const out = tf.tidy(() => emb.embed(input(table, ARGS)));
    expect(out.shape).toEqual([2, 3]);
    expectRowsClose(rows(out), [[14, -4, 18], [1.25, 2, 6]], 5);
    tf.dispose([out, table]);
    emb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(z) reach W and b', () => {
    const before = tf.memory().numTensors;
    const emb = new TimeProjectionEmbedding(3, 2, new Rng(1));
    const v = named(emb.variables, ['W', 'b']);
    const table = tf.tensor2d(TABLE);
    expect(gradientReport(() => tf.sum(emb.embed(input(table, ARGS))) as tf.Scalar, v)).toEqual(allOk(v));
    table.dispose();
    emb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TemporalAttentionEmbedding', () => {
  const D = Math.SQRT2 * Math.log(3); // a Δt that makes the two scores of query 0 differ by ln 3 after ÷√2
  const TABLE = [[1, 0], [0, 1], [1, 1]];
  // query 0: node 0, two real neighbours (both node 1) at Δt 0 and D
  // query 1: node 2, one real neighbour (node 0) and a padding slot pointing at node 2 (its score would win unmasked)
  // query 2: node 1, padding only
  const ARGS = {
    queryRows: Int32Array.from([0, 2, 1]),
    k: 2,
    neighbourRows: Int32Array.from([1, 1, 0, 2, 2, 2]),
    neighbourMask: Float32Array.from([1, 1, 1, 0, 0, 0]),
    neighbourDt: Float32Array.from([0, D, 0, 0, 0, 0]),
  };

  /** q = x; [key | value] = [m | 2m]; e = [Δt, 0]; root = x with its two entries swapped */
  function handSet(heads: number, dropout = 0): TemporalAttentionEmbedding {
    const config: AttentionConfig = { memoryDim: 2, edgeFeatureDim: 0, heads, outDim: 2, dropout };
    const emb = new TemporalAttentionEmbedding(config, linearTime, new Rng(1));
    const v = named(emb.variables, ATTENTION);
    expect(ATTENTION.map((n) => v[n].shape)).toEqual([[2, 2], [2], [2, 4], [4], [1, 2], [2, 2], [2]]);
    setWeights(v.queryW, [1, 0, 0, 1]);
    setWeights(v.queryB, [0, 0]);
    setWeights(v.keyValueW, [1, 0, 2, 0, /**/ 0, 1, 0, 2]);
    setWeights(v.keyValueB, [0, 0, 0, 0]);
    setWeights(v.edgeW, [1, 0]);
    setWeights(v.rootW, [0, 1, 1, 0]);
    setWeights(v.rootB, [0, 0]);
    return emb;
  }

  it('one head: scaled dot-product softmax over real neighbours, padding masked, plus the root term (3 × 2)', () => {
    const before = tf.memory().numTensors;
    const emb = handSet(1);
    const table = tf.tensor2d(TABLE);
    const out = tf.tidy(() => emb.embed(input(table, ARGS)));
    expect(out.shape).toEqual([3, 2]);
    // query 0: x = q = [1, 0]; keys [0, 1] + [0, 0] and [0, 1] + [D, 0]; scores [0, D]/√2 = [0, ln 3] → α = [1/4, 3/4]
    //          values [0, 2] and [D, 2] → 0.75·[D, 2] + 0.25·[0, 2] = [0.75·D, 2] = [1.165254, 2]; root [0, 1] → [1.165254, 3]
    // query 1: x = q = [1, 1]; real key [1, 0] (score 1/√2), padding key [1, 1] (2/√2) masked → α = [1, 0]
    //          value 2·[1, 0] = [2, 0]; root [1, 1] → [3, 1]
    // query 2: no neighbour → root only: swap([0, 1]) = [1, 0]
    expectRowsClose(rows(out), [[0.75 * D, 3], [3, 1], [1, 0]], 5);
    tf.dispose([out, table]);
    emb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('two heads of width 1 attend separately and are concatenated', () => {
    const before = tf.memory().numTensors;
    const emb = handSet(2);
    const table = tf.tensor2d(TABLE);
    const out = tf.tidy(() => emb.embed(input(table, ARGS)));
    // query 0, head 0: q = 1, keys [0, D], ÷√1 → α = [1 − σ(D), σ(D)], σ(D) = 0.825444; values [0, D] → D·σ(D) = 1.282469
    //          head 1: q = 0 → scores [0, 0] → α = [1/2, 1/2]; values [2, 2] → 2
    //          + root [0, 1] → [1.282469, 3]
    // query 1: α = [1, 0] in both heads → same as one head [3, 1]; query 2: root only [1, 0]
    expectRowsClose(rows(out), [[1.282469, 3], [3, 1], [1, 0]], 5);
    tf.dispose([out, table]);
    emb.dispose();
    expect(() => new TemporalAttentionEmbedding({ memoryDim: 2, edgeFeatureDim: 0, heads: 3, outDim: 2, dropout: 0 }, linearTime, new Rng(1))).toThrow(
      /outDim 2 is not divisible by heads 3/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('dropout acts only when training: each attention weight is dropped or scaled by 1/(1 − p)', () => {
    const before = tf.memory().numTensors;
    const emb = handSet(1, 0.5);
    const table = tf.tensor2d(TABLE);
    const evalOut = tf.tidy(() => emb.embed(input(table, ARGS)));
    expectRowsClose(rows(evalOut), [[0.75 * D, 3], [3, 1], [1, 0]], 5);
    // the masks are drawn per (query, slot, head) in that order: query 1's real slot is draw 2;
    // kept → α = 1·2, value [2, 0] → [4, 0] + root [1, 1] = [5, 1]; dropped → root only [1, 1]. Query 2 stays [1, 0].
    const seen = new Set<string>();
    for (let seed = 0; seed < 8; seed++) {
      const trainOut = tf.tidy(() => emb.embed(input(table, { ...ARGS, training: true, rng: new Rng(seed) })));
      const r = new Rng(seed);
      const draws = Array.from({ length: 6 }, () => r.next());
      const q1 = draws[2]! < 0.5 ? [1, 1] : [5, 1];
      const got = rows(trainOut);
      expectRowsClose([got[1]!, got[2]!], [q1, [1, 0]], 5);
      seen.add(q1.join());
      trainOut.dispose();
    }
    expect(seen.size, 'both outcomes occur over the seeds').toBe(2);
    tf.dispose([evalOut, table]);
    emb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(z) reach all seven weights and the time encoder’s two', () => {
    const before = tf.memory().numTensors;
    const time = new CosineTimeEncoder(2, new Rng(1));
    const emb = new TemporalAttentionEmbedding({ memoryDim: 3, edgeFeatureDim: 1, heads: 2, outDim: 4, dropout: 0 }, time, new Rng(2));
    const v = { ...named(emb.variables, ATTENTION), timeW: time.w, timeB: time.b };
    const table = tf.tensor2d([[0.1, -0.4, 0.3], [0.5, 0.2, -0.1], [-0.3, 0.6, 0.2], [0.4, -0.2, -0.5]]);
    const args = {
      queryRows: Int32Array.from([0, 3]),
      k: 2,
      neighbourRows: Int32Array.from([1, 2, 0, 1]),
      neighbourDt: Float32Array.from([1, 3, 0.5, 2]),
      neighbourEdgeFeatures: Float32Array.from([0.2, -0.7, 0.4, 0.1]),
    };
    expect(gradientReport(() => tf.sum(emb.embed(input(table, args))) as tf.Scalar, v)).toEqual(allOk(v));
    table.dispose();
    emb.dispose();
    time.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TwoLayerAttentionEmbedding', () => {
  /** 1-wide memory and embedding, one head, one neighbour slot: every softmax is over one real slot (α = 1) or none */
  function handSet(): TwoLayerAttentionEmbedding {
    const emb = new TwoLayerAttentionEmbedding({ memoryDim: 1, edgeFeatureDim: 0, heads: 1, outDim: 1, dropout: 0 }, linearTime, new Rng(1));
    const first = named(emb.variables.slice(0, 7), ATTENTION);
    const second = named(emb.variables.slice(7), ATTENTION);
    // layer 1: value = 2m, e = Δt, root = 10x
    for (const [n, w] of [['queryW', [1]], ['queryB', [0]], ['keyValueW', [1, 2]], ['keyValueB', [0, 0]], ['edgeW', [1]], ['rootW', [10]], ['rootB', [0]]] as const) {
      setWeights(first[n], w);
    }
    // layer 2: value = 3h, e = −Δt, root = h + 0.5
    for (const [n, w] of [['queryW', [1]], ['queryB', [0]], ['keyValueW', [1, 3]], ['keyValueB', [0, 0]], ['edgeW', [-1]], ['rootW', [1]], ['rootB', [0.5]]] as const) {
      setWeights(second[n], w);
    }
    return emb;
  }

  it('layer 1 embeds the queries and their neighbours (from hop 2), layer 2 the queries from those (2 × 1)', () => {
    const before = tf.memory().numTensors;
    const emb = handSet();
    expect(emb.variables.length).toBe(14);
    const table = tf.tensor2d([[1], [2], [3]]);
    const args = {
      // query 0: node 0, neighbour node 1 at Δt 4, whose own neighbour is node 2 at Δt 5
      // query 1: node 2, padding only (at both hops)
      queryRows: Int32Array.from([0, 2]),
      k: 1,
      neighbourRows: Int32Array.from([1, 0]),
      neighbourMask: Float32Array.from([1, 0]),
      neighbourDt: Float32Array.from([4, 0]),
      hop2: { rows: Int32Array.from([2, 0]), mask: Float32Array.from([1, 0]), dt: Float32Array.from([5, 0]), edgeFeatures: new Float32Array(0) },
    };
    // layer 1: node 0 (m 1) from node 1 (m 2) at Δt 4: 2·2 + 4 + 10·1 = 18
    //          node 2 (m 3), no neighbour: 10·3 = 30
    //          slot node 1 (m 2) from node 2 (m 3) at Δt 5: 2·3 + 5 + 10·2 = 31
    //          padding slot node 0 (m 1), no neighbour: 10
    // layer 2: query 0: h = 18, neighbour h = 31 at Δt 4: 3·31 − 4 + 18 + 0.5 = 107.5
    //          query 1: h = 30, no neighbour: 30 + 0.5 = 30.5
    const out = tf.tidy(() => emb.embed(input(table, args)));
    expect(out.shape).toEqual([2, 1]);
    expectRowsClose(rows(out), [[107.5], [30.5]], 5);
    expect(() => tf.tidy(() => emb.embed(input(table, { ...args, hop2: undefined })))).toThrow(/no second hop/);
    table.dispose();
    out.dispose();
    emb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients of sum(z) reach all fourteen weights and the shared time encoder’s two', () => {
    const before = tf.memory().numTensors;
    const time = new CosineTimeEncoder(2, new Rng(1));
    const emb = new TwoLayerAttentionEmbedding({ memoryDim: 3, edgeFeatureDim: 1, heads: 2, outDim: 4, dropout: 0 }, time, new Rng(2));
    const v = {
      ...Object.fromEntries(Object.entries(named(emb.variables.slice(0, 7), ATTENTION)).map(([n, x]) => [`layer1.${n}`, x])),
      ...Object.fromEntries(Object.entries(named(emb.variables.slice(7), ATTENTION)).map(([n, x]) => [`layer2.${n}`, x])),
      timeW: time.w,
      timeB: time.b,
    };
    const table = tf.tensor2d([[0.1, -0.4, 0.3], [0.5, 0.2, -0.1], [-0.3, 0.6, 0.2], [0.4, -0.2, -0.5]]);
    const args = {
      queryRows: Int32Array.from([0, 3]),
      k: 2,
      neighbourRows: Int32Array.from([1, 2, 0, 1]),
      neighbourDt: Float32Array.from([1, 3, 0.5, 2]),
      neighbourEdgeFeatures: Float32Array.from([0.2, -0.7, 0.4, 0.1]),
      hop2: {
        rows: Int32Array.from([2, 3, 0, 3, 1, 2, 2, 0]),
        mask: new Float32Array(8).fill(1),
        dt: Float32Array.from([1, 2, 0.5, 4, 1.5, 2.5, 3, 1]),
        edgeFeatures: Float32Array.from([0.3, -0.1, 0.6, -0.5, 0.2, 0.9, -0.4, 0.05]),
      },
    };
    expect(gradientReport(() => tf.sum(emb.embed(input(table, args))) as tf.Scalar, v)).toEqual(allOk(v));
    table.dispose();
    emb.dispose();
    time.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
