// Import speed: CollegeMsg repeated 20× as `src,dst,t` CSV in memory (~23 MB, as in
// ../shared/reference/import-speed.md) plus the real files. Second run timed. Prints numbers, asserts nothing.
// Run: npx tsx bench/parse.ts
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importEventStream } from '../src/engine/data/import.ts';

const datasets = fileURLToPath(new URL('../../shared/datasets/', import.meta.url));

function read(rel: string): Uint8Array {
  const buf = readFileSync(datasets + rel);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** CollegeMsg as CSV, repeated `times` times; with `shiftTime` each copy is moved past the previous one (sorted). */
function repeatedCollegeMsg(times: number, shiftTime: boolean): string {
  const rows = new TextDecoder().decode(read('collegemsg/CollegeMsg.txt')).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const span = rows[rows.length - 1]![2]! - rows[0]![2]! + 1;
  const parts: string[] = [];
  for (let k = 0; k < times; k++) {
    const shift = shiftTime ? k * span : 0;
    parts.push(rows.map((r) => `${r[0]},${r[1]},${r[2]! + shift}`).join('\n'));
  }
  return parts.join('\n') + '\n';
}

interface Row { name: string; input: string; mb: number; events: number; ms: number; mbPerSec: number }

function time(name: string, inputKind: string, input: Uint8Array | string, bytes: number): Row {
  importEventStream(input); // first run: JIT warm-up
  const t0 = performance.now();
  const { stream } = importEventStream(input);
  const ms = performance.now() - t0;
  return { name, input: inputKind, mb: bytes / 1e6, events: stream.numEvents, ms, mbPerSec: bytes / 1e6 / (ms / 1000) };
}

const rows: Row[] = [];
const enc = new TextEncoder();
const big = repeatedCollegeMsg(20, true);
const bigBytes = enc.encode(big);
rows.push(time('CollegeMsg ×20 src,dst,t (sorted)', 'Uint8Array', bigBytes, bigBytes.length));
rows.push(time('CollegeMsg ×20 src,dst,t (sorted)', 'string', big, bigBytes.length));
const unsorted = enc.encode(repeatedCollegeMsg(20, false));
rows.push(time('CollegeMsg ×20 src,dst,t (unsorted: sort on import)', 'Uint8Array', unsorted, unsorted.length));
for (const rel of ['collegemsg/CollegeMsg.txt', 'bitcoin-otc/soc-sign-bitcoinotc.csv', 'collegemsg/ml_UCI-Msg.csv']) {
  const b = read(rel);
  rows.push(time(rel, 'Uint8Array', b, b.length));
  rows.push(time(rel, 'string', new TextDecoder().decode(b), b.length));
}

console.log(`Node ${process.version}; second of two runs timed\n`);
console.log('| input | type | MB | events | ms | MB/s |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.input} | ${r.mb.toFixed(2)} | ${r.events.toLocaleString('en-US')} | ${r.ms.toFixed(1)} | ${r.mbPerSec.toFixed(1)} |`);
}
