import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExperimentSettings } from '../../shared/settings.ts';
import { type TimeKind, timeKindOf } from '../views/format.ts';
import { focusView } from '../lessons/focus.ts';
import { LESSONS } from '../lessons/index.ts';
import { prepareLesson, runStep, setupStep, stepSizes, type LessonContext, type LessonHost } from '../lessons/runner.ts';
import { fillTemplate, formatValue } from '../lessons/template.ts';
import type { Lesson, Measured } from '../lessons/types.ts';
import { TermText } from './Glossary.tsx';
import '../lessons/lessons.css';

type Phase = 'preparing' | 'setting-up' | 'predict' | 'running' | 'done' | 'error';

export interface LessonPanelProps {
  readonly lesson: Lesson;
  readonly host: LessonHost;
  /** the settings a lesson starts from before its own (the playground's defaults) */
  readonly defaults: ExperimentSettings;
  readonly onClose: () => void;
  readonly onTerm: (id: string) => void;
  readonly onOpenLesson: (name: string) => void;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A guided lesson, one step at a time: set the state, predict, run, read the measured result and why. */
export function LessonPanel({ lesson, host, defaults, onClose, onTerm, onOpenLesson }: LessonPanelProps) {
  const [ctx, setCtx] = useState<LessonContext | null>(null);
  const [index, setIndex] = useState(0);
  const [phase, setPhase] = useState<Phase>('preparing');
  const [choice, setChoice] = useState<string | null>(null);
  const [measured, setMeasured] = useState<Measured | null>(null);
  const [progress, setProgress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [finished, setFinished] = useState(false);
  // results of a lesson that was closed or restarted are dropped
  const generation = useRef(0);
  const hostRef = useRef(host);
  hostRef.current = host;

  const step = lesson.steps[index]!;
  const total = lesson.steps.length;

  const enter = useCallback(async (c: LessonContext, i: number, gen: number) => {
    setPhase('setting-up');
    setChoice(null);
    setMeasured(null);
    setError(null);
    setProgress('');
    try {
      await setupStep(hostRef.current, c, lesson.steps[i]!);
      if (gen === generation.current) setPhase('predict');
    } catch (e) {
      if (gen !== generation.current) return;
      setError(messageOf(e));
      setPhase('error');
    }
  }, [lesson]);

  // start (or restart) the lesson: load its stream, pick its sizes, open step 1
  useEffect(() => {
    const gen = ++generation.current;
    setCtx(null);
    setIndex(0);
    setFinished(false);
    setPhase('preparing');
    setError(null);
    prepareLesson(hostRef.current, lesson, defaults).then(
      (c) => {
        if (gen !== generation.current) return;
        setCtx(c);
        void enter(c, 0, gen);
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        setError(messageOf(e));
        setPhase('error');
      },
    );
    return () => {
      generation.current++;
      focusView(null);
    };
  }, [lesson, defaults, enter]);

  const go = (i: number): void => {
    if (!ctx) return;
    setIndex(i);
    setFinished(false);
    void enter(ctx, i, generation.current);
  };

  const run = (): void => {
    if (!ctx || choice === null) return;
    const gen = generation.current;
    setPhase('running');
    setError(null);
    setProgress('starting…');
    runStep(hostRef.current, ctx, step, (text) => {
      if (gen === generation.current) setProgress(text);
    }).then(
      (m) => {
        if (gen !== generation.current) return;
        setMeasured(m);
        setPhase('done');
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        setError(messageOf(e));
        setPhase('error');
      },
    );
  };

  const dataset = host.bridge.getState().dataset;
  const timeKind: TimeKind = dataset ? timeKindOf(dataset.tMin, dataset.tMax) : 'plain';
  const values: Measured | null = measured ?? (ctx ? stepSizes(ctx, step) : null);
  const fill = (t: string): string => fillTemplate(t, values, timeKind);
  const picked = step.predict.choices.find((c) => c.id === choice);
  const agrees = measured && picked?.agrees ? picked.agrees(measured) : null;
  const why = measured ? step.why.find((w) => !w.when || w.when(measured)) : undefined;
  const busy = phase === 'preparing' || phase === 'setting-up' || phase === 'running';
  const others = LESSONS.filter((l) => l.name !== lesson.name);

  return (
    <aside className="lesson-panel" data-testid="lesson-panel" data-lesson={lesson.name} data-step={index + 1} aria-label={`Lesson: ${lesson.title}`}>
      <header className="lesson-head">
        <div>
          <p className="lesson-kicker">Lesson</p>
          <h2 className="lesson-title">{lesson.title}</h2>
        </div>
        <button type="button" className="quiet lesson-close" data-testid="lesson-close" aria-label="Close the lesson" onClick={onClose}>
          ×
        </button>
      </header>
      <ol className="lesson-dots" aria-label="steps">
        {lesson.steps.map((s, i) => (
          <li key={s.title} className={i === index ? 'current' : i < index ? 'past' : ''} title={s.title}>
            <span className="visually-hidden">{`step ${i + 1}: ${s.title}`}</span>
          </li>
        ))}
      </ol>
      {finished ? (
        <div className="lesson-body" data-testid="lesson-finished">
          <h3>Lesson complete</h3>
          <p>You ran all {total} steps of “{lesson.title}”. Every number you saw was measured on this page, on this stream.</p>
          {others.length > 0 && (
            <>
              <p>Next:</p>
              <ul className="lesson-list compact">
                {others.map((l) => (
                  <li key={l.name}>
                    <button type="button" className="link" data-testid={`lesson-next-${l.name}`} onClick={() => onOpenLesson(l.name)}>
                      {l.title}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="lesson-nav">
            <button type="button" onClick={() => go(total - 1)}>
              Back
            </button>
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <div className="lesson-body">
          <p className="lesson-stepno">
            Step {index + 1} of {total}
          </p>
          <h3 data-testid="lesson-step-title">{step.title}</h3>
          <p className="lesson-text">
            <TermText text={fill(step.text)} onTerm={onTerm} />
          </p>
          <fieldset className="lesson-predict" disabled={phase !== 'predict'}>
            <legend>
              <span className="lesson-tag">Predict</span> <TermText text={fill(step.predict.question)} onTerm={onTerm} />
            </legend>
            {step.predict.choices.map((c) => (
              <label key={c.id} className={`lesson-choice${choice === c.id ? ' chosen' : ''}`}>
                <input
                  type="radio"
                  name={`lesson-${lesson.name}-${index}`}
                  data-testid={`lesson-choice-${c.id}`}
                  checked={choice === c.id}
                  onChange={() => setChoice(c.id)}
                />
                <span>{fill(c.text)}</span>
              </label>
            ))}
          </fieldset>
          <div className="lesson-run">
            <button type="button" className="primary" data-testid="lesson-run" disabled={phase !== 'predict' || choice === null} onClick={run}>
              {step.runLabel}
            </button>
            <span className="lesson-status" data-testid="lesson-status" data-state={phase} role="status">
              {phase === 'preparing' ? 'loading the lesson\u2019s stream…'
                : phase === 'setting-up' ? 'setting up the step…'
                : phase === 'running' ? progress
                : phase === 'predict' ? (choice === null ? 'pick your prediction first' : '')
                : phase === 'done' && measured
                  ? step.run.kind === 'sweep' && measured.reused === step.run.points.length + (step.run.reference ? 1 : 0)
                    ? 'read from the models an earlier step trained'
                    : `measured in ${formatValue(measured.seconds ?? NaN, 'seconds')}`
                : ''}
            </span>
          </div>
          {error && (
            <p className="lesson-error" role="alert" data-testid="lesson-error">
              {error}{' '}
              <button type="button" className="link" onClick={() => (ctx ? go(index) : onClose())}>
                Try again
              </button>
            </p>
          )}
          {measured && (
            <section className="lesson-result" data-testid="lesson-result" aria-label="Measured" data-measured={JSON.stringify(measured)}>
              <p className="lesson-tag">Measured</p>
              <table>
                <tbody>
                  {step.show.map((s) => (
                    <tr key={s.key + s.label}>
                      <th scope="row">{fill(s.label)}</th>
                      <td data-testid={`lesson-value-${s.key}`} data-value={String(measured[s.key])}>
                        {formatValue(measured[s.key] ?? NaN, s.format, timeKind)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {picked && agrees !== null && (
                <p className={`lesson-verdict ${agrees ? 'right' : 'wrong'}`} data-testid="lesson-verdict" data-agrees={String(agrees)}>
                  You predicted “{fill(picked.text)}”: {agrees ? 'the measurement agrees.' : 'the measurement says otherwise.'}
                </p>
              )}
              {why && (
                <p className="lesson-why" data-testid="lesson-why">
                  <span className="lesson-tag">Why</span> <TermText text={fillTemplate(why.text, measured, timeKind)} onTerm={onTerm} />
                </p>
              )}
            </section>
          )}
          <div className="lesson-nav">
            <button type="button" data-testid="lesson-back" disabled={index === 0 || busy} onClick={() => go(index - 1)}>
              Back
            </button>
            {index + 1 < total ? (
              <button type="button" className="primary" data-testid="lesson-next" disabled={phase !== 'done'} onClick={() => go(index + 1)}>
                Next step
              </button>
            ) : (
              <button type="button" className="primary" data-testid="lesson-finish" disabled={phase !== 'done'} onClick={() => setFinished(true)}>
                Finish
              </button>
            )}
          </div>
        </div>
      )}
    </aside>
  );
}
