import { describe, expect, it } from 'vitest';
import { makeEventStream } from './eventStream.ts';
import { DyGLibNegativeSampler, onOriginalEvents } from './negatives.ts';

// original stream: 8 events; a derived stream dropped original events 1 and 3 (training events)
const original = makeEventStream([
  [0, 1, 1], [2, 3, 2], [0, 2, 3], [3, 1, 4], [1, 2, 5], [0, 3, 6], [2, 0, 7], [1, 3, 8],
], 4);
const originalEvent = Int32Array.from([0, 2, 4, 5, 6, 7]);

describe('onOriginalEvents', () => {
  it('draws for derived events [a, b) exactly what the base sampler draws for their original events', () => {
    const base = new DyGLibNegativeSampler(original, 'historical', 3);
    const reference = new DyGLibNegativeSampler(original, 'historical', 3);
    const mapped = onOriginalEvents(base, originalEvent);
    mapped.reset();
    reference.reset();
    // derived events 2..5 are original events 4..7: the history (edges up to t = 5) includes the dropped ones
    const got = mapped.sample(2, 4);
    const want = reference.sample(4, 6);
    expect(Array.from(got.src)).toEqual(Array.from(want.src));
    expect(Array.from(got.dst)).toEqual(Array.from(want.dst));
    // original edges before t = 5 not in the batch's time span [5, 6]: (0,1), (2,3), (0,2), (3,1) — the
    // dropped (2,3) and (3,1) are candidates, as in DyGLib's full-data sampler
    const candidates = new Set(['0,1', '2,3', '0,2', '3,1']);
    for (let i = 0; i < got.src.length; i++) expect(candidates.has(`${got.src[i]},${got.dst[i]}`)).toBe(true);
    expect(mapped.strategy).toBe('historical');
  });

  it('refuses a range that is not contiguous in the original stream', () => {
    const mapped = onOriginalEvents(new DyGLibNegativeSampler(original, 'random', 1), originalEvent);
    expect(() => mapped.sample(0, 3)).toThrow(/not contiguous/);
  });
});
