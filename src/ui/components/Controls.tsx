import type { TrainingSnapshot } from '../../shared/training.ts';
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

function Icon({ d }: { d: string }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d={d} fill="currentColor" />
    </svg>
  );
}
const PLAY = 'M4 2.5v11l9-5.5z';
const PAUSE = 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z';
const STEP = 'M2.5 2.5v11l7.5-5.5zM11 2.5h2.5v11H11z';
const RESET = 'M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.9.6A3.5 3.5 0 1 0 8 4.5V7L4 3.5 8 0z';

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
            <Icon d={PAUSE} /> Pause
          </button>
        ) : (
          <button type="button" className="primary" data-testid="play" onClick={onPlay} disabled={!canRun} title="Play (space)">
            <Icon d={PLAY} /> Play
          </button>
        )}
        {!hidden.has('step') && (
          <button type="button" data-testid="step" onClick={onStep} disabled={!canRun && !playing} title="Step one batch (→)">
            <Icon d={STEP} /> Step
          </button>
        )}
        {!hidden.has('reset') && (
          <button type="button" data-testid="reset" onClick={onReset} disabled={!ready || busy} title="Fresh weights from the seed, back to epoch 1">
            <Icon d={RESET} /> Reset
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
