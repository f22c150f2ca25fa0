// The batch-anatomy picture in SVG: the events of one batch along a time axis (stream order), an arc from
// each stale event back to the earlier same-batch event whose memory update it misses (above the axis:
// via its source, solid; via its destination, dashed), and below, each event's mails to its source and
// destination, greyed out and struck through when the mailbox drops them.
import * as d3 from 'd3';
import type { AnatomyEvent, BatchAnatomy } from '../../shared/lab.ts';
import { SvgChart } from '../views/svgChart.ts';
import { formatInstant, type TimeKind } from '../views/format.ts';
import { ACCENT, FAINT, GRID, HIGHLIGHT, INK, MUTED } from '../views/theme.ts';
import { textWidth } from '../views/textWidth.ts';
import { frames } from '../views/frameScheduler.ts';

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

/** marks per deferred part: a frame that adds a few hundred SVG elements spends tens of ms in style, layout and paint */
const MARKS_PER_PART = 120;

/**
 * Groups filled from markup (numbers and fixed words only): one parse instead of thousands of DOM calls
 * (the chart redraws while training), MARKS_PER_PART marks a group. `later` fills each then, in the
 * group's place in the picture.
 */
function markupGroups(parent: d3.Selection<SVGGElement, unknown, null, undefined>, className: string, marks: readonly string[], later: () => (fill: () => void) => void): void {
  for (let from = 0; from < marks.length; from += MARKS_PER_PART) {
    const g = parent.append('g').attr('class', className).node();
    if (!g) return;
    const part = marks.slice(from, from + MARKS_PER_PART);
    later()(() => {
      g.innerHTML = part.join('');
    });
  }
}

const f1 = (v: number): string => v.toFixed(1);

interface Arc {
  readonly from: number;
  readonly to: number;
  readonly via: 'src' | 'dst';
}

const LEGEND_TEXTS = ['fresh event', 'stale event', 'misses update (via source)', 'via destination', 'mail kept', 'mail dropped'] as const;

/** Where each legend item goes (from the chart's left edge + 4 px), wrapping to a new 12-px row at `right`. */
function legendLayout(right: number): { places: { x: number; y: number }[]; rows: number } {
  const places: { x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  for (const text of LEGEND_TEXTS) {
    const w = 16 + textWidth(text, 9.5);
    if (x > 0 && 4 + x + w > right) {
      x = 0;
      y += 12;
    }
    places.push({ x, y });
    x += w + 14;
  }
  return { places, rows: y / 12 + 1 };
}

export class BatchAnatomyChart extends SvgChart<AnatomyData | null> {
  /** the arcs, events and mails of a picture drawn while training plays wait for later frames (frameScheduler.ts), a part each */
  private readonly partKeys: object[] = [];
  private parts = 0;
  /** the hover text of the arc, event or mail with data-tip="kind:index" (built on first hover, not per draw) */
  private tipOf: (kind: string, index: number) => string = () => '';

  constructor(container: HTMLElement) {
    super(container, 'batch anatomy', null);
    // one <title> per mark only when the pointer reaches it: a batch has ~1,000 marks and redraws while training
    this.element.addEventListener('mouseover', (e) => {
      const el = e.target;
      if (!(el instanceof SVGElement) || el.querySelector(':scope > title')) return;
      const tip = el.getAttribute('data-tip');
      if (!tip) return;
      const [kind, index] = tip.split(':');
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = this.tipOf(kind!, Number(index));
      el.appendChild(title);
    });
  }

  /** while training plays, the picture's next part waits for a frame with drawing time left; otherwise it is drawn now */
  private readonly nextPart = (): ((fill: () => void) => void) => {
    const key = this.partKeys[this.parts] ?? {};
    this.partKeys[this.parts++] = key;
    return (fill) => {
      if (frames.deferring) frames.request(key, fill);
      else fill();
    };
  };

  protected draw(): void {
    const { width, height, data } = this;
    this.clear();
    for (const key of this.partKeys) frames.cancel(key);
    this.parts = 0;
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
    // the legend wraps onto more rows where the chart is narrow (1024 px pages, phones); the arcs start below it
    const legendRows = legendLayout(width - RIGHT).rows;
    const arcTop = TOP + 12 * (legendRows - 1) + 4;
    const arcH = Math.max(20, axisY - arcTop - 6);
    const g = this.root;

    // arcs
    const arcs: Arc[] = [];
    for (const e of events) {
      if (e.missedViaSrc >= 0 && pos.has(e.missedViaSrc)) arcs.push({ from: e.missedViaSrc, to: e.index, via: 'src' });
      if (e.missedViaDst >= 0 && pos.has(e.missedViaDst)) arcs.push({ from: e.missedViaDst, to: e.index, via: 'dst' });
    }
    const arcOpacity = arcs.length > 150 ? 0.35 : arcs.length > 60 ? 0.55 : 0.8;
    const arcWidth = n > 100 ? 1 : 1.4;
    markupGroups(g, 'anatomy-arcs', arcs.map((d, k) => {
      const x0 = x(pos.get(d.from)!);
      const x1 = x(pos.get(d.to)!);
      const rx = (x1 - x0) / 2;
      const ry = Math.min(arcH, Math.max(6, rx * 0.9));
      const path = `M${f1(x0)},${axisY}A${f1(rx)},${f1(ry)} 0 0 1 ${f1(x1)},${axisY}`;
      return `<path class="anatomy-arc" data-tip="a:${k}" fill="none" stroke="${STALE}" stroke-opacity="${arcOpacity}" stroke-width="${arcWidth}"${d.via === 'dst' ? ' stroke-dasharray="4 2"' : ''} d="${path}"></path>`;
    }), this.nextPart);

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
    const eventStroke = r > 3 ? 1 : 0.5;
    markupGroups(g, 'anatomy-events', events.map((e, i) =>
      `<circle class="anatomy-event ${e.stale ? 'stale' : 'fresh'}" data-tip="e:${i}" cx="${f1(x(i))}" cy="${axisY}" r="${r}" fill="${e.stale ? STALE : FRESH}" stroke="#fff" stroke-width="${eventStroke}"></circle>`,
    ), this.nextPart);

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
    const rowY = (m: { to: 'src' | 'dst' }): number => (m.to === 'src' ? srcRowY : dstRowY);
    const mailTitle = (m: (typeof mails)[number]): string => {
      const node = name(m.to === 'src' ? m.e.src : m.e.dst);
      return m.dropped
        ? `mail of event #${m.e.index} to ${node}: dropped (a later mail to ${node} in this batch takes its mailbox slot)`
        : `mail of event #${m.e.index} to ${node}: reaches the memory`;
    };
    const mailRects = mails.map((m, k) =>
      `<rect class="anatomy-mail ${m.dropped ? 'dropped' : 'kept'}" data-tip="m:${k}" x="${f1(x(m.i) - mailW / 2)}" y="${rowY(m)}" width="${mailW}" height="${mailH - 1}" rx="1.5" fill="${m.dropped ? '#eef0f4' : KEPT}" stroke="${m.dropped ? '#b8bdc7' : 'none'}" stroke-width="0.8"></rect>`);
    // the strike-through of a dropped mail, when mails are wide enough to show it
    const strikes = mailW >= 4
      ? mails.filter((m) => m.dropped).map((m) =>
        `<line x1="${f1(x(m.i) - mailW / 2 + 1)}" x2="${f1(x(m.i) + mailW / 2 - 1)}" y1="${rowY(m) + mailH - 2}" y2="${rowY(m) + 1}" stroke="#9aa3b5" stroke-width="0.8"></line>`)
      : [];
    markupGroups(g, 'anatomy-mails', [...mailRects, ...strikes], this.nextPart);
    const arcTitle = (d: Arc): string =>
      `event #${d.to} misses the memory update of event #${d.from} (shared ${d.via === 'src' ? 'source' : 'destination'} of #${d.to})`;
    this.tipOf = (kind, index) => {
      if (kind === 'a' && arcs[index]) return arcTitle(arcs[index]);
      if (kind === 'e' && events[index]) return describe(events[index]);
      if (kind === 'm' && mails[index]) return mailTitle(mails[index]);
      return '';
    };

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
    const legend = g.append('g').attr('transform', `translate(4,${TOP - 10})`).attr('font-size', 9.5).attr('fill', INK).attr('data-testid', 'anatomy-legend');
    const places = legendLayout(width - RIGHT).places;
    let k = 0;
    const item = (draw: (s: d3.Selection<SVGGElement, unknown, null, undefined>) => void, text: string): void => {
      const p = places[k++]!;
      const s = legend.append('g').attr('transform', `translate(${p.x},${p.y})`);
      draw(s);
      s.append('text').attr('x', 16).attr('dy', '0.32em').text(text);
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
