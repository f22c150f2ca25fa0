import { useEffect, useState } from 'react';
import type { ExperimentSettings } from '../../shared/settings.ts';
import { ModelDiagram } from './ModelDiagram.tsx';
import { MODEL_DESCRIPTIONS } from '../../shared/presets.ts';
import { embeddingFollowsMemory, KNOBS, resolveSettings, sayLabel, settingsProblems } from '../../shared/knobs.ts';
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
 * Picking a preset also sets the knobs that follow the model (APAN's 10-mail mailbox with attention,
 * DistTGL's static memory, TGAT's two layers and neighbour scope) and, for DyRep, an embedding as wide as the
 * memory, as a link with only `model=` does (shared resolveSettings); the user can change them.
 */
function withPreset(draft: Draft, model: string): Draft {
  const name = FIELDS.model.values.find((v) => v === model);
  if (!name) return { ...draft, model };
  const preset = resolveSettings({ model: name });
  const out: Draft = { ...draft, model };
  for (const k of SETTING_NAMES) if (KNOBS[k].fromPreset !== undefined) out[k] = String(preset[k]);
  if (embeddingFollowsMemory(name)) out.embeddingDim = draft.memoryDim;
  return out;
}

/** MRR ranks against TGB's 49 negatives unless the number was changed by hand (as the CLI and a link default it) */
function withMetric(draft: Draft, metric: string): Draft {
  const mrrDefault = String(resolveSettings({ metric: 'mrr' }).negativesPerPositive);
  const apDefault = String(KNOBS.negativesPerPositive.default);
  if (metric === 'mrr' && draft.negativesPerPositive === apDefault) return { ...draft, metric, negativesPerPositive: mrrDefault };
  if (metric === 'ap' && draft.negativesPerPositive === mrrDefault) return { ...draft, metric, negativesPerPositive: apDefault };
  return { ...draft, metric };
}

const MODEL_FIELDS = SETTING_NAMES.filter((k) => !MITIGATION_NAMES.includes(k) && !KNOBS[k].advanced);
/** knobs most experiments leave alone: attention's layers, scope and Δt, and the evaluation protocol (the CLI's flags too) */
const ADVANCED_FIELDS = SETTING_NAMES.filter((k) => !MITIGATION_NAMES.includes(k) && KNOBS[k].advanced);

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
  const problems = errors.length === 0 ? settingsProblems(next) : [];
  const crossErrors = problems.filter((p) => p.severity === 'error').map((p) => `${p.message(sayLabel)}.`);
  const crossNotes = problems.filter((p) => p.severity === 'note').map((p) => `${p.message(sayLabel)}.`);
  // the description and diagram follow the selection, so a preset can be read before Apply restarts training
  const shownModel = next.model;
  const pending = shownModel !== applied.model;
  const visibleModel = MODEL_FIELDS.filter((k) => !hidden.has(k));
  const visibleMitigations = MITIGATION_NAMES.filter((k) => !hidden.has(k));
  const visibleAdvanced = ADVANCED_FIELDS.filter((k) => !hidden.has(k));
  if (visibleModel.length === 0 && visibleMitigations.length === 0 && visibleAdvanced.length === 0) return null;

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
            onChange={(e) => setDraft(k === 'model' ? withPreset(draft, e.target.value) : k === 'metric' ? withMetric(draft, e.target.value) : { ...draft, [k]: e.target.value })}
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
        {visibleAdvanced.length > 0 && (
          <details className="advanced" data-testid="advanced-settings" open={visibleAdvanced.some((k) => applied[k] !== KNOBS[k].default && KNOBS[k].fromPreset === undefined)}>
            <summary>Advanced: attention and evaluation protocol</summary>
            <p className="hint">
              How attention picks and times its neighbours, and how validation and test are scored (DyGLib&apos;s inductive setting and negative
              strategies, TGB&apos;s MRR). The CLI has the same knobs as flags (<code>tgnn train --help</code>).
            </p>
            <div className="fields">{visibleAdvanced.map(control)}</div>
          </details>
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
        {crossNotes.map((m) => (
          <p key={m} className="hint" data-testid="settings-cross-note">{m}</p>
        ))}
      </form>
    </section>
  );
}
