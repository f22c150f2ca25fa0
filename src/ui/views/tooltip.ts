/** A small absolutely-positioned tooltip inside a chart container, always kept wholly inside it. */
export interface Tooltip {
  show(x: number, y: number, text: string): void;
  hide(): void;
  remove(): void;
}

const EDGE = 4;
const GAP = 10;

/**
 * Top-left of a w×h tooltip for a pointer at (x, y) in a cw×ch container: above and right of the
 * pointer, else left of it, else below it, and always inside the container (EDGE px from its sides).
 */
export function tooltipPosition(x: number, y: number, w: number, h: number, cw: number, ch: number): { left: number; top: number } {
  let left = x + GAP;
  if (left + w > cw - EDGE) left = x - GAP - w;
  let top = y - GAP - h;
  if (top < EDGE) top = y + GAP;
  const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(Math.max(lo, hi), v));
  return { left: clamp(left, EDGE, cw - EDGE - w), top: clamp(top, EDGE, ch - EDGE - h) };
}

export function createTooltip(container: HTMLElement): Tooltip {
  const tip = document.createElement('div');
  tip.className = 'tv-tip';
  tip.hidden = true;
  container.appendChild(tip);
  let last = '';
  return {
    show(x, y, text) {
      if (text !== last) {
        tip.textContent = text;
        last = text;
      }
      tip.hidden = false;
      const cw = container.clientWidth;
      const ch = container.clientHeight;
      // a long text wraps rather than running past the container
      tip.style.maxWidth = `${Math.max(60, cw - 2 * EDGE)}px`;
      const w = tip.offsetWidth;
      const h = tip.offsetHeight;
      const place = tooltipPosition(x, y, w, h, cw, ch);
      tip.style.left = `${place.left}px`;
      tip.style.top = `${place.top}px`;
    },
    hide() {
      tip.hidden = true;
    },
    remove() {
      tip.remove();
    },
  };
}
