import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { cliFixText, loadStream } from './load.ts';

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

  it('says the layout fix in flags', () => {
    expect(cliFixText({ kind: 'layout', tried: ',', detected: true, suggested: null })).toBe('; if that is wrong, pass --delimiter, --columns or --header, otherwise fix the file');
    expect(cliFixText({ kind: 'delimiter', tried: ',', detected: true, suggested: null })).toBe('; if the file uses another separator, pass --delimiter comma, tab, semicolon or whitespace');
    expect(cliFixText(null)).toBe('');
  });
});
