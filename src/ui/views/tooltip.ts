/** A small absolutely-positioned tooltip inside a chart container. */
export interface Tooltip {
  show(x: number, y: number, text: string): void;
  hide(): void;
  remove(): void;
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
      // keep it inside the container: flip to the left near the right edge
      const flip = x > container.clientWidth * 0.6;
      tip.style.left = `${x}px`;
      tip.style.top = `${y}px`;
      tip.style.transform = flip ? 'translate(calc(-100% - 10px), -120%)' : 'translate(10px, -120%)';
      tip.hidden = false;
    },
    hide() {
      tip.hidden = true;
    },
    remove() {
      tip.remove();
    },
  };
}
