// Training curves in SVG: loss per training batch (raw and smoothed, epoch boundaries) on the left,
// validation/test AP and AUC per epoch on the right (with an optional dashed reference line, e.g. a
// baseline's test AP), training throughput as a number.
import * as d3 from 'd3';
import type { EpochReport, TrainingSnapshot } from '../../shared/training.ts';
import { SvgChart } from './svgChart.ts';
import { downsampleMean, ema, emaAlphaFor } from './format.ts';
import { ACCENT, GRID, INK, MUTED, SPLIT_INK } from './theme.ts';

const TOP = 26;
const BOTTOM = 32;
const LEFT = 44;
const GAP = 46;
const RIGHT = 10;

interface Series {
  readonly label: string;
  readonly colour: string;
  readonly dash: string | null;
  readonly value: (e: EpochReport) => number;
}

const SERIES: readonly Series[] = [
  { label: 'val AP', colour: SPLIT_INK.val, dash: null, value: (e) => e.val.apBatchMean },
  { label: 'val AUC', colour: SPLIT_INK.val, dash: '4 3', value: (e) => e.val.aucBatchMean },
  { label: 'test AP', colour: SPLIT_INK.test, dash: null, value: (e) => e.test.apBatchMean },
  { label: 'test AUC', colour: SPLIT_INK.test, dash: '4 3', value: (e) => e.test.aucBatchMean },
];

type G = d3.Selection<SVGGElement, unknown, null, undefined>;
type T = d3.Selection<SVGTextElement, unknown, null, undefined>;
type P = d3.Selection<SVGPathElement, unknown, null, undefined>;

function text<E extends SVGElement>(parent: d3.Selection<E, unknown, null, undefined>, size: number, fill: string, anchor: 'start' | 'middle' | 'end'): T {
  return parent.append('text').attr('font-size', size).attr('fill', fill).attr('text-anchor', anchor);
}

/** Epoch boundaries: 1-based batch positions where a new epoch starts, with that epoch. */
export function epochStarts(lossEpoch: Int32Array): { at: number; epoch: number }[] {
  const out: { at: number; epoch: number }[] = [];
  for (let i = 0; i < lossEpoch.length; i++) if (i === 0 || lossEpoch[i] !== lossEpoch[i - 1]) out.push({ at: i + 1, epoch: lossEpoch[i]! });
  return out;
}

/** a horizontal line across the AP/AUC panel at `value`, labelled (e.g. EdgeBank's test AP) */
export interface ReferenceLine {
  /** short: it is drawn at the right end of the line (the panel can be ~150 px wide) */
  readonly label: string;
  readonly value: number;
  /** the tooltip (e.g. the baseline's settings) */
  readonly title?: string;
}

export interface TrainingCurvesInput {
  readonly snapshot: TrainingSnapshot | null;
  readonly reference: ReferenceLine | null;
}

export class TrainingCurvesChart extends SvgChart<TrainingCurvesInput> {
  private readonly loss: G;
  private readonly lossX: G;
  private readonly lossY: G;
  private readonly lossEpochs: G;
  private readonly raw: P;
  private readonly smooth: P;
  private readonly lossXTitle: T;
  private readonly lossYTitle: T;
  private readonly lossEmpty: T;
  private readonly metrics: G;
  private readonly mX: G;
  private readonly mY: G;
  private readonly mSeries: G;
  private readonly mLegend: G;
  private readonly mXTitle: T;
  private readonly mYTitle: T;
  private readonly mEmpty: T;
  private readonly mReference: G;
  private drawnKey = '';

  constructor(container: HTMLElement) {
    super(container, 'training curves', { snapshot: null, reference: null });
    this.loss = this.root.append('g');
    this.lossEpochs = this.loss.append('g');
    this.lossX = this.loss.append('g');
    this.lossY = this.loss.append('g');
    this.raw = this.loss.append('path').attr('fill', 'none').attr('stroke', '#a9bdea').attr('stroke-width', 1);
    this.smooth = this.loss.append('path').attr('fill', 'none').attr('stroke', ACCENT).attr('stroke-width', 2).attr('stroke-linejoin', 'round');
    this.lossXTitle = text(this.loss, 10, MUTED, 'middle').text('training batch (all epochs)');
    this.lossYTitle = text(this.loss, 10, MUTED, 'middle').text('loss (binary cross-entropy)').attr('transform', 'rotate(-90)');
    // two short lines: the loss plot can be narrower than one line (1024 px), and the text must not reach the AP plot
    this.lossEmpty = text(this.loss, 10, MUTED, 'middle').attr('data-testid', 'curves-empty');
    this.lossEmpty.append('tspan').attr('x', 0).text('no training');
    this.lossEmpty.append('tspan').attr('x', 0).attr('dy', '1.3em').text('batch yet');
    this.metrics = this.root.append('g');
    this.mX = this.metrics.append('g');
    this.mY = this.metrics.append('g');
    this.mReference = this.metrics.append('g').attr('data-testid', 'curves-reference');
    this.mReference.append('line').attr('stroke', MUTED).attr('stroke-width', 1.2).attr('stroke-dasharray', '6 4');
    text(this.mReference, 9, MUTED, 'end').attr('dy', '-0.35em')
      .attr('stroke', '#fff').attr('stroke-width', 3).attr('paint-order', 'stroke').attr('stroke-linejoin', 'round');
    this.mReference.append('title');
    this.mSeries = this.metrics.append('g');
    this.mLegend = this.metrics.append('g');
    this.mXTitle = text(this.metrics, 10, MUTED, 'middle').text('epoch');
    this.mYTitle = text(this.metrics, 10, MUTED, 'middle').text('score (batch-mean AP, AUC)').attr('transform', 'rotate(-90)');
    this.mEmpty = text(this.metrics, 10, MUTED, 'middle');
    this.mEmpty.append('tspan').attr('x', 0).text('AP and AUC appear');
    this.mEmpty.append('tspan').attr('x', 0).attr('dy', '1.3em').text('after the first epoch');
  }

  protected override onResize(): void {
    this.drawnKey = '';
  }

  protected draw(): void {
    const { width, height } = this;
    if (width <= 0) return;
    const s = this.data.snapshot;
    const ref = this.data.reference;
    const mW = width < 460 ? Math.max(112, width * 0.36) : Math.max(150, Math.min(220, width * 0.36));
    const lossW = Math.max(60, width - LEFT - GAP - mW - RIGHT);
    const key = `${s ? `${s.loss.length}|${s.epochs.length}|${s.lossEpoch[0] ?? ''}|${s.loss[0] ?? ''}` : 'none'}|${ref ? `${ref.label}=${ref.value}|${ref.title ?? ''}` : ''}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const plotH = Math.max(20, height - TOP - BOTTOM);
    this.loss.attr('transform', `translate(${LEFT},${TOP})`);
    this.metrics.attr('transform', `translate(${LEFT + lossW + GAP},${TOP})`);
    this.drawLoss(s, lossW, plotH);
    this.drawMetrics(s, ref, mW, plotH);
  }

  private drawLoss(s: TrainingSnapshot | null, w: number, h: number): void {
    const loss = s?.loss ?? new Float32Array(0);
    const n = loss.length;
    const x = d3.scaleLinear().domain(n > 1 ? [1, n] : [0.5, 1.5]).range([0, w]);
    let max = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(loss[i]!) && loss[i]! > max) max = loss[i]!;
    const y = d3.scaleLinear().domain([0, max > 0 ? max * 1.05 : 1]).range([h, 0]).nice(4);
    this.lossX.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 70)), '~s').tickSizeOuter(0));
    this.lossY.call(d3.axisLeft(y).ticks(4).tickSize(-w).tickSizeOuter(0))
      .call((g) => g.selectAll('.tick line').attr('stroke', GRID))
      .call((g) => g.select('.domain').attr('stroke', GRID));
    this.lossXTitle.attr('x', w / 2).attr('y', h + 28);
    this.lossYTitle.attr('x', -h / 2).attr('y', -34);
    this.lossEmpty.attr('transform', `translate(${w / 2},${h / 2 - 6})`).attr('display', n === 0 ? null : 'none');
    // no axes without data: the placeholder text would sit on the tick labels
    this.lossX.attr('display', n === 0 ? 'none' : null);
    this.lossY.attr('display', n === 0 ? 'none' : null);

    const starts = s ? epochStarts(s.lossEpoch) : [];
    // a label per epoch start, skipped where it would run into the previous one or off the panel
    const labelled = new Set<number>();
    let lastX = -Infinity;
    for (const d of starts) {
      const at = d.at === 1 ? 0 : x(d.at - 0.5);
      if (at - lastX >= 46 && at + 42 <= w) {
        labelled.add(d.epoch);
        lastX = at;
      }
    }
    this.lossEpochs.selectAll<SVGGElement, { at: number; epoch: number }>('g')
      .data(starts, (d) => String(d.epoch))
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('stroke', '#9aa3b5').attr('stroke-dasharray', '3 3');
        g.append('text').attr('fill', MUTED).attr('font-size', 9).attr('y', 9).attr('x', 3);
        return g;
      })
      .attr('transform', (d) => `translate(${d.at === 1 ? 0 : x(d.at - 0.5)},0)`)
      .call((g) => g.select('line').attr('y1', 0).attr('y2', h).attr('display', (d) => (d.at === 1 ? 'none' : null)))
      .call((g) => g.select('text').text((d) => `epoch ${d.epoch}`).attr('display', (d) => (labelled.has(d.epoch) ? null : 'none')));

    if (n === 0) {
      this.raw.attr('d', null);
      this.smooth.attr('d', null);
      return;
    }
    const maxPoints = Math.max(2, Math.floor(w));
    const rawPts = downsampleMean(loss, maxPoints);
    const smoothAll = ema(loss, emaAlphaFor(n));
    const smoothPts = downsampleMean(smoothAll, maxPoints);
    const line = (pts: { x: Float64Array; y: Float64Array }): string => {
      let d = '';
      for (let i = 0; i < pts.x.length; i++) {
        const v = pts.y[i]!;
        if (!Number.isFinite(v)) continue;
        d += `${d ? 'L' : 'M'}${x(pts.x[i]! + 1).toFixed(1)},${y(v).toFixed(1)}`;
      }
      if (pts.x.length === 1 && d) d += `h0.01`;
      return d;
    };
    this.raw.attr('d', line(rawPts));
    this.smooth.attr('d', line(smoothPts)).attr('stroke-linecap', 'round');
  }

  private drawMetrics(s: TrainingSnapshot | null, ref: ReferenceLine | null, w: number, h: number): void {
    const epochs = s?.epochs ?? [];
    const n = epochs.length;
    const x = d3.scaleLinear().domain([0.5, Math.max(1, n) + 0.5]).range([0, w]);
    let lo = 0.5;
    for (const e of epochs) for (const sr of SERIES) if (Number.isFinite(sr.value(e))) lo = Math.min(lo, sr.value(e));
    const refValue = ref !== null && Number.isFinite(ref.value) ? ref.value : null;
    if (refValue !== null) lo = Math.min(lo, refValue);
    const y = d3.scaleLinear().domain([Math.floor(lo * 10) / 10, 1]).range([h, 0]);
    const xt = x.ticks(Math.min(Math.max(1, n), Math.max(2, Math.floor(w / 40)))).filter((t) => Number.isInteger(t) && t >= 1);
    this.mX.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).tickValues(xt).tickFormat(d3.format('d')).tickSizeOuter(0));
    this.mY.call(d3.axisLeft(y).ticks(5).tickSize(-w).tickSizeOuter(0))
      .call((g) => g.selectAll('.tick line').attr('stroke', GRID))
      .call((g) => g.select('.domain').attr('stroke', GRID));
    this.mXTitle.attr('x', w / 2).attr('y', h + 28);
    this.mYTitle.attr('x', -h / 2).attr('y', -34);
    this.mEmpty.attr('transform', `translate(${w / 2},${h / 2 - 6})`).attr('display', n === 0 ? null : 'none');
    this.mEmpty.selectAll('tspan').attr('x', 0);

    // the reference sits under the series, its label at the right end just above the line
    this.mReference.attr('display', refValue === null ? 'none' : null).attr('data-value', refValue === null ? null : String(refValue));
    if (ref && refValue !== null) {
      const ry = y(refValue);
      this.mReference.select('line').attr('x1', 0).attr('x2', w).attr('y1', ry).attr('y2', ry);
      this.mReference.select('text').attr('x', w - 2).attr('y', ry).text(`${ref.label} ${refValue.toFixed(3)}`);
      this.mReference.select('title').text(ref.title ?? `${ref.label} ${refValue.toFixed(4)}`);
    }

    this.mSeries.selectAll<SVGGElement, Series>('g')
      .data(SERIES, (d) => d.label)
      .join((enter) => {
        const g = enter.append('g');
        g.append('path').attr('fill', 'none').attr('stroke-width', 1.5);
        return g;
      })
      .each(function (sr) {
        const g = d3.select(this);
        const pts = epochs.map((e) => ({ e: e.epoch, v: sr.value(e) })).filter((p) => Number.isFinite(p.v));
        g.select('path')
          .attr('stroke', sr.colour)
          .attr('stroke-dasharray', sr.dash)
          .attr('d', d3.line<{ e: number; v: number }>((p) => x(p.e), (p) => y(p.v))(pts));
        g.selectAll<SVGCircleElement, { e: number; v: number }>('circle')
          .data(pts)
          .join((enter) => {
            const c = enter.append('circle').attr('r', 3).attr('stroke-width', 1.5);
            c.append('title');
            return c;
          })
          .attr('cx', (p) => x(p.e))
          .attr('cy', (p) => y(p.v))
          .attr('stroke', sr.colour)
          .attr('fill', sr.dash ? '#fff' : sr.colour)
          .call((c) => c.select('title').text((p) => `epoch ${p.e} · ${sr.label} ${p.v.toFixed(4)}`));
      });

    const colW = w / 2;
    this.mLegend.selectAll<SVGGElement, Series>('g')
      .data(SERIES, (d) => d.label)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', 0).attr('x2', 14).attr('y1', 0).attr('y2', 0).attr('stroke-width', 1.5);
        g.append('circle').attr('cx', 7).attr('r', 2.5).attr('stroke-width', 1.2);
        g.append('text').attr('x', 18).attr('dy', '0.32em').attr('fill', INK).attr('font-size', 9.5);
        return g;
      })
      .attr('transform', (_, i) => `translate(${(i % 2) * colW + (colW < 70 ? -30 : 4)},${-20 + Math.floor(i / 2) * 11})`)
      .call((g) => g.select('line').attr('stroke', (d) => d.colour).attr('stroke-dasharray', (d) => d.dash))
      .call((g) => g.select('circle').attr('stroke', (d) => d.colour).attr('fill', (d) => (d.dash ? '#fff' : d.colour)))
      .call((g) => g.select('text').text((d) => d.label));
  }
}
