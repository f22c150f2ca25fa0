import * as d3 from 'd3';
import type { Chart } from './chart.ts';
import { FONT_FAMILY } from './theme.ts';

export type SvgSelection = d3.Selection<SVGSVGElement, unknown, null, undefined>;
export type GroupSelection = d3.Selection<SVGGElement, unknown, null, undefined>;

/**
 * The scaffolding every SVG chart shares: an accessible <svg> in the container with one root group,
 * its size, the latest data, and resize/update/destroy. Subclasses draw; `onResize` lets them drop
 * what they cached for the old size.
 */
export abstract class SvgChart<D> implements Chart<D> {
  readonly element: SVGSVGElement;
  protected readonly svg: SvgSelection;
  protected readonly root: GroupSelection;
  protected width = 0;
  protected height = 0;
  protected data: D;

  protected constructor(container: HTMLElement, label: string, initial: D) {
    this.svg = d3.select(container).append('svg')
      .attr('role', 'img')
      .attr('aria-label', label)
      .attr('font-family', FONT_FAMILY)
      .attr('font-size', 10);
    const element = this.svg.node();
    if (!element) throw new Error(`could not create the ${label} SVG`);
    this.element = element;
    this.root = this.svg.append('g');
    this.data = initial;
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    this.onResize();
    this.draw();
  }

  update(data: D): void {
    this.data = data;
    this.draw();
  }

  destroy(): void {
    this.svg.remove();
  }

  /** removes everything drawn (one DOM call; selectAll('*').remove() removes every descendant one by one) */
  protected clear(): void {
    this.root.node()?.replaceChildren();
  }

  protected onResize(): void {}

  protected abstract draw(): void;
}
