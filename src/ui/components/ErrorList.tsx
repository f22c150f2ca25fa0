/** Errors from engine actions (configure, backend start, step…), newest last, each dismissable. */
export function ErrorList({ errors, onDismiss }: { errors: readonly string[]; onDismiss: (index: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className="errors" role="alert" data-testid="errors">
      {errors.map((message, i) => (
        <div key={i} className="error-item">
          <span>{message}</span>
          <button type="button" className="quiet" onClick={() => onDismiss(i)} aria-label="Dismiss error">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
