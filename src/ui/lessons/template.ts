// Lesson text templates: `{key}` / `{key|format}` insert a measured value, `[[term]]` or
// `[[term|shown words]]` link a glossary entry, `**words**` are bold. Pure: unit-tested in Node.
import { formatSpan, type TimeKind } from '../views/format.ts';
import type { Measured, ValueFormat } from './types.ts';

const FORMATS: readonly ValueFormat[] = ['pct', 'pp', 'ap', 'signed-ap', 'int', 'rate', 'ratio', 'span', 'seconds', 'num'];

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const sign = (v: number, text: string): string => (v > 0 ? `+${text}` : v < 0 ? `−${text.replace(/^-/, '')}` : text);

/** One measured value in words. NaN (nothing to measure) is "–". */
export function formatValue(v: number, format: ValueFormat, timeKind: TimeKind = 'plain'): string {
  if (!Number.isFinite(v)) return format === 'span' && Number.isNaN(v) ? 'never' : '–';
  switch (format) {
    case 'pct':
      return `${(100 * v).toFixed(1)} %`;
    case 'pp':
      return `${sign(v, (100 * Math.abs(v)).toFixed(1))} points`;
    case 'ap':
      return v.toFixed(3);
    case 'signed-ap':
      return sign(v, Math.abs(v).toFixed(3));
    case 'int':
      return int.format(v);
    case 'rate':
      return `${int.format(v)} events/s`;
    case 'ratio':
      return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×`;
    case 'span':
      return formatSpan(v, timeKind);
    case 'seconds':
      return v < 10 ? `${v.toFixed(1)} s` : `${v.toFixed(0)} s`;
    case 'num':
      return Math.abs(v) >= 100 ? int.format(v) : String(Number(v.toPrecision(3)));
  }
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(?:\|([a-z-]+))?\}/g;

/** the measured keys a template names */
export function templateKeys(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** the formats a template names that do not exist (for the lesson data test) */
export function unknownFormats(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[2]).filter((f): f is string => f !== undefined && !(FORMATS as readonly string[]).includes(f));
}

/**
 * Fills `{key|format}` from the measured values (default format: num). A key with no value yet (the
 * step has not run) is written `…`; `missing: 'throw'` refuses it instead.
 */
export function fillTemplate(text: string, measured: Measured | null, timeKind: TimeKind = 'plain', missing: 'dots' | 'throw' = 'dots'): string {
  return text.replace(PLACEHOLDER, (_, key: string, format: string | undefined) => {
    const v = measured?.[key];
    if (v === undefined) {
      if (missing === 'throw') throw new Error(`template: no measured value '${key}'`);
      return '…';
    }
    const f = (format ?? 'num') as ValueFormat;
    if (!FORMATS.includes(f)) throw new Error(`template: unknown format '${f}' for '${key}'`);
    return formatValue(v, f, timeKind);
  });
}

export type RichSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong'; readonly text: string }
  | { readonly kind: 'term'; readonly term: string; readonly text: string };

const RICH = /\[\[([^\]|]+)(?:\|([^\]]+))?\]\]|\*\*([^*]+)\*\*/g;

/** Splits filled text into plain, bold and glossary-link segments. */
export function parseRich(text: string): RichSegment[] {
  const out: RichSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(RICH)) {
    const at = m.index;
    if (at > last) out.push({ kind: 'text', text: text.slice(last, at) });
    if (m[3] !== undefined) out.push({ kind: 'strong', text: m[3] });
    else out.push({ kind: 'term', term: m[1]!.trim(), text: (m[2] ?? m[1]!).trim() });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** the glossary terms a text links */
export function linkedTerms(text: string): string[] {
  return parseRich(text).flatMap((s) => (s.kind === 'term' ? [s.term] : []));
}
