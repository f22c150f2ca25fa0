import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpyFloat32, NpyError } from './npy.ts';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('npy', () => {
  it('writes the bytes numpy.save writes for a (3, 2) float32 array (checked against numpy 2.4)', () => {
    const bytes = encodeNpyFloat32(new Float32Array([0, 0, 0.5, 1, 0.25, -1]), [3, 2]);
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }";
    // magic, version 1.0, header length 118 (0x76) little-endian, dict, 58 spaces, newline: 128 bytes in all
    const header = [0x93, ...ascii('NUMPY'), 1, 0, 0x76, 0, ...ascii(dict), ...ascii(' '.repeat(58)), 0x0a];
    expect(header).toHaveLength(128);
    expect(Array.from(bytes.subarray(0, 128))).toEqual(header);
    // values as <f4: 0, 0, 0.5, 1, 0.25, -1
    expect(hex(bytes.subarray(128))).toBe('00000000000000000000003f0000803f0000803e000080bf');
  });

  it('writes 1-d and empty shapes as Python tuples, and pads the header to 64 bytes', () => {
    const one = new TextDecoder().decode(encodeNpyFloat32(new Float32Array(5), [5]).subarray(10, 128));
    expect(one).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(5,\), \} +\n$/);
    const empty = encodeNpyFloat32(new Float32Array(0), [7, 0]);
    expect(empty.length).toBe(128);
    expect(new TextDecoder().decode(empty.subarray(10))).toContain("'shape': (7, 0), }");
  });

  it('rejects a value count that does not match the shape', () => {
    expect(() => encodeNpyFloat32(new Float32Array(5), [3, 2])).toThrow(/expected 6 values for shape \(3, 2\), got 5/);
  });

  it('reads back what it writes, and reads <f8 (DyGLib\'s own files are float64)', () => {
    const values = new Float32Array([1.5, -2, 3.25, 4, 5, 6]);
    const back = decodeNpy(encodeNpyFloat32(values, [2, 3]));
    expect(back.shape).toEqual([2, 3]);
    expect(back.descr).toBe('<f4');
    expect(Array.from(back.data)).toEqual(Array.from(values));

    // a hand-built <f8 file of shape (2,)
    const dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    const pad = 64 - ((10 + dict.length + 1) % 64);
    const head = [0x93, ...ascii('NUMPY'), 1, 0, (dict.length + 1 + pad) & 0xff, 0, ...ascii(dict), ...ascii(' '.repeat(pad)), 0x0a];
    const data = new Uint8Array(new Float64Array([0.5, -7]).buffer);
    const f8 = decodeNpy(Uint8Array.from([...head, ...data]));
    expect(f8.shape).toEqual([2]);
    expect(Array.from(f8.data)).toEqual([0.5, -7]);
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(() => decodeNpy(new TextEncoder().encode('u,i,ts\n1,2,3\n'))).toThrow(NpyError);
    expect(() => decodeNpy(new TextEncoder().encode('u,i,ts\n1,2,3\n'))).toThrow(/not a \.npy file/);
    const truncated = encodeNpyFloat32(new Float32Array(6), [3, 2]).subarray(0, 140);
    expect(() => decodeNpy(truncated)).toThrow(/truncated \.npy file: expected 24 data bytes/);
  });
});
