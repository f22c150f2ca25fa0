import { type EventStream, makeEventStream } from './data/eventStream.ts';
import { TGN_DEFAULTS, type TgnConfig } from '../shared/presets.ts';
import { Rng } from './util/rng.ts';

/** A small TGN for tests: same wiring as the default, tiny sizes. */
export const TINY_TGN: TgnConfig = { ...TGN_DEFAULTS, memoryDim: 6, timeDim: 4, embeddingDim: 4, neighbours: 3, heads: 2 };

/** A seeded random stream with repeated pairs (so there is something to learn). */
export function randomStream(numEvents: number, numNodes: number, seed: number, edgeFeatureDim = 0): EventStream {
  const rng = new Rng(seed);
  const events: [number, number, number, ...number[]][] = [];
  let t = 1000;
  for (let i = 0; i < numEvents; i++) {
    t += rng.int(5);
    const u = rng.int(numNodes);
    const v = rng.next() < 0.5 && i > 0 ? events[rng.int(i)]![1] : rng.int(numNodes);
    const f = Array.from({ length: edgeFeatureDim }, () => rng.uniform(-1, 1));
    events.push([u, v, t, ...f]);
  }
  return makeEventStream(events, numNodes);
}
