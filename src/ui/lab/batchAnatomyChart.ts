// The batch-anatomy picture in SVG: the events of one batch along a time axis (stream order), an arc from
// each stale event back to the earlier same-batch event whose memory update it misses (above the axis:
// via its source, solid; via its destination, dashed), and below, each event's mails to its source and
// destination, greyed out and struck through when the mailbox drops them.
import * as d3 from 'd3';
import type { AnatomyEvent, BatchAnatomy } from '../../engine/probes/types.ts';
import { SvgChart } from '../views/svgChart.ts';
import { formatInstant, type TimeKind } from '../views/format.ts';
import { ACCENT, FAINT, GRID, HIGHLIGHT, INK, MUTED } from '../views/theme.ts';

export interface AnatomyData {
  readonly anatomy: BatchAnatomy | null;
  /** events drawn at most (the first ones of the batch) */
  readonly maxEvents: number;
  readonly timeKind: TimeKind;
  /** raw ids of the stream's nodes, when known (else the compact id is shown) */
  readonly label?: (node: number) => string;
}

const LEFT = 78;
const RIGHT = 14;
const TOP = 22;
const STALE = HIGHLIGHT;
const FRESH = ACCENT;
const KEPT = '#3b4456';

interface Arc {
  readonly from: number;
  readonly to: number;
  readonly via: 'src' | 'dst';
}

export class BatchAnatomyChart extends SvgChart<AnatomyData | null> {
  constructor(container: HTMLElement) {
    super(container, 'batch anatomy', null);
  }

  protected draw(): void {
    const { width, height, data } = this;
    this.root.selectAll('*').remove();
    if (width <= 0 || !data?.anatomy) return;
    const a = data.anatomy;
    const events = a.events.slice(0, data.maxEvents);
    const n = events.length;
    const w = Math.max(40, width - LEFT - RIGHT);
    const step = w / Math.max(1, n);
    const x = (i: number): number => LEFT + step * (i + 0.5);
    const pos = new Map<number, number>(events.map((e, i) => [e.index, i]));
    const labelled = step >= 13;
    const labelSpace = labelled ? 44 : 0;
    // rows from the bottom: mail rows, labels, time axis; the arcs take the rest
    const mailH = Math.max(6, Math.min(12, step * 0.8));
    const bottom = height - 8;
    const dstRowY = bottom - mailH;
    const srcRowY = dstRowY - mailH - 4;
    const axisY = srcRowY - labelSpace - 30;
    const arcTop = TOP + 4;
    const arcH = Math.max(20, axisY - arcTop - 6);
    const g = this.root;

    // arcs
    const arcs: Arc[] = [];
    for (const e of events) {
      if (e.missedViaSrc >= 0 && pos.has(e.missedViaSrc)) arcs.push({ from: e.missedViaSrc, to: e.index, via: 'src' });
      if (e.missedViaDst >= 0 && pos.has(e.missedViaDst)) arcs.push({ from: e.missedViaDst, to: e.index, via: 'dst' });
    }
    const arcOpacity = arcs.length > 150 ? 0.35 : arcs.length > 60 ? 0.55 : 0.8;
    g.append('g').attr('class', 'anatomy-arcs')
      .selectAll('path')
      .data(arcs)
      .join('path')
      .attr('class', 'anatomy-arc')
      .attr('fill', 'none')
      .attr('stroke', STALE)
      .attr('stroke-opacity', arcOpacity)
      .attr('stroke-width', n > 100 ? 1 : 1.4)
      .attr('stroke-dasharray', (d) => (d.via === 'dst' ? '4 2' : null))
      .attr('d', (d) => {
        const x0 = x(pos.get(d.from)!);
        const x1 = x(pos.get(d.to)!);
        const rx = (x1 - x0) / 2;
        const ry = Math.min(arcH, Math.max(6, rx * 0.9));
        return `M${x0.toFixed(1)},${axisY}A${rx.toFixed(1)},${ry.toFixed(1)} 0 0 1 ${x1.toFixed(1)},${axisY}`;
      })
      .append('title')
      .text((d) => `event #${d.to} misses the memory update of event #${d.from} (shared ${d.via === 'src' ? 'source' : 'destination'} of #${d.to})`);

    // the axis line and time ticks
    g.append('line').attr('x1', LEFT).attr('x2', LEFT + w).attr('y1', axisY).attr('y2', axisY).attr('stroke', FAINT);
    const tickCount = Math.max(2, Math.min(6, Math.floor(w / 150)));
    const ticks = n <= 1 ? [0] : d3.range(tickCount).map((k) => Math.round((k * (n - 1)) / (tickCount - 1)));
    const tickG = g.append('g').attr('class', 'anatomy-ticks');
    for (const [k, i] of [...new Set(ticks)].entries()) {
      const e = events[i]!;
      const anchor = k === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
      const tx = anchor === 'start' ? x(i) - Math.min(step / 2, 4) : anchor === 'end' ? x(i) + Math.min(step / 2, 4) : x(i);
      tickG.append('line').attr('x1', x(i)).attr('x2', x(i)).attr('y1', axisY + 6).attr('y2', axisY + 10).attr('stroke', MUTED);
      tickG.append('text').attr('x', tx).attr('y', axisY + 20).attr('text-anchor', anchor).attr('fill', MUTED).attr('font-size', 9.5)
        .text(formatInstant(e.t, data.timeKind));
    }

    // events
    const r = Math.max(1.6, Math.min(4.5, step * 0.32));
    const name = (v: number): string => data.label?.(v) ?? String(v);
    const describe = (e: AnatomyEvent): string => {
      const parts = [`event #${e.index}: ${name(e.src)} → ${name(e.dst)}, ${formatInstant(e.t, data.timeKind)}`];
      if (e.missedViaSrc >= 0) parts.push(`stale: misses #${e.missedViaSrc} (source ${name(e.src)})`);
      if (e.missedViaDst >= 0) parts.push(`stale: misses #${e.missedViaDst} (destination ${name(e.dst)})`);
      if (!e.stale) parts.push('fresh: its nodes are untouched earlier in the batch');
      return parts.join('\n');
    };
    g.append('g').attr('class', 'anatomy-events')
      .selectAll('circle')
      .data(events)
      .join('circle')
      .attr('class', (e) => `anatomy-event ${e.stale ? 'stale' : 'fresh'}`)
      .attr('cx', (_, i) => x(i))
      .attr('cy', axisY)
      .attr('r', r)
      .attr('fill', (e) => (e.stale ? STALE : FRESH))
      .attr('stroke', '#fff')
      .attr('stroke-width', r > 3 ? 1 : 0.5)
      .append('title')
      .text(describe);

    if (labelled) {
      g.append('g').attr('class', 'anatomy-labels')
        .selectAll('text')
        .data(events)
        .join('text')
        .attr('transform', (_, i) => `translate(${x(i) + 3},${axisY + 27}) rotate(60)`)
        .attr('font-size', Math.min(10, step * 0.7))
        .attr('fill', (e) => (e.stale ? '#9a3a06' : INK))
        .text((e) => {
          const s = `${name(e.src)}→${name(e.dst)}`;
          return s.length > 11 ? `${s.slice(0, 10)}…` : s;
        });
    }

    // mails: one row to the source, one to the destination
    const dropped = new Map<string, boolean>();
    for (const m of a.mails) dropped.set(`${m.event}:${m.node}`, m.dropped);
    const mailW = Math.max(1, Math.min(10, step * 0.7));
    const mails = events.flatMap((e, i) => {
      const out: { i: number; e: AnatomyEvent; to: 'src' | 'dst'; dropped: boolean }[] = [];
      out.push({ i, e, to: 'src', dropped: dropped.get(`${e.index}:${e.src}`) ?? false });
      if (e.src !== e.dst) out.push({ i, e, to: 'dst', dropped: dropped.get(`${e.index}:${e.dst}`) ?? false });
      return out;
    });
    const mailG = g.append('g').attr('class', 'anatomy-mails');
    mailG.selectAll('rect')
      .data(mails)
      .join('rect')
      .attr('class', (m) => `anatomy-mail ${m.dropped ? 'dropped' : 'kept'}`)
      .attr('x', (m) => x(m.i) - mailW / 2)
      .attr('y', (m) => (m.to === 'src' ? srcRowY : dstRowY))
      .attr('width', mailW)
      .attr('height', mailH - 1)
      .attr('rx', 1.5)
      .attr('fill', (m) => (m.dropped ? '#eef0f4' : KEPT))
      .attr('stroke', (m) => (m.dropped ? '#b8bdc7' : 'none'))
      .attr('stroke-width', 0.8)
      .append('title')
      .text((m) => {
        const node = name(m.to === 'src' ? m.e.src : m.e.dst);
        return m.dropped
          ? `mail of event #${m.e.index} to ${node}: dropped (a later mail to ${node} in this batch takes its mailbox slot)`
          : `mail of event #${m.e.index} to ${node}: reaches the memory`;
      });
    if (mailW >= 4) {
      mailG.selectAll('line')
        .data(mails.filter((m) => m.dropped))
        .join('line')
        .attr('x1', (m) => x(m.i) - mailW / 2 + 1)
        .attr('x2', (m) => x(m.i) + mailW / 2 - 1)
        .attr('y1', (m) => (m.to === 'src' ? srcRowY : dstRowY) + mailH - 2)
        .attr('y2', (m) => (m.to === 'src' ? srcRowY : dstRowY) + 1)
        .attr('stroke', '#9aa3b5')
        .attr('stroke-width', 0.8);
    }

    // row titles
    const rowTitle = (y: number, text: string, sub: string | null): void => {
      const t = g.append('text').attr('x', LEFT - 8).attr('y', y).attr('text-anchor', 'end').attr('fill', MUTED).attr('font-size', 9.5);
      t.append('tspan').text(text);
      if (sub) t.append('tspan').attr('x', LEFT - 8).attr('dy', '1.15em').attr('font-size', 8.5).text(sub);
    };
    rowTitle(axisY - 12, 'events', 'time →');
    rowTitle(srcRowY + mailH - 2, 'mail → src', null);
    rowTitle(dstRowY + mailH - 2, 'mail → dst', null);
    g.append('line').attr('x1', LEFT).attr('x2', LEFT + w).attr('y1', srcRowY - 3).attr('y2', srcRowY - 3).attr('stroke', GRID);

    // legend
    const legend = g.append('g').attr('transform', `translate(${LEFT},${TOP - 10})`).attr('font-size', 9.5).attr('fill', INK);
    let lx = 0;
    const item = (draw: (s: d3.Selection<SVGGElement, unknown, null, undefined>) => void, text: string): void => {
      const s = legend.append('g').attr('transform', `translate(${lx},0)`);
      draw(s);
      const t = s.append('text').attr('x', 16).attr('dy', '0.32em').text(text);
      lx += 16 + (t.node()?.getComputedTextLength?.() ?? text.length * 5) + 14;
    };
    item((s) => s.append('circle').attr('cx', 6).attr('r', 4).attr('fill', FRESH), 'fresh event');
    item((s) => s.append('circle').attr('cx', 6).attr('r', 4).attr('fill', STALE), 'stale event');
    item((s) => s.append('path').attr('d', 'M0,4A6,7 0 0 1 12,4').attr('fill', 'none').attr('stroke', STALE).attr('stroke-width', 1.4), 'misses update (via source)');
    item((s) => s.append('path').attr('d', 'M0,4A6,7 0 0 1 12,4').attr('fill', 'none').attr('stroke', STALE).attr('stroke-width', 1.4).attr('stroke-dasharray', '4 2'), 'via destination');
    item((s) => s.append('rect').attr('x', 2).attr('y', -4).attr('width', 8).attr('height', 8).attr('rx', 1.5).attr('fill', KEPT), 'mail kept');
    item((s) => {
      s.append('rect').attr('x', 2).attr('y', -4).attr('width', 8).attr('height', 8).attr('rx', 1.5).attr('fill', '#eef0f4').attr('stroke', '#b8bdc7');
      s.append('line').attr('x1', 3).attr('x2', 9).attr('y1', 3).attr('y2', -3).attr('stroke', '#9aa3b5');
    }, 'mail dropped');
  }
}
