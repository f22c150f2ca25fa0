// Text-level helpers for the importer's detection sample: number grammar, quote-aware line splitting.
// The byte-level hot path lives in importScan.ts. Pure: no DOM, no Node APIs.

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const PERCENT = 37;
export const COMMA = 44;
export const SEMICOLON = 59;
/** delimiter code for "runs of spaces and tabs" */
export const WHITESPACE = -1;

const NUMBER_GRAMMAR = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Same grammar as parseNumberBytes (importScan.ts), for text (quoted fields, detection sample). NaN when not a number. */
export function parseNumberText(text: string): number {
  const s = text.trim();
  return NUMBER_GRAMMAR.test(s) ? Number(s) : NaN;
}

/** `1,5` and `-0,25`: a number written with a decimal comma (read where the delimiter is ';') */
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/** parseNumberText, and with `decimalComma` also numbers such as `3,5` (one comma, digits on both sides). */
export function parseNumberTextComma(text: string, decimalComma: boolean): number {
  const v = parseNumberText(text);
  if (!decimalComma || !Number.isNaN(v)) return v;
  const s = text.trim();
  return DECIMAL_COMMA.test(s) ? Number(s.replace(',', '.')) : NaN;
}

/** True when the text is a number with a decimal comma (`3,5`). */
export function hasDecimalComma(text: string): boolean {
  return DECIMAL_COMMA.test(text.trim());
}

// ISO-8601 calendar dates and date-times: 2021-01-31, 2021-01-31T12:00, 2021-01-31 12:00:05.250,
// with Z or an offset (+02:00, -0530, +05) or none (taken as UTC, and said so)
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Seconds since 1970-01-01T00:00:00Z of an ISO-8601 date or date-time, and whether it named its offset; null when it is not one. */
export function parseIsoDate(text: string): { readonly seconds: number; readonly hasOffset: boolean } | null {
  const m = ISO_DATE.exec(text.trim());
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear keeps them
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year);
  return { seconds: d.getTime() / 1000 + fraction - offsetMinutes * 60, hasOffset: zone !== undefined };
}

/** True when the text is a finite plain decimal number. */
export function isNumericText(text: string): boolean {
  return Number.isFinite(parseNumberText(text));
}

/** Says why a field is not a usable number: 'empty', 'not finite' (inf/nan/overflow) or 'not a number'. */
export function describeBadNumber(text: string): 'empty' | 'not finite' | 'not a number' {
  const s = text.trim();
  if (s === '') return 'empty';
  if (/^[+-]?(inf|infinity|nan)$/i.test(s) || NUMBER_GRAMMAR.test(s)) return 'not finite';
  return 'not a number';
}

function isDelim(c: number, delim: number): boolean {
  return delim === WHITESPACE ? c === SPACE || c === TAB : c === delim;
}

/** Splits one line (no newline) into trimmed, unquoted fields. Only for the detection sample, not the hot path. */
export function splitLine(text: string, delim: number): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  if (delim === WHITESPACE) {
    while (i < n && isDelim(text.charCodeAt(i), delim)) i++;
    if (i >= n) return out;
  }
  for (;;) {
    let k = i;
    while (k < n && text.charCodeAt(k) === SPACE) k++;
    let j: number;
    if (k < n && text.charCodeAt(k) === QUOTE) {
      let field = '';
      let m = k + 1;
      for (;;) {
        const qi = text.indexOf('"', m);
        if (qi < 0) {
          field += text.slice(m);
          m = n;
          break;
        }
        if (text.charCodeAt(qi + 1) === QUOTE) {
          field += text.slice(m, qi) + '"';
          m = qi + 2;
        } else {
          field += text.slice(m, qi);
          m = qi + 1;
          break;
        }
      }
      j = m;
      while (j < n && !isDelim(text.charCodeAt(j), delim)) j++;
      out.push(field);
    } else {
      j = i;
      while (j < n && !isDelim(text.charCodeAt(j), delim)) j++;
      out.push(text.slice(i, j).trim());
    }
    if (j >= n) break;
    if (delim === WHITESPACE) {
      i = j;
      while (i < n && isDelim(text.charCodeAt(i), delim)) i++;
      if (i >= n) break;
    } else {
      i = j + 1;
    }
  }
  return out;
}
