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
      tip.style.left = `${x}px`;
      tip.style.top = `${y}px`;
      tip.hidden = false;
      // keep it inside the container: to the left of the pointer when it would overflow on the right
      const flip = x + 10 + tip.offsetWidth > container.clientWidth && x - 10 - tip.offsetWidth >= 0;
      tip.style.transform = flip ? 'translate(calc(-100% - 10px), -120%)' : 'translate(10px, -120%)';
    },
    hide() {
      tip.hidden = true;
    },
    remove() {
      tip.remove();
    },
  };
}
