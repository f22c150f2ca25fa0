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
