import { useEffect, useState } from 'react';
import type { ExperimentSettings } from '../../shared/settings.ts';
import { ModelDiagram } from './ModelDiagram.tsx';
import { MODEL_DESCRIPTIONS, MODEL_PRESETS } from '../../shared/presets.ts';
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

/**
 * Picking a preset also sets the mitigations it is defined with (APAN's 10-mail mailbox with attention,
 * DistTGL's static memory) and, for DyRep, an embedding as wide as the memory; the user can change them.
 */
function withPreset(draft: Draft, model: string): Draft {
  const name = FIELDS.model.values.find((v) => v === model);
  if (!name) return { ...draft, model };
  const p = MODEL_PRESETS[name];
  return {
    ...draft,
    model,
    mailboxSize: String(p.mailboxSize),
    aggregator: p.aggregator,
    staticMemory: String(p.staticMemory),
    ...(p.messageOther === 'embedding' ? { embeddingDim: draft.memoryDim } : {}),
  };
}

/** checks across fields, on top of each field's own */
function crossFieldErrors(s: ExperimentSettings): string[] {
  const out: string[] = [];
  if (MODEL_PRESETS[s.model].messageOther === 'embedding' && s.embeddingDim !== s.memoryDim) {
    out.push(`${s.model.toUpperCase()} puts embeddings where TGN's messages put memories: set embedding dim = memory dim (${s.memoryDim}).`);
  }
  return out;
}

const MODEL_FIELDS = SETTING_NAMES.filter((k) => !MITIGATION_NAMES.includes(k));

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
  const crossErrors = errors.length === 0 ? crossFieldErrors(next) : [];
  // the description and diagram follow the selection, so a preset can be read before Apply restarts training
  const shownModel = next.model;
  const pending = shownModel !== applied.model;
  const visibleModel = MODEL_FIELDS.filter((k) => !hidden.has(k));
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
          <select
            id={id}
            data-testid={id}
            value={draft[k]}
            onChange={(e) => setDraft(k === 'model' ? withPreset(draft, e.target.value) : { ...draft, [k]: e.target.value })}
          >
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
      {pending && (
        <p className="preset-pending" data-testid="model-pending">
          Selected: <b>{shownModel.toUpperCase()}</b>, not applied yet. Apply to train it (training restarts at epoch 1).
        </p>
      )}
      <p className="hint" data-testid="model-description">{MODEL_DESCRIPTIONS[shownModel]}</p>
      <ModelDiagram model={shownModel} settings={next} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (errors.length === 0 && crossErrors.length === 0 && changed) onApply(next);
        }}
      >
        {visibleModel.length > 0 && <div className="fields">{visibleModel.map(control)}</div>}
        {visibleMitigations.length > 0 && (
          <fieldset className="mitigations" data-testid="mitigations">
            <legend>Staleness mitigations</legend>
            <p className="hint">
              Inside a batch no event sees the memory updates of the events before it, and a mailbox of one mail per node loses all but the
              last of a node&apos;s mails. Each setting here trades some speed for less of that staleness or information loss.
            </p>
            <div className="fields">{visibleMitigations.map(control)}</div>
          </fieldset>
        )}
        <div className="form-actions">
          <button type="submit" data-testid="apply-settings" disabled={!enabled || !changed || errors.length > 0 || crossErrors.length > 0}>
            Apply
          </button>
          <button type="button" className="quiet" disabled={!changed && errors.length === 0} onClick={() => setDraft(draftOf(applied))}>
            Revert
          </button>
          <span className="hint">{changed ? 'Applying restarts training at epoch 1.' : ''}</span>
        </div>
        {crossErrors.map((m) => (
          <p key={m} className="field-error" role="alert" data-testid="settings-cross-error">{m}</p>
        ))}
      </form>
    </section>
  );
}
