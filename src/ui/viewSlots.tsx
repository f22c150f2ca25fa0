// Stand-ins with the views' exact props until src/ui/views/index.ts exists; App imports the views from
// here, so switching to the real ones is a one-line change of import path.
import type { DatasetSummary, NodeDetail, TimelineHistogram, TrainingSnapshot } from '../engine/session/types.ts';

function Placeholder({ title, testId }: { title: string; testId: string }) {
  return (
    <section className="view-placeholder" data-testid={testId}>
      <h3>{title}</h3>
      <p>loading view…</p>
    </section>
  );
}

export function MemoryHeatmap(_props: { snapshot: TrainingSnapshot | null }) {
  return <Placeholder title="Node memory" testId="view-memory-heatmap" />;
}

export function MemoryMap(_props: { snapshot: TrainingSnapshot | null; selected: readonly number[]; onSelect: (node: number) => void }) {
  return <Placeholder title="Memory map (PCA)" testId="view-memory-map" />;
}

export function NodeInspector(_props: { detail: NodeDetail | null; snapshot: TrainingSnapshot | null }) {
  return <Placeholder title="Node inspector" testId="view-node-inspector" />;
}

export function TrainingCurves(_props: { snapshot: TrainingSnapshot | null }) {
  return <Placeholder title="Training curves" testId="view-training-curves" />;
}

export function StreamTimeline(_props: { timeline: TimelineHistogram | null; snapshot: TrainingSnapshot | null; dataset: DatasetSummary | null }) {
  return <Placeholder title="Event stream" testId="view-stream-timeline" />;
}
