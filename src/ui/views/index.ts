// The playground's views: each a React component over a d3 chart class, with PNG/SVG/CSV export.
import './views.css';

export { MemoryHeatmap } from './MemoryHeatmap.tsx';
export { MemoryMap } from './MemoryMap.tsx';
export { NodeInspector } from './NodeInspector.tsx';
export { TrainingCurves } from './TrainingCurves.tsx';
export { StreamTimeline } from './StreamTimeline.tsx';
