import { describe, expect, it } from 'vitest';
import { splitLessonHash, withLesson } from './hash.ts';
import { lessonSizes, resolveSettings } from './sizes.ts';
import { fillTemplate, formatValue, linkedTerms, parseRich, templateKeys } from './template.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';

describe('lesson templates', () => {
  it('formats measured values', () => {
    expect(formatValue(0.1234, 'pct')).toBe('12.3 %');
    expect(formatValue(0.021, 'pp')).toBe('+2.1 points');
    expect(formatValue(-0.021, 'pp')).toBe('−2.1 points');
    expect(formatValue(0.81234, 'ap')).toBe('0.812');
    expect(formatValue(-0.0456, 'signed-ap')).toBe('−0.046');
    expect(formatValue(0.0456, 'signed-ap')).toBe('+0.046');
    expect(formatValue(0, 'signed-ap')).toBe('0.000');
    expect(formatValue(12345.6, 'int')).toBe('12,346');
    expect(formatValue(4321.2, 'rate')).toBe('4,321 events/s');
    expect(formatValue(2.345, 'ratio')).toBe('2.3×');
    expect(formatValue(23.4, 'ratio')).toBe('23×');
    expect(formatValue(5400, 'span', 'unix-seconds')).toBe('1.5 h');
    expect(formatValue(120, 'span', 'plain')).toBe('120 t');
    expect(formatValue(NaN, 'span')).toBe('never');
    expect(formatValue(NaN, 'pct')).toBe('–');
    expect(formatValue(Infinity, 'ratio')).toBe('–');
    expect(formatValue(7.25, 'seconds')).toBe('7.3 s');
    expect(formatValue(42.4, 'seconds')).toBe('42 s');
  });

  it('fills {key|format}, writes … for a value not measured yet, and refuses unknown formats', () => {
    expect(fillTemplate('AP fell from {ap1|ap} to {ap2|ap} at B = {batch2|int}', { ap1: 0.9, ap2: 0.7512, batch2: 2000 })).toBe(
      'AP fell from 0.900 to 0.751 at B = 2,000',
    );
    expect(fillTemplate('B = {batch}', { batch: 50 })).toBe('B = 50');
    expect(fillTemplate('{x|pct}', null)).toBe('…');
    expect(() => fillTemplate('{x|pct}', {}, 'plain', 'throw')).toThrow(/no measured value 'x'/);
    expect(() => fillTemplate('{x|bogus}', { x: 1 })).toThrow(/unknown format 'bogus'/);
    expect(templateKeys('{a} and {b|pct} but not {1}')).toEqual(['a', 'b']);
  });

  it('splits text into plain, bold and glossary links', () => {
    expect(parseRich('a [[stale event]] and **bold** [[mails|a mail]].')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'term', term: 'stale event', text: 'stale event' },
      { kind: 'text', text: ' and ' },
      { kind: 'strong', text: 'bold' },
      { kind: 'text', text: ' ' },
      { kind: 'term', term: 'mails', text: 'a mail' },
      { kind: 'text', text: '.' },
    ]);
    expect(linkedTerms('[[AP]] [[memory age|age]]')).toEqual(['AP', 'memory age']);
  });
});

describe('lesson hash', () => {
  it('takes lesson=NAME out of the hash and puts it back', () => {
    expect(splitLessonHash('#batchSize=50&lesson=staleness&seed=2')).toEqual({ lesson: 'staleness', rest: '#batchSize=50&seed=2' });
    expect(splitLessonHash('lesson=a%20b')).toEqual({ lesson: 'a b', rest: '#' });
    expect(splitLessonHash('#seed=1')).toEqual({ lesson: null, rest: '#seed=1' });
    expect(withLesson('#seed=1', 'fixes')).toBe('#seed=1&lesson=fixes');
    expect(withLesson('#', 'fixes')).toBe('#lesson=fixes');
    expect(withLesson('#seed=1', null)).toBe('#seed=1');
  });
});

describe('lesson sizes', () => {
  it("picks 'small' ≈ train/200 in 50…200 and 'large' leaving ten batches, at most 2000", () => {
    // synthetic-small: 2,100 training events; synthetic-medium: 8,400; a 30,000-event stream: 21,000
    expect(lessonSizes(2100)).toEqual({ small: 50, large: 200 });
    expect(lessonSizes(8400)).toEqual({ small: 50, large: 750 });
    expect(lessonSizes(21000)).toEqual({ small: 100, large: 2000 });
    expect(lessonSizes(100000)).toEqual({ small: 200, large: 2000 });
    const s = resolveSettings(DEFAULT_SETTINGS, [{ batchSize: 'large', exact: true }, { evalBatchSize: 'small' }, undefined], { small: 100, large: 2000 });
    expect(s).toEqual({ ...DEFAULT_SETTINGS, batchSize: 2000, exact: true, evalBatchSize: 100 });
  });
});
