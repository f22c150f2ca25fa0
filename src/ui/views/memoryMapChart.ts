// Memory map on canvas: the PCA projection of node memory, coloured by memory age, tweened between
// snapshots, with trails and outlines for selected nodes and click-to-select by hit-testing.
import * as d3 from 'd3';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { sizeCanvas } from './canvas.ts';
import { CanvasChart } from './canvasChart.ts';
import { frames } from './frameScheduler.ts';
import { formatShare, formatSpan, nearestPoint, timeKindOf, type TimeKind } from './format.ts';
import { font, GRID, INK, MUTED, NEVER, memoryAgeColour } from './theme.ts';

export interface MemoryMapData {
  readonly snapshot: TrainingSnapshot | null;
  readonly selected: readonly number[];
}

const TWEEN_MS = 150;
const BUCKETS = 48;
const NEVER_BUCKET = 255;
const LEGEND_H = 26;
const LEFT = 46;
const RIGHT = 12;
const BOTTOM = 32;

/** The smallest 1, 2 or 5 × 10^k at or above v (v > 0). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const s of [1, 2, 5, 10]) if (v <= s * p * (1 + 1e-9)) return s * p;
  return 10 * p;
}

/** Log-ish memory-age position in [0, 1]: symlog with a constant of max/1000 (three decades visible). */
export function memoryAgePosition(age: number, max: number): number {
  if (!(age > 0)) return 0;
  const c = max / 1000;
  return Math.min(1, Math.log1p(age / c) / Math.log1p(max / c));
}

/** Inverse of memoryAgePosition. */
export function memoryAgeAt(t: number, max: number): number {
  const c = max / 1000;
  return c * Math.expm1(t * Math.log1p(max / c));
}

const AGE_COLOURS = Array.from({ length: BUCKETS }, (_, b) => memoryAgeColour(b / (BUCKETS - 1)));

export class MemoryMapChart extends CanvasChart<MemoryMapData> {
  private snapshot: TrainingSnapshot | null = null;
  private selected = new Set<number>();
  private kind: TimeKind = 'plain';
  private nodes: Int32Array = new Int32Array(0);
  private fromX = new Float32Array(0);
  private fromY = new Float32Array(0);
  private toX = new Float32Array(0);
  private toY = new Float32Array(0);
  private curX = new Float32Array(0);
  private curY = new Float32Array(0);
  /** screen positions of the last drawn frame, for hit-testing */
  private sx = new Float32Array(0);
  private sy = new Float32Array(0);
  private bucket = new Uint8Array(0);
  private ageMax = 1;
  private readonly domFrom = new Float64Array([-1, 1, -1, 1]);
  private readonly domTo = new Float64Array([-1, 1, -1, 1]);
  private readonly domCur = new Float64Array([-1, 1, -1, 1]);
  private tweenStart = 0;
  private lastTweenFrame = -Infinity;
  private raf = 0;
  private plot = { x: 0, y: 0, w: 0, h: 0 };
  private hover = -1;

  /** `onSelect` is called with the node id when a point is clicked */
  constructor(container: HTMLElement, private readonly onSelect: (node: number) => void) {
    super(container, 'memory map: click a point to inspect its node', { snapshot: null, selected: [] });
    this.listen('click', (ev) => this.onClick(ev as MouseEvent));
  }

  /** the picture glides between snapshots on its own frames: only a new snapshot retargets it */
  override update({ snapshot, selected }: MemoryMapData): void {
    this.selected = new Set(selected);
    if (snapshot !== this.snapshot) {
      if (snapshot) this.retarget(snapshot, this.snapshot === null);
      else this.resizeArrays(new Int32Array(0));
      this.snapshot = snapshot;
    }
    if (!this.raf) this.draw();
  }

  protected override onDestroy(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  private resizeArrays(nodes: Int32Array): void {
    const n = nodes.length;
    this.nodes = nodes;
    this.fromX = new Float32Array(n);
    this.fromY = new Float32Array(n);
    this.toX = new Float32Array(n);
    this.toY = new Float32Array(n);
    this.curX = new Float32Array(n);
    this.curY = new Float32Array(n);
    this.sx = new Float32Array(n);
    this.sy = new Float32Array(n);
    this.bucket = new Uint8Array(n);
  }

  /** New targets from a snapshot; the tween starts from the positions on screen now. */
  private retarget(s: TrainingSnapshot, jump: boolean): void {
    const p = s.projection;
    const n = p.nodes.length;
    this.kind = timeKindOf(s.now);
    if (!sameNodes(this.nodes, p.nodes)) {
      // carry positions of nodes that stay; new ones appear at their target
      const oldIndex = new Map<number, number>();
      this.nodes.forEach((v, i) => oldIndex.set(v, i));
      const oldX = this.curX;
      const oldY = this.curY;
      this.resizeArrays(p.nodes.slice());
      for (let i = 0; i < n; i++) {
        const j = oldIndex.get(p.nodes[i]!);
        this.curX[i] = j === undefined ? p.x[i]! : oldX[j]!;
        this.curY[i] = j === undefined ? p.y[i]! : oldY[j]!;
      }
      if (oldIndex.size === 0) jump = true;
    }
    this.fromX.set(this.curX);
    this.fromY.set(this.curY);
    this.toX.set(p.x);
    this.toY.set(p.y);
    paddedExtent(p.x, p.y, this.domTo);
    this.domFrom.set(this.domCur);

    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = p.memoryAge[i]!;
      if (v > max) max = v;
    }
    this.ageMax = niceCeil(max);
    for (let i = 0; i < n; i++) {
      const v = p.memoryAge[i]!;
      this.bucket[i] = Number.isNaN(v) ? NEVER_BUCKET : Math.round(memoryAgePosition(v, this.ageMax) * (BUCKETS - 1));
    }

    // while training plays, snapshots come every ~200 ms: each one jumps (a tween would redraw the page
    // every frame in between); after a step the points still glide
    if (jump || frames.deferring) {
      this.curX.set(this.toX);
      this.curY.set(this.toY);
      this.domCur.set(this.domTo);
      this.domFrom.set(this.domTo);
      this.fromX.set(this.toX);
      this.fromY.set(this.toY);
      return;
    }
    this.tweenStart = performance.now();
    if (!this.raf) this.raf = requestAnimationFrame(this.frame);
  }

  private readonly frame = (now: number): void => {
    const u = Math.min(1, Math.max(0, (now - this.tweenStart) / TWEEN_MS));
    // about 30 tween frames a second: as smooth to the eye, half the page's rendering work while training
    if (u < 1 && now - this.lastTweenFrame < 30) {
      this.raf = requestAnimationFrame(this.frame);
      return;
    }
    this.lastTweenFrame = now;
    const e = d3.easeCubicOut(u);
    const { fromX, fromY, toX, toY, curX, curY } = this;
    for (let i = 0; i < curX.length; i++) {
      curX[i] = fromX[i]! + (toX[i]! - fromX[i]!) * e;
      curY[i] = fromY[i]! + (toY[i]! - fromY[i]!) * e;
    }
    for (let k = 0; k < 4; k++) this.domCur[k] = this.domFrom[k]! + (this.domTo[k]! - this.domFrom[k]!) * e;
    this.draw();
    this.raf = u < 1 ? requestAnimationFrame(this.frame) : 0;
  };

  protected draw(): void {
    const { ctx, width, height } = this;
    if (width <= 0) return;
    sizeCanvas(this.element, ctx, width, height);
    ctx.clearRect(0, 0, width, height);
    const s = this.snapshot;
    if (!s) return;
    const plot = this.plot;
    plot.x = LEFT;
    plot.y = LEGEND_H + 4;
    plot.w = Math.max(10, width - LEFT - RIGHT);
    plot.h = Math.max(10, height - plot.y - BOTTOM);
    const x0 = this.domCur[0]!;
    const x1 = this.domCur[1]!;
    const y0 = this.domCur[2]!;
    const y1 = this.domCur[3]!;
    const kx = plot.w / (x1 - x0 || 1);
    const ky = plot.h / (y1 - y0 || 1);
    const X = (v: number): number => plot.x + (v - x0) * kx;
    const Y = (v: number): number => plot.y + plot.h - (v - y0) * ky;

    // grid, ticks and axis titles
    ctx.font = font(10);
    ctx.lineWidth = 1;
    ctx.strokeStyle = GRID;
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const tickFormat = d3.format('~g');
    for (const t of d3.ticks(x0, x1, Math.max(2, Math.floor(plot.w / 70)))) {
      const x = Math.round(X(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, plot.y);
      ctx.lineTo(x, plot.y + plot.h);
      ctx.stroke();
      ctx.fillText(tickFormat(t), x, plot.y + plot.h + 3);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of d3.ticks(y0, y1, Math.max(2, Math.floor(plot.h / 45)))) {
      const y = Math.round(Y(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(plot.x, y);
      ctx.lineTo(plot.x + plot.w, y);
      ctx.stroke();
      ctx.fillText(tickFormat(t), plot.x - 4, y);
    }
    ctx.strokeStyle = '#cfd5e0';
    ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
    const [v1, v2] = s.projection.varianceFraction;
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`PC1 (memory units) · explains ${formatShare(v1)} of the variance`, plot.x + plot.w / 2, height - 1);
    ctx.save();
    ctx.translate(11, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(`PC2 · ${formatShare(v2)} of the variance`, 0, 0);
    ctx.restore();

    // points: never-updated first (grey), then one path per memory-age colour bucket
    const n = this.nodes.length;
    const { curX, curY, sx, sy, bucket } = this;
    for (let i = 0; i < n; i++) {
      sx[i] = X(curX[i]!);
      sy[i] = Y(curY[i]!);
    }
    const r = n <= 400 ? 3.2 : n <= 1500 ? 2.4 : 1.8;
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    ctx.fillStyle = NEVER;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      if (bucket[i] !== NEVER_BUCKET) continue;
      ctx.moveTo(sx[i]! + r, sy[i]!);
      ctx.arc(sx[i]!, sy[i]!, r, 0, 2 * Math.PI);
    }
    ctx.fill();
    // old memory (dark) under recently updated (bright): fresh updates stay visible
    for (let b = BUCKETS - 1; b >= 0; b--) {
      ctx.beginPath();
      let drawn = false;
      for (let i = 0; i < n; i++) {
        if (bucket[i] !== b) continue;
        ctx.moveTo(sx[i]! + r, sy[i]!);
        ctx.arc(sx[i]!, sy[i]!, r, 0, 2 * Math.PI);
        drawn = true;
      }
      if (drawn) {
        ctx.fillStyle = AGE_COLOURS[b]!;
        ctx.fill();
      }
    }

    // trails of watched nodes, fading towards the past, ending at the node's animated position
    const index = this.selected.size > 0 || s.trails.length > 0 ? indexOfNodes(this.nodes, s.trails.map((t) => t.node), this.selected) : null;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const tr of s.trails) {
      const m = tr.x.length;
      if (m < 2) continue;
      const end = index?.get(tr.node);
      for (let k = 1; k < m; k++) {
        const last = k === m - 1 && end !== undefined;
        ctx.strokeStyle = `rgba(29,35,48,${(0.08 + 0.6 * (k / (m - 1))).toFixed(3)})`;
        ctx.lineWidth = 1.2;
        ctx.beginPath();
        ctx.moveTo(X(tr.x[k - 1]!), Y(tr.y[k - 1]!));
        ctx.lineTo(last ? sx[end]! : X(tr.x[k]!), last ? sy[end]! : Y(tr.y[k]!));
        ctx.stroke();
      }
    }

    // selected nodes: outline and label
    ctx.font = font(10, 600);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    for (const v of this.selected) {
      const i = index?.get(v);
      if (i === undefined) continue;
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#fff';
      ctx.beginPath();
      ctx.arc(sx[i]!, sy[i]!, r + 3, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = INK;
      ctx.beginPath();
      ctx.arc(sx[i]!, sy[i]!, r + 3, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillStyle = INK;
      ctx.fillText(`#${v}`, sx[i]! + r + 4, sy[i]! - r - 1);
    }
    if (this.hover >= 0 && this.hover < n) {
      ctx.lineWidth = 1;
      ctx.strokeStyle = INK;
      ctx.beginPath();
      ctx.arc(sx[this.hover]!, sy[this.hover]!, r + 2, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.restore();

    this.drawLegend(width);
  }

  /** Memory-age legend in the strip above the plot; sheds its title and ticks as the chart narrows. */
  private drawLegend(width: number): void {
    const { ctx } = this;
    ctx.font = font(10);
    const avail = width - LEFT - RIGHT;
    const neverW = ctx.measureText('never updated').width + 14;
    const long = 'memory age = now − last memory update';
    const title = avail - neverW - ctx.measureText(long).width - 8 >= 110 ? long : 'memory age';
    const titleW = ctx.measureText(title).width + 8;
    const showNever = avail - titleW - neverW >= 70;
    const barW = Math.max(40, Math.min(150, avail - titleW - (showNever ? neverW + 10 : 0)));
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(title, LEFT, 0);
    const x = LEFT + titleW;
    const grad = ctx.createLinearGradient(x, 0, x + barW, 0);
    for (let i = 0; i <= 10; i++) grad.addColorStop(i / 10, memoryAgeColour(i / 10));
    ctx.fillStyle = grad;
    ctx.fillRect(x, 2, barW, 8);
    ctx.fillStyle = MUTED;
    const candidates = barW >= 130 ? [0, 1 / 3, 2 / 3, 1] : barW >= 80 ? [0, 1 / 2, 1] : [0, 1];
    const labelOf = (t: number): string => (t === 0 ? '0' : formatSpan(memoryAgeAt(t, this.ageMax), this.kind));
    // extent [left, right] of a tick label as drawn (0 left-aligned, 1 right-aligned, others centred)
    const extent = (t: number): [number, number] => {
      const w = ctx.measureText(labelOf(t)).width;
      const at = x + t * barW;
      return t === 0 ? [at, at + w] : t === 1 ? [at - w, at] : [at - w / 2, at + w / 2];
    };
    // the end labels always; an inner one only where it clears its neighbours by 6 px
    const ticks = [0, 1];
    for (const t of candidates.slice(1, -1)) {
      const [l, r] = extent(t);
      if (ticks.every((k) => { const [kl, kr] = extent(k); return r + 6 <= kl || l >= kr + 6; })) ticks.push(t);
    }
    for (const t of ticks) {
      ctx.textAlign = t === 0 ? 'left' : t === 1 ? 'right' : 'center';
      ctx.fillRect(Math.round(x + t * barW - (t === 1 ? 1 : 0)), 10, 1, 3);
      ctx.fillText(labelOf(t), x + t * barW, 13);
    }
    if (showNever) {
      const gx = x + barW + 10;
      ctx.fillStyle = NEVER;
      ctx.beginPath();
      ctx.arc(gx + 4, 6, 3.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillStyle = MUTED;
      ctx.textAlign = 'left';
      ctx.fillText('never updated', gx + 11, 0);
    }
  }

  private pick(ev: MouseEvent): number {
    const rect = this.element.getBoundingClientRect();
    return nearestPoint(this.sx, this.sy, ev.clientX - rect.left, ev.clientY - rect.top, 8);
  }

  private readonly onClick = (ev: MouseEvent): void => {
    const i = this.pick(ev);
    if (i >= 0) this.onSelect(this.nodes[i]!);
  };

  protected onPointerMove(ev: MouseEvent): void {
    const i = this.pick(ev);
    const s = this.snapshot;
    if (i !== this.hover) {
      this.hover = i;
      this.element.style.cursor = i >= 0 ? 'pointer' : 'default';
      if (!this.raf) this.draw();
    }
    if (i < 0 || !s) return this.tip.hide();
    const age = s.projection.memoryAge[i]!;
    const rect = this.element.getBoundingClientRect();
    const unseen = s.projection.seen[i] ? '' : ' · no events yet';
    this.tip.show(ev.clientX - rect.left, ev.clientY - rect.top, `node #${this.nodes[i]} · ${Number.isNaN(age) ? 'memory never updated' : `memory age ${formatSpan(age, this.kind)}`}${unseen} · click to inspect`);
  }

  protected override onPointerLeave(): void {
    this.tip.hide();
    if (this.hover !== -1) {
      this.hover = -1;
      if (!this.raf) this.draw();
    }
  }
}

function sameNodes(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Positions in `nodes` of the wanted node ids (a short scan per id; only a few are wanted). */
function indexOfNodes(nodes: Int32Array, trailNodes: readonly number[], selected: ReadonlySet<number>): Map<number, number> {
  const want = new Set<number>([...trailNodes, ...selected]);
  const out = new Map<number, number>();
  if (want.size === 0) return out;
  for (let i = 0; i < nodes.length && out.size < want.size; i++) if (want.has(nodes[i]!)) out.set(nodes[i]!, i);
  return out;
}

/** [x0, x1, y0, y1] covering the points with 6 % padding (±1 when they all coincide). */
function paddedExtent(xs: Float32Array, ys: Float32Array, out: Float64Array): void {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (!(x1 >= x0)) [x0, x1, y0, y1] = [-1, 1, -1, 1];
  const px = (x1 - x0 || 2) * 0.06;
  const py = (y1 - y0 || 2) * 0.06;
  out[0] = x0 - px;
  out[1] = x1 + px;
  out[2] = y0 - py;
  out[3] = y1 + py;
}
