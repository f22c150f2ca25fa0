import { memo, useMemo } from 'react';
import type { NodeDetail, TrainingSnapshot } from '../../shared/training.ts';
import { useChart } from './chart.ts';
import { canvasToPng, downloadBlob, downloadText, exportName, nodeEventsCsv, nodeHistoryCsv } from './export.ts';
import { formatInstant, formatSpan, timeKindOf } from './format.ts';
import { NodeInspectorChart, type NodeInspectorData } from './nodeInspectorChart.ts';
import { ViewFrame } from './ViewFrame.tsx';

const HEIGHT = 226;
const createChart = (el: HTMLDivElement): NodeInspectorChart => new NodeInspectorChart(el);

/** One node: its events on a time axis, its memory age, and its memory vector over time. */
export const NodeInspector = memo(function NodeInspector({ detail, snapshot }: { detail: NodeDetail | null; snapshot: TrainingSnapshot | null }) {
  const data = useMemo((): NodeInspectorData => ({ detail, snapshot }), [detail, snapshot]);
  const { container, chart } = useChart(createChart, data, HEIGHT);
  const facts = useMemo(() => {
    if (!detail) return null;
    const kind = timeKindOf(snapshot?.now ?? NaN, detail.eventTimes[0] ?? NaN);
    let asSource = 0;
    for (const s of detail.eventIsSource) asSource += s;
    return {
      kind,
      events: detail.eventTimes.length,
      asSource,
      age: formatSpan(detail.memoryAge, kind),
      last: Number.isFinite(detail.memoryAge) ? formatInstant(detail.lastUpdate, kind) : 'never',
    };
  }, [detail, snapshot?.now]);
  const name = detail ? `node-${detail.node}` : 'node';
  return (
    <ViewFrame
      testId="node-inspector"
      title={detail ? `Node ${detail.rawId}` : 'Node inspector'}
      caption="Its events over stream time (dark: already processed, light: still in the future) and how its memory vector changed at each write."
      host={container}
      height={HEIGHT}
      empty={detail ? null : 'Click a node in the memory map'}
      actions={[
        {
          label: 'PNG',
          title: 'Download the inspector as a PNG image',
          run: async () => {
            const el = chart.current?.element;
            if (!(el instanceof HTMLCanvasElement)) throw new Error('the inspector canvas is not mounted');
            downloadBlob(await canvasToPng(el), `${exportName(name, snapshot)}.png`);
          },
        },
        {
          label: 'Events CSV',
          title: 'Download the node\u2019s events as CSV (t, other, role, processed)',
          run: () => {
            if (!detail) throw new Error('no node selected');
            downloadText(nodeEventsCsv(detail), `${exportName(`${name}-events`, snapshot)}.csv`, 'text/csv');
          },
        },
        {
          label: 'Memory CSV',
          title: 'Download the node\u2019s recorded memory history as CSV (t, m0…)',
          run: () => {
            if (!detail) throw new Error('no node selected');
            downloadText(nodeHistoryCsv(detail), `${exportName(`${name}-memory`, snapshot)}.csv`, 'text/csv');
          },
        },
      ]}
    >
      <p className="tv-facts" data-testid="node-facts">
        {detail && facts ? (
          <>
            <span>
              id <b>{detail.rawId}</b> (#{detail.node})
            </span>
            <span>
              events <b>{detail.processedEvents}</b> / {facts.events} processed · {facts.asSource} as src
            </span>
            <span>
              memory age <b>{facts.age}</b>
            </span>
            <span>last write {facts.last}</span>
          </>
        ) : (
          <span>no node selected</span>
        )}
      </p>
    </ViewFrame>
  );
});
