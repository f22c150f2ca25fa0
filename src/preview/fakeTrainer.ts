// A small fake trainer for the views preview page: a seeded synthetic stream (communities, daily rhythm,
// unix-second times) and a memory that evolves batch by batch like a TGN's would, producing the same
// typed snapshots as the engine session. No tfjs: it only imitates the numbers.
import type { EpochReport, Phase, NodeDetail, TimelineHistogram, TrainingSnapshot } from '../shared/training.ts';
import type { DatasetSummary } from '../shared/data.ts';
import { pca2 } from '../engine/probes/pca.ts';
import { StalenessCounter } from '../engine/probes/staleness.ts';
import type { BatchProbe } from '../shared/lab.ts';

/** mulberry32: a tiny seeded generator, enough for a preview */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = 1_704_067_200; // 2024-01-01 00:00 UTC
const DAY = 86_400;

export interface FakeOptions {
  readonly nodes: number;
  readonly events: number;
  readonly days: number;
  readonly dim: number;
  readonly communities: number;
  readonly batchSize: number;
  readonly seed: number;
}

export const FAKE_DEFAULTS: FakeOptions = { nodes: 260, events: 12_000, days: 21, dim: 64, communities: 4, batchSize: 200, seed: 7 };

export class FakeTrainer {
  readonly dataset: DatasetSummary;
  readonly timeline: TimelineHistogram;
  private readonly src: Int32Array;
  private readonly dst: Int32Array;
  private readonly t: Float64Array;
  private readonly community: Int32Array;
  private readonly directions: Float32Array;
  private readonly byActivity: Int32Array;
  private readonly firstEvent: Int32Array;
  private readonly rand: () => number;
  private readonly memory: Float32Array;
  private readonly lastUpdate: Float64Array;
  private readonly updates: Int32Array;
  private previous: Float64Array | null = null;
  private epoch = 1;
  private phase: Phase = 'train';
  private batch = 0;
  private processed = 0;
  private version = 0;
  private lastBatch: TrainingSnapshot['lastBatch'] = null;
  private loss: number[] = [];
  private lossEpoch: number[] = [];
  private epochs: EpochReport[] = [];
  private readonly staleness: StalenessCounter;
  private probes = { stale: [] as number[], dropped: [] as number[], p50: [] as number[], p90: [] as number[], max: [] as number[] };
  private lastAges = new Float32Array(0);
  private watched = new Map<number, { x: number[]; y: number[]; history: number[][]; times: number[] }>();

  constructor(readonly options: FakeOptions = FAKE_DEFAULTS) {
    const { nodes, events, days, dim, communities, seed } = options;
    this.rand = rng(seed);
    this.staleness = new StalenessCounter(nodes);
    const r = this.rand;
    this.community = Int32Array.from({ length: nodes }, () => Math.floor(r() * communities));
    this.directions = Float32Array.from({ length: communities * dim }, () => r() * 2 - 1);
    const span = days * DAY;
    const times: number[] = [];
    while (times.length < events) {
      const u = r() * span;
      const rate = (1 + 0.85 * Math.sin((2 * Math.PI * u) / DAY)) * (0.45 + u / span);
      if (r() * 2.9 < rate) times.push(T0 + Math.round(u));
    }
    times.sort((a, b) => a - b);
    this.t = Float64Array.from(times);
    this.src = new Int32Array(events);
    this.dst = new Int32Array(events);
    const degree = new Int32Array(nodes);
    this.firstEvent = new Int32Array(nodes).fill(events);
    for (let e = 0; e < events; e++) {
      const u = Math.min(nodes - 1, Math.floor(nodes * r() ** 2.2));
      let v = u;
      while (v === u) {
        v = Math.floor(r() * nodes);
        if (r() < 0.8) for (let k = 0; k < 20 && this.community[v] !== this.community[u]; k++) v = Math.floor(r() * nodes);
      }
      this.src[e] = u;
      this.dst[e] = v;
      degree[u]!++;
      degree[v]!++;
      if (this.firstEvent[u] === events) this.firstEvent[u] = e;
      if (this.firstEvent[v] === events) this.firstEvent[v] = e;
    }
    this.byActivity = Int32Array.from({ length: nodes }, (_, i) => i).sort((a, b) => degree[b]! - degree[a]! || a - b);
    const trainEnd = Math.floor(events * 0.7);
    const valEnd = Math.floor(events * 0.85);
    this.dataset = {
      name: 'preview-synthetic',
      events,
      nodes,
      edgeFeatureDim: 0,
      tMin: this.t[0]!,
      tMax: this.t[events - 1]!,
      report: {
        delimiter: ',', header: true, headerNames: ['src', 'dst', 't'], format: 'plain',
        mapping: { src: 0, dst: 1, t: 2, features: [], label: null }, columnNames: ['src', 'dst', 't'],
        timeColumnReason: 'synthetic', sorted: true, rowsRead: events, rowsDropped: 0, commentLines: 0,
        bipartite: false, issues: [], bytes: 0, parseMs: 0,
      },
      split: { train: [0, trainEnd], val: [trainEnd, valEnd], test: [valEnd, events] },
    };
    const bins = 200;
    const counts = new Int32Array(bins);
    const tMin = this.t[0]!;
    const tMax = this.t[events - 1]!;
    for (let e = 0; e < events; e++) counts[Math.min(bins - 1, Math.floor(((this.t[e]! - tMin) / (tMax - tMin)) * bins))]!++;
    this.timeline = { tMin, tMax, counts };
    this.memory = new Float32Array(nodes * dim);
    this.lastUpdate = new Float64Array(nodes);
    this.updates = new Int32Array(nodes);
  }

  rawId(v: number): string {
    return `u${(v * 7919) % 100_003}`;
  }

  watch(nodes: readonly number[]): void {
    const next = new Map<number, { x: number[]; y: number[]; history: number[][]; times: number[] }>();
    for (const v of nodes.slice(0, 8)) next.set(v, this.watched.get(v) ?? { x: [], y: [], history: [], times: [] });
    this.watched = next;
  }

  private range(phase: Phase): readonly [number, number] {
    return this.dataset.split[phase];
  }

  /** One batch: memory writes for its endpoints, a loss for training, an epoch report after test. */
  step(): void {
    const { batchSize, dim } = this.options;
    const r = this.rand;
    if (this.phase === 'train' && this.batch === 0) {
      this.memory.fill(0);
      this.lastUpdate.fill(0);
      this.updates.fill(0);
      this.processed = 0;
    }
    const [a, b] = this.range(this.phase);
    const batches = Math.ceil((b - a) / batchSize);
    const from = a + this.batch * batchSize;
    const to = Math.min(b, from + batchSize);
    const learned = 1 - Math.exp(-(this.loss.length + 1) / 120);
    // memory age of each read: event time − the node's last update before this batch (never updated: 0)
    const ages: number[] = [];
    for (let e = from; e < to; e++) {
      for (const v of [this.src[e]!, this.dst[e]!]) ages.push(this.updates[v]! > 0 ? this.t[e]! - this.lastUpdate[v]! : 0);
    }
    const sortedAges = Float32Array.from(ages).sort();
    const counts = this.staleness.count(this.src, this.dst, from, to, 1);
    const probe: BatchProbe = {
      staleFraction: counts.stale / (to - from),
      droppedMailFraction: counts.mails > 0 ? 1 - counts.surviving / counts.mails : 0,
      ageP50: sortedAges[Math.floor(0.5 * (sortedAges.length - 1))] ?? 0,
      ageP90: sortedAges[Math.floor(0.9 * (sortedAges.length - 1))] ?? 0,
      ageMax: sortedAges[sortedAges.length - 1] ?? 0,
    };
    for (let e = from; e < to; e++) {
      for (const [v, w] of [[this.src[e]!, this.dst[e]!], [this.dst[e]!, this.src[e]!]] as const) {
        const c = this.community[v]!;
        for (let j = 0; j < dim; j++) {
          const m = this.memory[v * dim + j]!;
          const other = this.memory[w * dim + j]!;
          const drive = 0.25 + 0.9 * learned;
          this.memory[v * dim + j] = Math.tanh(0.7 * m + drive * this.directions[c * dim + j]! * 0.3 + 0.15 * other + 0.5 * (r() - 0.5));
        }
        this.lastUpdate[v] = this.t[e]!;
        this.updates[v]!++;
      }
    }
    const epochFactor = 0.88 ** (this.epoch - 1);
    const loss = this.phase === 'train' ? 0.18 + 0.51 * Math.exp(-this.loss.length / 90) * epochFactor + 0.06 * (r() - 0.5) : NaN;
    if (this.phase === 'train') {
      this.loss.push(loss);
      this.lossEpoch.push(this.epoch);
      this.probes.stale.push(probe.staleFraction);
      this.probes.dropped.push(probe.droppedMailFraction);
      this.probes.p50.push(probe.ageP50);
      this.probes.p90.push(probe.ageP90);
      this.probes.max.push(probe.ageMax);
      this.lastAges = sortedAges;
    }
    this.lastBatch = {
      epoch: this.epoch, phase: this.phase, batch: this.batch, batches, from, to,
      tFrom: this.t[from]!, tTo: this.t[to - 1]!, loss, ms: 40 + 10 * r(), probe,
    };
    this.processed = to;
    this.recordWatched();
    this.version++;
    this.batch++;
    if (this.batch < batches) return;
    this.batch = 0;
    if (this.phase === 'train') this.phase = 'val';
    else if (this.phase === 'val') this.phase = 'test';
    else {
      const q = 1 - 0.6 * 0.7 ** this.epoch;
      const metric = (base: number): { ap: number; auc: number; apBatchMean: number; aucBatchMean: number } => {
        const ap = Math.min(0.99, base * q + 0.01 * r());
        const auc = Math.min(0.99, ap + 0.015 + 0.01 * r());
        return { ap, auc, apBatchMean: ap - 0.004, aucBatchMean: auc - 0.003 };
      };
      const epochLoss = this.lossEpoch.reduce((s, ep, i) => (ep === this.epoch ? s + this.loss[i]! : s), 0) / Math.max(1, this.lossEpoch.filter((ep) => ep === this.epoch).length);
      this.epochs.push({
        epoch: this.epoch, trainSeconds: 12.5, trainEventsPerSec: 4200 + 200 * r(), loss: epochLoss,
        val: metric(0.97), test: metric(0.955), evalSeconds: 3.1, numTensors: 312,
      });
      this.epoch++;
      this.phase = 'train';
    }
  }

  private recordWatched(): void {
    const dim = this.options.dim;
    for (const [v, w] of this.watched) {
      const last = w.times[w.times.length - 1];
      if (this.updates[v]! > 0 && last !== this.lastUpdate[v]) {
        w.history.push(Array.from(this.memory.subarray(v * dim, v * dim + dim)));
        w.times.push(this.lastUpdate[v]!);
        if (w.history.length > 2000) {
          w.history.shift();
          w.times.shift();
        }
      }
    }
  }

  private get now(): number {
    return this.processed > 0 ? this.t[this.processed - 1]! : this.t[0]!;
  }

  snapshot(heatmapRows = 40): TrainingSnapshot {
    const { nodes, dim, batchSize } = this.options;
    const now = this.now;
    const hm = this.byActivity.slice(0, heatmapRows);
    const touched = new Set<number>();
    if (this.lastBatch) {
      for (let e = this.lastBatch.from; e < this.lastBatch.to; e++) {
        touched.add(this.src[e]!);
        touched.add(this.dst[e]!);
      }
    }
    const all = Int32Array.from({ length: nodes }, (_, i) => i);
    const p = pca2(this.memory, nodes, dim, this.previous);
    this.previous = p.components;
    const memoryAge = Float32Array.from(all, (v) => (this.updates[v]! > 0 ? now - this.lastUpdate[v]! : NaN));
    const seen = Uint8Array.from(all, (v) => (this.firstEvent[v]! < this.processed ? 1 : 0));
    const trails: { node: number; x: Float32Array; y: Float32Array }[] = [];
    for (const [v, w] of this.watched) {
      w.x.push(p.x[v]!);
      w.y.push(p.y[v]!);
      if (w.x.length > 300) {
        w.x.shift();
        w.y.shift();
      }
      trails.push({ node: v, x: Float32Array.from(w.x), y: Float32Array.from(w.y) });
    }
    const [a, b] = this.range(this.phase);
    return {
      version: this.version,
      cursor: { epoch: this.epoch, phase: this.phase, batch: this.batch, batches: Math.ceil((b - a) / batchSize) },
      lastBatch: this.lastBatch,
      now,
      loss: Float32Array.from(this.loss),
      lossEpoch: Int32Array.from(this.lossEpoch),
      epochs: [...this.epochs],
      eventsPerSec: this.loss.length > 0 ? 4300 + 150 * Math.sin(this.version / 7) : 0,
      heatmap: {
        nodes: hm,
        rawIds: Array.from(hm, (v) => this.rawId(v)),
        dim,
        values: Float32Array.from(Array.from(hm).flatMap((v) => Array.from(this.memory.subarray(v * dim, v * dim + dim)))),
        touched: Uint8Array.from(hm, (v) => (touched.has(v) ? 1 : 0)),
      },
      projection: { nodes: all, x: p.x, y: p.y, memoryAge, seen, varianceFraction: p.varianceFraction },
      trails,
      probes: {
        staleFraction: Float32Array.from(this.probes.stale),
        droppedMailFraction: Float32Array.from(this.probes.dropped),
        ageP50: Float32Array.from(this.probes.p50),
        ageP90: Float32Array.from(this.probes.p90),
        ageMax: Float32Array.from(this.probes.max),
        lastAges: this.lastAges.slice(),
      },
      numTensors: 312,
    };
  }

  nodeDetail(node: number): NodeDetail {
    const dim = this.options.dim;
    const times: number[] = [];
    const other: number[] = [];
    const isSource: number[] = [];
    let processedEvents = 0;
    for (let e = 0; e < this.t.length; e++) {
      const u = this.src[e]!;
      const v = this.dst[e]!;
      if (u !== node && v !== node) continue;
      times.push(this.t[e]!);
      other.push(u === node ? v : u);
      isSource.push(u === node ? 1 : 0);
      if (e < this.processed) processedEvents++;
    }
    const w = this.watched.get(node);
    return {
      node,
      rawId: this.rawId(node),
      eventTimes: Float64Array.from(times),
      eventOther: Int32Array.from(other),
      eventIsSource: Uint8Array.from(isSource),
      processedEvents,
      memory: this.memory.slice(node * dim, node * dim + dim),
      lastUpdate: this.lastUpdate[node]!,
      memoryAge: this.updates[node]! > 0 ? this.now - this.lastUpdate[node]! : NaN,
      history: Float32Array.from((w?.history ?? []).flat()),
      historyTimes: Float64Array.from(w?.times ?? []),
    };
  }
}
