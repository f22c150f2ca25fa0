import { useEffect, useMemo, useState } from 'react';
import { LESSONS } from '../lessons/index.ts';
import { withLesson } from '../lessons/hash.ts';
import { KNOBS } from '../../shared/knobs.ts';
import { FIELDS, MITIGATION_NAMES, SETTING_NAMES, serializeHash, type ExperimentState, type Hideable, type HiddenControls } from '../state.ts';
import '../lessons/lessons.css';

const UI_LABELS: Readonly<Record<'upload' | 'step' | 'reset', string>> = {
  upload: 'File upload',
  step: 'Step button',
  reset: 'Reset button',
};

const labelOf = (c: Hideable): string => (c === 'upload' || c === 'step' || c === 'reset' ? UI_LABELS[c] : FIELDS[c].label);

const GROUPS: readonly { readonly title: string; readonly controls: readonly Hideable[] }[] = [
  { title: 'Training and data', controls: ['step', 'reset', 'dataset', 'upload', 'backend'] },
  { title: 'Model settings', controls: SETTING_NAMES.filter((c) => !MITIGATION_NAMES.includes(c) && !KNOBS[c].advanced) },
  { title: 'Staleness mitigations', controls: MITIGATION_NAMES },
  { title: 'Advanced: attention and evaluation', controls: SETTING_NAMES.filter((c) => !MITIGATION_NAMES.includes(c) && KNOBS[c].advanced) },
];

export interface ShareLinkProps {
  /** the experiment as it runs now (the link reproduces it) */
  readonly exp: ExperimentState;
  readonly hidden: HiddenControls;
  readonly lesson: string | null;
  readonly onClose: () => void;
}

/** A teacher's link: this experiment, chosen controls hidden, optionally opening a lesson. */
export function ShareLink({ exp, hidden, lesson, onClose }: ShareLinkProps) {
  const [chosen, setChosen] = useState<ReadonlySet<Hideable>>(() => new Set(hidden));
  const [withLessonName, setWithLessonName] = useState<string>(lesson ?? '');
  const [copied, setCopied] = useState<string | null>(null);
  const link = useMemo(() => {
    const hash = withLesson(serializeHash(exp, chosen), withLessonName === '' ? null : withLessonName);
    return `${window.location.origin}${window.location.pathname}${hash}`;
  }, [exp, chosen, withLessonName]);
  useEffect(() => setCopied(null), [link]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const toggle = (c: Hideable, on: boolean): void => {
    const next = new Set(chosen);
    if (on) next.add(c);
    else next.delete(c);
    setChosen(next);
  };
  const copy = (): void => {
    navigator.clipboard.writeText(link).then(
      () => setCopied('Copied.'),
      (e: unknown) => setCopied(`Could not copy (${e instanceof Error ? e.message : String(e)}): select the link and copy it.`),
    );
  };

  return (
    <div className="share-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <section className="share-dialog" data-testid="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title">
        <header className="glossary-head">
          <h2 id="share-title">Share / classroom link</h2>
          <button type="button" className="quiet" data-testid="share-close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <p className="hint">
          The link opens this experiment (stream, model and settings as they are now). Tick the controls your students should not
          see; they stay at the values in the link.
        </p>
        <div className="share-groups">
          {GROUPS.map((g) => (
            <fieldset key={g.title}>
              <legend>{g.title}</legend>
              {g.controls.map((c) => (
                <label key={c} className="check">
                  <input type="checkbox" data-testid={`share-hide-${c}`} checked={chosen.has(c)} onChange={(e) => toggle(c, e.target.checked)} />
                  <span>hide {labelOf(c)}</span>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
        <label className="share-lesson">
          <span>Open a lesson</span>
          <select data-testid="share-lesson" value={withLessonName} onChange={(e) => setWithLessonName(e.target.value)}>
            <option value="">no lesson</option>
            {LESSONS.map((l) => (
              <option key={l.name} value={l.name}>
                {l.title}
              </option>
            ))}
          </select>
        </label>
        <div className="share-link-row">
          <input className="share-link" data-testid="share-link" readOnly value={link} aria-label="the link" onFocus={(e) => e.target.select()} />
          <button type="button" className="primary" data-testid="share-copy" onClick={copy}>
            Copy
          </button>
        </div>
        <p className="hint" role="status" data-testid="share-copied">
          {copied ?? '\u00a0'}
        </p>
      </section>
    </div>
  );
}
