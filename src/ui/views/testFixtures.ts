// Small hand-made snapshots for the views' unit tests.
import type { EpochReport, NodeDetail, TrainingSnapshot } from '../../shared/training.ts';
import type { DatasetSummary } from '../../shared/data.ts';

const metrics = (ap: number) => ({ ap, auc: ap + 0.01, apBatchMean: ap - 0.01, aucBatchMean: ap });

export function epoch(n: number, ap: number): EpochReport {
  return { epoch: n, trainSeconds: 2, trainEventsPerSec: 1000, loss: 0.5, val: metrics(ap), test: metrics(ap - 0.02), evalSeconds: 1, numTensors: 10 };
}

export function snapshot(overrides: Partial<TrainingSnapshot> = {}): TrainingSnapshot {
  return {
    version: 7,
    cursor: { epoch: 1, phase: 'train', batch: 3, batches: 10 },
    lastBatch: { epoch: 1, phase: 'train', batch: 2, batches: 10, from: 40, to: 60, tFrom: 100, tTo: 120, loss: 0.6, ms: 5,
      probe: { staleFraction: 0.4, droppedMailFraction: 0.25, ageP50: 3, ageP90: 9, ageMax: 20 },
    },
    now: 120,
    loss: Float32Array.of(0.7, 0.6, 0.5),
    lossEpoch: Int32Array.of(1, 1, 2),
    epochs: [epoch(1, 0.8)],
    eventsPerSec: 1234,
    heatmap: {
      nodes: Int32Array.of(4, 2),
      rawIds: ['alice', 'b,"ob"'],
      dim: 3,
      values: Float32Array.of(0.5, -0.25, 0, 1, 2, 3),
      touched: Uint8Array.of(1, 0),
    },
    projection: {
      nodes: Int32Array.of(0, 1),
      x: Float32Array.of(0.5, -1),
      y: Float32Array.of(2, 0.25),
      memoryAge: Float32Array.of(3, NaN),
      seen: Uint8Array.of(1, 0),
      varianceFraction: [0.6, 0.3],
    },
    trails: [{ node: 1, x: Float32Array.of(0, 0.5), y: Float32Array.of(1, 1.5) }],
    probes: {
      staleFraction: Float32Array.of(0.3, 0.35, 0.4),
      droppedMailFraction: Float32Array.of(0.2, 0.22, 0.25),
      ageP50: Float32Array.of(2, 2.5, 3),
      ageP90: Float32Array.of(8, 8.5, 9),
      ageMax: Float32Array.of(15, 18, 20),
      lastAges: Float32Array.of(0, 1, 2, 3, 3, 5, 9, 20),
    },
    numTensors: 10,
    ...overrides,
  };
}

export function nodeDetail(overrides: Partial<NodeDetail> = {}): NodeDetail {
  return {
    node: 4,
    rawId: 'alice',
    eventTimes: Float64Array.of(10, 20, 30),
    eventOther: Int32Array.of(2, 3, 2),
    eventIsSource: Uint8Array.of(1, 0, 1),
    processedEvents: 2,
    memory: Float32Array.of(0.5, -0.5),
    lastUpdate: 20,
    memoryAge: 5,
    history: Float32Array.of(0.1, 0.2, 0.3, 0.4),
    historyTimes: Float64Array.of(10, 20),
    ...overrides,
  };
}

export function dataset(overrides: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    name: 'toy',
    events: 100,
    nodes: 10,
    edgeFeatureDim: 0,
    tMin: 0,
    tMax: 100,
    report: {
      delimiter: ',', header: true, headerNames: ['src', 'dst', 't'], format: 'plain', mapping: { src: 0, dst: 1, t: 2, features: [], label: null },
      columnNames: ['src', 'dst', 't'], timeColumnReason: 'test', sorted: true, rowsRead: 100, rowsDropped: 0, commentLines: 0, bipartite: false,
      issues: [], bytes: 0, parseMs: 0,
    },
    split: { train: [0, 70], val: [70, 85], test: [85, 100] },
    ...overrides,
  };
}
