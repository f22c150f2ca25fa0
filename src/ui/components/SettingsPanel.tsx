import { useEffect, useState } from 'react';
import type { ExperimentSettings } from '../../engine/session/types.ts';
import { FIELDS, SETTING_NAMES, validateField, type HiddenControls, type SettingName } from '../state.ts';

export interface SettingsPanelProps {
  /** the settings the model runs with now */
  readonly applied: ExperimentSettings;
  readonly hidden: HiddenControls;
  /** false while nothing can be configured (no dataset yet, or a change is in flight) */
  readonly enabled: boolean;
  readonly onApply: (settings: ExperimentSettings) => void;
}

type Draft = Record<SettingName, string>;

function draftOf(s: ExperimentSettings): Draft {
  const d = {} as Draft;
  for (const k of SETTING_NAMES) d[k] = String(s[k]);
  return d;
}

/** Model settings, validated by the same schema as the URL hash; Apply rebuilds the model (epoch 1). */
export function SettingsPanel({ applied, hidden, enabled, onApply }: SettingsPanelProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(applied));
  const appliedKey = SETTING_NAMES.map((k) => applied[k]).join(',');
  // reset the draft when the applied values change, not when a new object with the same values comes
  useEffect(() => setDraft(draftOf(applied)), [appliedKey]);

  const checked = SETTING_NAMES.map((k) => ({ k, r: validateField(k, draft[k].trim()) }));
  const errors = checked.filter((c) => !c.r.ok);
  const next = {} as Record<SettingName, number>;
  for (const { k, r } of checked) next[k] = r.ok ? r.value : applied[k];
  const changed = SETTING_NAMES.some((k) => next[k] !== applied[k]);
  const visible = SETTING_NAMES.filter((k) => !hidden.has(k));
  if (visible.length === 0) return null;

  return (
    <section className="card settings" aria-label="Model settings">
      <h2>
        Model <span className="model-name">TGN</span>
      </h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (errors.length === 0 && changed) onApply(next);
        }}
      >
        <div className="fields">
          {visible.map((k) => {
            const f = FIELDS[k];
            const r = checked.find((c) => c.k === k)!.r;
            const id = `setting-${k}`;
            return (
              <div key={k} className={`field${r.ok ? '' : ' invalid'}${r.ok && r.value !== applied[k] ? ' edited' : ''}`} title={f.help}>
                <label htmlFor={id}>
                  {f.label} <span className="unit">{f.unit}</span>
                </label>
                <input
                  id={id}
                  data-testid={id}
                  inputMode={f.type === 'int' ? 'numeric' : 'decimal'}
                  value={draft[k]}
                  aria-invalid={!r.ok}
                  aria-describedby={r.ok ? undefined : `${id}-error`}
                  onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
                />
                {!r.ok && (
                  <span className="field-error" id={`${id}-error`}>
                    {r.reason}
                  </span>
                )}
              </div>
            );
          })}
        </div>
        <div className="form-actions">
          <button type="submit" data-testid="apply-settings" disabled={!enabled || !changed || errors.length > 0}>
            Apply
          </button>
          <button type="button" className="quiet" disabled={!changed && errors.length === 0} onClick={() => setDraft(draftOf(applied))}>
            Revert
          </button>
          <span className="hint">{changed ? 'Applying restarts training at epoch 1.' : ''}</span>
        </div>
      </form>
    </section>
  );
}
