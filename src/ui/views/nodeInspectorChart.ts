// Node inspector on canvas: the node's events on a time axis (above: as source, below: as destination;
// dark = processed, light = future) and its memory vector over time as a dims × time heatmap.
import type { NodeDetail, TrainingSnapshot } from '../../shared/training.ts';
import { context2d, drawVerticalLegend, fitText, putDiverging, sizeCanvas } from './canvas.ts';
import { CanvasChart } from './canvasChart.ts';
import { formatInstant, formatNumber, formatSpan, symmetricDomain, timeKindOf } from './format.ts';
import { timeAxis, type TimeAxis } from './timeScale.ts';
import { ACCENT, diverging, FAINT, font, GRID, HIGHLIGHT, INK, MUTED } from './theme.ts';

export interface NodeInspectorData {
  readonly detail: NodeDetail | null;
  readonly snapshot: TrainingSnapshot | null;
}

const LEFT = 48;
const RIGHT = 54;
const TOP = 12;
const EVENTS_H = 46;
const GAP = 8;
const BOTTOM = 30;
const TICK = 15;

/** Start of the current pass in a history: after the last time its write times go backwards (a new epoch). */
export function currentPassStart(times: ArrayLike<number>): number {
  let start = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) start = i;
  return start;
}

/**
 * The memory rows to draw: the recorded history of the current pass over the stream (each epoch restarts
 * from fresh memory, so earlier passes are dropped), or the current memory alone when none is recorded.
 */
export function memorySteps(detail: NodeDetail): { times: Float64Array; values: Float32Array; dim: number } {
  const dim = detail.memory.length;
  const start = currentPassStart(detail.historyTimes);
  if (detail.historyTimes.length > start) {
    return { times: detail.historyTimes.subarray(start), values: detail.history.subarray(start * dim), dim };
  }
  if (Number.isFinite(detail.memoryAge)) return { times: Float64Array.of(detail.lastUpdate), values: detail.memory, dim };
  return { times: new Float64Array(0), values: new Float32Array(0), dim };
}

export class NodeInspectorChart extends CanvasChart<NodeInspectorData> {
  private readonly cells: HTMLCanvasElement;
  private readonly cellsCtx: CanvasRenderingContext2D;
  private image: ImageData | null = null;
  private drawnDetail: NodeDetail | null = null;
  private drawnNow = NaN;
  private drawnWidth = 0;
  private axis: TimeAxis | null = null;
  private layout = { eventsY: 0, memY: 0, memH: 0, plotW: 0 };

  constructor(container: HTMLElement) {
    super(container, 'node inspector', { detail: null, snapshot: null });
    this.cells = document.createElement('canvas');
    this.cellsCtx = context2d(this.cells);
  }

  protected override onResize(): void {
    this.drawnWidth = -1;
  }

  protected draw(): void {
    const { ctx, width, height } = this;
    const { detail, snapshot } = this.data;
    if (width <= 0) return;
    const now = snapshot?.now ?? (detail && detail.processedEvents > 0 ? detail.eventTimes[detail.processedEvents - 1]! : NaN);
    // snapshots arrive every frame; the picture only changes with the detail or the stream's now
    if (detail === this.drawnDetail && (now === this.drawnNow || (Number.isNaN(now) && Number.isNaN(this.drawnNow))) && width === this.drawnWidth) return;
    this.drawnDetail = detail;
    this.drawnNow = now;
    this.drawnWidth = width;
    sizeCanvas(this.element, ctx, width, height);
    ctx.clearRect(0, 0, width, height);
    this.axis = null;
    if (!detail) return;

    const times = detail.eventTimes;
    const steps = memorySteps(detail);
    const kind = timeKindOf(now, times[0] ?? NaN);
    let t0 = Math.min(times[0] ?? Infinity, steps.times[0] ?? Infinity, Number.isFinite(now) ? now : Infinity);
    let t1 = Math.max(times[times.length - 1] ?? -Infinity, Number.isFinite(now) ? now : -Infinity);
    if (!Number.isFinite(t0) || !Number.isFinite(t1)) {
      t0 = 0;
      t1 = 1;
    }
    const pad = (t1 - t0 || 1) * 0.02;
    const plotW = Math.max(10, width - LEFT - RIGHT);
    const axis = timeAxis(kind, t0 - pad, t1 + pad, LEFT, LEFT + plotW);
    this.axis = axis;
    const eventsY = TOP + EVENTS_H / 2;
    const memY = TOP + EVENTS_H + GAP;
    const memH = Math.max(10, height - memY - BOTTOM);
    this.layout = { eventsY, memY, memH, plotW };

    // memory over time: one pixel column per CSS px, the row in effect at that time (until now)
    const dim = steps.dim;
    const cols = Math.max(1, Math.round(plotW));
    ctx.fillStyle = '#f6f7fa';
    ctx.fillRect(LEFT, memY, plotW, memH);
    const domain = symmetricDomain(steps.values);
    if (steps.times.length > 0 && dim > 0) {
      if (!this.image || this.image.width !== cols || this.image.height !== dim) {
        this.cells.width = cols;
        this.cells.height = dim;
        this.image = this.cellsCtx.createImageData(cols, dim);
      }
      const px = this.image.data;
      px.fill(0);
      let k = -1;
      for (let c = 0; c < cols; c++) {
        const t = axis.invert(LEFT + c + 0.5);
        while (k + 1 < steps.times.length && steps.times[k + 1]! <= t) k++;
        if (k < 0 || (Number.isFinite(now) && t > now)) continue;
        for (let j = 0; j < dim; j++) putDiverging(px, (j * cols + c) * 4, steps.values[k * dim + j]!, domain);
      }
      this.cellsCtx.putImageData(this.image, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(this.cells, LEFT, memY, plotW, memH);
      ctx.imageSmoothingEnabled = true;
    }
    ctx.strokeStyle = GRID;
    ctx.lineWidth = 1;
    ctx.strokeRect(LEFT - 0.5, memY - 0.5, plotW + 1, memH + 1);
    ctx.font = font(10);
    ctx.fillStyle = MUTED;
    if (steps.times.length === 0) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(fitText(ctx, 'memory never written yet (all zeros)', plotW - 8), LEFT + plotW / 2, memY + memH / 2);
    } else if (detail.historyTimes.length === 0 || steps.times.length === 0) {
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(fitText(ctx, 'current memory only: history is recorded from when the node is selected', plotW - 8), LEFT + 4, memY + 3);
    } else {
      const xs = axis.x(steps.times[0]!);
      if (xs - LEFT > 120) {
        ctx.textAlign = 'right';
        ctx.textBaseline = 'middle';
        ctx.fillText('recorded since selection →', xs - 4, memY + memH / 2);
      }
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    ctx.fillText('m0', LEFT - 4, memY);
    ctx.textBaseline = 'bottom';
    ctx.fillText(`m${Math.max(0, dim - 1)}`, LEFT - 4, memY + memH);
    ctx.save();
    ctx.translate(12, memY + memH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('memory dim', 0, 0);
    ctx.restore();
    drawVerticalLegend(ctx, LEFT + plotW + 18, memY, memY + memH, (t) => diverging(2 * t - 1), [
      { t: 1, label: `+${formatNumber(domain)}` },
      { t: 0.5, label: '0' },
      { t: 0, label: `−${formatNumber(domain)}` },
    ], 'value');

    // events strip
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(LEFT, Math.round(eventsY) + 0.5);
    ctx.lineTo(LEFT + plotW, Math.round(eventsY) + 0.5);
    ctx.stroke();
    ctx.lineWidth = 1;
    for (const processed of [false, true]) {
      for (const source of [true, false]) {
        ctx.strokeStyle = processed ? (source ? INK : ACCENT) : FAINT;
        ctx.beginPath();
        const from = processed ? 0 : detail.processedEvents;
        const to = processed ? detail.processedEvents : times.length;
        for (let i = from; i < to; i++) {
          if ((detail.eventIsSource[i] === 1) !== source) continue;
          const x = Math.round(axis.x(times[i]!)) + 0.5;
          ctx.moveTo(x, source ? eventsY - 2 : eventsY + 2);
          ctx.lineTo(x, source ? eventsY - TICK : eventsY + TICK);
        }
        ctx.stroke();
      }
    }
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText('as src', LEFT - 4, eventsY - TICK / 2);
    ctx.fillText('as dst', LEFT - 4, eventsY + TICK / 2);

    // last memory write and now
    if (Number.isFinite(detail.memoryAge)) {
      const x = axis.x(detail.lastUpdate);
      ctx.fillStyle = HIGHLIGHT;
      ctx.beginPath();
      ctx.moveTo(x, eventsY - 4);
      ctx.lineTo(x + 4, eventsY);
      ctx.lineTo(x, eventsY + 4);
      ctx.lineTo(x - 4, eventsY);
      ctx.closePath();
      ctx.fill();
    }
    if (Number.isFinite(now)) {
      const x = Math.round(axis.x(now)) + 0.5;
      ctx.strokeStyle = HIGHLIGHT;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(x, TOP - 2);
      ctx.lineTo(x, memY + memH);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = HIGHLIGHT;
      ctx.textBaseline = 'bottom';
      ctx.textAlign = x > LEFT + plotW - 40 ? 'right' : 'left';
      ctx.fillText(x > LEFT + plotW - 40 ? 'now ' : ' now', x, TOP + 1);
      if (LEFT + plotW - x > 110) {
        ctx.fillStyle = MUTED;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'middle';
        ctx.fillText('future: not processed yet', x + 8, memY + memH / 2);
      }
    }

    // time axis
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const yAxis = memY + memH;
    for (const { t, label } of axis.ticks(Math.max(2, Math.floor(plotW / 90)))) {
      const x = Math.round(axis.x(t));
      if (x < LEFT - 1 || x > LEFT + plotW + 1) continue;
      ctx.fillRect(x, yAxis + 1, 1, 3);
      ctx.fillText(label, x, yAxis + 5);
    }
    ctx.fillText(`${axis.title} · ◆ last memory write`, LEFT + plotW / 2, yAxis + 17);
  }

  protected onPointerMove(ev: MouseEvent): void {
    const { detail, snapshot } = this.data;
    const axis = this.axis;
    if (!detail || !axis) return this.tip.hide();
    const rect = this.element.getBoundingClientRect();
    const x = ev.clientX - rect.left;
    const y = ev.clientY - rect.top;
    const { eventsY, memY, memH } = this.layout;
    const kind = timeKindOf(snapshot?.now ?? NaN, detail.eventTimes[0] ?? NaN);
    if (Math.abs(y - eventsY) <= TICK + 2) {
      // nearest event within 4 px
      let best = -1;
      let bestD = 4;
      for (let i = 0; i < detail.eventTimes.length; i++) {
        const d = Math.abs(axis.x(detail.eventTimes[i]!) - x);
        if (d <= bestD) {
          bestD = d;
          best = i;
        }
      }
      if (best < 0) return this.tip.hide();
      const role = detail.eventIsSource[best] ? '→' : '←';
      const state = best < detail.processedEvents ? 'processed' : 'future';
      return this.tip.show(x, y, `${formatInstant(detail.eventTimes[best]!, kind)} · ${role} node #${detail.eventOther[best]} · ${state}`);
    }
    if (y >= memY && y <= memY + memH) {
      const steps = memorySteps(detail);
      const t = axis.invert(x);
      let k = -1;
      while (k + 1 < steps.times.length && steps.times[k + 1]! <= t) k++;
      if (k < 0 || steps.dim === 0) return this.tip.hide();
      const j = Math.min(steps.dim - 1, Math.floor(((y - memY) / memH) * steps.dim));
      const age = t - steps.times[k]!;
      return this.tip.show(x, y, `m${j} = ${steps.values[k * steps.dim + j]!.toFixed(3)} · written ${formatSpan(age, kind)} before ${formatInstant(t, kind)}`);
    }
    this.tip.hide();
  }
}
