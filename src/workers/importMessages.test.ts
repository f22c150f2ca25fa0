import { describe, expect, it } from 'vitest';
import { ImportError, importEventStream } from '../engine/data/import.ts';
import { pageFixText, pageImportMessage, pageImportReport } from './importMessages.ts';

function importError(text: string, options?: Parameters<typeof importEventStream>[1]): ImportError {
  try {
    importEventStream(text, options);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('import errors in the page', () => {
  it('a ragged comma file: names the delimiter tried and the Dataset panel control that fixes it', () => {
    const ragged = 'src,dst,t,note\n0,7,100,late, but fine\n1,8,101,good trade\n2,9,102,ok thanks\n3,7,103,good trade\n';
    expect(pageImportMessage(importError(ragged))).toBe(
      'found only 2 columns with delimiter whitespace (detected); an event needs at least src, dst and t columns. ' +
        'With comma, most lines have 3 or more columns: choose Delimiter: comma in the Dataset panel.',
    );
  });

  it('says every fix in the page\'s controls, never a CLI flag or option name', () => {
    const texts = [
      pageFixText({ kind: 'delimiter', tried: 'whitespace', detected: true, suggested: ';' }),
      pageFixText({ kind: 'delimiter', tried: ',', detected: true, suggested: null }),
      pageFixText({ kind: 'layout', tried: ',', detected: true, suggested: '\t' }),
      pageFixText({ kind: 'layout', tried: ',', detected: false, suggested: null }),
    ];
    expect(texts).toEqual([
      'With semicolon, most lines have 3 or more columns: choose Delimiter: semicolon in the Dataset panel.',
      'If the file uses another separator, choose it under Delimiter in the Dataset panel.',
      'If that is wrong, choose Delimiter: tab in the Dataset panel; otherwise fix the file.',
      'If the delimiter is wrong, choose another under Delimiter in the Dataset panel; otherwise fix the file.',
    ]);
    for (const t of texts) expect(t).not.toMatch(/--|pass /);
  });

  it('says the importer\'s hints about roles in terms of the Column roles table', () => {
    // a text column the importer ignores, and a time column it has to guess
    const { report } = importEventStream('a,b,c,note\n1,2,5,x\n2,3,6,y\n');
    const page = pageImportReport(report);
    expect(report.issues.map((i) => i.message).join(' ')).toMatch(/pass columns/);
    expect(page.issues.map((i) => i.message)).toEqual(report.issues.map((i) => i.message
      .replace('(pass columns to map it)', '(give it a role under Column roles to use it)')
      .replace("; if wrong, pass columns (e.g. 'src,dst,t')", '; if that is wrong, change it under Column roles')));
    for (const i of page.issues) expect(i.message).not.toMatch(/pass columns/);
    const chosen = pageImportReport(importEventStream('1,2,5\n2,3,6\n', { columns: 'src,dst,t' }).report);
    expect(chosen.timeColumnReason).toBe('as set under Column roles (column 3)');
  });

  it('a file with no usable time column: the fix is in the file, not in a control the page does not show yet', () => {
    const e = new ImportError("could not find a numeric time column among 3 columns (delimiter ','); pass columns, e.g. 'src,dst,t'");
    expect(pageImportMessage(e)).toBe(
      "could not find a numeric time column among 3 columns (delimiter ','); give the file a header row naming its columns (for example src,dst,t), then upload it again",
    );
  });

  it('leaves a message without a fix as it is', () => {
    expect(pageImportMessage({ message: 'the file is empty; expected rows like src,dst,t', fix: null })).toBe('the file is empty; expected rows like src,dst,t');
  });
});
