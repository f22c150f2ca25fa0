// Import errors as the page says them: the importer's message, then its fix in the page's own controls
// (the CLI says the same fix in its flags, cli/load.ts cliFixText).
import type { ImportError, ImportFix } from '../engine/data/import.ts';

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

/** "message. Fix." for the page. */
export function pageImportMessage(e: Pick<ImportError, 'message' | 'fix'>): string {
  const fix = pageFixText(e.fix);
  return fix ? `${e.message}. ${fix}` : e.message;
}
