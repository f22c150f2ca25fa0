// The playground's views: each a React component over a d3 chart class, with PNG/SVG/CSV export; each
// memoised, so a change of the page's state that is not theirs (play ↔ pause) does not re-render them.
import './views.css';

export { MemoryHeatmap } from './MemoryHeatmap.tsx';
export { MemoryMap } from './MemoryMap.tsx';
export { NodeInspector } from './NodeInspector.tsx';
export { TrainingCurves } from './TrainingCurves.tsx';
export { StreamTimeline } from './StreamTimeline.tsx';
