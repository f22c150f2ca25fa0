// Export helpers: pure CSV builders for each view's data (unit-tested), and small DOM helpers that turn a
// canvas or an SVG into a PNG/SVG file and download it through a Blob URL. Nothing leaves the browser.
import type { DatasetSummary } from '../../shared/data.ts';
import type { NodeDetail, TimelineHistogram, TrainingSnapshot } from '../../shared/training.ts';
import { csvTextField } from '../../shared/csv.ts';
import { ema, emaAlphaFor, eventIndexToTime } from './format.ts';

export type CsvCell = string | number | null;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; NaN and null → empty.
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first; a raw id such as `=HYPERLINK(…)`)
 * gets a leading ' (csvTextField); numbers are written as they are.
 */
export function csvField(v: CsvCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '' : v > 0 ? 'Infinity' : '-Infinity';
  return csvTextField(v);
}

/** A CSV document: header line, then one line per row, '\n' line ends and a final newline. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV row has ${row.length} fields, expected ${header.length} (${header.join(',')})`);
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const dimHeader = (prefix: string, dim: number): string[] => Array.from({ length: dim }, (_, j) => `${prefix}${j}`);

/** The heatmap rows: node, raw id, touched by the last batch, then memory dimensions m0…m(d−1). */
export function heatmapCsv(snapshot: TrainingSnapshot): string {
  const { nodes, rawIds, dim, values, touched } = snapshot.heatmap;
  const rows: CsvCell[][] = [];
  for (let i = 0; i < nodes.length; i++) {
    rows.push([nodes[i]!, rawIds[i] ?? '', touched[i]!, ...Array.from(values.subarray(i * dim, i * dim + dim))]);
  }
  return toCsv(['node', 'rawId', 'touched', ...dimHeader('m', dim)], rows);
}

/** The memory map: node, PCA coordinates, memory age (empty = never updated), seen, selected. */
export function projectionCsv(snapshot: TrainingSnapshot, selected: readonly number[] = []): string {
  const { nodes, x, y, memoryAge, seen } = snapshot.projection;
  const sel = new Set(selected);
  const rows: CsvCell[][] = [];
  for (let i = 0; i < nodes.length; i++) rows.push([nodes[i]!, x[i]!, y[i]!, memoryAge[i]!, seen[i]!, sel.has(nodes[i]!) ? 1 : 0]);
  return toCsv(['node', 'pc1', 'pc2', 'memoryAge', 'seen', 'selected'], rows);
}

/** The watched nodes' trails: node, step (oldest first), pc1, pc2. */
export function trailsCsv(snapshot: TrainingSnapshot): string {
  const rows: CsvCell[][] = [];
  for (const tr of snapshot.trails) for (let k = 0; k < tr.x.length; k++) rows.push([tr.node, k, tr.x[k]!, tr.y[k]!]);
  return toCsv(['node', 'step', 'pc1', 'pc2'], rows);
}

/** Training loss per batch with its epoch and the smoothed curve drawn in the chart. */
export function lossCsv(snapshot: TrainingSnapshot): string {
  const { loss, lossEpoch } = snapshot;
  const smooth = ema(loss, emaAlphaFor(loss.length));
  const rows: CsvCell[][] = [];
  for (let i = 0; i < loss.length; i++) rows.push([i + 1, lossEpoch[i] ?? null, loss[i]!, smooth[i]!]);
  return toCsv(['batch', 'epoch', 'loss', 'lossSmoothed'], rows);
}

/**
 * One row per finished epoch: mean training loss, throughput and validation/test metrics; MRR (with more
 * than one negative per positive) and the inductive events' AP (the inductive setting) when the run has them.
 */
export function epochsCsv(snapshot: TrainingSnapshot): string {
  const mrr = snapshot.epochs.some((e) => e.test.mrr !== undefined);
  const inductive = snapshot.epochs.some((e) => e.testInductive !== undefined);
  const rows = snapshot.epochs.map((e): CsvCell[] => [
    e.epoch, e.loss, e.trainEventsPerSec, e.trainSeconds, e.evalSeconds,
    e.val.ap, e.val.auc, e.val.apBatchMean, e.val.aucBatchMean,
    e.test.ap, e.test.auc, e.test.apBatchMean, e.test.aucBatchMean,
    ...(mrr ? [e.val.mrr ?? null, e.test.mrr ?? null] : []),
    ...(inductive ? [e.valInductive?.apBatchMean ?? null, e.testInductive?.apBatchMean ?? null] : []),
  ]);
  return toCsv([
    'epoch', 'loss', 'trainEventsPerSec', 'trainSeconds', 'evalSeconds',
    'valAp', 'valAuc', 'valApBatchMean', 'valAucBatchMean', 'testAp', 'testAuc', 'testApBatchMean', 'testAucBatchMean',
    ...(mrr ? ['valMrr', 'testMrr'] : []),
    ...(inductive ? ['valInductiveApBatchMean', 'testInductiveApBatchMean'] : []),
  ], rows);
}

/** The inspected node's events: time, other endpoint, role and whether the trainer has processed it. */
export function nodeEventsCsv(detail: NodeDetail): string {
  const rows: CsvCell[][] = [];
  for (let i = 0; i < detail.eventTimes.length; i++) {
    rows.push([detail.node, detail.eventTimes[i]!, detail.eventOther[i]!, detail.eventIsSource[i] ? 'source' : 'destination', i < detail.processedEvents ? 1 : 0]);
  }
  return toCsv(['node', 't', 'other', 'role', 'processed'], rows);
}

/** The inspected node's memory after each recorded write: time, then m0…m(d−1). */
export function nodeHistoryCsv(detail: NodeDetail): string {
  const dim = detail.memory.length;
  const n = detail.historyTimes.length;
  if (dim > 0 && detail.history.length !== n * dim) {
    throw new Error(`node ${detail.node}: history has ${detail.history.length} values, expected ${n} times × ${dim} dims`);
  }
  const rows: CsvCell[][] = [];
  for (let k = 0; k < n; k++) rows.push([detail.historyTimes[k]!, ...Array.from(detail.history.subarray(k * dim, k * dim + dim))]);
  return toCsv(['t', ...dimHeader('m', dim)], rows);
}

/** The splits (train, val, test) that the events [from, to) fall in, joined with '+'. */
function splitsOf(dataset: DatasetSummary, from: number, to: number): string {
  if (to <= from) return '';
  const names: string[] = [];
  for (const name of ['train', 'val', 'test'] as const) {
    const [a, b] = dataset.split[name];
    if (from < b && to > a) names.push(name);
  }
  return names.join('+');
}

/**
 * The stream histogram: bin start/end time and events; with a dataset, the splits the bin's events belong
 * to (by cumulative count, e.g. "train+val" for the bin holding the boundary).
 */
export function timelineCsv(timeline: TimelineHistogram, dataset: DatasetSummary | null = null): string {
  const { tMin, tMax, counts } = timeline;
  const bins = counts.length;
  const width = bins > 0 ? (tMax - tMin) / bins : 0;
  const rows: CsvCell[][] = [];
  let before = 0;
  for (let b = 0; b < bins; b++) {
    const row: CsvCell[] = [b, tMin + b * width, b === bins - 1 ? tMax : tMin + (b + 1) * width, counts[b]!];
    if (dataset) row.push(splitsOf(dataset, before, before + counts[b]!));
    rows.push(row);
    before += counts[b]!;
  }
  return toCsv(['bin', 'tStart', 'tEnd', 'events', ...(dataset ? ['split'] : [])], rows);
}

/** Approximate times of the val and test starts (see eventIndexToTime), as the timeline draws them. */
export function splitBoundaryTimes(timeline: TimelineHistogram, dataset: DatasetSummary): { valStart: number; testStart: number } {
  return {
    valStart: eventIndexToTime(timeline.counts, timeline.tMin, timeline.tMax, dataset.split.val[0]),
    testStart: eventIndexToTime(timeline.counts, timeline.tMin, timeline.tMax, dataset.split.test[0]),
  };
}

// ---- DOM helpers (browser only; called from click handlers) ----

/** Downloads a blob under a file name through a temporary Blob URL. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // revoke after the click has been handled; the download keeps its own reference
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text: string, filename: string, mime: string): void {
  downloadBlob(new Blob([text], { type: mime }), filename);
}

/** The canvas's pixels (at device resolution) as a PNG blob, on a white background. */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) return Promise.reject(new Error('PNG export: no 2D context for the export canvas'));
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return blobOf(out);
}

function blobOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(`PNG export: the browser could not encode a ${canvas.width}×${canvas.height} canvas`))), 'image/png');
  });
}

/** A standalone SVG document of an inline SVG (namespaces and size set, white background). */
/** a chart's SVG for export, or an error naming it when it is not mounted (yet) */
export function mountedSvg(el: HTMLCanvasElement | SVGSVGElement | undefined, what: string): SVGSVGElement {
  if (!(el instanceof SVGSVGElement)) throw new Error(`the ${what} SVG is not mounted`);
  return el;
}

export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  clone.setAttribute('viewBox', `0 0 ${Math.round(width)} ${Math.round(height)}`);
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** Rasterises an inline SVG to a PNG blob at `scale` × its CSS size. */
export async function svgToPng(svg: SVGSVGElement, scale = globalThis.devicePixelRatio || 1): Promise<Blob> {
  const text = serializeSvg(svg);
  const { width, height } = svg.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const out = document.createElement('canvas');
    out.width = Math.max(1, Math.round(width * scale));
    out.height = Math.max(1, Math.round(height * scale));
    const ctx = out.getContext('2d');
    if (!ctx) throw new Error('PNG export: no 2D context for the export canvas');
    ctx.drawImage(img, 0, 0, out.width, out.height);
    return await blobOf(out);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file-name stem like "tgnn-memory-map-v123". */
export function exportName(view: string, snapshot: TrainingSnapshot | null): string {
  return snapshot ? `tgnn-${view}-v${snapshot.version}` : `tgnn-${view}`;
}
