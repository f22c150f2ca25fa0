// The contract between a view component and its d3 chart class, and the hook that wires them.
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { frames } from './frameScheduler.ts';

/** A chart draws into a container it owns; `update` may be called every animation frame. */
export interface Chart<D> {
  /** the canvas or SVG the chart draws into (for export) */
  readonly element: HTMLCanvasElement | SVGSVGElement;
  resize(width: number, height: number): void;
  update(data: D): void;
  destroy(): void;
}

/**
 * Creates the chart once per mounted container, keeps it sized to the container's width and `height`, and
 * hands it `data` whenever that changes identity (memoise composite data in the caller): at once, or while
 * training plays on the next animation frame with drawing time left, with the newest data by then
 * (frameScheduler.ts).
 */
export function useChart<D>(
  create: (container: HTMLDivElement) => Chart<D>,
  data: D,
  height: number,
): { container: RefObject<HTMLDivElement | null>; chart: RefObject<Chart<D> | null> } {
  const container = useRef<HTMLDivElement | null>(null);
  const chart = useRef<Chart<D> | null>(null);
  const latest = useRef(data);
  const drawn = useRef<D | null>(null);
  latest.current = data;
  const createRef = useRef(create);

  useLayoutEffect(() => {
    const el = container.current;
    if (!el) throw new Error('useChart: the container ref is not attached to an element');
    const c = createRef.current(el);
    chart.current = c;
    let width = Math.floor(el.clientWidth);
    c.resize(width, height);
    c.update(latest.current);
    drawn.current = latest.current;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[entries.length - 1]!.contentRect.width);
      if (w === width || w <= 0) return;
      width = w;
      c.resize(width, height);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      frames.cancel(c);
      c.destroy();
      chart.current = null;
    };
  }, [height]);

  useLayoutEffect(() => {
    const c = chart.current;
    // the mount above has just drawn this data
    if (!c || drawn.current === data) return;
    const draw = (): void => {
      drawn.current = latest.current;
      c.update(latest.current);
    };
    if (frames.deferring) {
      frames.request(c, draw);
    } else {
      frames.cancel(c);
      draw();
    }
  }, [data]);

  return { container, chart };
}
