// A time axis for canvas drawing: UTC dates for unix seconds, plain numbers otherwise.
import * as d3 from 'd3';
import type { TimeKind } from './format.ts';

export interface TimeAxis {
  /** pixel position of stream time t */
  x(t: number): number;
  /** stream time at pixel position px */
  invert(px: number): number;
  ticks(count: number): { t: number; label: string }[];
  /** axis title with units */
  readonly title: string;
}

/** Maps stream times [t0, t1] onto pixels [r0, r1]. */
export function timeAxis(kind: TimeKind, t0: number, t1: number, r0: number, r1: number): TimeAxis {
  if (!(t1 > t0)) {
    t0 -= 0.5;
    t1 += 0.5;
  }
  const k = (r1 - r0) / (t1 - t0);
  const x = (t: number): number => r0 + (t - t0) * k;
  const invert = (px: number): number => t0 + (px - r0) / k;
  if (kind === 'unix-seconds') {
    const utc = d3.scaleUtc().domain([new Date(t0 * 1000), new Date(t1 * 1000)]);
    const format = utc.tickFormat();
    return {
      x,
      invert,
      ticks: (count) => utc.ticks(count).map((d) => ({ t: d.getTime() / 1000, label: format(d) })),
      title: 'stream time (UTC)',
    };
  }
  const lin = d3.scaleLinear().domain([t0, t1]);
  const format = lin.tickFormat(5, '~s');
  return {
    x,
    invert,
    ticks: (count) => lin.ticks(count).map((t) => ({ t, label: format(t) })),
    title: 'stream time (t, dataset units)',
  };
}
