import { useState } from 'react';
import type { ImportIssue } from '../../shared/data.ts';

/** "line N, column C: message" (or "line N: …" for a whole row) — as the engine's formatIssue. */
export function issueText(issue: ImportIssue): string {
  return issue.column === null ? `line ${issue.line}: ${issue.message}` : `line ${issue.line}, column ${issue.column}: ${issue.message}`;
}

const SHOWN = 8;

/** Import errors and warnings with their line numbers; long lists fold. */
export function ImportIssues({ issues, testId }: { issues: readonly ImportIssue[]; testId: string }) {
  const [all, setAll] = useState(false);
  if (issues.length === 0) return null;
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const shown = all ? issues : issues.slice(0, SHOWN);
  return (
    <div className="issues" data-testid={testId}>
      <p className="issues-summary">
        {errors > 0 && `${errors} row${errors === 1 ? '' : 's'} dropped`}
        {errors > 0 && warnings > 0 && ' · '}
        {warnings > 0 && `${warnings} warning${warnings === 1 ? '' : 's'}`}
      </p>
      <ul>
        {shown.map((issue, i) => (
          <li key={i} className={`issue issue-${issue.severity}`}>
            <span className="issue-kind">{issue.severity === 'error' ? 'dropped' : 'note'}</span> {issueText(issue)}
          </li>
        ))}
      </ul>
      {issues.length > SHOWN && (
        <button type="button" className="link" onClick={() => setAll(!all)}>
          {all ? 'show fewer' : `show all ${issues.length}`}
        </button>
      )}
    </div>
  );
}
