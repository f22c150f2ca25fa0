// Memory heatmap on canvas: rows = the most active nodes, columns = memory dimensions, diverging colours.
import type { TrainingSnapshot } from '../../shared/training.ts';
import { context2d, drawVerticalLegend, fitText, putDiverging, sizeCanvas } from './canvas.ts';
import { CanvasChart } from './canvasChart.ts';
import { formatNumber, symmetricDomain } from './format.ts';
import { diverging, font, GRID, HIGHLIGHT, INK, MUTED } from './theme.ts';

const TOP = 8;
const BOTTOM = 30;
const RIGHT = 64;
const MARKER = 9;

export class HeatmapChart extends CanvasChart<TrainingSnapshot | null> {
  private readonly cells: HTMLCanvasElement;
  private readonly cellsCtx: CanvasRenderingContext2D;
  private image: ImageData | null = null;
  private domain = 1;
  private plot = { x: 0, y: 0, w: 0, h: 0, rowH: 0, colW: 0 };

  constructor(container: HTMLElement) {
    super(container, 'memory heatmap', null);
    this.cells = document.createElement('canvas');
    this.cellsCtx = context2d(this.cells);
  }

  protected draw(): void {
    const { ctx, width, height } = this;
    if (width <= 0) return;
    sizeCanvas(this.element, ctx, width, height);
    ctx.clearRect(0, 0, width, height);
    const s = this.data;
    if (!s || s.heatmap.nodes.length === 0 || s.heatmap.dim === 0) return;
    const { nodes, rawIds, dim, values, touched } = s.heatmap;
    const rows = nodes.length;

    // stable legend: the domain only grows while the same run keeps running, and is recomputed on a reset
    const d = symmetricDomain(values);
    this.domain = s.version < 2 ? d : Math.max(d, this.domain > 8 * d ? d : this.domain);

    ctx.font = font(10);
    let labelW = 0;
    for (let i = 0; i < rows; i++) labelW = Math.max(labelW, ctx.measureText(rawIds[i] ?? '').width);
    const left = Math.min(96, Math.ceil(labelW) + 6) + MARKER;
    const plot = this.plot;
    plot.x = left;
    plot.y = TOP;
    plot.w = Math.max(10, width - left - RIGHT);
    plot.h = Math.max(10, height - TOP - BOTTOM);
    plot.rowH = plot.h / rows;
    plot.colW = plot.w / dim;

    // cells: one pixel per (row, dim) in an offscreen canvas, scaled up without smoothing
    if (!this.image || this.image.width !== dim || this.image.height !== rows) {
      this.cells.width = dim;
      this.cells.height = rows;
      this.image = this.cellsCtx.createImageData(dim, rows);
    }
    const px = this.image.data;
    for (let i = 0; i < rows * dim; i++) putDiverging(px, i * 4, values[i]!, this.domain);
    this.cellsCtx.putImageData(this.image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.cells, plot.x, plot.y, plot.w, plot.h);
    ctx.imageSmoothingEnabled = true;
    ctx.strokeStyle = GRID;
    ctx.lineWidth = 1;
    ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.w + 1, plot.h + 1);

    // row labels (as many as fit) and touched markers
    const stride = Math.max(1, Math.ceil(11 / plot.rowH));
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = INK;
    for (let i = 0; i < rows; i += stride) {
      ctx.fillText(fitText(ctx, rawIds[i] ?? String(nodes[i]), left - MARKER - 4), left - MARKER - 2, plot.y + (i + 0.5) * plot.rowH);
    }
    ctx.fillStyle = HIGHLIGHT;
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1;
    const r = Math.min(3, Math.max(1.5, plot.rowH / 2 - 0.5));
    for (let i = 0; i < rows; i++) {
      if (!touched[i]) continue;
      const y = plot.y + (i + 0.5) * plot.rowH;
      ctx.beginPath();
      ctx.moveTo(left - MARKER + 1, y - r);
      ctx.lineTo(left - 2, y);
      ctx.lineTo(left - MARKER + 1, y + r);
      ctx.closePath();
      ctx.fill();
      if (plot.rowH >= 8) ctx.strokeRect(plot.x + 0.5, plot.y + i * plot.rowH + 0.5, plot.w - 1, Math.max(1, plot.rowH - 1));
    }

    // dimension axis
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const step = niceStep(dim, plot.w / 28);
    for (let j = 0; j < dim; j += step) {
      const x = plot.x + (j + 0.5) * plot.colW;
      ctx.fillRect(Math.round(x), plot.y + plot.h + 1, 1, 3);
      ctx.fillText(String(j), x, plot.y + plot.h + 5);
    }
    ctx.fillText(`memory dimension (0–${dim - 1})`, plot.x + plot.w / 2, plot.y + plot.h + 17);
    ctx.textAlign = 'left';
    ctx.fillText('▸ in batch', 2, plot.y + plot.h + 17);

    const dm = this.domain;
    drawVerticalLegend(ctx, plot.x + plot.w + 16, plot.y, plot.y + plot.h, (t) => diverging(2 * t - 1), [
      { t: 1, label: `+${formatNumber(dm)}` },
      { t: 0.75, label: `+${formatNumber(dm / 2)}` },
      { t: 0.5, label: '0' },
      { t: 0.25, label: `−${formatNumber(dm / 2)}` },
      { t: 0, label: `−${formatNumber(dm)}` },
    ], 'memory value');
  }

  protected onPointerMove(ev: MouseEvent): void {
    const s = this.data;
    const { plot } = this;
    const rect = this.element.getBoundingClientRect();
    const x = ev.clientX - rect.left;
    const y = ev.clientY - rect.top;
    if (!s || x < plot.x || y < plot.y || x >= plot.x + plot.w || y >= plot.y + plot.h) {
      this.tip.hide();
      return;
    }
    const i = Math.floor((y - plot.y) / plot.rowH);
    const j = Math.floor((x - plot.x) / plot.colW);
    const { nodes, rawIds, dim, values, touched } = s.heatmap;
    if (i < 0 || i >= nodes.length || j < 0 || j >= dim) return this.tip.hide();
    const v = values[i * dim + j]!;
    this.tip.show(x, y, `node ${rawIds[i] ?? nodes[i]} · m${j} = ${v.toFixed(3)}${touched[i] ? ' · in last batch' : ''}`);
  }
}

/** A tick step among 1, 2, 5, 10, 20, 25, 50, … that gives at most `maxTicks` ticks over n items. */
export function niceStep(n: number, maxTicks: number): number {
  for (const s of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) if (n / s <= Math.max(1, maxTicks)) return s;
  return Math.ceil(n / Math.max(1, maxTicks));
}
