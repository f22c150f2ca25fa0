import { useMemo } from 'react';
import type { DatasetSummary } from '../../shared/data.ts';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { useChart } from '../views/chart.ts';
import { downloadBlob, downloadText, exportName, mountedSvg, serializeSvg, svgToPng } from '../views/export.ts';
import { formatSpan, timeKindOf } from '../views/format.ts';
import { ViewFrame } from '../views/ViewFrame.tsx';
import { agesCsv, ageMarkers, probesCsv } from './labData.ts';
import { AgeHistogramChart, ProbeBarsChart, type AgeData } from './probeCharts.ts';

const HEIGHT = 200;
const createBars = (el: HTMLDivElement): ProbeBarsChart => new ProbeBarsChart(el);
const createAges = (el: HTMLDivElement): AgeHistogramChart => new AgeHistogramChart(el);


const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(1)} %`);

/** Stale and dropped fractions of every training batch so far (one bar per batch, aligned with the loss). */
export function ProbeBars({ snapshot }: { snapshot: TrainingSnapshot | null }) {
  const { container, chart } = useChart(createBars, snapshot, HEIGHT);
  const name = exportName('probes', snapshot);
  const n = snapshot?.probes.staleFraction.length ?? 0;
  return (
    <ViewFrame
      testId="probe-bars"
      title="Stale and dropped, per training batch"
      caption="While training: the share of each batch's events that read stale memory (bars), and the share of its mails the mailbox drops (line)."
      host={container}
      height={HEIGHT}
      empty={snapshot ? null : 'Train a model to see its batches'}
      actions={[
        { label: 'PNG', title: 'Download the chart as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(chart.current?.element, 'probe')), `${name}.png`) },
        { label: 'SVG', title: 'Download the chart as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(chart.current?.element, 'probe')), `${name}.svg`, 'image/svg+xml') },
        {
          label: 'CSV',
          title: 'Download the per-batch probes as CSV (batch, epoch, staleFraction, droppedMailFraction, ageP50, ageP90, ageMax)',
          run: () => {
            if (!snapshot) throw new Error('no snapshot yet');
            downloadText(probesCsv(snapshot), `${name}.csv`, 'text/csv');
          },
        },
      ]}
    >
      <p className="tv-facts">
        <span>
          batches <b data-testid="probe-batches">{n}</b>
        </span>
        <span>
          last: stale <b>{pct(snapshot?.probes.staleFraction[n - 1])}</b>, dropped <b>{pct(snapshot?.probes.droppedMailFraction[n - 1])}</b>
        </span>
      </p>
    </ViewFrame>
  );
}

/** How old the memory is that the last batch read: a log-scale histogram with p50, p90 and max. */
export function AgeHistogram({ snapshot, dataset }: { snapshot: TrainingSnapshot | null; dataset: DatasetSummary | null }) {
  const timeKind = dataset ? timeKindOf(dataset.tMin, dataset.tMax) : 'plain';
  const data = useMemo<AgeData>(() => ({ snapshot, timeKind }), [snapshot, timeKind]);
  const { container, chart } = useChart(createAges, data, HEIGHT);
  const name = exportName('memory-age', snapshot);
  const m = snapshot && snapshot.probes.lastAges.length > 0 ? ageMarkers(snapshot) : null;
  const phase = snapshot?.lastBatch?.phase;
  return (
    <ViewFrame
      testId="age-histogram"
      title="Memory age of the last batch's reads"
      caption="Each event reads the memory of its source and destination; its age is the event's time minus that memory's last update. Bigger batches read older memory."
      host={container}
      height={HEIGHT}
      empty={snapshot?.lastBatch ? null : 'Train a batch to see the ages of its reads'}
      actions={[
        { label: 'PNG', title: 'Download the histogram as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(chart.current?.element, 'age')), `${name}.png`) },
        { label: 'SVG', title: 'Download the histogram as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(chart.current?.element, 'age')), `${name}.svg`, 'image/svg+xml') },
        {
          label: 'CSV',
          title: 'Download every read age of the last batch as CSV',
          run: () => {
            if (!snapshot) throw new Error('no snapshot yet');
            downloadText(agesCsv(snapshot), `${name}.csv`, 'text/csv');
          },
        },
      ]}
    >
      <p className="tv-facts">
        <span>{phase ? `${phase} batch, ${snapshot?.probes.lastAges.length ?? 0} reads` : 'no batch yet'}</span>
        <span>
          p50 <b data-testid="age-p50">{m ? formatSpan(m.p50, timeKind) : '–'}</b>
        </span>
        <span>
          p90 <b>{m ? formatSpan(m.p90, timeKind) : '–'}</b>
        </span>
        <span>
          max <b>{m ? formatSpan(m.max, timeKind) : '–'}</b>
        </span>
      </p>
    </ViewFrame>
  );
}
