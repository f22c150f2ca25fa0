// The serving lab's two charts, in SVG. The timeline replays the first queries of a recorded run: event
// arrivals, the update server's groups and each query from arrival to answer, coloured by how many arrived
// events its answer missed. The frontier puts each run at its P99 latency and mean staleness, one line per
// mode over the event rates served.
import * as d3 from 'd3';
import type { ServeMode, ServeRun, ServeSummary } from '../../shared/serving.ts';
import { SvgChart } from '../views/svgChart.ts';
import { GRID, INK, MUTED } from '../views/theme.ts';
import { textWidth } from '../views/textWidth.ts';

export const MODE_COLOUR: Readonly<Record<ServeMode, string>> = {
  update: '#2a5bd7',
  inference: '#b3261e',
  collaborative: '#2f8a3e',
};

export const MODE_LABEL: Readonly<Record<ServeMode, string>> = {
  update: 'update-based',
  inference: 'inference-based',
  collaborative: 'collaborative',
};

/** how many queries the timeline shows (the first ones of the run) */
export const TIMELINE_QUERIES = 24;

/** the colour of an answer that missed `events` arrived events */
export const stalenessColour = (events: number): string => (events === 0 ? '#2f8a3e' : events <= 2 ? '#e0a100' : events <= 10 ? '#e8590c' : '#b3261e');

/** the time window the timeline shows: from 0 to the answer of its last query (s) */
export function timelineWindow(run: ServeRun): number {
  const shown = run.records.slice(0, TIMELINE_QUERIES);
  const last = shown.reduce((m, r) => Math.max(m, r.answerS), 0);
  return last > 0 ? last * 1.04 : 0.1;
}

export class ServingTimelineChart extends SvgChart<ServeRun | null> {
  constructor(container: HTMLElement) {
    super(container, 'serving timeline', null);
    this.svg.attr('data-testid', 'serving-timeline-chart');
  }

  protected draw(): void {
    const { width, height, data: run } = this;
    this.clear();
    if (width <= 0 || !run) return;
    const left = 96;
    const right = 14;
    const top = 22;
    const bottom = 34;
    const w = Math.max(60, width - left - right);
    const end = timelineWindow(run);
    const x = d3.scaleLinear().domain([0, end * 1000]).range([0, w]);
    const queries = run.records.slice(0, TIMELINE_QUERIES);
    const lanes = height - top - bottom;
    const eventsH = 16;
    const updatesH = run.updates.length > 0 ? 18 : 0;
    const gap = 10;
    const queryTop = eventsH + gap + (updatesH > 0 ? updatesH + gap : 0);
    const rowH = Math.max(3, Math.min(12, (lanes - queryTop) / Math.max(1, queries.length)));
    const g = this.root.append('g').attr('transform', `translate(${left},${top})`);
    this.root.append('text').attr('x', left).attr('y', 13).attr('fill', INK).attr('font-size', 11.5).attr('font-weight', 600)
      .text(`${MODE_LABEL[run.summary.mode]} — R = ${run.summary.eventRate}/s, Q = ${run.summary.queryRate}/s, first ${queries.length} queries`);
    g.append('g').attr('transform', `translate(0,${lanes})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 70))).tickSizeOuter(0))
      .call((s) => s.selectAll('.tick line').attr('y2', -lanes).attr('stroke', GRID));
    g.append('text').attr('x', w / 2).attr('y', lanes + 28).attr('text-anchor', 'middle').attr('fill', MUTED).text('serving time (ms)');

    const label = (y: number, text: string): void => {
      g.append('text').attr('x', -8).attr('y', y).attr('dy', '0.32em').attr('text-anchor', 'end').attr('fill', MUTED).text(text);
    };
    // event arrivals
    label(eventsH / 2, 'events arrive');
    g.append('g').attr('class', 'serving-arrivals').selectAll('line').data(run.arrivals.filter((a) => a <= end)).join('line')
      .attr('x1', (a) => x(a * 1000)).attr('x2', (a) => x(a * 1000)).attr('y1', 2).attr('y2', eventsH - 2)
      .attr('stroke', INK).attr('stroke-opacity', 0.55);
    // update groups
    if (updatesH > 0) {
      const y0 = eventsH + gap;
      label(y0 + updatesH / 2, 'update groups');
      g.append('g').attr('class', 'serving-updates').selectAll('rect').data(run.updates.filter((u) => u.startS <= end)).join('rect')
        .attr('x', (u) => x(u.startS * 1000)).attr('y', y0).attr('height', updatesH)
        .attr('width', (u) => Math.max(1.5, x(Math.min(end, u.endS) * 1000) - x(u.startS * 1000)))
        .attr('fill', MODE_COLOUR[run.summary.mode]).attr('fill-opacity', 0.35).attr('stroke', MODE_COLOUR[run.summary.mode])
        .append('title').text((u) => `events ${u.from}–${u.to - 1} (${u.to - u.from}): ${(u.startS * 1000).toFixed(1)}–${(u.endS * 1000).toFixed(1)} ms`);
    }
    // queries: arrival → answer, the server's start marked
    label(queryTop + (rowH * queries.length) / 2, 'queries');
    const q = g.append('g').attr('class', 'serving-queries').selectAll('g').data(queries).join('g')
      .attr('transform', (_, i) => `translate(0,${queryTop + i * rowH + rowH / 2})`);
    // at least 2 px long, so an answer from the cache (a fraction of a ms) still shows its colour
    q.append('line').attr('x1', (r) => x(r.arrivalS * 1000)).attr('x2', (r) => Math.max(x(r.answerS * 1000), x(r.arrivalS * 1000) + 2))
      .attr('stroke', (r) => stalenessColour(r.stalenessEvents)).attr('stroke-width', Math.max(1.5, rowH * 0.6)).attr('stroke-linecap', 'butt');
    q.append('circle').attr('cx', (r) => x(r.arrivalS * 1000)).attr('r', Math.min(3.5, rowH / 2))
      .attr('fill', (r) => stalenessColour(r.stalenessEvents)).attr('stroke', INK).attr('stroke-width', 0.8);
    // labels where the rows leave room: after the bar, or before the dot near the right edge
    if (rowH >= 8) {
      const end = (r: ServeRun['records'][number]): number => Math.max(x(r.answerS * 1000), x(r.arrivalS * 1000) + 2);
      q.append('text').attr('x', (r) => (end(r) > w - 60 ? x(r.arrivalS * 1000) - 6 : end(r) + 5)).attr('text-anchor', (r) => (end(r) > w - 60 ? 'end' : 'start'))
        .attr('dy', '0.32em').attr('font-size', 8.5).attr('fill', MUTED)
        .text((r) => (r.stalenessEvents > 0 ? `missed ${r.stalenessEvents}` : 'fresh'));
    }
    q.append('title').text((r) => `query ${r.query}: arrived ${(r.arrivalS * 1000).toFixed(1)} ms, answered ${(r.answerS * 1000).toFixed(1)} ms ` +
      `(latency ${r.latencyMs.toFixed(2)} ms); its answer reflects ${r.reflected} of ${r.arrived} arrived events (${r.stalenessEvents} missing)` +
      `${r.equalsExact ? ', equal to the exact answer' : ''}`);
  }
}

export interface FrontierData {
  /** each run's summary (several modes, several rates) */
  readonly points: readonly ServeSummary[];
  readonly title: string;
}

export class ServingFrontierChart extends SvgChart<FrontierData | null> {
  constructor(container: HTMLElement) {
    super(container, 'latency vs staleness frontier', null);
    this.svg.attr('data-testid', 'serving-frontier-chart');
  }

  protected draw(): void {
    const { width, height, data } = this;
    this.clear();
    if (width <= 0 || !data) return;
    const left = 52;
    const right = 16;
    const w = Math.max(60, width - left - right);
    // one legend row, or two where the three labels do not fit
    const legendW = (Object.keys(MODE_LABEL) as ServeMode[]).reduce((sum, m) => sum + 25 + textWidth(MODE_LABEL[m], 9.5), 0);
    const top = legendW > w ? 53 : 40;
    const bottom = 36;
    const h = Math.max(60, height - top - bottom);
    this.root.append('text').attr('x', left).attr('y', 14).attr('fill', INK).attr('font-size', width < 500 ? 10 : 11.5).attr('font-weight', 600).text(data.title);
    const lat = data.points.map((p) => p.latencyMs.p99).filter((v) => v > 0);
    const x = d3.scaleLog().domain(lat.length > 0 ? [Math.min(...lat) / 1.6, Math.max(...lat) * 1.6] : [0.01, 100]).range([0, w]);
    const stale = data.points.map((p) => p.stalenessEvents.mean);
    const y = d3.scaleSymlog().constant(1).domain([0, Math.max(10, ...stale) * 1.3]).range([h, 0]);
    const g = this.root.append('g').attr('transform', `translate(${left},${top})`);
    g.append('g').call(d3.axisLeft(y).tickValues(symlogTicks(y.domain()[1]!)).tickFormat(d3.format('~s')).tickSize(-w).tickSizeOuter(0))
      .call((s) => s.selectAll('.tick line').attr('stroke', GRID)).call((s) => s.select('.domain').attr('stroke', GRID));
    g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(5, '~g').tickSizeOuter(0));
    g.append('text').attr('x', w / 2).attr('y', h + 30).attr('text-anchor', 'middle').attr('fill', MUTED).text('P99 latency (ms, log)');
    g.append('text').attr('transform', 'rotate(-90)').attr('x', -h / 2).attr('y', -38).attr('text-anchor', 'middle').attr('fill', MUTED)
      .text('mean staleness (events missed)');
    // the legend wraps to a second row where the chart is narrow (a phone)
    const legend = this.root.append('g').attr('transform', `translate(${left},28)`);
    let lx = 0;
    let ly = 0;
    for (const mode of Object.keys(MODE_COLOUR) as ServeMode[]) {
      const itemW = 13 + textWidth(MODE_LABEL[mode], 9.5) + 12;
      if (lx > 0 && lx + itemW > w) {
        lx = 0;
        ly += 13;
      }
      const item = legend.append('g').attr('transform', `translate(${lx},${ly})`);
      item.append('circle').attr('cx', 5).attr('r', 4).attr('fill', MODE_COLOUR[mode]);
      item.append('text').attr('x', 13).attr('dy', '0.32em').attr('fill', INK).attr('font-size', 9.5).text(MODE_LABEL[mode]);
      lx += itemW;
    }
    for (const mode of Object.keys(MODE_COLOUR) as ServeMode[]) {
      const pts = data.points.filter((p) => p.mode === mode && p.latencyMs.p99 > 0).sort((a, b) => a.eventRate - b.eventRate);
      if (pts.length === 0) continue;
      const s = g.append('g').attr('class', `serving-frontier-${mode}`);
      s.append('path').attr('d', d3.line<ServeSummary>((p) => x(p.latencyMs.p99), (p) => y(p.stalenessEvents.mean))(pts) ?? '')
        .attr('fill', 'none').attr('stroke', MODE_COLOUR[mode]).attr('stroke-width', 1.6).attr('stroke-opacity', 0.7);
      const dot = s.selectAll('g').data(pts).join('g').attr('transform', (p) => `translate(${x(p.latencyMs.p99)},${y(p.stalenessEvents.mean)})`);
      dot.append('circle').attr('class', 'serving-frontier-point').attr('r', 4).attr('fill', MODE_COLOUR[mode]);
      // the slowest and fastest rates are labelled (every point has its numbers in its tooltip)
      const nearRight = (p: ServeSummary): boolean => x(p.latencyMs.p99) > w - 40;
      dot.filter((_, i) => i === 0 || i === pts.length - 1).append('text').attr('x', (p) => (nearRight(p) ? -6 : 6)).attr('y', -5)
        .attr('text-anchor', (p) => (nearRight(p) ? 'end' : 'start')).attr('fill', MUTED).attr('font-size', 8.5).text((p) => `${p.eventRate}/s`);
      dot.append('title').text((p) => `${MODE_LABEL[mode]}, R = ${p.eventRate}/s, G = ${p.updateGrouping.size}: P99 latency ${p.latencyMs.p99.toFixed(2)} ms, ` +
        `mean staleness ${p.stalenessEvents.mean.toFixed(1)} events, AP ${p.ap.toFixed(4)} (exact ${p.exactAp.toFixed(4)})`);
    }
    if (data.points.length === 0) {
      g.append('text').attr('x', w / 2).attr('y', h / 2).attr('text-anchor', 'middle').attr('fill', MUTED).attr('font-size', 11).text('run the frontier to fill this chart');
    }
  }
}

/** 0, 1, 2, 5, 10, … up to max */
function symlogTicks(max: number): number[] {
  const out = [0];
  for (let p = 0; 10 ** p <= max; p++) for (const m of [1, 2, 5]) if (m * 10 ** p <= max) out.push(m * 10 ** p);
  return out;
}
