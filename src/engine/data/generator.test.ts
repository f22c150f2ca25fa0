import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng.ts';
import { GENERATOR_PRESETS, generateEvents, generateStream, type GeneratorConfig } from './generator.ts';

function parse(csv: string) {
  const lines = csv.trimEnd().split('\n');
  const header = lines.shift();
  const rows = lines.map((l) => l.split(',').map(Number) as [number, number, number, number]);
  return { header, rows };
}

/** fraction of events whose (src, dst) pair already occurred earlier in the stream */
function repeatFraction(src: ArrayLike<number>, dst: ArrayLike<number>): number {
  const seen = new Set<number>();
  let repeats = 0;
  for (let i = 0; i < src.length; i++) {
    const key = src[i]! * 1_000_003 + dst[i]!;
    if (seen.has(key)) repeats++;
    seen.add(key);
  }
  return repeats / src.length;
}

describe('generateStream', () => {
  const small: GeneratorConfig = GENERATOR_PRESETS.small;

  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateStream(small, 7);
    expect(generateStream(small, 7)).toBe(a);
    expect(generateStream(small, 8)).not.toBe(a);
  });

  it('writes a header and exactly numEvents rows with non-decreasing whole-second times', () => {
    const { header, rows } = parse(generateStream(small, 1));
    expect(header).toBe('src,dst,t,feat');
    expect(rows.length).toBe(small.numEvents);
    for (let i = 0; i < rows.length; i++) {
      const [s, d, t, f] = rows[i]!;
      expect(Number.isInteger(t) && t >= 0, `row ${i}: t=${t}`).toBe(true);
      if (i > 0) expect(t, `row ${i} goes back in time`).toBeGreaterThanOrEqual(rows[i - 1]![2]);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(small.numUsers);
      expect(d).toBeGreaterThanOrEqual(small.numUsers);
      expect(d).toBeLessThan(small.numUsers + small.numItems);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(1);
    }
  });

  it('uses most of the nodes of each preset, and reports the node count it emits', () => {
    for (const cfg of Object.values(GENERATOR_PRESETS)) {
      const ev = generateEvents(cfg, 3);
      expect(ev.numEvents).toBe(cfg.numEvents);
      const ids = new Set([...ev.src, ...ev.dst]);
      expect(ev.numNodes).toBe(ids.size);
      expect(ev.numNodes).toBeLessThanOrEqual(cfg.numUsers + cfg.numItems);
      expect(ev.numNodes).toBeGreaterThan(0.6 * (cfg.numUsers + cfg.numItems));
    }
  });

  it('has nodes that first appear late in the stream (inductive nodes)', () => {
    const ev = generateEvents(small, 5);
    const firstSeen = new Map<number, number>();
    for (let i = 0; i < ev.numEvents; i++) {
      for (const v of [ev.src[i]!, ev.dst[i]!]) if (!firstSeen.has(v)) firstSeen.set(v, i);
    }
    const late = [...firstSeen.values()].filter((i) => i > 0.7 * ev.numEvents).length;
    expect(late).toBeGreaterThan(5);
  });

  it('has learnable structure: repeated (src, dst) pairs far above a shuffled-destination baseline', () => {
    const ev = generateEvents(small, 11);
    const repeat = repeatFraction(ev.src, ev.dst);
    // same destination marginals, structure broken: Fisher–Yates shuffle of dst
    const shuffled = Int32Array.from(ev.dst);
    const rng = new Rng(99);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const baseline = repeatFraction(ev.src, shuffled);
    expect(repeat).toBeGreaterThan(0.5);
    expect(repeat).toBeGreaterThan(2 * baseline);
  });

  it('rejects an invalid config with a message naming the field', () => {
    expect(() => generateEvents({ ...small, numItems: 0 }, 1)).toThrow(/numItems/);
    expect(() => generateEvents({ ...small, driftProbability: 2 }, 1)).toThrow(/driftProbability/);
  });
});
