// The generated streams of the scale benchmarks (bench/scale.ts in Node, bench/browser.ts in the page).
import { eventsToCsv, generateEvents, GENERATOR_PRESETS } from '../src/engine/data/generator.ts';

/** CSV bytes of a seeded stream of `n` events among about n/13 nodes (users n/20, items n/40), spread over 90 days */
export function scaledCsv(n: number): Uint8Array {
  const ev = generateEvents({
    ...GENERATOR_PRESETS.medium, numUsers: Math.round(n / 20), numItems: Math.round(n / 40), numCommunities: 50,
    numEvents: n, durationSeconds: 90 * 86_400,
  }, 7);
  return new TextEncoder().encode(eventsToCsv(ev));
}
