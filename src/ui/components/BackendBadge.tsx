import { useId, useState } from 'react';
import type { BackendPreference, BackendReport } from '../../shared/backend.ts';
import { FIELDS } from '../state.ts';

export interface BackendBadgeProps {
  readonly report: BackendReport | null;
  readonly preference: BackendPreference;
  /** the backend is (re)starting */
  readonly starting: boolean;
  /** what startup is doing now, in words (BridgeState.stage) */
  readonly stage?: string | null;
  /** hide the select (backend_hide) */
  readonly hideSelect: boolean;
  readonly onPreference: (preference: BackendPreference) => void;
}

const NAMES = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' } as const;

/** Always-visible badge with the active tfjs backend; hover or click shows why it runs and on what. */
export function BackendBadge({ report, preference, starting, stage = null, hideSelect, onPreference }: BackendBadgeProps) {
  const [hover, setHover] = useState(false);
  const [pinned, setPinned] = useState(false);
  const open = hover || pinned;
  const detailsId = useId();
  const selectId = useId();
  const label = report ? NAMES[report.backend] : starting ? 'starting…' : 'no backend';
  return (
    <div className="backend" onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)}>
      <button
        type="button"
        className={`badge badge-${report?.backend ?? 'none'}`}
        data-testid="backend-badge"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setPinned((p) => !p)}
      >
        <span className="dot" aria-hidden="true" />
        <span className="badge-label">backend</span> {starting && report ? `${label} → …` : label}
      </button>
      {stage && (
        <span className="backend-stage muted" data-testid="backend-stage" role="status">
          {stage}…
        </span>
      )}
      {!hideSelect && (
        <label className="backend-select" htmlFor={selectId}>
          <span className="visually-hidden">Backend preference</span>
          <select
            id={selectId}
            data-testid="backend-select"
            value={preference}
            disabled={starting}
            onChange={(e) => {
              const v = e.target.value;
              const allowed = FIELDS.backend.values.find((x) => x === v);
              if (allowed) onPreference(allowed);
            }}
          >
            {FIELDS.backend.values.map((v) => (
              <option key={v} value={v}>
                {v === 'auto' ? 'auto (fastest)' : `force ${NAMES[v]}`}
              </option>
            ))}
          </select>
        </label>
      )}
      {open && (
        <div className="popover" id={detailsId} role="tooltip" data-testid="backend-details">
          {report ? (
            <>
              <p>
                <strong>{NAMES[report.backend]}</strong>: {report.reason}
              </p>
              <p className="muted">
                Adapter: {report.adapter ? `${report.adapter.description || report.adapter.vendor || 'unnamed'}${report.adapter.isFallbackAdapter ? ' (software fallback)' : ''}` : 'none (no WebGPU adapter in use)'}
              </p>
              {report.benchmarkMs && (
                <p className="muted">
                  Startup benchmark{report.verdict?.cached ? ' (measured on an earlier visit, remembered for this GPU)' : ''}:{' '}
                  {Object.entries(report.benchmarkMs)
                    .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms/step`)
                    .join(', ')}
                </p>
              )}
              {report.backend === 'wasm' && <p className="muted">WASM threads: {report.wasmThreads ? 'on' : 'off'}</p>}
            </>
          ) : (
            <p>{starting ? `Starting the engine: ${stage ?? 'loading'}…` : 'The engine has not started.'}</p>
          )}
        </div>
      )}
    </div>
  );
}
