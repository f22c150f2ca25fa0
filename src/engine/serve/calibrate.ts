import type { LinearCost, ServeCosts } from '../../shared/serving.ts';
import { embedNodes, scoreCached, scorePairs, servingCopy, type QueryPairs, type ServingBase } from './modes.ts';

/** the two sizes each operation is timed at; the cost is the line through them */
const SMALL = 1;
const LARGE = 32;

/** runs `work` once untimed, then `repeats` times timed: the median (ms) */
async function medianMs(repeats: number, work: (i: number) => Promise<void>): Promise<number> {
  await work(repeats);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = globalThis.performance.now();
    await work(i);
    times.push(globalThis.performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const line = (small: number, large: number): LinearCost => {
  const perItemMs = Math.max(0, (large - small) / (LARGE - SMALL));
  return { fixedMs: Math.max(0, small - perItemMs * SMALL), perItemMs };
};

/**
 * The virtual clock's costs, measured on this model here: each serving operation timed (median of
 * `repeats`, after one warm-up round) at 1 and 32 items, and the line through the two. bench/serve.ts
 * prints it; DEFAULT_SERVE_COSTS is one such measurement.
 */
export async function calibrateCosts(base: ServingBase, repeats = 11): Promise<ServeCosts> {
  const { stream } = base.model;
  const feed = stream.numEvents - base.feedFrom;
  if (feed < (repeats + 1) * (SMALL + LARGE)) throw new Error(`calibrateCosts: the feed has ${feed} events; it needs ${(repeats + 1) * (SMALL + LARGE)}`);
  const model = servingCopy(base);
  const pairsOf = (from: number, n: number): QueryPairs => {
    const e = Int32Array.from({ length: n }, (_, i) => base.feedFrom + from + i);
    return { src: e.map((x) => stream.src[x]!), dst: e.map((x) => stream.dst[x]!), t: Float64Array.from(e, (x) => stream.t[x]!), neg: e.map((x) => stream.dst[(x * 7919) % stream.numEvents]!) };
  };
  let at = 0;
  const advance = async (n: number): Promise<number> => medianMs(repeats, async () => {
    await model.advance(base.feedFrom + at, base.feedFrom + at + n);
    at += n;
  });
  const advanceCost = line(await advance(SMALL), await advance(LARGE));
  const nodesOf = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i % stream.numNodes);
  const t = stream.t[base.feedFrom + at]!;
  const embed = async (n: number): Promise<number> => medianMs(repeats, async () => {
    await embedNodes(model, nodesOf(n), t);
  });
  const embedCost = line(await embed(SMALL), await embed(LARGE));
  const query = async (n: number): Promise<number> => medianMs(repeats, async (i) => {
    await scorePairs(model, pairsOf(at + i, n));
  });
  const queryCost = line(await query(SMALL), await query(LARGE));
  // the decoder's time does not depend on the cached values
  const cache = new Float32Array(stream.numNodes * base.model.modules.embedding.outDim);
  const cached = async (n: number): Promise<number> => medianMs(repeats, async () => {
    await scoreCached(model, cache, pairsOf(at, n));
  });
  const cachedCost = line(await cached(SMALL), await cached(LARGE));
  return { advance: advanceCost, embed: embedCost, query: queryCost, cached: cachedCost };
}
