// Brings a lesson step's view into sight and marks it (a data attribute React does not manage, so the
// view's own markup stays untouched).
import type { ViewId } from './types.ts';

const ATTRIBUTE = 'data-lesson-focus';

/** where each view lives on the page, most specific first */
const SELECTORS: Readonly<Record<ViewId, readonly string[]>> = {
  'training-curves': ['[data-testid="training-curves"]'],
  'memory-map': ['[data-testid="memory-map"]'],
  'stream-timeline': ['[data-testid="stream-timeline"]'],
  'memory-heatmap': ['[data-testid="memory-heatmap"]'],
  'node-inspector': ['[data-testid="node-inspector"]'],
  'batch-anatomy': ['[data-testid="batch-anatomy"]'],
  'probe-bars': ['[data-testid="probe-bars"]'],
  'age-histogram': ['[data-testid="age-histogram"]'],
  sweep: ['[data-testid="sweep"]'],
  settings: ['[data-testid="mitigations"]', 'section.settings'],
  'parallel-card': ['[data-testid="parallel-card"]'],
  serving: ['[data-testid="serving"]'],
};

export function viewElement(view: ViewId): HTMLElement | null {
  for (const s of SELECTORS[view]) {
    const el = document.querySelector<HTMLElement>(s);
    if (el) return el;
  }
  return null;
}

/** marks `view` (and only it) and scrolls it into the middle of the window; null clears the mark */
export function focusView(view: ViewId | null): void {
  for (const el of document.querySelectorAll(`[${ATTRIBUTE}]`)) el.removeAttribute(ATTRIBUTE);
  if (view === null) return;
  const el = viewElement(view);
  if (!el) return;
  el.setAttribute(ATTRIBUTE, view);
  el.scrollIntoView({ block: 'center', behavior: 'auto' });
}
