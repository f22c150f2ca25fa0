import { describe, expect, it } from 'vitest';
import { csvTextField } from '../../shared/csv.ts';

describe('csvTextField', () => {
  it('prefixes a formula with \' and quotes it, doubling its quotes', () => {
    expect(csvTextField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvTextField('=1+1')).toBe('"\'=1+1"');
    expect(csvTextField('+cmd|\' /C calc\'!A0')).toBe('"\'+cmd|\' /C calc\'!A0"');
    expect(csvTextField('-abc')).toBe('"\'-abc"');
    expect(csvTextField('@SUM(A1:A2)')).toBe('"\'@SUM(A1:A2)"');
    expect(csvTextField('\t=1')).toBe('"\'\t=1"');
    expect(csvTextField('\r=1')).toBe('"\'\r=1"');
    expect(csvTextField('-2+3,x')).toBe('"\'-2+3,x"');
  });

  it('keeps plain numbers, and text that only contains those characters later, as they are', () => {
    for (const n of ['-0.5', '+3', '-7', '-1e-7', '+.5', '-2.', '0', '12']) expect(csvTextField(n)).toBe(n);
    expect(csvTextField('a=b')).toBe('a=b');
    expect(csvTextField('user-1')).toBe('user-1');
    expect(csvTextField(' =1')).toBe(' =1');
    expect(csvTextField('')).toBe('');
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvTextField('a,b')).toBe('"a,b"');
    expect(csvTextField('say "hi"')).toBe('"say ""hi"""');
    expect(csvTextField('two\nlines')).toBe('"two\nlines"');
  });
});
