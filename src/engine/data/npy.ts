// NumPy .npy files (format version 1.0 written; 1.0, 2.0 and 3.0 read), pure TS over Uint8Array.
// The writer produces the same bytes as `numpy.save` (numpy >= 1.24) for a C-ordered little-endian
// float32 array: magic, version, header length, the header dict with sorted keys, spare spaces so the
// first axis can grow in place, padding to a multiple of 64 bytes, then the raw values.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64;
/** numpy leaves room for a first axis of up to 21 digits in the header (GROWTH_AXIS_MAX_DIGITS) */
const GROWTH_AXIS_MAX_DIGITS = 21;

/** Python's repr of a shape tuple: (), (5,), (3, 2) */
function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** The .npy header (magic through the final newline) for a C-ordered array of `descr` and `shape`. */
export function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  for (const n of shape) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`npy: shape entries must be non-negative integers, got (${shape.join(', ')})`);
  }
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const hlen = dict.length + 1; // + '\n'
  const padlen = ARRAY_ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ARRAY_ALIGN);
  const total = MAGIC.length + 2 + 2 + hlen + padlen;
  if (total - 10 > 0xffff) throw new Error(`npy: header of ${total - 10} bytes does not fit format 1.0`);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = (total - 10) & 0xff;
  out[9] = (total - 10) >> 8;
  let p = 10;
  for (let i = 0; i < dict.length; i++) out[p++] = dict.charCodeAt(i);
  for (let i = 0; i < padlen; i++) out[p++] = 0x20;
  out[p] = 0x0a;
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `numpy.save` of a C-ordered float32 array (descr '<f4'): values.length must equal the product of shape. */
export function encodeNpyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw new Error(`npy: expected ${count} values for shape (${shape.join(', ')}), got ${values.length}`);
  }
  const header = npyHeader('<f4', shape);
  const out = new Uint8Array(header.length + count * 4);
  out.set(header, 0);
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, count * 4), header.length);
  } else {
    const view = new DataView(out.buffer, out.byteOffset + header.length, count * 4);
    for (let i = 0; i < count; i++) view.setFloat32(i * 4, values[i]!, true);
  }
  return out;
}

export interface NpyArray {
  readonly descr: string;
  readonly shape: readonly number[];
  /** the values converted to float32, C order */
  readonly data: Float32Array;
}

export class NpyError extends Error {
  override readonly name = 'NpyError';
}

/** Reads a .npy file of a numeric dtype (f2 excluded) in C order, converting the values to float32. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new NpyError('not a .npy file (the first bytes are not \\x93NUMPY)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLen: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new NpyError(`unsupported .npy format version ${String(major)}.${String(bytes[7])}; expected 1.0, 2.0 or 3.0`);
  }
  if (headerStart + headerLen > bytes.length) throw new NpyError('truncated .npy file: the header runs past the end');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(`cannot read the .npy header ${JSON.stringify(header.trim())}`);
  }
  if (fortran === 'True') throw new NpyError('Fortran-ordered .npy arrays are not supported; save with numpy.ascontiguousarray first');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new NpyError(`bad shape (${shapeText}) in the .npy header`);
  const count = shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (m === null) throw new NpyError(`unsupported .npy dtype '${descr}'; expected a numeric one such as <f4 or <f8`);
  const [, order, kind, sizeText] = m as unknown as [string, string, string, string];
  const size = Number(sizeText);
  const little = order !== '>';
  const start = headerStart + headerLen;
  if (bytes.length - start < count * size) {
    throw new NpyError(`truncated .npy file: expected ${count * size} data bytes for shape (${shape.join(', ')}) ${descr}, got ${bytes.length - start}`);
  }
  const read = reader(view, kind, size, little, descr);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = read(start + i * size);
  return { descr, shape, data };
}

function reader(view: DataView, kind: string, size: number, little: boolean, descr: string): (offset: number) => number {
  if (kind === 'f' && size === 4) return (o) => view.getFloat32(o, little);
  if (kind === 'f' && size === 8) return (o) => view.getFloat64(o, little);
  if (kind === 'i' && size === 1) return (o) => view.getInt8(o);
  if (kind === 'i' && size === 2) return (o) => view.getInt16(o, little);
  if (kind === 'i' && size === 4) return (o) => view.getInt32(o, little);
  if (kind === 'i' && size === 8) return (o) => Number(view.getBigInt64(o, little));
  if ((kind === 'u' || kind === 'b') && size === 1) return (o) => view.getUint8(o);
  if (kind === 'u' && size === 2) return (o) => view.getUint16(o, little);
  if (kind === 'u' && size === 4) return (o) => view.getUint32(o, little);
  if (kind === 'u' && size === 8) return (o) => Number(view.getBigUint64(o, little));
  throw new NpyError(`unsupported .npy dtype '${descr}'; expected a numeric one such as <f4 or <f8`);
}
