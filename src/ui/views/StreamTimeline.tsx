import { memo, useMemo } from 'react';
import type { DatasetSummary } from '../../shared/data.ts';
import type { TimelineHistogram, TrainingSnapshot } from '../../shared/training.ts';
import { useChart } from './chart.ts';
import { downloadBlob, downloadText, exportName, mountedSvg, serializeSvg, svgToPng, timelineCsv } from './export.ts';
import { StreamTimelineChart, type StreamTimelineData } from './streamTimelineChart.ts';
import { ViewFrame } from './ViewFrame.tsx';

const HEIGHT = 200;
const createChart = (el: HTMLDivElement): StreamTimelineChart => new StreamTimelineChart(el);


/**
 * Events over stream time with the chronological split and the current batch. The split boundaries are
 * event indices; they are drawn at times interpolated from the histogram's cumulative counts (±1 bin).
 */
export const StreamTimeline = memo(function StreamTimeline({ timeline, snapshot, dataset }: { timeline: TimelineHistogram | null; snapshot: TrainingSnapshot | null; dataset: DatasetSummary | null }) {
  const data = useMemo((): StreamTimelineData => ({ timeline, snapshot, dataset }), [timeline, snapshot, dataset]);
  const { container, chart } = useChart(createChart, data, HEIGHT);
  const name = exportName('stream-timeline', snapshot);
  return (
    <ViewFrame
      testId="stream-timeline"
      title="Stream timeline"
      caption="How many events happen when; training reads the stream in time order (blue: processed so far, orange: the current batch's time window)."
      host={container}
      height={HEIGHT}
      empty={timeline ? null : 'Load a dataset to see its events over time'}
      actions={[
        { label: 'PNG', title: 'Download the timeline as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(chart.current?.element, 'stream-timeline')), `${name}.png`) },
        { label: 'SVG', title: 'Download the timeline as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(chart.current?.element, 'stream-timeline')), `${name}.svg`, 'image/svg+xml') },
        {
          label: 'CSV',
          title: 'Download the histogram as CSV (bin, tStart, tEnd, events, splits of its events)',
          run: () => {
            if (!timeline) throw new Error('no timeline yet');
            downloadText(timelineCsv(timeline, dataset), `${name}.csv`, 'text/csv');
          },
        },
      ]}
    />
  );
});
