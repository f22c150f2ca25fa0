import { describe, expect, it } from 'vitest';
import { MAX_TOTAL_BYTES, MAX_UPLOAD_BYTES, planKeep, UPLOAD_NAME, uploadKey, type KeptUpload } from './uploads.ts';

const MB = 1024 * 1024;
const kept = (key: string, size: number, savedAt: number): KeptUpload => ({ key: `upload:${key.padStart(16, '0')}`, name: `${key}.csv`, size, savedAt });

describe('uploads kept for a reload', () => {
  it('a fingerprint names the bytes, not the file name, and fits the link', async () => {
    const a = await uploadKey(new File(['src,dst,t\n1,2,3\n'], 'a.csv'));
    const b = await uploadKey(new File(['src,dst,t\n1,2,3\n'], 'renamed.csv'));
    const c = await uploadKey(new File(['src,dst,t\n1,2,4\n'], 'a.csv'));
    expect(a).toMatch(UPLOAD_NAME);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    // a change in the middle of a big file shows in its size or its edges only when they change: same size, same edges, same key
    const big = (mid: string) => new File(['x'.repeat(2 * MB), mid, 'y'.repeat(2 * MB)], 'big.csv');
    expect(await uploadKey(big('1'))).toBe(await uploadKey(big('2')));
    expect(await uploadKey(big('12'))).not.toBe(await uploadKey(big('1')));
  });

  it('over the per-file limit: not kept, saying why', () => {
    expect(MAX_UPLOAD_BYTES).toBe(100 * MB);
    expect(planKeep([], 'upload:0000000000000001', 'huge.csv', MAX_UPLOAD_BYTES + 1)).toEqual({
      keep: false, reason: 'huge.csv is 100.0 MB, over the 100.0 MB this page keeps for a reload',
    });
  });

  it('past the total: the oldest are forgotten first, just enough to fit; the same key again replaces itself', () => {
    expect(MAX_TOTAL_BYTES).toBe(300 * MB);
    // newest first: c (100 MB), b (100 MB), a (90 MB) = 290 MB kept
    const existing = [kept('c', 100 * MB, 3), kept('b', 100 * MB, 2), kept('a', 90 * MB, 1)];
    expect(planKeep(existing, 'upload:000000000000000d', 'd.csv', 5 * MB)).toEqual({ keep: true, forget: [] });
    expect(planKeep(existing, 'upload:000000000000000d', 'd.csv', 50 * MB)).toEqual({ keep: true, forget: [existing[2]] });
    // exactly 300 MB fits
    expect(planKeep(existing, 'upload:000000000000000d', 'd.csv', 100 * MB)).toEqual({ keep: true, forget: [existing[2]] });
    // two small old ones make room for one new 100 MB file: 40 + 50 + 100 + 100 + 100 = 390 → 300
    const small = [kept('d', 100 * MB, 4), kept('c', 100 * MB, 3), kept('b', 50 * MB, 2), kept('a', 40 * MB, 1)];
    expect(planKeep(small, 'upload:000000000000000e', 'e.csv', 100 * MB)).toEqual({ keep: true, forget: [small[3], small[2]] });
    // c kept again at 100 MB: it does not count twice
    expect(planKeep(existing, existing[0]!.key, 'c.csv', 100 * MB)).toEqual({ keep: true, forget: [] });
  });
});
