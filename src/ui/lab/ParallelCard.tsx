import { useMemo } from 'react';
import type { DatasetSummary } from '../../shared/data.ts';
import type { ParallelEpochStats, TrainingSnapshot } from '../../shared/training.ts';
import type { ExperimentSettings } from '../../shared/settings.ts';
import { copyResets, localIteration, parallelSchedule, rankWork, trainersOf, unitRange, type ParallelSchedule } from '../../shared/parallelSchedule.ts';
import { formatNumber } from '../views/format.ts';
import { parallelismOf } from '../../shared/knobs.ts';

/** iterations drawn at once */
const WINDOW = 10;
const COL = 58;
const ROW = 22;
const LABEL = 118;

interface Cell {
  readonly g: number;
  readonly r: number;
  readonly m: number;
  /** null: idle */
  readonly unit: number | null;
  readonly repetition: number;
}

/** the first iteration drawn: the window follows the running iteration once it passes the middle */
export function windowStart(s: ParallelSchedule, current: number | null): number {
  if (current === null) return 0;
  return Math.max(0, Math.min(s.iterations - WINDOW, current - Math.floor(WINDOW / 2)));
}

/**
 * DistTGL's parallel training, drawn from the schedule the engine runs (src/shared/parallelSchedule.ts): for
 * a window of iterations, each memory copy's ranks and the unit each trains (dark: it reads memory and
 * writes it; light: the same unit again, on the same memory, against other negatives), each copy's resets,
 * and the one gradient average per iteration. While training, the running iteration is outlined. Under it,
 * the last epoch's measured numbers and DistTGL's guideline for this machine.
 */
export function ParallelCard({ settings, dataset, snapshot }: { settings: ExperimentSettings; dataset: DatasetSummary | null; snapshot: TrainingSnapshot | null }) {
  const parallelism = parallelismOf(settings);
  const { minibatch: i, epoch: j, memory: k } = parallelism;
  const schedule = useMemo(
    () => (dataset && dataset.split.train[1] > dataset.split.train[0]
      ? parallelSchedule(dataset.split.train[0], dataset.split.train[1], settings.batchSize, { minibatch: i, epoch: j, memory: k })
      : null),
    [dataset, settings.batchSize, i, j, k],
  );
  const cursor = snapshot?.cursor;
  const current = schedule && cursor && cursor.phase === 'train' && cursor.batches === schedule.iterations ? Math.min(cursor.batch, schedule.iterations - 1) : null;
  const start = schedule ? windowStart(schedule, current) : 0;
  const cells = useMemo(() => {
    if (!schedule) return [];
    const out: Cell[] = [];
    for (let m = start; m < Math.min(schedule.iterations, start + WINDOW); m++) {
      for (let g = 0; g < k; g++) {
        for (let r = 0; r < j; r++) {
          const w = rankWork(schedule, g, r, m);
          out.push({ g, r, m, unit: w?.unit ?? null, repetition: w?.repetition ?? 0 });
        }
      }
    }
    return out;
  }, [schedule, start, j, k]);
  const last = snapshot?.epochs[snapshot.epochs.length - 1]?.parallel ?? null;
  const rows = k * (j + 1) + 1;
  const cols = schedule ? Math.min(WINDOW, schedule.iterations - start) : 0;
  const width = LABEL + cols * COL + 8;
  const height = 18 + rows * ROW + 6;
  const rowY = (g: number, r: number | 'copy'): number => 18 + (g * (j + 1) + (r === 'copy' ? 0 : r + 1)) * ROW;
  const colX = (m: number): number => LABEL + (m - start) * COL;
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  return (
    <section className="tv-view parallel-card" data-testid="parallel-card">
      <header className="tv-head">
        <h3 className="tv-title">Parallel training (DistTGL)</h3>
      </header>
      <p className="tv-caption">
        DistTGL trains a memory-based TGNN on many trainers without making memory staler than one trainer would. <b>Mini-batch
        parallelism i</b>: i trainers take i consecutive batches and read the same memory (for memory, one batch of i × B).{' '}
        <b>Epoch parallelism j</b>: j ranks share one memory; each trains its unit j times against different negatives and writes it
        once, so memory advances one unit per step (no added staleness). <b>Memory parallelism k</b>: k memory copies start at
        different points of the stream and never talk; each costs a cold start. Set i, j and k under Advanced settings.
      </p>
      {!schedule ? (
        <p className="tv-empty-line">Load a dataset to see its schedule.</p>
      ) : (
        <>
          <p className="tv-facts" data-testid="parallel-config">
            <span>
              i = <b>{i}</b>, j = <b>{j}</b>, k = <b>{k}</b>: <b>{trainersOf(parallelism)}</b> trainers
            </span>
            <span>
              units of <b>{formatNumber(i * settings.batchSize)}</b> events, <b>{formatNumber(schedule.iterations)}</b> steps per pass
              {k > 1 && <> (copy starts: {schedule.copyStart.map((c) => `step ${c}`).join(', ')})</>}
            </span>
          </p>
          <div className="parallel-scroll">
          <svg className="parallel-timeline" data-testid="parallel-timeline" width={width} height={height} role="img"
            aria-label={`DistTGL schedule: steps ${start + 1} to ${start + cols}`}>
            {Array.from({ length: cols }, (_, c) => (
              <text key={`h${c}`} x={colX(start + c) + COL / 2} y={12} className="pt-head" textAnchor="middle">step {start + c + 1}</text>
            ))}
            {current !== null && current >= start && current < start + cols && (
              <rect className="pt-current" data-testid="parallel-current" x={colX(current) + 1} y={15} width={COL - 2} height={rows * ROW + 4} />
            )}
            {Array.from({ length: k }, (_, g) => (
              <g key={`copy${g}`}>
                <text x={4} y={rowY(g, 'copy') + 15} className="pt-label">memory copy {g + 1}</text>
                {Array.from({ length: cols }, (_, c) => {
                  const m = start + c;
                  const writer = cells.find((x) => x.g === g && x.m === m && x.unit !== null && x.repetition === 0);
                  const reset = copyResets(schedule, g, m);
                  return (
                    <text key={`d${g}-${m}`} x={colX(m) + COL / 2} y={rowY(g, 'copy') + 15} textAnchor="middle"
                      className={reset && localIteration(schedule, g, m) !== 0 ? 'pt-cold' : reset ? 'pt-reset' : 'pt-write'}
                      data-testid={`daemon-${g}-${m}`}>
                      {reset ? (localIteration(schedule, g, m) !== 0 ? 'cold' : 'fresh') : ''}{reset && writer ? ' ' : ''}
                      {writer ? `W${writer.unit! + 1}` : ''}
                    </text>
                  );
                })}
                {Array.from({ length: j }, (_, r) => (
                  <text key={`l${g}-${r}`} x={14} y={rowY(g, r) + 15} className="pt-label">rank {r + 1}{i > 1 ? ` (${i} trainers)` : ''}</text>
                ))}
              </g>
            ))}
            {cells.map((x) => {
              const px = colX(x.m) + 3;
              const py = rowY(x.g, x.r) + 3;
              if (x.unit === null) return <rect key={`c${x.g}-${x.r}-${x.m}`} x={px} y={py} width={COL - 6} height={ROW - 6} className="pt-idle" />;
              const [from, to] = unitRange(schedule, x.unit);
              return (
                <g key={`c${x.g}-${x.r}-${x.m}`} data-testid={`cell-${x.g}-${x.r}-${x.m}`} data-unit={x.unit} data-repetition={x.repetition}>
                  <title>{`step ${x.m + 1}, copy ${x.g + 1}, rank ${x.r + 1}: unit ${x.unit + 1} (events ${from}–${to - 1}), `
                    + (x.repetition === 0 ? 'reads memory after the previous unit and writes it' : `repetition ${x.repetition + 1} of ${j}: same memory, other negatives, no write`)}</title>
                  {Array.from({ length: i }, (_, t) => (
                    <rect key={t} x={px + (t * (COL - 6)) / i} y={py} width={(COL - 6) / i - (i > 1 ? 1 : 0)} height={ROW - 6}
                      className={x.repetition === 0 ? 'pt-write-cell' : 'pt-repeat-cell'} />
                  ))}
                  <text x={px + (COL - 6) / 2} y={py + 12} textAnchor="middle" className={x.repetition === 0 ? 'pt-cell-text-dark' : 'pt-cell-text'}>
                    u{x.unit + 1}{x.repetition > 0 ? `·${x.repetition + 1}` : ''}
                  </text>
                </g>
              );
            })}
            <text x={4} y={18 + (rows - 1) * ROW + 15} className="pt-label">Σ grads → Adam</text>
            {Array.from({ length: cols }, (_, c) => {
              const m = start + c;
              const n = cells.filter((x) => x.m === m && x.unit !== null).length * i;
              return <text key={`s${m}`} x={colX(m) + COL / 2} y={18 + (rows - 1) * ROW + 15} textAnchor="middle" className="pt-sync">{n > 0 ? `Σ ${n}` : ''}</text>;
            })}
          </svg>
          </div>
          <p className="tv-caption">
            Dark: the rank reads memory after the previous unit and writes it (W). Light (u·2, u·3): the same unit again on the same
            memory, against other negatives, no write. Dashed: idle. A copy starts <i>fresh</i> (zeroed memory at the stream&apos;s start)
            or <i>cold</i> (zeroed memory mid-stream: its first reads lack the nodes&apos; history). Each step averages the gradients of
            every active trainer (Σ n) and takes one Adam step.
          </p>
          {last ? <MeasuredFacts p={last} /> : <p className="tv-facts">Train an epoch to see its measured staleness and cold starts.</p>}
          <p className="tv-caption" data-testid="parallel-guideline">
            <b>DistTGL&apos;s guideline for this machine ({cores} {cores === 1 ? 'core' : 'cores'}):</b> trainers that share one machine&apos;s memory
            get <b>epoch parallelism</b> first (j up to the cores, here j = {Math.max(1, Math.min(cores, 8))}, and at most the epochs you
            train: it adds no staleness); <b>mini-batch parallelism</b> only while i × B stays inside the batch sizes the sweep above shows
            harmless; <b>memory parallelism</b> for trainers on machines that share no memory (copies never talk; each starts cold). On wasm the
            page runs the trainers on worker threads, one per core up to the trainers (the engine&apos;s thread stays the memory daemon), with
            the numbers of the one-thread reference, as <code>tgnn train --workers</code> does.
          </p>
        </>
      )}
    </section>
  );
}

function MeasuredFacts({ p }: { p: ParallelEpochStats }) {
  return (
    <p className="tv-facts" data-testid="parallel-measured">
      <span>
        last epoch: stale <b data-testid="parallel-stale" data-value={String(p.staleFraction)}>{(100 * p.staleFraction).toFixed(1)} %</b>, dropped mail{' '}
        <b data-testid="parallel-dropped" data-value={String(p.droppedMailFraction)}>{(100 * p.droppedMailFraction).toFixed(1)} %</b>
      </span>
      <span>
        cold-start events <b data-testid="parallel-cold" data-value={String(p.coldStartEvents)}>{formatNumber(p.coldStartEvents)}</b>
      </span>
      <span>
        trainer events/s <b>{formatNumber(Math.round(p.processedEventsPerSec))}</b> (lr {p.learningRate})
      </span>
    </p>
  );
}
