import { useEffect, useState } from 'react';
import type { ExperimentSettings } from '../../engine/session/types.ts';
import { ModelDiagram } from './ModelDiagram.tsx';
import { FIELDS, MITIGATION_NAMES, SETTING_NAMES, validateField, type HiddenControls, type SettingName } from '../state.ts';

export interface SettingsPanelProps {
  /** the settings the model runs with now */
  readonly applied: ExperimentSettings;
  readonly hidden: HiddenControls;
  /** false while nothing can be configured (no dataset yet, or a change is in flight) */
  readonly enabled: boolean;
  readonly onApply: (settings: ExperimentSettings) => void;
}

/** every control's text as the user left it (booleans as 'true'/'false', as in the hash) */
type Draft = Record<SettingName, string>;

function draftOf(s: ExperimentSettings): Draft {
  const d = {} as Draft;
  for (const k of SETTING_NAMES) d[k] = String(s[k]);
  return d;
}

const MODEL_NAMES = SETTING_NAMES.filter((k) => !MITIGATION_NAMES.includes(k));

/** What each preset wires together (modules from src/engine, injected into one model class). */
const MODEL_DESCRIPTIONS: Record<ExperimentSettings['model'], string> = {
  tgn: 'TGN (Rossi et al. 2020): each event mails both endpoints; a GRU folds the mail into node memory; '
    + 'a node is embedded by attention over its 10 most recent neighbours (memory + time encoding); an MLP scores the pair. '
    + 'Wiring: mailbox → message [s_self, s_other, φ(Δt)] → GRU → memory → temporal attention → MLP decoder.',
  jodie: 'JODIE (Kumar et al. 2019): the same mailbox and messages, a plain RNN updater, and no neighbour attention: '
    + 'a node is embedded by projecting its memory through time, z = m ⊙ (1 + w·Δt), so an idle node drifts. '
    + 'Wiring: mailbox → message → RNN → memory → time projection → MLP decoder.',
};

/** Model settings, validated by the same schema as the URL hash; Apply rebuilds the model (epoch 1). */
export function SettingsPanel({ applied, hidden, enabled, onApply }: SettingsPanelProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(applied));
  const appliedKey = SETTING_NAMES.map((k) => applied[k]).join(',');
  // reset the draft when the applied values change, not when a new object with the same values comes
  useEffect(() => setDraft(draftOf(applied)), [appliedKey]);

  const checked = new Map(SETTING_NAMES.map((k) => [k, validateField(k, draft[k].trim())] as const));
  const errors = [...checked.values()].filter((r) => !r.ok);
  const nextEntries: Record<string, ExperimentSettings[SettingName]> = {};
  for (const [k, r] of checked) nextEntries[k] = r.ok ? r.value : applied[k];
  // every key of ExperimentSettings is set above, each value checked against its own field
  const next = nextEntries as unknown as ExperimentSettings;
  const changed = SETTING_NAMES.some((k) => next[k] !== applied[k]);
  const visibleModel = MODEL_NAMES.filter((k) => !hidden.has(k));
  const visibleMitigations = MITIGATION_NAMES.filter((k) => !hidden.has(k));
  if (visibleModel.length === 0 && visibleMitigations.length === 0) return null;

  const control = (k: SettingName) => {
    const f = FIELDS[k];
    const r = checked.get(k)!;
    const id = `setting-${k}`;
    const edited = r.ok && r.value !== applied[k];
    const cls = `field field-${f.type}${r.ok ? '' : ' invalid'}${edited ? ' edited' : ''}`;
    if (f.type === 'bool') {
      return (
        <div key={k} className={cls} title={f.help}>
          <label htmlFor={id} className="check">
            <input
              id={id}
              data-testid={id}
              type="checkbox"
              checked={draft[k] === 'true'}
              onChange={(e) => setDraft({ ...draft, [k]: String(e.target.checked) })}
            />
            <span>
              {f.label} <span className="unit">{f.unit}</span>
            </span>
          </label>
        </div>
      );
    }
    return (
      <div key={k} className={cls} title={f.help}>
        <label htmlFor={id}>
          {f.label} <span className="unit">{f.unit}</span>
        </label>
        {f.type === 'enum' ? (
          <select id={id} data-testid={id} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}>
            {f.values.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            data-testid={id}
            inputMode={f.type === 'int' ? 'numeric' : 'decimal'}
            value={draft[k]}
            aria-invalid={!r.ok}
            aria-describedby={r.ok ? undefined : `${id}-error`}
            onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
          />
        )}
        {!r.ok && (
          <span className="field-error" id={`${id}-error`}>
            {r.reason}
          </span>
        )}
      </div>
    );
  };

  return (
    <section className="card settings" aria-label="Model settings">
      <h2>
        Model <span className="model-name">{applied.model.toUpperCase()}</span>
      </h2>
      <p className="hint" data-testid="model-description">{MODEL_DESCRIPTIONS[applied.model]}</p>
      <ModelDiagram model={applied.model} settings={applied} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (errors.length === 0 && changed) onApply(next);
        }}
      >
        {visibleModel.length > 0 && <div className="fields">{visibleModel.map(control)}</div>}
        {visibleMitigations.length > 0 && (
          <fieldset className="mitigations" data-testid="mitigations">
            <legend>Staleness mitigations</legend>
            <p className="hint">
              Inside a batch no event sees the memory updates of the events before it, and a mailbox of one mail per node loses all but the
              last of a node&apos;s mails. These settings trade speed for fresher memory.
            </p>
            <div className="fields">{visibleMitigations.map(control)}</div>
          </fieldset>
        )}
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
