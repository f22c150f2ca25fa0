// Import errors as the page says them: the importer's message, then its fix in the page's own controls
// (the CLI says the same fix in its flags, cli/load.ts cliFixText).
import type { ImportError, ImportFix } from '../engine/data/import.ts';
import type { ImportIssue, ImportReport } from '../shared/data.ts';

const DELIMITER_WORDS: Readonly<Record<ImportFix['tried'], string>> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', whitespace: 'whitespace' };

/** The fix as a sentence about the Dataset panel's controls ('' when none). */
export function pageFixText(fix: ImportFix | null): string {
  if (!fix) return '';
  const suggested = fix.suggested === null ? null : DELIMITER_WORDS[fix.suggested];
  if (fix.kind === 'delimiter') {
    return suggested
      ? `With ${suggested}, most lines have 3 or more columns: choose Delimiter: ${suggested} in the Dataset panel.`
      : 'If the file uses another separator, choose it under Delimiter in the Dataset panel.';
  }
  return suggested
    ? `If that is wrong, choose Delimiter: ${suggested} in the Dataset panel; otherwise fix the file.`
    : 'If the delimiter is wrong, choose another under Delimiter in the Dataset panel; otherwise fix the file.';
}

// the importer's hints in the CLI's words, and the same in the page's (the Column roles table)
const PAGE_WORDS: readonly (readonly [string, string])[] = [
  ['(pass columns to map it)', '(give it a role under Column roles to use it)'],
  ["; if wrong, pass columns (e.g. 'src,dst,t')", '; if that is wrong, change it under Column roles'],
  ['explicit columns option', 'as set under Column roles'],
  // a file the page could not read has no Column roles table yet: the fix is in the file
  ["; pass columns, e.g. 'src,dst,t'", '; give the file a header row naming its columns (for example src,dst,t), then upload it again'],
  ['; pass columns to map them', '; name them u, i and ts in the header (or src, dst and t), then upload it again'],
];

/** An importer text (issue message, time-column reason) with its hints in the page's terms. */
export function pageImportText(text: string): string {
  let out = text;
  for (const [cli, page] of PAGE_WORDS) out = out.split(cli).join(page);
  return out;
}

/** The report of a successful import as the page shows it (issue messages and the time-column reason in its terms). */
export function pageImportReport(report: ImportReport): ImportReport {
  return { ...report, timeColumnReason: pageImportText(report.timeColumnReason), issues: pageIssues(report.issues) };
}

export function pageIssues(issues: readonly ImportIssue[]): ImportIssue[] {
  return issues.map((i) => ({ ...i, message: pageImportText(i.message) }));
}

/** "message. Fix." for the page. */
export function pageImportMessage(e: Pick<ImportError, 'message' | 'fix'>): string {
  const fix = pageFixText(e.fix);
  const message = pageImportText(e.message);
  return fix ? `${message}. ${fix}` : message;
}
