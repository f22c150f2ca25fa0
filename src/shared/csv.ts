// Writing CSV: one text field, shared by every CSV the app and the CLI write (the page's view exports, the
// DyGLib/TGL node id maps). Pure (no DOM), so the engine and the UI use the same rule.

/** a plain decimal number ("-0.5", "+3", "1e-7", ".5"), which a spreadsheet reads as a number, not a formula */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** first characters a spreadsheet takes as the start of a formula (OWASP "CSV injection") */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV text field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A field a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage return,
 * and is not a plain number such as -0.5) gets a leading ' and is always quoted, so Excel, LibreOffice and
 * Google Sheets show it as text: `=HYPERLINK("x")` → `"'=HYPERLINK(""x"")"`, `-abc` → `"'-abc"`.
 */
export function csvTextField(s: string): string {
  if (FORMULA_START.test(s) && !NUMBER.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
