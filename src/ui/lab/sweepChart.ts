// The batch-size sweep in the form of DistTGL's Fig. 3, in SVG. Left: AP (validation solid, test dashed)
// vs batch size on a log axis, one colour per variant, with the data-level stale and dropped fractions
// (grey) on a second y axis. Right: training events/s vs batch size (log-log).
import * as d3 from 'd3';
import type { StalenessAtBatchSize, SweepPoint } from '../../shared/lab.ts';
import { SvgChart } from '../views/svgChart.ts';
import { formatNumber } from '../views/format.ts';
import { GRID, INK, MUTED } from '../views/theme.ts';
import { textWidth } from '../views/textWidth.ts';
import type { SweepVariant } from './labData.ts';

export interface SweepSeries {
  readonly variant: SweepVariant;
  /** finished points of this variant, any order */
  readonly points: readonly SweepPoint[];
}

export interface SweepChartData {
  readonly series: readonly SweepSeries[];
  /** the data-level curves (dense over batch size), per mailbox size */
  readonly curves: readonly { readonly mailboxSize: number; readonly points: readonly StalenessAtBatchSize[] }[];
  /** the batch sizes asked for (the x domain before any point exists) */
  readonly batchSizes: readonly number[];
  readonly title: string;
}

type G = d3.Selection<SVGGElement, unknown, null, undefined>;

const FRACTION_INK = '#7c8496';

export class SweepChart extends SvgChart<SweepChartData | null> {
  constructor(container: HTMLElement) {
    super(container, 'batch-size sweep', null);
    this.svg.attr('data-testid', 'sweep-chart');
  }

  protected draw(): void {
    const { width, height, data } = this;
    this.clear();
    if (width <= 0 || !data) return;
    const bottom = 36;
    const left = 46;
    const gap = 124;
    const right = 14;
    // narrow (a phone): the throughput panel goes below the AP panel instead of beside it
    const narrow = width < 560;
    const rightW = narrow ? Math.max(60, width - left - right - 46) : Math.max(120, Math.min(300, (width - left - gap - right) * 0.36));
    const leftW = narrow ? rightW : Math.max(120, width - left - gap - right - rightW);

    const title = this.root.append('text').attr('x', narrow ? 4 : left).attr('y', 14).attr('fill', INK).attr('font-size', narrow ? 10.5 : 11.5).attr('font-weight', 600)
      .text(narrow ? data.title.replace(/^AP after one epoch vs batch size — /, 'AP vs batch size — ') : data.title);
    title.attr('class', 'sweep-title');
    const legendRows = this.drawLegend(this.root.append('g').attr('transform', `translate(${narrow ? 4 : left},32)`), data, width - (narrow ? 4 : left) - right);
    const top = Math.max(58, 32 + 13 * legendRows + 12);
    const avail = Math.max(80, height - top - bottom);
    // stacked: the AP panel takes 60 % of the height, the throughput panel the rest below its axis titles
    const h = narrow ? Math.max(40, Math.floor((avail - 50) * 0.6)) : Math.max(40, avail);
    const h2 = narrow ? Math.max(30, avail - 50 - h) : h;

    const all = data.series.flatMap((s) => s.points);
    const bs = [...data.batchSizes, ...all.map((p) => p.batchSize), ...data.curves.flatMap((c) => c.points.map((p) => p.batchSize))];
    const bMin = Math.max(1, Math.min(...bs, data.batchSizes[0] ?? 1));
    const bMax = Math.max(...bs, bMin * 10);
    const x = d3.scaleLog().domain([bMin / 1.25, bMax * 1.25]).range([0, leftW]);
    const xTicks = tickValuesLog(bMin, bMax);

    // left panel: AP + fractions
    const gl = this.root.append('g').attr('transform', `translate(${left},${top})`);
    let apLo = 0.5;
    for (const p of all) for (const v of [p.valAp, p.testAp]) if (Number.isFinite(v)) apLo = Math.min(apLo, v);
    const y = d3.scaleLinear().domain([Math.floor(apLo * 10) / 10, 1]).range([h, 0]);
    const yf = d3.scaleLinear().domain([0, 1]).range([h, 0]);
    gl.append('g').call(d3.axisLeft(y).ticks(5).tickSize(-leftW).tickSizeOuter(0))
      .call((s) => s.selectAll('.tick line').attr('stroke', GRID))
      .call((s) => s.select('.domain').attr('stroke', GRID));
    gl.append('g').attr('transform', `translate(${leftW},0)`)
      .call(d3.axisRight(yf).ticks(5, '.0%').tickSizeOuter(0))
      .call((s) => s.selectAll('text').attr('fill', FRACTION_INK))
      .call((s) => s.selectAll('line, .domain').attr('stroke', FRACTION_INK));
    gl.append('g').attr('transform', `translate(0,${h})`)
      .call(d3.axisBottom(x).tickValues(xTicks).tickFormat((v) => d3.format('~s')(Number(v))).tickSizeOuter(0));
    gl.append('text').attr('x', leftW / 2).attr('y', h + 30).attr('text-anchor', 'middle').attr('fill', MUTED).text('batch size B (events, log scale)');
    gl.append('text').attr('transform', 'rotate(-90)').attr('x', -h / 2).attr('y', -34).attr('text-anchor', 'middle').attr('fill', MUTED)
      .text('AP after one epoch');
    gl.append('text').attr('transform', 'rotate(90)').attr('x', h / 2).attr('y', -leftW - 38).attr('text-anchor', 'middle').attr('fill', FRACTION_INK)
      .text(narrow ? 'stale, dropped (data)' : 'stale events, dropped mails (data)');

    // fractions (grey): stale (solid), dropped per mailbox size (dotted)
    const frac = gl.append('g').attr('class', 'sweep-fractions');
    const fline = d3.line<StalenessAtBatchSize>((p) => x(p.batchSize), (p) => yf(p.staleFraction)).curve(d3.curveMonotoneX);
    const dline = d3.line<StalenessAtBatchSize>((p) => x(p.batchSize), (p) => yf(p.droppedMailFraction)).curve(d3.curveMonotoneX);
    const base = data.curves.find((c) => c.mailboxSize === 1) ?? data.curves[0];
    if (base) frac.append('path').attr('d', fline(base.points.filter((p) => p.batchSize >= bMin / 1.25)) ?? '').attr('fill', 'none').attr('stroke', FRACTION_INK).attr('stroke-width', 1.4).attr('stroke-opacity', 0.8);
    for (const c of data.curves) {
      frac.append('path').attr('d', dline(c.points.filter((p) => p.batchSize >= bMin / 1.25)) ?? '').attr('fill', 'none').attr('stroke', FRACTION_INK)
        .attr('stroke-width', 1.4).attr('stroke-dasharray', c.mailboxSize === 1 ? '2 2' : '1 3').attr('stroke-opacity', c.mailboxSize === 1 ? 0.8 : 0.6);
    }

    // AP per variant
    for (const s of data.series) {
      const pts = [...s.points].sort((a, b) => a.batchSize - b.batchSize);
      const g = gl.append('g').attr('class', `sweep-series sweep-${s.variant.id}`);
      for (const which of ['val', 'test'] as const) {
        const value = (p: SweepPoint): number => (which === 'val' ? p.valAp : p.testAp);
        const ok = pts.filter((p) => Number.isFinite(value(p)));
        g.append('path').attr('d', d3.line<SweepPoint>((p) => x(p.batchSize), (p) => y(value(p)))(ok) ?? '')
          .attr('fill', 'none').attr('stroke', s.variant.colour).attr('stroke-width', 1.8).attr('stroke-dasharray', which === 'test' ? '5 3' : null);
        g.selectAll(`circle.${which}`).data(ok).join('circle')
          .attr('class', `sweep-point ${which}`)
          .attr('cx', (p) => x(p.batchSize))
          .attr('cy', (p) => y(value(p)))
          .attr('r', 3.5)
          .attr('stroke', s.variant.colour)
          .attr('stroke-width', 1.5)
          .attr('fill', which === 'val' ? s.variant.colour : '#fff')
          .append('title')
          .text((p) => `${s.variant.label}, B = ${p.batchSize}: ${which} AP ${value(p).toFixed(4)}; stale ${(100 * p.staleFraction).toFixed(1)} %, dropped ${(100 * p.droppedMailFraction).toFixed(1)} %, memory drift ${formatNumber(p.memoryDrift)}`);
      }
    }

    // right panel (below it when narrow): throughput
    const gr = this.root.append('g').attr('transform', narrow ? `translate(${left},${top + h + 50})` : `translate(${left + leftW + gap},${top})`);
    const xr = d3.scaleLog().domain(x.domain()).range([0, rightW]);
    const eps = all.map((p) => p.trainEventsPerSec).filter((v) => Number.isFinite(v) && v > 0);
    const yr = d3.scaleLog().domain(eps.length > 0 ? [Math.min(...eps) / 1.5, Math.max(...eps) * 1.5] : [10, 10_000]).range([h2, 0]);
    gr.append('g').call(d3.axisLeft(yr).ticks(4, '~s').tickSize(-rightW).tickSizeOuter(0))
      .call((s) => s.selectAll('.tick line').attr('stroke', GRID))
      .call((s) => s.select('.domain').attr('stroke', GRID));
    gr.append('g').attr('transform', `translate(0,${h2})`)
      .call(d3.axisBottom(xr).tickValues(xTicks.filter((_, i) => xTicks.length <= 4 || i % 2 === 0)).tickFormat((v) => d3.format('~s')(Number(v))).tickSizeOuter(0));
    gr.append('text').attr('x', rightW / 2).attr('y', h2 + 30).attr('text-anchor', 'middle').attr('fill', MUTED).text('batch size B (log)');
    gr.append('text').attr('transform', 'rotate(-90)').attr('x', -h2 / 2).attr('y', -36).attr('text-anchor', 'middle').attr('fill', MUTED)
      .text(narrow ? 'events/s (log)' : 'training events / s (log)');
    for (const s of data.series) {
      const pts = [...s.points].filter((p) => p.trainEventsPerSec > 0).sort((a, b) => a.batchSize - b.batchSize);
      const g = gr.append('g');
      g.append('path').attr('d', d3.line<SweepPoint>((p) => xr(p.batchSize), (p) => yr(p.trainEventsPerSec))(pts) ?? '')
        .attr('fill', 'none').attr('stroke', s.variant.colour).attr('stroke-width', 1.8);
      g.selectAll('circle').data(pts).join('circle')
        .attr('class', 'sweep-speed')
        .attr('cx', (p) => xr(p.batchSize)).attr('cy', (p) => yr(p.trainEventsPerSec)).attr('r', 3.5).attr('fill', s.variant.colour)
        .append('title').text((p) => `${s.variant.label}, B = ${p.batchSize}: ${formatNumber(p.trainEventsPerSec)} training events/s`);
    }
    if (all.length === 0) {
      gl.append('text').attr('x', leftW / 2).attr('y', h / 2 - 8).attr('text-anchor', 'middle').attr('fill', MUTED).attr('font-size', 11)
        .text(narrow ? 'AP appears as the points finish' : 'AP per variant appears as the points finish');
      gr.append('text').attr('x', rightW / 2).attr('y', h2 / 2).attr('text-anchor', 'middle').attr('fill', MUTED).attr('font-size', 11).text('no point yet');
    }
  }

  /** draws the legend in rows no wider than maxW; returns the number of rows */
  private drawLegend(g: G, data: SweepChartData, maxW: number): number {
    let x = 0;
    let row = 0;
    const place = (wItem: number): [number, number] => {
      if (x > 0 && x + wItem > maxW) {
        x = 0;
        row++;
      }
      const at: [number, number] = [x, row * 13];
      x += wItem;
      return at;
    };
    const add = (draw: (s: G) => void, text: string): void => {
      const s = g.append('g');
      draw(s);
      s.append('text').attr('x', 18).attr('dy', '0.32em').attr('fill', INK).attr('font-size', 9.5).text(text);
      const tw = textWidth(text, 9.5);
      const [px, py] = place(18 + tw + 14);
      s.attr('transform', `translate(${px},${py})`);
    };
    for (const s of data.series) {
      add((e) => {
        e.append('line').attr('x2', 14).attr('stroke', s.variant.colour).attr('stroke-width', 2);
        e.append('circle').attr('cx', 7).attr('r', 3).attr('fill', s.variant.colour);
      }, s.variant.label);
    }
    add((e) => {
      e.append('line').attr('x2', 14).attr('stroke', INK).attr('stroke-width', 1.5);
      e.append('circle').attr('cx', 7).attr('r', 3).attr('fill', INK);
    }, 'val AP');
    add((e) => {
      e.append('line').attr('x2', 14).attr('stroke', INK).attr('stroke-width', 1.5).attr('stroke-dasharray', '5 3');
      e.append('circle').attr('cx', 7).attr('r', 3).attr('fill', '#fff').attr('stroke', INK).attr('stroke-width', 1.3);
    }, 'test AP');
    add((e) => e.append('line').attr('x2', 14).attr('stroke', FRACTION_INK).attr('stroke-width', 1.5), 'stale events');
    for (const c of data.curves) {
      add((e) => e.append('line').attr('x2', 14).attr('stroke', FRACTION_INK).attr('stroke-width', 1.5).attr('stroke-dasharray', c.mailboxSize === 1 ? '2 2' : '1 3'),
        `dropped mails (k = ${c.mailboxSize})`);
    }
    return row + 1;
  }
}

/** 1, 2, 5 × powers of ten inside [lo, hi] */
export function tickValuesLog(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v >= lo / 1.2 && v <= hi * 1.2) out.push(v);
    }
  }
  return out;
}
