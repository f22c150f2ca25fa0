// Text widths for SVG layout from a canvas context: SVG's getComputedTextLength forces a style and
// layout pass of the whole page (tens of ms while other charts have just changed the DOM); measureText
// does not. Same font family as the SVG charts (theme.ts), cached per size and text.
import { font } from './theme.ts';

let ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

function context(): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null {
  if (ctx !== undefined) return ctx;
  if (typeof OffscreenCanvas === 'function') ctx = new OffscreenCanvas(1, 1).getContext('2d');
  else if (typeof document !== 'undefined') ctx = document.createElement('canvas').getContext('2d');
  else ctx = null;
  return ctx;
}

/** width in px of `text` at `sizePx` in the charts' font (about 0.55 em per character where there is no canvas) */
export function textWidth(text: string, sizePx: number, weight = 400): number {
  const key = `${weight}|${sizePx}|${text}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const c = context();
  let w: number;
  if (c) {
    c.font = font(sizePx, weight);
    w = c.measureText(text).width;
  } else {
    w = text.length * sizePx * 0.55;
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, w);
  return w;
}
