// Stream timeline in SVG: events per time bin, the train/val/test split as shaded bands, the part of the
// stream processed so far, and the current batch's time window.
import * as d3 from 'd3';
import type { DatasetSummary } from '../../shared/data.ts';
import type { TimelineHistogram, TrainingSnapshot } from '../../shared/training.ts';
import { SvgChart } from './svgChart.ts';
import { splitBoundaryTimes } from './export.ts';
import { formatSpan, timeKindOf } from './format.ts';
import { GRID, HIGHLIGHT, INK, MUTED, SPLIT_FILL, SPLIT_INK } from './theme.ts';

export interface StreamTimelineData {
  readonly timeline: TimelineHistogram | null;
  readonly snapshot: TrainingSnapshot | null;
  readonly dataset: DatasetSummary | null;
}

const TOP = 34;
const BOTTOM = 32;
const LEFT = 46;
const RIGHT = 12;
let clipIds = 0;

type Split = 'train' | 'val' | 'test';
interface Band {
  readonly split: Split;
  readonly t0: number;
  readonly t1: number;
  readonly share: number;
}

/** The split bands in time, boundaries approximated from the histogram's cumulative counts. */
export function splitBands(timeline: TimelineHistogram, dataset: DatasetSummary): Band[] {
  const { valStart, testStart } = splitBoundaryTimes(timeline, dataset);
  const n = Math.max(1, dataset.events);
  const { train, val, test } = dataset.split;
  return [
    { split: 'train', t0: timeline.tMin, t1: valStart, share: (train[1] - train[0]) / n },
    { split: 'val', t0: valStart, t1: testStart, share: (val[1] - val[0]) / n },
    { split: 'test', t0: testStart, t1: timeline.tMax, share: (test[1] - test[0]) / n },
  ];
}

/** An SVG step path of a histogram (x of each bin edge, y of each count), closed to the baseline. */
export function histogramPath(counts: ArrayLike<number>, x: (edge: number) => number, y: (count: number) => number): string {
  if (counts.length === 0) return '';
  const base = y(0).toFixed(1);
  let d = `M${x(0).toFixed(1)},${base}`;
  for (let b = 0; b < counts.length; b++) {
    const yc = y(counts[b]!).toFixed(1);
    d += `L${x(b).toFixed(1)},${yc}L${x(b + 1).toFixed(1)},${yc}`;
  }
  return `${d}L${x(counts.length).toFixed(1)},${base}Z`;
}

/** "val 15%" when the band is wide enough, "val" when narrower, nothing when tiny. */
export function bandLabel(band: Band, widthPx: number): string {
  if (widthPx >= 60) return `${band.split} ${Math.round(band.share * 100)}%`;
  return widthPx >= 28 ? band.split : '';
}

export class StreamTimelineChart extends SvgChart<StreamTimelineData> {
  private readonly plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly bands: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly future: d3.Selection<SVGPathElement, unknown, null, undefined>;
  private readonly past: d3.Selection<SVGPathElement, unknown, null, undefined>;
  private readonly clipRect: d3.Selection<SVGRectElement, unknown, null, undefined>;
  private readonly batch: d3.Selection<SVGRectElement, unknown, null, undefined>;
  private readonly nowLine: d3.Selection<SVGLineElement, unknown, null, undefined>;
  private readonly batchLabel: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly xAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly yAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly xTitle: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private readonly yTitle: d3.Selection<SVGTextElement, unknown, null, undefined>;
  private drawn: { timeline: TimelineHistogram | null; dataset: DatasetSummary | null; width: number } = { timeline: null, dataset: null, width: 0 };
  private x: (t: number) => number = () => 0;

  constructor(container: HTMLElement) {
    super(container, 'stream timeline', { timeline: null, snapshot: null, dataset: null });
    const clipId = `tv-timeline-clip-${++clipIds}`;
    this.clipRect = this.svg.append('defs').append('clipPath').attr('id', clipId).append('rect').attr('x', 0).attr('y', -TOP);
    this.plot = this.root.attr('transform', `translate(${LEFT},${TOP})`);
    this.bands = this.plot.append('g');
    this.yAxis = this.plot.append('g');
    this.future = this.plot.append('path').attr('fill', '#cfd5e0');
    this.past = this.plot.append('path').attr('fill', '#5f7fcf').attr('clip-path', `url(#${clipId})`);
    this.batch = this.plot.append('rect').attr('fill', HIGHLIGHT).attr('fill-opacity', 0.3).attr('stroke', HIGHLIGHT).attr('stroke-width', 1);
    this.nowLine = this.plot.append('line').attr('stroke', HIGHLIGHT).attr('stroke-width', 1.5);
    this.batchLabel = this.plot.append('text').attr('fill', HIGHLIGHT).attr('font-size', 10).attr('font-weight', 600).attr('y', -4);
    this.xAxis = this.plot.append('g');
    this.xTitle = this.plot.append('text').attr('fill', MUTED).attr('text-anchor', 'middle');
    this.yTitle = this.plot.append('text').attr('fill', MUTED).attr('text-anchor', 'middle').attr('transform', 'rotate(-90)');
  }

  protected override onResize(): void {
    this.drawn = { timeline: null, dataset: null, width: 0 };
  }

  protected draw(): void {
    const { width, height } = this;
    if (width <= 0) return;
    const { timeline, dataset } = this.data;
    const w = Math.max(20, width - LEFT - RIGHT);
    const h = Math.max(20, height - TOP - BOTTOM);
    if (timeline !== this.drawn.timeline || dataset !== this.drawn.dataset || width !== this.drawn.width) {
      this.drawn = { timeline, dataset, width };
      this.drawStatic(timeline, dataset, w, h);
    }
    this.drawDynamic(w, h);
  }

  private drawStatic(timeline: TimelineHistogram | null, dataset: DatasetSummary | null, w: number, h: number): void {
    this.svg.attr('display', timeline ? null : 'none');
    if (!timeline) return;
    const { tMin, tMax, counts } = timeline;
    const kind = timeKindOf(tMin, tMax);
    const span = tMax - tMin || 1;
    const t0 = tMin;
    const t1 = tMin + span;
    const x = (t: number): number => ((t - t0) / (t1 - t0)) * w;
    this.x = x;
    const binW = span / Math.max(1, counts.length);
    const max = d3.max(counts) ?? 1;
    const y = d3.scaleLinear().domain([0, Math.max(1, max)]).range([h, 0]).nice(4);

    const bands = dataset ? splitBands(timeline, dataset) : [];
    this.bands.selectAll<SVGGElement, Band>('g')
      .data(bands, (d) => d.split)
      .join((enter) => {
        const g = enter.append('g');
        g.append('rect');
        g.append('line').attr('stroke-dasharray', '4 3');
        g.append('text').attr('font-size', 10).attr('font-weight', 600).attr('y', -20);
        return g;
      })
      .call((g) => g.select('rect').attr('x', (d) => x(d.t0)).attr('width', (d) => Math.max(0, x(d.t1) - x(d.t0))).attr('y', -TOP + 14).attr('height', h + TOP - 14)
        .attr('fill', (d) => SPLIT_FILL[d.split]))
      .call((g) => g.select('line').attr('x1', (d) => x(d.t0)).attr('x2', (d) => x(d.t0)).attr('y1', -TOP + 14).attr('y2', h)
        .attr('stroke', (d) => SPLIT_INK[d.split]).attr('display', (d) => (d.split === 'train' ? 'none' : null)))
      .call((g) => g.select('text').attr('x', (d) => x(d.t0) + 4).attr('fill', (d) => SPLIT_INK[d.split])
        .text((d) => bandLabel(d, x(d.t1) - x(d.t0))));

    const path = histogramPath(counts, (b) => x(t0 + b * binW), y);
    this.future.attr('d', path);
    this.past.attr('d', path);

    const ticks = Math.max(2, Math.floor(w / 90));
    this.xAxis.attr('transform', `translate(0,${h})`);
    if (kind === 'unix-seconds') {
      const utc = d3.scaleUtc().domain([new Date(t0 * 1000), new Date(t1 * 1000)]).range([0, w]);
      this.xAxis.call(d3.axisBottom(utc).ticks(ticks).tickSizeOuter(0));
    } else {
      const lin = d3.scaleLinear().domain([t0, t1]).range([0, w]);
      this.xAxis.call(d3.axisBottom(lin).ticks(ticks, '~s').tickSizeOuter(0));
    }
    this.yAxis.call(d3.axisLeft(y).ticks(4, '~s').tickSize(-w).tickSizeOuter(0))
      .call((g) => g.selectAll('.tick line').attr('stroke', GRID))
      .call((g) => g.select('.domain').remove());
    const units = kind === 'unix-seconds' ? 'UTC' : 't, in the file\'s units';
    const note = !dataset ? '' : w >= 400 ? ' · the splits divide the events 70 / 15 / 15' : ' · splits by event count';
    this.xTitle.attr('x', w / 2).attr('y', h + 28).text(`stream time (${units})${note}`);
    this.yTitle.attr('x', -h / 2).attr('y', -36).text(`events per ${formatSpan(binW, kind)} bin`);
  }

  private drawDynamic(w: number, h: number): void {
    const { timeline, snapshot } = this.data;
    if (!timeline) return;
    const b = snapshot?.lastBatch ?? null;
    const x = this.x;
    const nowX = snapshot && b ? Math.max(0, Math.min(w, x(snapshot.now))) : 0;
    this.clipRect.attr('width', nowX).attr('height', h + TOP);
    if (!b) {
      this.batch.attr('display', 'none');
      this.nowLine.attr('display', 'none');
      this.batchLabel.attr('display', 'none');
      return;
    }
    const x0 = Math.max(0, Math.min(w, x(b.tFrom)));
    const x1 = Math.max(0, Math.min(w, x(b.tTo)));
    const bw = Math.max(3, x1 - x0);
    const bx = Math.min(x0 - (bw - (x1 - x0)) / 2, w - bw);
    this.batch.attr('display', null).attr('x', bx).attr('width', bw).attr('y', 0).attr('height', h);
    this.nowLine.attr('display', null).attr('x1', nowX).attr('x2', nowX).attr('y1', 0).attr('y2', h);
    const label = `${b.phase} batch ${b.batch + 1}/${b.batches}`;
    const right = bx + bw / 2 > w * 0.7;
    this.batchLabel.attr('display', null)
      .attr('x', right ? bx - 3 : bx + bw + 3)
      .attr('y', 11)
      .attr('text-anchor', right ? 'end' : 'start')
      .attr('fill', INK)
      .text(label);
  }
}
