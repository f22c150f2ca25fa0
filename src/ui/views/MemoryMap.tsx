import { memo, useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { useChart } from './chart.ts';
import { canvasToPng, downloadBlob, downloadText, exportName, projectionCsv, trailsCsv } from './export.ts';
import { MemoryMapChart, type MemoryMapData } from './memoryMapChart.ts';
import { ViewFrame } from './ViewFrame.tsx';

const HEIGHT = 270;

/** 2-D PCA of node memory, coloured by memory age; click a point to select its node. */
export const MemoryMap = memo(function MemoryMap({ snapshot, selected, onSelect }: { snapshot: TrainingSnapshot | null; selected: readonly number[]; onSelect: (node: number) => void }) {
  const data = useMemo((): MemoryMapData => ({ snapshot, selected }), [snapshot, selected]);
  const onSelectRef = useRef(onSelect);
  useLayoutEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);
  const create = useCallback((el: HTMLDivElement) => new MemoryMapChart(el, (node) => onSelectRef.current(node)), []);
  const { container, chart } = useChart(create, data, HEIGHT);
  const empty = !snapshot ? 'Load a dataset and train to see the memory map' : snapshot.projection.nodes.length === 0 ? 'No nodes to project yet' : null;
  return (
    <ViewFrame
      testId="memory-map"
      title="Memory map"
      caption="Every node's memory projected on its two principal components; nodes that move together remember alike. Click a point to inspect it."
      host={container}
      height={HEIGHT}
      empty={empty}
      actions={[
        {
          label: 'PNG',
          title: 'Download the map as a PNG image',
          run: async () => {
            const el = chart.current?.element;
            if (!(el instanceof HTMLCanvasElement)) throw new Error('the memory map is not on the page yet');
            downloadBlob(await canvasToPng(el), `${exportName('memory-map', snapshot)}.png`);
          },
        },
        {
          label: 'CSV',
          title: 'Download the projected points as CSV (node, pc1, pc2, memory age, seen, selected)',
          run: () => {
            if (!snapshot) throw new Error('nothing trained yet');
            downloadText(projectionCsv(snapshot, selected), `${exportName('memory-map', snapshot)}.csv`, 'text/csv');
          },
        },
        {
          label: 'Trails CSV',
          title: 'Download the selected nodes\u2019 trails as CSV (node, step, pc1, pc2)',
          run: () => {
            if (!snapshot) throw new Error('nothing trained yet');
            downloadText(trailsCsv(snapshot), `${exportName('memory-map-trails', snapshot)}.csv`, 'text/csv');
          },
        },
      ]}
    />
  );
});
