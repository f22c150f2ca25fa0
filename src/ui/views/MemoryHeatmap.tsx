import { memo } from 'react';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { useChart } from './chart.ts';
import { canvasToPng, downloadBlob, downloadText, exportName, heatmapCsv } from './export.ts';
import { HeatmapChart } from './heatmapChart.ts';
import { ViewFrame } from './ViewFrame.tsx';

const HEIGHT = 250;
const createChart = (el: HTMLDivElement): HeatmapChart => new HeatmapChart(el);

/** Node memory as a live heatmap: the most active nodes × memory dimensions. */
export const MemoryHeatmap = memo(function MemoryHeatmap({ snapshot }: { snapshot: TrainingSnapshot | null }) {
  const { container, chart } = useChart(createChart, snapshot, HEIGHT);
  const empty = !snapshot ? 'Load a dataset and train to see node memory' : snapshot.heatmap.nodes.length === 0 ? 'No nodes to show yet' : null;
  const rows = snapshot?.heatmap.nodes.length ?? 0;
  return (
    <ViewFrame
      testId="memory-heatmap"
      title="Memory heatmap"
      caption={`Each row is the memory vector of one of the ${rows > 0 ? `${rows} ` : ''}most active nodes (labelled with their ids in the file); ▸ marks nodes the last batch wrote to.`}
      host={container}
      height={HEIGHT}
      empty={empty}
      actions={[
        {
          label: 'PNG',
          title: 'Download the heatmap as a PNG image',
          run: async () => {
            const el = chart.current?.element;
            if (!(el instanceof HTMLCanvasElement)) throw new Error('the heatmap canvas is not mounted');
            downloadBlob(await canvasToPng(el), `${exportName('memory-heatmap', snapshot)}.png`);
          },
        },
        {
          label: 'CSV',
          title: 'Download the heatmap values as CSV (node, rawId, touched, m0…)',
          run: () => {
            if (!snapshot) throw new Error('no snapshot yet');
            downloadText(heatmapCsv(snapshot), `${exportName('memory-heatmap', snapshot)}.csv`, 'text/csv');
          },
        },
      ]}
    />
  );
});
