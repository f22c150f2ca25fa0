// Two small SVG charts of the training probes: per-batch stale and dropped fractions (bars and a line,
// epoch boundaries dashed), and the memory-age histogram of the last batch's reads (log-scale bins, a
// separate bar for age 0, p50/p90/max marked).
import * as d3 from 'd3';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { SvgChart } from '../views/svgChart.ts';
import { downsampleMean, formatSpan, type TimeKind } from '../views/format.ts';
import { GRID, INK, MUTED } from '../views/theme.ts';
import { textWidth } from '../views/textWidth.ts';
import { epochStarts } from '../views/trainingCurvesChart.ts';
import { ageMarkers, barsPath, labelRows, logAgeBins } from './labData.ts';

export const STALE_COLOUR = '#e8590c';
export const DROPPED_COLOUR = '#6741d9';

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

function gridY(g: G, y: d3.ScaleLinear<number, number>, w: number, format: (v: number) => string): void {
  g.call(d3.axisLeft(y).ticks(4).tickSize(-w).tickSizeOuter(0).tickFormat((v) => format(Number(v))))
    .call((s) => s.selectAll('.tick line').attr('stroke', GRID))
    .call((s) => s.select('.domain').attr('stroke', GRID));
}

function legendRow(g: G, items: readonly { colour: string; text: string; kind: 'bar' | 'line' | 'dash' }[]): void {
  let x = 0;
  for (const it of items) {
    const s = g.append('g').attr('transform', `translate(${x},0)`);
    if (it.kind === 'bar') s.append('rect').attr('y', -4).attr('width', 10).attr('height', 8).attr('fill', it.colour).attr('fill-opacity', 0.75);
    else s.append('line').attr('x2', 12).attr('stroke', it.colour).attr('stroke-width', 2).attr('stroke-dasharray', it.kind === 'dash' ? '3 2' : null);
    s.append('text').attr('x', 16).attr('dy', '0.32em').attr('fill', INK).attr('font-size', 9.5).text(it.text);
    x += 16 + textWidth(it.text, 9.5) + 14;
  }
}

const percent = (v: number): string => `${Math.round(v * 100)}%`;

export class ProbeBarsChart extends SvgChart<TrainingSnapshot | null> {
  private drawnKey = '';

  constructor(container: HTMLElement) {
    super(container, 'stale and dropped fractions per training batch', null);
  }

  protected override onResize(): void {
    this.drawnKey = '';
  }

  protected draw(): void {
    const { width, height, data: s } = this;
    if (width <= 0) return;
    const stale = s?.probes.staleFraction ?? new Float32Array(0);
    const dropped = s?.probes.droppedMailFraction ?? new Float32Array(0);
    const n = stale.length;
    const key = `${n}|${s?.version ?? -1}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    this.clear();
    const left = 40;
    const top = 24;
    const bottom = 30;
    const w = Math.max(40, width - left - 12);
    const h = Math.max(20, height - top - bottom);
    const g = this.root.append('g').attr('transform', `translate(${left},${top})`);
    legendRow(this.root.append('g').attr('transform', `translate(${left},10)`), [
      { colour: STALE_COLOUR, text: 'stale events / events', kind: 'bar' },
      { colour: DROPPED_COLOUR, text: 'dropped mails / mails', kind: 'line' },
    ]);
    const y = d3.scaleLinear().domain([0, 1]).range([h, 0]);
    gridY(g.append('g'), y, w, percent);
    if (n === 0) {
      g.append('text').attr('x', w / 2).attr('y', h / 2).attr('text-anchor', 'middle').attr('fill', MUTED).attr('font-size', 11).text('no training batch yet');
      return;
    }
    const x = d3.scaleLinear().domain([0.5, n + 0.5]).range([0, w]);
    g.append('g').attr('transform', `translate(0,${h})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.min(n, Math.floor(w / 70))), '~s').tickSizeOuter(0));
    g.append('text').attr('x', w / 2).attr('y', h + 27).attr('text-anchor', 'middle').attr('fill', MUTED).text('training batch (all epochs)');
    for (const d of epochStarts(s!.lossEpoch)) {
      if (d.at === 1) continue;
      g.append('line').attr('x1', x(d.at - 0.5)).attr('x2', x(d.at - 0.5)).attr('y1', 0).attr('y2', h).attr('stroke', '#9aa3b5').attr('stroke-dasharray', '3 3');
    }
    // bars, averaged over groups of batches when there are more batches than pixels; one path of
    // rectangles (the chart redraws with every snapshot while training: hundreds of <rect>s cost the page
    // a frame's worth of DOM calls, style and layout each time)
    const pts = downsampleMean(stale, Math.max(2, Math.floor(w / 2)));
    const per = n / pts.x.length;
    const bw = Math.max(1, (w / n) * per - (w / n > 4 ? 1 : 0));
    g.append('path').attr('class', 'probe-bars').attr('d', barsPath(pts, (v) => x(v + 1) - bw / 2, bw, y, h))
      .attr('fill', STALE_COLOUR).attr('fill-opacity', 0.75);
    const dp = downsampleMean(dropped, Math.max(2, Math.floor(w / 2)));
    const line = d3.line<number>((_, i) => x(dp.x[i]! + 1), (v) => y(v));
    g.append('path').attr('d', line(Array.from(dp.y)) + (dp.x.length === 1 ? 'h0.01' : '')).attr('fill', 'none')
      .attr('stroke', DROPPED_COLOUR).attr('stroke-width', 1.6).attr('stroke-linecap', 'round').attr('stroke-linejoin', 'round');
  }
}

export interface AgeData {
  readonly snapshot: TrainingSnapshot | null;
  readonly timeKind: TimeKind;
}

export class AgeHistogramChart extends SvgChart<AgeData | null> {
  private drawnKey = '';

  constructor(container: HTMLElement) {
    super(container, 'memory age of the last batch\u2019s reads', null);
  }

  protected override onResize(): void {
    this.drawnKey = '';
  }

  protected draw(): void {
    const { width, height } = this;
    if (width <= 0 || !this.data) return;
    const { snapshot: s, timeKind } = this.data;
    const key = `${s?.version ?? -1}|${timeKind}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    this.clear();
    const left = 40;
    const bottom = 30;
    const zeroW = 26;
    const w = Math.max(40, width - left - 14);
    const ages = s?.probes.lastAges ?? new Float32Array(0);
    const hist = logAgeBins(ages);
    const x0 = zeroW + 8;
    const x = hist.edges.length === 0 ? null : d3.scaleLog().domain([hist.edges[0]!, hist.edges[hist.edges.length - 1]!]).range([x0, w]);
    // p50 / p90 / max: short labels above the plot (their values are in the line above the chart), on as
    // many rows as they need not to touch
    const m = s && x ? ageMarkers(s) : null;
    const markers = (m ? [
      { v: m.p50, label: 'p50', dash: '4 2' },
      { v: m.p90, label: 'p90', dash: '2 2' },
      { v: m.max, label: 'max', dash: null },
    ] : []).filter((d) => Number.isFinite(d.v) && d.v > 0);
    const [lo, hi] = x ? (x.domain() as [number, number]) : [1, 1];
    const markerX = markers.map((d) => x!(Math.min(hi, Math.max(lo, d.v))));
    const LABEL_W = 20;
    const rows = labelRows(markerX, markerX.map(() => LABEL_W), w);
    const rowCount = rows.reduce((r, p) => Math.max(r, p.row + 1), 1);
    const top = 12 + 13 * rowCount;
    const h = Math.max(20, height - top - bottom);
    const g = this.root.append('g').attr('transform', `translate(${left},${top})`);
    if (hist.total === 0) {
      g.append('text').attr('x', w / 2).attr('y', h / 2).attr('text-anchor', 'middle').attr('fill', MUTED).attr('font-size', 11).text('no batch yet');
      return;
    }
    const maxCount = Math.max(hist.zero, ...hist.counts, 1);
    const y = d3.scaleLinear().domain([0, maxCount]).range([h, 0]).nice(4);
    gridY(g.append('g'), y, w, (v) => d3.format('~s')(v));
    // the zero bin on its own, then the log axis
    g.append('rect').attr('class', 'age-bar').attr('x', 2).attr('width', zeroW - 4).attr('y', y(hist.zero)).attr('height', h - y(hist.zero))
      .attr('fill', '#9aa3b5').append('title').text(`${hist.zero} reads of age 0 (same instant, or memory never updated)`);
    g.append('text').attr('x', zeroW / 2).attr('y', h + 14).attr('text-anchor', 'middle').attr('fill', MUTED).attr('font-size', 9.5).text('0');
    // the long title needs ~330 px; narrower (1024 px pages) the short one, so it is never cut at the card edge
    g.append('text').attr('x', (x0 + w) / 2).attr('y', h + 27).attr('text-anchor', 'middle').attr('fill', MUTED).attr('class', 'age-axis-title')
      .text(w - x0 >= 330 ? 'memory age of a read (event time − last memory update), log scale' : 'memory age of a read, log scale');
    if (!x) return;
    g.append('g').attr('transform', `translate(0,${h})`)
      .call(d3.axisBottom(x).tickValues(decades(hist.edges[0]!, hist.edges[hist.edges.length - 1]!, Math.max(2, Math.floor((w - x0) / 70))))
        .tickFormat((v) => formatSpan(Number(v), timeKind)).tickSizeOuter(0))
      .call((a) => a.selectAll('.tick text').attr('font-size', 9));
    g.append('g').selectAll('rect')
      .data(hist.counts.map((c, i) => ({ c, a: hist.edges[i]!, b: hist.edges[i + 1]! })))
      .join('rect')
      .attr('class', 'age-bar')
      .attr('x', (d) => x(d.a) + 0.5)
      .attr('width', (d) => Math.max(0.5, x(d.b) - x(d.a) - 1))
      .attr('y', (d) => y(d.c))
      .attr('height', (d) => h - y(d.c))
      .attr('fill', '#2a5bd7')
      .attr('fill-opacity', 0.8)
      .append('title')
      .text((d) => `${d.c} reads aged ${formatSpan(d.a, timeKind)} – ${formatSpan(d.b, timeKind)}`);
    for (const [i, d] of markers.entries()) {
      const px = markerX[i]!;
      g.append('line').attr('x1', px).attr('x2', px).attr('y1', -4).attr('y2', h).attr('stroke', INK).attr('stroke-width', 1).attr('stroke-dasharray', d.dash);
      g.append('text').attr('class', 'age-marker').attr('x', rows[i]!.left + LABEL_W / 2).attr('y', -8 - 13 * (rowCount - 1 - rows[i]!.row))
        .attr('text-anchor', 'middle').attr('fill', INK).attr('font-size', 9.5).text(d.label)
        .append('title').text(`${d.label} ${formatSpan(d.v, timeKind)}`);
    }
  }
}

/** powers of ten in [lo, hi], thinned to at most `max` */
function decades(lo: number, hi: number, max: number): number[] {
  const out: number[] = [];
  for (let p = Math.ceil(Math.log10(lo) - 1e-9); p <= Math.floor(Math.log10(hi) + 1e-9); p++) out.push(10 ** p);
  if (out.length === 0) return [lo, hi];
  const every = Math.ceil(out.length / max);
  return out.filter((_, i) => i % every === 0);
}
