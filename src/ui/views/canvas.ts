// Canvas plumbing: devicePixelRatio-scaled sizing and small drawing helpers.
import { DIVERGING_LUT, font, MUTED } from './theme.ts';

/** Sizes a canvas to w×h CSS px at the device pixel ratio and resets its transform; returns the ratio. */
export function sizeCanvas(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, w: number, h: number): number {
  const dpr = globalThis.devicePixelRatio || 1;
  const bw = Math.max(1, Math.round(w * dpr));
  const bh = Math.max(1, Math.round(h * dpr));
  if (canvas.width !== bw || canvas.height !== bh) {
    canvas.width = bw;
    canvas.height = bh;
  }
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return dpr;
}

export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gave no 2D canvas context');
  return ctx;
}

/** Writes value/domain through the diverging LUT into RGBA pixel `p` of `data`. */
export function putDiverging(data: Uint8ClampedArray, p: number, value: number, domain: number): void {
  const size = DIVERGING_LUT.length / 3;
  if (!Number.isFinite(value)) {
    data[p] = 220;
    data[p + 1] = 220;
    data[p + 2] = 220;
    data[p + 3] = 255;
    return;
  }
  const t = Math.max(0, Math.min(size - 1, Math.round(((value / domain + 1) / 2) * (size - 1))));
  data[p] = DIVERGING_LUT[t * 3]!;
  data[p + 1] = DIVERGING_LUT[t * 3 + 1]!;
  data[p + 2] = DIVERGING_LUT[t * 3 + 2]!;
  data[p + 3] = 255;
}

/** A vertical colour bar from `top` (t = 1) to `bottom` (t = 0) with tick labels on its right. */
export function drawVerticalLegend(
  ctx: CanvasRenderingContext2D, x: number, top: number, bottom: number, colour: (t: number) => string,
  ticks: readonly { t: number; label: string }[], title: string,
): void {
  const h = bottom - top;
  const grad = ctx.createLinearGradient(0, bottom, 0, top);
  for (let i = 0; i <= 10; i++) grad.addColorStop(i / 10, colour(i / 10));
  ctx.fillStyle = grad;
  ctx.fillRect(x, top, 10, h);
  ctx.strokeStyle = 'rgba(0,0,0,0.25)';
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, top + 0.5, 9, h - 1);
  ctx.fillStyle = MUTED;
  ctx.font = font(10);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const { t, label } of ticks) {
    const y = bottom - t * h;
    ctx.fillRect(x + 10, Math.round(y), 3, 1);
    ctx.fillText(label, x + 15, y);
  }
  ctx.save();
  ctx.translate(x - 4, (top + bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(title, 0, 0);
  ctx.restore();
}

/** Text cut with an ellipsis to fit `maxWidth` px in the current font. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
