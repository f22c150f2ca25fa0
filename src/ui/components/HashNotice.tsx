import { describeProblem, type HashProblem } from '../state.ts';

/** Lists the link's entries that were ignored (each fell back to its default). */
export function HashNotice({ problems, onDismiss }: { problems: readonly HashProblem[]; onDismiss: () => void }) {
  if (problems.length === 0) return null;
  return (
    <div className="notice" role="status" data-testid="hash-notice">
      <div>
        <strong>Some settings in the link were ignored</strong> and use their defaults instead:
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              <code>{describeProblem(p)}</code>
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="quiet" onClick={onDismiss} aria-label="Dismiss notice">
        ✕
      </button>
    </div>
  );
}
