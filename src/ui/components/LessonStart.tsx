import { LESSONS } from '../lessons/index.ts';
import '../lessons/lessons.css';

/** The lessons as a list of start buttons. */
export function LessonList({ onStart, testPrefix }: { onStart: (name: string) => void; testPrefix: string }) {
  return (
    <ol className="lesson-list">
      {LESSONS.map((l, i) => (
        <li key={l.name}>
          <button type="button" className="lesson-start" data-testid={`${testPrefix}-${l.name}`} onClick={() => onStart(l.name)}>
            <span className="lesson-start-no">{i + 1}</span>
            <span>
              <b>{l.title}</b>
              <span className="lesson-start-summary">{l.summary}</span>
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/** The first screen's invitation: the lessons, a few minutes each, or close it and explore. */
export function LessonStart({ onStart, onDismiss }: { onStart: (name: string) => void; onDismiss: () => void }) {
  return (
    <section className="card lesson-welcome" data-testid="lesson-welcome" aria-labelledby="lesson-welcome-title">
      <header>
        <h2 id="lesson-welcome-title">Start a lesson</h2>
        <button type="button" className="quiet" data-testid="lesson-welcome-close" aria-label="Close the lesson list" onClick={onDismiss}>
          ×
        </button>
      </header>
      <p>
        New to temporal graph networks? Each lesson sets up the playground, asks you to predict what will happen, runs it here
        in your browser, and explains the result. Or close this and press <b>Play</b>.
      </p>
      <LessonList onStart={onStart} testPrefix="lesson-start" />
    </section>
  );
}
