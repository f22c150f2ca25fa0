import type { TrainingSnapshot } from '../../engine/session/types.ts';
import type { BridgeStatus } from '../../workers/bridgeApi.ts';
import type { HiddenControls } from '../state.ts';

export interface ControlsProps {
  readonly status: BridgeStatus;
  readonly snapshot: TrainingSnapshot | null;
  /** a model is configured and a dataset loaded */
  readonly ready: boolean;
  /** a step or reset is in flight */
  readonly busy: boolean;
  readonly hidden: HiddenControls;
  readonly onPlay: () => void;
  readonly onPause: () => void;
  readonly onStep: () => void;
  readonly onReset: () => void;
}

const PHASE_WORDS = { train: 'training', val: 'validation', test: 'test' } as const;
const fmt = new Intl.NumberFormat('en-US');

/** Play / pause / step / reset, and where training stands (epoch, phase, batch i of n). */
export function Controls({ status, snapshot, ready, busy, hidden, onPlay, onPause, onStep, onReset }: ControlsProps) {
  const playing = status === 'playing';
  const cursor = snapshot?.cursor ?? null;
  const canRun = ready && !busy;
  return (
    <section className="card controls" aria-label="Training controls">
      <h2>Training</h2>
      <div className="buttons">
        {playing ? (
          <button type="button" className="primary" data-testid="pause" onClick={onPause} title="Pause (space)">
            <span aria-hidden="true">❚❚</span> Pause
          </button>
        ) : (
          <button type="button" className="primary" data-testid="play" onClick={onPlay} disabled={!canRun} title="Play (space)">
            <span aria-hidden="true">▶</span> Play
          </button>
        )}
        {!hidden.has('step') && (
          <button type="button" data-testid="step" onClick={onStep} disabled={!canRun && !playing} title="Step one batch (→)">
            <span aria-hidden="true">⏭</span> Step
          </button>
        )}
        {!hidden.has('reset') && (
          <button type="button" data-testid="reset" onClick={onReset} disabled={!ready || busy} title="Fresh weights from the seed, back to epoch 1">
            <span aria-hidden="true">↺</span> Reset
          </button>
        )}
      </div>
      <dl className="counters">
        <div>
          <dt>Epoch</dt>
          <dd data-testid="epoch-counter">{cursor ? cursor.epoch : '–'}</dd>
        </div>
        <div>
          <dt>{cursor ? PHASE_WORDS[cursor.phase] : 'phase'} batch</dt>
          <dd data-testid="batch-counter">
            {cursor ? `${cursor.phase} · batch ${fmt.format(cursor.batch)} of ${fmt.format(cursor.batches)}` : '–'}
          </dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd>{snapshot && snapshot.eventsPerSec > 0 ? `${fmt.format(Math.round(snapshot.eventsPerSec))} events/s` : '–'}</dd>
        </div>
        <div>
          <dt>Last loss</dt>
          <dd>{snapshot?.lastBatch && Number.isFinite(snapshot.lastBatch.loss) ? snapshot.lastBatch.loss.toFixed(4) : '–'}</dd>
        </div>
      </dl>
      <p className="hint">Keys: <kbd>space</kbd> play / pause, <kbd>→</kbd> one batch.</p>
    </section>
  );
}
