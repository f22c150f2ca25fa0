import { useId, useState } from 'react';
import type { DatasetSummary } from '../../shared/data.ts';
import type { BridgeError } from '../../shared/data.ts';
import type { DatasetEntry } from '../datasetIndex.ts';
import type { HiddenControls } from '../state.ts';
import { ImportIssues } from './ImportIssues.tsx';
import { ExportControl } from './ExportControl.tsx';
import { mib, type KeptUpload } from '../uploads.ts';

export const ROLES = ['src', 'dst', 't', 'feat', 'label', 'skip'] as const;
/** the Delimiter control's choices: detect, or one the importer takes */
export const DELIMITER_CHOICES = ['auto', ',', '\t', ';', 'whitespace'] as const;
export type DelimiterChoice = (typeof DELIMITER_CHOICES)[number];
export type Role = (typeof ROLES)[number];
const ROLE_WORDS: Record<Role, string> = {
  src: 'source node', dst: 'destination node', t: 'time', feat: 'edge feature', label: 'label', skip: 'skip',
};

export interface DatasetPanelProps {
  readonly bundled: readonly DatasetEntry[] | null;
  /** the loaded dataset's bundled name, or null when it came from a file */
  readonly bundledName: string | null;
  readonly dataset: DatasetSummary | null;
  /** 0..1 while importing, else null */
  readonly progress: number | null;
  readonly importing: boolean;
  readonly error: BridgeError | null;
  readonly hidden: HiddenControls;
  readonly onPickBundled: (name: string) => void;
  readonly onFile: (file: File) => void;
  /** re-imports the current input with roles per column */
  readonly onReimport: (roles: readonly Role[]) => void;
  /** the delimiter uploaded files are read with ('auto' = detect) */
  readonly delimiter: DelimiterChoice;
  /** sets it and re-imports the last uploaded file with it */
  readonly onDelimiter: (d: DelimiterChoice) => void;
  /** uploads this browser keeps for a reload (uploads.ts), the key of the one loaded now, and what was said about keeping */
  readonly kept: readonly KeptUpload[];
  readonly keptKey: string | null;
  readonly keptNote: string | null;
  readonly onLoadKept: (key: string) => void;
  readonly onForgetKept: (key: string) => void;
}

const fmt = new Intl.NumberFormat('en-US');

function delimiterWords(d: string): string {
  if (d === ',') return 'comma';
  if (d === '\t') return 'tab';
  if (d === ';') return 'semicolon';
  if (d === 'whitespace' || d === ' ') return 'whitespace';
  return `'${d}'`;
}

function isDelimiterChoice(v: string): v is DelimiterChoice {
  return (DELIMITER_CHOICES as readonly string[]).includes(v);
}

function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** Which stream is loaded, what the importer detected, and how to load another one. */
export function DatasetPanel(props: DatasetPanelProps) {
  const { bundled, bundledName, dataset, progress, importing, error, hidden } = props;
  const fileId = useId();
  const pickerId = useId();
  const delimiterId = useId();
  return (
    <section className="card dataset" aria-label="Dataset" data-testid="dataset-panel">
      <h2>Dataset</h2>
      {!hidden.has('dataset') && bundled && bundled.length > 0 && (
        <div className="row">
          <label htmlFor={pickerId}>Bundled stream</label>
          <select
            id={pickerId}
            data-testid="dataset-picker"
            value={bundledName ?? ''}
            disabled={importing}
            onChange={(e) => props.onPickBundled(e.target.value)}
          >
            {bundledName === null && <option value="">{dataset ? `${dataset.name} (uploaded)` : '—'}</option>}
            {bundled.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} ({fmt.format(d.events)} events)
              </option>
            ))}
          </select>
        </div>
      )}
      {!hidden.has('upload') && (
        <div className="dropzone">
          <span>Drop a CSV / TSV / SNAP file anywhere on the page, or</span>{' '}
          <label htmlFor={fileId} className="file-button">
            choose a file…
          </label>
          <input
            id={fileId}
            className="visually-hidden"
            type="file"
            accept=".csv,.tsv,.txt,.dat,text/csv,text/plain"
            data-testid="file-input"
            disabled={importing}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) props.onFile(file);
              e.target.value = '';
            }}
          />
        </div>
      )}
      {!hidden.has('upload') && (
        <div className="delimiter-row">
          <label htmlFor={delimiterId}>Delimiter</label>
          <select
            id={delimiterId}
            data-testid="delimiter-picker"
            value={props.delimiter}
            disabled={importing}
            onChange={(e) => {
              const v = e.target.value;
              if (isDelimiterChoice(v)) props.onDelimiter(v);
            }}
          >
            {DELIMITER_CHOICES.map((d) => (
              <option key={d} value={d}>
                {d === 'auto' ? 'detect automatically' : delimiterWords(d)}
              </option>
            ))}
          </select>
          <span className="hint">for files you upload</span>
        </div>
      )}
      {!hidden.has('upload') && (props.kept.length > 0 || props.keptNote) && (
        <div className="kept-uploads" data-testid="kept-uploads">
          {props.keptNote && <p className="muted" data-testid="kept-note">{props.keptNote}</p>}
          {props.kept.length > 0 && (
            <>
              <p className="muted">Uploads kept in this browser (a reload or a link brings them back):</p>
              <ul>
                {props.kept.map((u) => (
                  <li key={u.key}>
                    <button type="button" className="quiet" disabled={importing || u.key === props.keptKey} onClick={() => props.onLoadKept(u.key)} title={`Load ${u.name} again`}>
                      {u.name}
                    </button>{' '}
                    <span className="muted">{mib(u.size)}{u.key === props.keptKey ? ', loaded' : ''}</span>{' '}
                    <button type="button" className="quiet" data-testid="forget-upload" disabled={importing} onClick={() => props.onForgetKept(u.key)} aria-label={`Forget ${u.name}`}>
                      Forget
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {importing && (
        <div className="progress-row">
          <progress data-testid="import-progress" max={1} value={progress ?? undefined} aria-label="Import progress" />
          <span>{progress === null ? 'reading…' : `${Math.round(progress * 100)} %`}</span>
        </div>
      )}
      {error && (
        <div className="import-error" role="alert" data-testid="import-error">
          <p>
            <strong>Import failed:</strong> {error.message}
          </p>
          {dataset && <p className="muted">Still using {dataset.name}.</p>}
          <ImportIssues issues={error.issues} testId="import-error-issues" />
        </div>
      )}
      {dataset ? <DatasetDetails key={`${dataset.name}|${dataset.report.columnNames.join(',')}|${dataset.report.bytes}|${dataset.report.parseMs}`} dataset={dataset} importing={importing} onReimport={props.onReimport} /> : !error && <p className="muted">Loading…</p>}
      {dataset && <ExportControl disabled={importing} />}
    </section>
  );
}

function DatasetDetails({ dataset, importing, onReimport }: { dataset: DatasetSummary; importing: boolean; onReimport: (roles: readonly Role[]) => void }) {
  const report = dataset.report;
  const detected = report.columnNames.map((r) => (isRole(r) ? r : 'skip'));
  const [roles, setRoles] = useState<Role[]>(detected);
  const changed = roles.some((r, j) => r !== detected[j]);
  const count = (r: Role) => roles.filter((x) => x === r).length;
  const mappingProblem =
    count('src') !== 1 || count('dst') !== 1 || count('t') !== 1
      ? 'needs exactly one src, one dst and one t column'
      : count('label') > 1
        ? 'at most one label column'
        : null;
  const tCol = report.mapping.t + 1;
  return (
    <>
      <p className="dataset-name" data-testid="dataset-name">
        {dataset.name}
      </p>
      <p className="dataset-stats" data-testid="dataset-stats">
        {fmt.format(dataset.events)} events · {fmt.format(dataset.nodes)} nodes
      </p>
      <dl className="facts">
        <div>
          <dt>Format</dt>
          <dd data-testid="dataset-format">
            {report.format}
            {report.bipartite ? ' (bipartite)' : ''}
          </dd>
        </div>
        <div>
          <dt>Delimiter</dt>
          <dd data-testid="dataset-delimiter">{delimiterWords(report.delimiter)}</dd>
        </div>
        <div>
          <dt>Header</dt>
          <dd data-testid="dataset-header">{report.header ? 'yes' : 'no'}</dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd>
            {fmt.format(report.rowsRead)} read
            {report.rowsDropped > 0 ? `, ${fmt.format(report.rowsDropped)} dropped` : ''}
          </dd>
        </div>
        <div>
          <dt>Order</dt>
          <dd>{report.sorted ? 'already by time' : 'sorted by time'}</dd>
        </div>
        <div>
          <dt>Parsed</dt>
          <dd>
            {(report.bytes / 1024).toFixed(report.bytes < 10240 ? 1 : 0)} KiB in {report.parseMs.toFixed(0)} ms
          </dd>
        </div>
      </dl>
      <p className="time-column" data-testid="time-column">
        <strong>Time: column {tCol}</strong>
        {report.headerNames?.[report.mapping.t] ? ` (“${report.headerNames[report.mapping.t]}”)` : ''} — {report.timeColumnReason}
      </p>
      <form
        className="mapping"
        onSubmit={(e) => {
          e.preventDefault();
          if (!mappingProblem) onReimport(roles);
        }}
      >
        <table data-testid="column-mapping">
          <caption>Column roles</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">name</th>
              <th scope="col">role</th>
            </tr>
          </thead>
          <tbody>
            {roles.map((role, j) => (
              <tr key={j} className={role !== detected[j] ? 'edited' : undefined}>
                <td>{j + 1}</td>
                <td className="colname">{report.headerNames?.[j] ?? <span className="muted">no header</span>}</td>
                <td>
                  <select
                    aria-label={`Role of column ${j + 1}`}
                    data-testid={`column-role-${j + 1}`}
                    value={role}
                    onChange={(e) => {
                      const v = e.target.value;
                      if (isRole(v)) setRoles(roles.map((r, i) => (i === j ? v : r)));
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r} — {ROLE_WORDS[r]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {changed && (
          <div className="form-actions">
            <button type="submit" data-testid="reimport" disabled={importing || mappingProblem !== null}>
              Re-import with these roles
            </button>
            <button type="button" className="quiet" onClick={() => setRoles(detected)}>
              Revert
            </button>
            {mappingProblem && <span className="field-error">{mappingProblem}</span>}
          </div>
        )}
      </form>
      <ImportIssues issues={report.issues} testId="import-issues" />
    </>
  );
}
