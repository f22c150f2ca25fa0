import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { cliFixText, importFile, loadStream } from './load.ts';
import { IMPORT_CHUNK_BYTES, importEventStream } from '../engine/data/import.ts';

describe('import errors in the CLI', () => {
  it('a ragged comma file: the message names the delimiter tried and the --delimiter that fixes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-load-'));
    try {
      const file = join(dir, 'ragged.csv');
      writeFileSync(file, 'src,dst,t,note\n0,7,100,late, but fine\n1,8,101,good trade\n2,9,102,ok thanks\n3,7,103,good trade\n');
      expect(() => loadStream(parseArgs(['stats', '--data', file]))).toThrow(
        'found only 2 columns with delimiter whitespace (detected); an event needs at least src, dst and t columns; ' +
          'with comma most lines have 3 or more columns: pass --delimiter comma',
      );
      expect(loadStream(parseArgs(['stats', '--data', file, '--delimiter', 'comma'])).stream.numEvents).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says the importer's 'pass columns' as the flag --columns, in errors and in warnings", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-load-'));
    try {
      const noTime = join(dir, 'no-time.csv');
      writeFileSync(noTime, 'a,b,c\nx,y,z\ny,z,x\nz,x,y\n');
      expect(() => loadStream(parseArgs(['stats', '--data', noTime]))).toThrow(/; pass --columns, e\.g\. 'src,dst,t'/);
      const note = join(dir, 'note.csv');
      writeFileSync(note, 'a,b,c,note\n1,2,5,x\n2,3,6,y\n');
      const { report } = loadStream(parseArgs(['stats', '--data', note]));
      expect(report.issues.map((i) => i.message).join(' ')).toMatch(/\(pass --columns to map it\)/);
      expect(report.issues.map((i) => i.message).join(' ')).not.toMatch(/pass columns/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says the layout fix in flags', () => {
    expect(cliFixText({ kind: 'layout', tried: ',', detected: true, suggested: null })).toBe('; if that is wrong, pass --delimiter, --columns or --header, otherwise fix the file');
    expect(cliFixText({ kind: 'delimiter', tried: ',', detected: true, suggested: null })).toBe('; if the file uses another separator, pass --delimiter comma, tab, semicolon or whitespace');
    expect(cliFixText(null)).toBe('');
  });

  it('reads a file of several chunks as importEventStream reads its bytes whole (rows across chunk ends included)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgnn-load-'));
    try {
      const file = join(dir, 'big.csv');
      const rows: string[] = ['src,dst,t'];
      let bytes = 10;
      for (let i = 0; bytes < 2.5 * IMPORT_CHUNK_BYTES; i++) {
        const row = i % 1000 === 7 ? `"id ${i % 13}",${i % 101},${i}` : `${i % 97},${i % 101},${i}`;
        rows.push(row);
        bytes += row.length + 1;
      }
      const text = rows.join('\n') + '\n';
      writeFileSync(file, text);
      const whole = importEventStream(text);
      const read = importFile(file, {});
      expect(read.stream.numEvents).toBe(rows.length - 1);
      const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i]);
      expect(same(read.stream.src, whole.stream.src) && same(read.stream.dst, whole.stream.dst) && same(read.stream.t, whole.stream.t)).toBe(true);
      expect(same(read.stream.sourceLine, whole.stream.sourceLine)).toBe(true);
      expect(read.stream.rawNodeIds).toEqual(whole.stream.rawNodeIds);
      expect({ ...read.report, parseMs: 0 }).toEqual({ ...whole.report, parseMs: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
