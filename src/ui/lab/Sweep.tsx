import { useEffect, useMemo, useRef, useState } from 'react';
import type { StalenessAtBatchSize } from '../../shared/lab.ts';
import type { DatasetSummary } from '../../shared/data.ts';
import type { ExperimentSettings } from '../../shared/settings.ts';
import type { EngineBridgeApi } from '../../workers/bridgeApi.ts';
import { defaultConcurrency, SweepCancelled } from '../../workers/bridge.ts';
import type { SweepJobResult, SweepProgress } from '../../shared/lab.ts';
import { useChart } from '../views/chart.ts';
import { downloadBlob, downloadText, mountedSvg, serializeSvg, svgToPng } from '../views/export.ts';
import { ViewFrame } from '../views/ViewFrame.tsx';
import {
  BATCH_STEPS, parseBatchSizes, parseJobId, stalenessCurveCsv, SWEEP_VARIANTS, sweepCsv, sweepJobs, variantOf, type VariantId,
} from './labData.ts';
import { SweepChart, type SweepChartData } from './sweepChart.ts';

const HEIGHT = 340;
const createChart = (el: HTMLDivElement): SweepChart => new SweepChart(el);
const DEFAULT_BATCHES = '50, 200, 600, 2000';


type Curves = SweepChartData['curves'];

const seconds = (ms: number): string => (ms < 60_000 ? `${(ms / 1000).toFixed(0)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

export interface SweepProps {
  readonly bridge: EngineBridgeApi;
  readonly dataset: DatasetSummary | null;
  /** the experiment's settings: the sweep keeps its model sizes, learning rate and seed */
  readonly settings: ExperimentSettings;
  readonly onError: (what: string, e: unknown) => void;
  /** a lesson's sweep: each new id sets the controls to it and runs it; the outcome goes to onSettled */
  readonly request?: SweepRequest | null;
}

export interface SweepRequest {
  readonly id: number;
  readonly batchSizes: readonly number[];
  readonly variants: readonly VariantId[];
  readonly workers: number;
  /** validation events of the memory-drift check (engine default when unset) */
  readonly driftEvents?: number;
  readonly onSettled: (outcome: { readonly results: readonly SweepJobResult[] } | { readonly error: unknown }) => void;
}

/** A batch-size sweep: a fresh model per (variant, batch size) trained one epoch in parallel workers. */
export function Sweep({ bridge, dataset, settings, onError, request = null }: SweepProps) {
  const [batchText, setBatchText] = useState(DEFAULT_BATCHES);
  const [variants, setVariants] = useState<ReadonlySet<VariantId>>(() => new Set<VariantId>(['baseline', 'mailbox4', 'eval50']));
  const [workersText, setWorkersText] = useState(String(defaultConcurrency()));
  const [progress, setProgress] = useState<SweepProgress | null>(null);
  const [results, setResults] = useState<readonly SweepJobResult[]>([]);
  const [running, setRunning] = useState<AbortController | null>(null);
  const [status, setStatus] = useState<string>('not run yet');
  const [ranOn, setRanOn] = useState<{ batchSizes: number[]; dataset: string } | null>(null);
  const [curves, setCurves] = useState<Curves>([]);
  const started = useRef(0);
  // progress arrives once per training batch of every worker: hand React the latest once per frame
  const pending = useRef<SweepProgress | null>(null);
  const frame = useRef(0);
  useEffect(() => () => window.cancelAnimationFrame(frame.current), []);
  const [now, setNow] = useState(0);

  const parsed = parseBatchSizes(batchText);
  const workers = /^\d+$/.test(workersText.trim()) ? Math.max(1, Math.min(32, Number(workersText.trim()))) : null;
  const chosen = SWEEP_VARIANTS.filter((v) => variants.has(v.id)).map((v) => v.id);

  // the data-level curves, dense over batch size (cheap: no model)
  const maxB = Math.max(2000, ...(parsed.ok ? parsed.values : []));
  const mailboxes = variants.has('mailbox4') ? [1, 4] : [1];
  const curveKey = `${dataset?.name ?? ''}|${dataset?.events ?? 0}|${mailboxes.join(',')}|${maxB}`;
  useEffect(() => {
    if (!dataset) {
      setCurves((c) => (c.length === 0 ? c : []));
      return;
    }
    let cancelled = false;
    const grid = [...new Set([...BATCH_STEPS, ...BATCH_STEPS.map((b) => Math.round(b * 1.5)), ...(parsed.ok ? parsed.values : [])])]
      .filter((b) => b >= 1 && b <= maxB)
      .sort((a, b) => a - b);
    Promise.all(mailboxes.map(async (k) => ({ mailboxSize: k, points: (await bridge.stalenessCurve(grid, k)) as readonly StalenessAtBatchSize[] }))).then(
      (c) => {
        if (!cancelled) setCurves(c);
      },
      (e: unknown) => {
        if (!cancelled) onError('staleness curve', e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [curveKey, bridge, onError]);

  // elapsed time while running
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(performance.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);

  const run = (): void => {
    if (!parsed.ok || chosen.length === 0 || !dataset || workers === null) return;
    runWith(parsed.values, chosen, workers);
  };

  const runWith = (batchSizes: readonly number[], ids: readonly VariantId[], workers: number, driftEvents?: number, onSettled?: SweepRequest['onSettled']): void => {
    if (!dataset) {
      onSettled?.({ error: new Error('load a dataset before running a sweep') });
      return;
    }
    const jobs = sweepJobs(settings, batchSizes, ids);
    const controller = new AbortController();
    bridge.pause();
    setRunning(controller);
    setResults([]);
    setProgress(null);
    setRanOn({ batchSizes: [...batchSizes], dataset: dataset.name });
    started.current = performance.now();
    setNow(started.current);
    setStatus(`starting ${Math.min(workers, jobs.length)} workers for ${jobs.length} points…`);
    bridge
      .sweep(jobs, {
        concurrency: workers,
        ...(driftEvents !== undefined ? { driftEvents } : {}),
        signal: controller.signal,
        onProgress: (p) => {
          pending.current = p;
          if (frame.current !== 0) return;
          frame.current = window.requestAnimationFrame(() => {
            frame.current = 0;
            const latest = pending.current;
            if (!latest) return;
            setProgress(latest);
            setResults(latest.results);
          });
        },
      })
      .then(
        (all) => {
          window.cancelAnimationFrame(frame.current);
          frame.current = 0;
          pending.current = null;
          setResults(all);
          const failed = all.filter((r) => r.error !== null);
          const took = seconds(performance.now() - started.current);
          setStatus(failed.length === 0 ? `done: ${all.length} points in ${took}` : `done in ${took}; ${failed.length} of ${all.length} points failed: ${failed[0]!.error}`);
          onSettled?.({ results: all });
        },
        (e: unknown) => {
          window.cancelAnimationFrame(frame.current);
          frame.current = 0;
          if (e instanceof SweepCancelled) setStatus('cancelled');
          else {
            setStatus(`failed: ${e instanceof Error ? e.message : String(e)}`);
            onError('sweep', e);
          }
          onSettled?.({ error: e });
        },
      )
      .finally(() => setRunning(null));
  };

  // a lesson's sweep: show its batch sizes and variants in the controls, then run it
  useEffect(() => {
    if (!request) return;
    if (running) {
      request.onSettled({ error: new Error('a sweep is already running: wait for it or cancel it') });
      return;
    }
    setBatchText(request.batchSizes.join(', '));
    setVariants(new Set(request.variants));
    setWorkersText(String(request.workers));
    runWith(request.batchSizes, request.variants, request.workers, request.driftEvents, request.onSettled);
  }, [request?.id]);

  const series = useMemo(() => {
    return chosen.map((id) => ({
      variant: variantOf(id),
      points: results.filter((r) => r.point && parseJobId(r.id).variant === id).map((r) => r.point!),
    }));
  }, [results, chosen.join(',')]);
  const shownBatchSizes = ranOn?.batchSizes ?? (parsed.ok ? parsed.values : []);
  const data = useMemo<SweepChartData>(
    () => ({
      series,
      curves,
      batchSizes: shownBatchSizes,
      title: `AP after one epoch vs batch size${ranOn ? ` — ${ranOn.dataset}` : dataset ? ` — ${dataset.name}` : ''}`,
    }),
    [series, curves, shownBatchSizes.join(','), ranOn, dataset],
  );
  const { container, chart } = useChart(createChart, data, HEIGHT);
  const name = `tgnn-sweep-${(ranOn?.dataset ?? dataset?.name ?? 'stream').replace(/[^A-Za-z0-9._-]/g, '_')}`;

  const runningText = progress && running
    ? `${progress.done} / ${progress.total} points · ${progress.workers} workers · ${seconds(now - started.current)}` +
      (progress.running.length > 0
        ? ` · training ${progress.running.map((r) => `${variantOf(parseJobId(r.id).variant).label} at B = ${parseJobId(r.id).batchSize}${r.batches > 0 ? ` (${r.batch}/${r.batches})` : ''}`).join(', ')}`
        : '')
    : null;

  return (
    <ViewFrame
      testId="sweep"
      title="Batch-size sweep"
      caption={
        <>
          As in DistTGL (Fig. 3): a fresh model per variant and batch size, trained for one epoch in the background, a few at a time (your
          model in the playground is paused, not changed), and evaluated at the same batch size. Grey: the share of stale events and dropped
          mails in the stream itself at each batch size (no training needed).
        </>
      }
      host={container}
      height={HEIGHT}
      empty={dataset ? null : 'Load a dataset to run a sweep'}
      actions={[
        { label: 'PNG', title: 'Download the sweep chart as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(chart.current?.element, 'sweep'), 2), `${name}.png`) },
        { label: 'SVG', title: 'Download the sweep chart as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(chart.current?.element, 'sweep')), `${name}.svg`, 'image/svg+xml') },
        {
          label: 'CSV',
          title: 'Download the sweep points as CSV (variant, batch size, AP, events/s, fractions, memory drift)',
          run: () => {
            if (results.length === 0) throw new Error('no sweep point yet');
            downloadText(sweepCsv(results), `${name}.csv`, 'text/csv');
          },
        },
        {
          label: 'Curve CSV',
          title: 'Download the stream\'s stale and dropped shares per batch size as CSV',
          run: () => downloadText(stalenessCurveCsv(curves), `${name}-staleness.csv`, 'text/csv'),
        },
      ]}
    >
      <div className="lab-controls">
        <label className="lab-control wide" title="training batch sizes to compare, separated by commas">
          <span>batch sizes</span>
          <input
            className={`lab-text${parsed.ok ? '' : ' invalid'}`}
            data-testid="sweep-batch-sizes"
            value={batchText}
            aria-invalid={!parsed.ok}
            disabled={running !== null}
            onChange={(e) => setBatchText(e.target.value)}
          />
          {!parsed.ok && <span className="field-error">{parsed.reason}</span>}
        </label>
        <fieldset className="lab-variants" disabled={running !== null}>
          <legend>variants</legend>
          {SWEEP_VARIANTS.map((v) => (
            <label key={v.id} className="lab-check">
              <input
                type="checkbox"
                data-testid={`sweep-variant-${v.id}`}
                checked={variants.has(v.id)}
                onChange={(e) => {
                  const next = new Set(variants);
                  if (e.target.checked) next.add(v.id);
                  else next.delete(v.id);
                  setVariants(next);
                }}
              />
              <span className="swatch" style={{ background: v.colour }} />
              {v.label}
            </label>
          ))}
        </fieldset>
        <label className="lab-control" title="models trained at the same time (the other points wait their turn)">
          <span>workers</span>
          <input
            className={`lab-number${workers === null ? ' invalid' : ''}`}
            data-testid="sweep-workers"
            inputMode="numeric"
            value={workersText}
            disabled={running !== null}
            onChange={(e) => setWorkersText(e.target.value)}
          />
        </label>
        <div className="lab-actions">
          {running ? (
            <button type="button" data-testid="sweep-cancel" onClick={() => running.abort()}>
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              data-testid="sweep-run"
              disabled={!dataset || !parsed.ok || chosen.length === 0 || workers === null}
              onClick={run}
            >
              Run sweep
            </button>
          )}
        </div>
      </div>
      <p className="tv-facts lab-status" data-testid="sweep-status" data-state={running ? 'running' : status.startsWith('done') ? 'done' : 'idle'}>
        <span>{runningText ?? status}</span>
      </p>
    </ViewFrame>
  );
}
