import { useEffect, useMemo, useState } from 'react';
import type { DatasetSummary } from '../../shared/data.ts';
import type { EngineBridgeApi } from '../../workers/bridgeApi.ts';
import {
  SERVE_CLOCKS, SERVE_KNOBS, SERVE_MODE_HELP, SERVE_MODES, servingOptions,
  type ServeClock, type ServeKnob, type ServeKnobValues, type ServeMode, type ServeRun, type ServeSummary,
} from '../../shared/serving.ts';
import { useChart } from '../views/chart.ts';
import { downloadBlob, downloadText, mountedSvg, serializeSvg, svgToPng } from '../views/export.ts';
import { ViewFrame } from '../views/ViewFrame.tsx';
import { DEFAULT_SERVE_INPUTS, parseServeInputs, recordsCsv, servingRuns, summariesCsv, type ServeInputs, type ServingAction } from './servingData.ts';
import { MODE_COLOUR, MODE_LABEL, ServingFrontierChart, ServingTimelineChart, stalenessColour, TIMELINE_QUERIES, type FrontierData } from './servingChart.ts';

const TIMELINE_HEIGHT = 340;
const FRONTIER_HEIGHT = 300;
const createTimeline = (el: HTMLDivElement): ServingTimelineChart => new ServingTimelineChart(el);
const createFrontier = (el: HTMLDivElement): ServingFrontierChart => new ServingFrontierChart(el);

const LABELS: Readonly<Record<ServeKnob['key'], string>> = {
  eventRate: 'events / s (R)',
  queryRate: 'queries / s (Q)',
  groupSize: 'update group (G)',
  groupWindowMs: 'update window ms (W)',
  queryGroupSize: 'query group',
  queryGroupWindowMs: 'query window ms',
  durationS: 'duration s',
  seed: 'seed',
};

/** a lesson's serving run: each new id sets the controls and runs; the outcome goes to onSettled */
export interface ServingRequest {
  readonly id: number;
  readonly action: ServingAction;
  readonly mode: ServeMode;
  readonly clock: ServeClock;
  readonly values: Partial<ServeKnobValues>;
  readonly onSettled: (outcome: { readonly summaries: readonly ServeSummary[] } | { readonly error: unknown }) => void;
}


const ms = (v: number): string => (v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : v.toFixed(0));

/**
 * The serving lab: what a checkpoint of the playground's model would hold serves the test events as a
 * live feed (engine/serve, the numbers `tgnn serve` prints for that checkpoint). One run draws its
 * timeline; Compare runs the three modes; Frontier serves each mode at event rates around R.
 */
export function ServingCard({ bridge, dataset, onError, request = null }: {
  bridge: EngineBridgeApi;
  dataset: DatasetSummary | null;
  onError: (what: string, e: unknown) => void;
  request?: ServingRequest | null;
}) {
  const [mode, setMode] = useState<ServeMode>('update');
  const [clock, setClock] = useState<ServeClock>('virtual');
  const [inputs, setInputs] = useState<ServeInputs>(DEFAULT_SERVE_INPUTS);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState('not run yet');
  const [shown, setShown] = useState<ServeRun | null>(null);
  const [summaries, setSummaries] = useState<readonly ServeSummary[]>([]);
  const [frontier, setFrontier] = useState<readonly ServeSummary[]>([]);
  const parsed = parseServeInputs(inputs);

  const execute = async (action: ServingAction, m: ServeMode, c: ServeClock, values: ServeKnobValues): Promise<ServeSummary[]> => {
    const runs = servingRuns(action, m, values.eventRate!);
    const done: ServeSummary[] = [];
    for (const [i, r] of runs.entries()) {
      setBusy(`${action === 'frontier' ? 'frontier' : 'serving'}: ${MODE_LABEL[r.mode]} at ${r.eventRate} events/s (${i + 1} of ${runs.length})…`);
      const run = await bridge.serve(servingOptions(r.mode, { ...values, eventRate: r.eventRate }, c));
      done.push(run.summary);
      if (action !== 'frontier' && (action === 'serve' || r.mode === m)) setShown(run);
    }
    if (action === 'frontier') setFrontier(done);
    else setSummaries((old) => [...done, ...old.filter((o) => !done.some((d) => d.mode === o.mode))].sort((a, b) => SERVE_MODES.indexOf(a.mode) - SERVE_MODES.indexOf(b.mode)));
    return done;
  };

  const start = (action: ServingAction, m: ServeMode, c: ServeClock, values: ServeKnobValues | null, onSettled?: ServingRequest['onSettled']): void => {
    if (!dataset || !values || busy) {
      onSettled?.({ error: new Error(!dataset ? 'load a dataset first' : busy ? 'a serving run is already going' : 'fix the serving inputs first') });
      return;
    }
    const t0 = performance.now();
    execute(action, m, c, values).then(
      (done) => {
        setBusy(null);
        setStatus(`done: ${done.length} run${done.length === 1 ? '' : 's'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        onSettled?.({ summaries: done });
      },
      (e: unknown) => {
        setBusy(null);
        setStatus(`failed: ${e instanceof Error ? e.message : String(e)}`);
        onError('serving', e);
        onSettled?.({ error: e });
      },
    );
  };

  // a lesson's run: show its settings in the controls, then run it
  useEffect(() => {
    if (!request) return;
    const next: ServeInputs = { ...inputs };
    for (const k of SERVE_KNOBS) {
      const v = request.values[k.key];
      if (v !== undefined) (next as Record<ServeKnob['key'], string>)[k.key] = v === null ? '' : String(v);
    }
    setInputs(next);
    setMode(request.mode);
    setClock(request.clock);
    start(request.action, request.mode, request.clock, parseServeInputs(next).values, request.onSettled);
  }, [request?.id]);

  const { container: timelineHost, chart: timeline } = useChart(createTimeline, shown, TIMELINE_HEIGHT);
  const frontierData = useMemo<FrontierData>(() => ({
    points: frontier,
    title: `Latency vs staleness${frontier[0] ? ` — G = ${frontier[0].updateGrouping.size}${frontier[0].updateGrouping.windowMs !== null ? `, W = ${frontier[0].updateGrouping.windowMs} ms` : ''}, Q = ${frontier[0].queryRate}/s, ${frontier[0].clock} clock` : ''}`,
  }), [frontier]);
  const { container: frontierHost, chart: frontierChart } = useChart(createFrontier, frontierData, FRONTIER_HEIGHT);
  const name = `tgnn-serving-${(dataset?.name ?? 'stream').replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const disabled = !dataset || busy !== null;
  const maxP99 = Math.max(1e-9, ...summaries.map((s) => s.latencyMs.p99));

  return (
    <section className="serving-card" data-testid="serving" aria-labelledby="serving-title">
      <header className="lab-head">
        <h3 id="serving-title">Serving lab: keeping answers current while events arrive</h3>
        <p>
          After training, events keep arriving and clients ask for predictions. What a checkpoint of your model holds serves the test events
          as a live feed (on the virtual clock, the page and <code>tgnn serve --clock virtual</code> give the same numbers). Each query asks about an
          event that has not arrived yet; its <b>staleness</b> is how many arrived events its answer misses, and its exact answer applies every
          arrived event one at a time. Serving pauses training and leaves your model as it was.
        </p>
        <ul className="serving-modes">
          {SERVE_MODES.map((m) => (
            <li key={m}><span className="swatch" style={{ background: MODE_COLOUR[m] }} /> <b>{MODE_LABEL[m]}</b>: {SERVE_MODE_HELP[m]}</li>
          ))}
        </ul>
      </header>
      <div className="lab-controls" data-testid="serving-controls">
        <label className="lab-control" title="how answers stay current">
          <span>mode</span>
          <select data-testid="serving-mode" value={mode} disabled={busy !== null} onChange={(e) => setMode(SERVE_MODES.find((m) => m === e.target.value) ?? 'update')}>
            {SERVE_MODES.map((m) => <option key={m} value={m}>{MODE_LABEL[m]}</option>)}
          </select>
        </label>
        {SERVE_KNOBS.map((k) => (
          <label key={k.key} className="lab-control" title={k.help}>
            <span>{LABELS[k.key]}</span>
            <input
              className={`lab-number${parsed.problems[k.key] ? ' invalid' : ''}`}
              data-testid={`serving-${k.flag}`}
              inputMode="decimal"
              value={inputs[k.key]}
              placeholder={k.default === null ? 'none' : ''}
              aria-invalid={parsed.problems[k.key] !== undefined}
              disabled={busy !== null}
              onChange={(e) => setInputs({ ...inputs, [k.key]: e.target.value })}
            />
            {parsed.problems[k.key] && <span className="field-error">{parsed.problems[k.key]}</span>}
          </label>
        ))}
        <label className="lab-control" title="virtual: each operation takes the cost model's time (exactly reproducible, the same as the CLI's); measured: its wall time in this tab's worker, the two servers simulated side by side; wall: the update and query servers as two workers serving at once in real time">
          <span>clock</span>
          <select data-testid="serving-clock" value={clock} disabled={busy !== null} onChange={(e) => setClock(SERVE_CLOCKS.find((c) => c === e.target.value) ?? 'virtual')}>
            {/* the wall clock shares memory between two workers: only in a cross-origin isolated page */}
            {SERVE_CLOCKS.map((c) => <option key={c} value={c} disabled={c === 'wall' && !window.crossOriginIsolated}>{c}</option>)}
          </select>
        </label>
        <div className="lab-actions">
          <button type="button" className="primary" data-testid="serving-run" disabled={disabled || !parsed.values} onClick={() => start('serve', mode, clock, parsed.values)}
            title="Serve the test events once with the chosen mode and draw its timeline">Serve</button>
          <button type="button" data-testid="serving-compare" disabled={disabled || !parsed.values} onClick={() => start('compare', mode, clock, parsed.values)}
            title="Serve with each of the three modes, same feed and queries">Compare modes</button>
          <button type="button" data-testid="serving-frontier" disabled={disabled || !parsed.values} onClick={() => start('frontier', mode, clock, parsed.values)}
            title="Serve each mode at six event rates around R: the latency-vs-staleness frontier">Frontier</button>
        </div>
      </div>
      <p className="tv-facts lab-status" data-testid="serving-status" data-state={busy ? 'running' : status.startsWith('done') ? 'done' : status.startsWith('failed') ? 'failed' : 'idle'}>
        <span>{busy ?? status}</span>
      </p>
      {summaries.length > 0 && (
        <div className="serving-table-wrap">
        <table className="serving-table" data-testid="serving-summary">
          <thead>
            <tr>
              <th>mode</th><th>R</th><th>queries</th><th>latency P50 / P99 (ms)</th><th>staleness (events) mean / P99</th><th>staleness (ms) mean</th>
              <th>AP served / exact</th><th>update events/s</th><th>backlog / s</th>
            </tr>
          </thead>
          <tbody>
            {summaries.map((s) => (
              <tr key={s.mode} data-testid={`serving-row-${s.mode}`} data-summary={JSON.stringify({ ...s, samplingMs: undefined })}>
                <td><span className="swatch" style={{ background: MODE_COLOUR[s.mode] }} /> {MODE_LABEL[s.mode]}</td>
                <td>{s.eventRate}</td>
                <td>{s.queries}</td>
                <td>
                  <span className="serving-gauge" title="P99 latency, against the slowest mode shown">
                    <span style={{ width: `${(100 * s.latencyMs.p99) / maxP99}%`, background: MODE_COLOUR[s.mode] }} />
                  </span>
                  {ms(s.latencyMs.p50)} / {ms(s.latencyMs.p99)}
                </td>
                <td style={{ color: stalenessColour(Math.round(s.stalenessEvents.mean)) }}>{s.stalenessEvents.mean.toFixed(1)} / {s.stalenessEvents.p99.toFixed(0)}</td>
                <td>{(s.stalenessSeconds.mean * 1000).toFixed(1)}</td>
                <td>{s.ap.toFixed(4)} / {s.exactAp.toFixed(4)}</td>
                <td>{Math.round(s.updateEventsPerSec).toLocaleString('en-US')}</td>
                <td>{s.backlogGrowthPerS >= 0 ? '+' : ''}{s.backlogGrowthPerS.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {summaries.length > 0 && (
        <p className="muted serving-sampling" data-testid="serving-sampling">
          Neighbour sampling per query group (wall time here): 1 hop P50 {ms(summaries[0]!.samplingMs.hop1.p50)} / P99 {ms(summaries[0]!.samplingMs.hop1.p99)} ms,
          2 hops P50 {ms(summaries[0]!.samplingMs.hop2.p50)} / P99 {ms(summaries[0]!.samplingMs.hop2.p99)} ms (AliGraph guarantees a sampling P99 under 20 ms).
        </p>
      )}
      <div className="lab-grid serving-grid">
        <div className="lab-slot lab-sweep">
          <ViewFrame
            testId="serving-timeline"
            title="Serving timeline"
            caption={<>The first {TIMELINE_QUERIES} queries of the last run: ticks are arriving events, boxes the update server&apos;s groups, bars a query from arrival (dot) to answer, green when its answer missed nothing, orange to red as it missed more.</>}
            host={timelineHost}
            height={TIMELINE_HEIGHT}
            empty={shown ? null : 'Serve to draw a timeline'}
            actions={[
              { label: 'PNG', title: 'Download the timeline as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(timeline.current?.element, 'timeline'), 2), `${name}-timeline.png`) },
              { label: 'SVG', title: 'Download the timeline as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(timeline.current?.element, 'timeline')), `${name}-timeline.svg`, 'image/svg+xml') },
              { label: 'CSV', title: 'Download every query of the run (arrival, latency, staleness, scores, exact scores) as CSV', run: () => downloadText(recordsCsv(shown?.records ?? []), `${name}-queries.csv`, 'text/csv') },
            ]}
          />
        </div>
        <div className="lab-slot lab-sweep">
          <ViewFrame
            testId="serving-frontier-view"
            title="Latency vs staleness"
            caption={<>Each mode at six event rates around R: update-based answers fast but falls behind once events arrive faster than it updates; inference-based is never stale and pays in latency; collaborative sits between.</>}
            host={frontierHost}
            height={FRONTIER_HEIGHT}
            empty={frontier.length > 0 ? null : 'Run the frontier to fill this chart'}
            actions={[
              { label: 'PNG', title: 'Download the frontier as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(frontierChart.current?.element, 'frontier'), 2), `${name}-frontier.png`) },
              { label: 'SVG', title: 'Download the frontier as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(frontierChart.current?.element, 'frontier')), `${name}-frontier.svg`, 'image/svg+xml') },
              { label: 'CSV', title: 'Download the frontier runs as CSV', run: () => downloadText(summariesCsv(frontier), `${name}-frontier.csv`, 'text/csv') },
            ]}
          />
        </div>
      </div>
    </section>
  );
}
