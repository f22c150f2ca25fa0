import type { Chart } from './chart.ts';
import { context2d } from './canvas.ts';
import { createTooltip, type Tooltip } from './tooltip.ts';

/**
 * The scaffolding every canvas chart shares (as SvgChart does for SVG): a labelled <canvas> in the
 * container with its 2D context and a tooltip, its size, the latest data, pointer move/leave, and
 * resize/update/destroy. Subclasses draw and answer the pointer; `onResize` lets them drop what they
 * cached for the old size, `onDestroy` stop what they run.
 */
export abstract class CanvasChart<D> implements Chart<D> {
  readonly element: HTMLCanvasElement;
  protected readonly ctx: CanvasRenderingContext2D;
  protected readonly tip: Tooltip;
  protected width = 0;
  protected height = 0;
  protected data: D;
  private readonly listeners: [string, (ev: Event) => void][] = [];

  protected constructor(container: HTMLElement, label: string, initial: D) {
    this.element = document.createElement('canvas');
    this.element.setAttribute('aria-label', label);
    container.appendChild(this.element);
    this.ctx = context2d(this.element);
    this.tip = createTooltip(container);
    this.data = initial;
    this.listen('mousemove', (ev) => this.onPointerMove(ev as MouseEvent));
    this.listen('mouseleave', () => this.onPointerLeave());
  }

  /** an event listener on the canvas, removed by destroy() */
  protected listen(type: string, f: (ev: Event) => void): void {
    this.element.addEventListener(type, f);
    this.listeners.push([type, f]);
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.onResize();
    this.draw();
  }

  update(data: D): void {
    this.data = data;
    this.draw();
  }

  destroy(): void {
    for (const [type, f] of this.listeners) this.element.removeEventListener(type, f);
    this.onDestroy();
    this.element.remove();
    this.tip.remove();
  }

  protected onResize(): void {}

  protected onDestroy(): void {}

  protected abstract draw(): void;

  protected abstract onPointerMove(ev: MouseEvent): void;

  protected onPointerLeave(): void {
    this.tip.hide();
  }
}
