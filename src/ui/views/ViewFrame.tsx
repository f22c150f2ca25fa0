import { useState, type ReactNode, type RefObject } from 'react';

export interface ExportAction {
  readonly label: string;
  readonly title: string;
  readonly run: () => void | Promise<void>;
}

/** Title, export toolbar, one-line caption, the chart host and an empty-state overlay. */
export function ViewFrame({
  testId, title, caption, actions, host, height, empty, children,
}: {
  testId: string;
  title: string;
  caption: ReactNode;
  actions: readonly ExportAction[];
  host: RefObject<HTMLDivElement | null>;
  height: number;
  /** shown over the chart when set */
  empty: string | null;
  children?: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const run = (a: ExportAction): void => {
    setError(null);
    Promise.resolve()
      .then(() => a.run())
      .catch((e: unknown) => setError(`${a.label} export failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  return (
    <section className="tv-view" data-testid={testId} data-empty={empty ? 'true' : 'false'}>
      <header className="tv-head">
        <h3 className="tv-title">{title}</h3>
        <div className="tv-tools" role="toolbar" aria-label={`export ${title}`}>
          {actions.map((a) => (
            <button key={a.label} type="button" className="tv-btn" title={a.title} disabled={empty !== null} onClick={() => run(a)}>
              {a.label}
            </button>
          ))}
        </div>
      </header>
      <p className="tv-caption">{caption}</p>
      {children}
      <div className="tv-plot" ref={host} style={{ height }}>
        {empty && <div className="tv-empty">{empty}</div>}
      </div>
      {error && <p className="tv-error" role="alert">{error}</p>}
    </section>
  );
}
