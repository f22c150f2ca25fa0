// Colours, fonts and colour scales shared by the views (canvas and SVG draw with the same values).
import * as d3 from 'd3';

export const INK = '#1d2330';
export const MUTED = '#5a6478';
export const FAINT = '#c3c9d6';
export const GRID = '#e8ebf1';
export const ACCENT = '#2a5bd7';
export const HIGHLIGHT = '#e8590c';
export const NEVER = '#b8bdc7';
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
export const font = (px: number, weight = 400): string => `${weight} ${px}px ${FONT_FAMILY}`;

export const SPLIT_FILL: Readonly<Record<'train' | 'val' | 'test', string>> = {
  train: '#eef3fd',
  val: '#fdf3e7',
  test: '#fbeaea',
};
export const SPLIT_INK: Readonly<Record<'train' | 'val' | 'test', string>> = {
  train: '#2a5bd7',
  val: '#b86200',
  test: '#b3261e',
};

/** Diverging memory colour: −1 → blue, 0 → white, +1 → red (RdBu reversed). */
export const diverging = (t: number): string => d3.interpolateRdBu(1 - (t + 1) / 2);

/** Memory-age colour on [0, 1]: just updated (0) → orange, oldest (1) → deep purple. */
export const memoryAgeColour = (t: number): string => d3.interpolatePlasma(0.85 - 0.8 * t);

/** `size` RGB entries of an interpolator over [0, 1], for fast per-pixel lookup. */
export function colourLut(interpolate: (t: number) => string, size = 256): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) {
    const c = d3.rgb(interpolate(i / (size - 1)));
    lut[i * 3] = c.r;
    lut[i * 3 + 1] = c.g;
    lut[i * 3 + 2] = c.b;
  }
  return lut;
}

/** LUT of the diverging scale: index 0 ↔ −domain, size−1 ↔ +domain. */
export const DIVERGING_LUT = colourLut((t) => diverging(2 * t - 1));
