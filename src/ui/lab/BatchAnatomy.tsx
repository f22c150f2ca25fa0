import { useEffect, useMemo, useRef, useState } from 'react';
import type { BatchAnatomy as Anatomy } from '../../shared/lab.ts';
import type { DatasetSummary } from '../../shared/data.ts';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { useChart } from '../views/chart.ts';
import { downloadBlob, downloadText, mountedSvg, serializeSvg, svgToPng } from '../views/export.ts';
import { timeKindOf } from '../views/format.ts';
import { ViewFrame } from '../views/ViewFrame.tsx';
import { BatchAnatomyChart, type AnatomyData } from './batchAnatomyChart.ts';
import { anatomyCounts, anatomyCsv, BATCH_STEPS, MAX_DRAWN_EVENTS, nearestStep, parseBatchSize } from './labData.ts';

const HEIGHT = 330;
/** while following training, the picture changes at most this often (ms) */
const FOLLOW_INTERVAL_MS = 1000;
const createChart = (el: HTMLDivElement): BatchAnatomyChart => new BatchAnatomyChart(el);


const pct = (num: number, den: number): string => (den > 0 ? `${((100 * num) / den).toFixed(1)} %` : '–');

export interface BatchAnatomyProps {
  readonly dataset: DatasetSummary | null;
  readonly snapshot: TrainingSnapshot | null;
  /** the experiment's training batch size and mailbox size (the starting point of the controls) */
  readonly trainingBatchSize: number;
  readonly mailboxSize: number;
  readonly fetchAnatomy: (from: number, batchSize: number, mailboxSize: number) => Promise<Anatomy>;
  readonly onError: (what: string, e: unknown) => void;
  /** a lesson step's batch: each new id sets the controls to it (the reader can move them after) */
  readonly request?: AnatomyRequest | null;
}

export interface AnatomyRequest {
  readonly id: number;
  readonly from: number;
  readonly batchSize: number;
  readonly mailboxSize: number;
}

/** One batch of the stream: which events read stale memory, and which mails the mailbox drops. */
export function BatchAnatomy({ dataset, snapshot, trainingBatchSize, mailboxSize, fetchAnatomy, onError, request = null }: BatchAnatomyProps) {
  const [batchText, setBatchText] = useState(String(trainingBatchSize));
  const [from, setFrom] = useState(0);
  const [k, setK] = useState(mailboxSize);
  const [follow, setFollow] = useState(false);
  const [anatomy, setAnatomy] = useState<Anatomy | null>(null);
  const parsed = parseBatchSize(batchText);
  const [B, setB] = useState(parsed.ok ? parsed.value : trainingBatchSize);
  useEffect(() => {
    if (parsed.ok && parsed.value !== B) setB(parsed.value);
  }, [parsed.ok, parsed.ok ? parsed.value : 0]);
  useEffect(() => setK(mailboxSize), [mailboxSize]);
  useEffect(() => {
    if (!request) return;
    setFollow(false);
    setB(request.batchSize);
    setBatchText(String(request.batchSize));
    setFrom(request.from);
    setK(request.mailboxSize);
  }, [request?.id]);

  const events = dataset?.events ?? 0;
  const lastTrain = snapshot?.lastBatch?.phase === 'train' ? snapshot.lastBatch : null;
  // follow training: the batch the trainer just processed, at its batch size
  useEffect(() => {
    if (!follow || !lastTrain) return;
    setFrom(lastTrain.from);
    if (B !== trainingBatchSize) {
      setB(trainingBatchSize);
      setBatchText(String(trainingBatchSize));
    }
  }, [follow, lastTrain?.from, trainingBatchSize]);

  const start = Math.max(0, Math.min(from, Math.max(0, events - 1)));
  // One fetch waits at a time and asks for the newest batch when it fires: at most one per 60 ms while
  // the controls move, one per FOLLOW_INTERVAL_MS while following training (a batch every few frames
  // would otherwise redraw this picture on every one). Only the newest fetch's answer is shown.
  const wanted = useRef({ dataset, start, B, k });
  wanted.current = { dataset, start, B, k };
  const due = useRef<number | null>(null);
  const lastFetch = useRef(-Infinity);
  const fetchSeq = useRef(0);
  useEffect(() => {
    if (!dataset) {
      fetchSeq.current++;
      setAnatomy((a) => (a === null ? a : null));
      return;
    }
    if (due.current !== null) return;
    const wait = Math.max(60, (follow ? FOLLOW_INTERVAL_MS : 0) - (performance.now() - lastFetch.current));
    due.current = window.setTimeout(() => {
      due.current = null;
      lastFetch.current = performance.now();
      const w = wanted.current;
      if (!w.dataset) return;
      const seq = ++fetchSeq.current;
      fetchAnatomy(w.start, w.B, w.k).then(
        (a) => {
          if (seq === fetchSeq.current) setAnatomy(a);
        },
        (e: unknown) => {
          if (seq === fetchSeq.current) onError('batch anatomy', e);
        },
      );
    }, wait);
  }, [dataset, start, B, k, follow, fetchAnatomy, onError]);
  useEffect(() => () => {
    fetchSeq.current++;
    if (due.current !== null) window.clearTimeout(due.current);
    due.current = null;
  }, []);

  const timeKind = dataset ? timeKindOf(dataset.tMin, dataset.tMax) : 'plain';
  const data = useMemo<AnatomyData>(() => ({ anatomy, maxEvents: MAX_DRAWN_EVENTS, timeKind }), [anatomy, timeKind]);
  const { container, chart } = useChart(createChart, data, HEIGHT);
  const counts = anatomy ? anatomyCounts(anatomy) : null;
  const name = `tgnn-batch-anatomy-${start}-B${B}-k${k}`;
  const batchIndex = Math.floor(start / B);
  const batches = Math.max(1, Math.ceil(events / B));
  const setBatchSize = (b: number): void => {
    setB(b);
    setBatchText(String(b));
    // keep the batch grid aligned: the batch holding the current start
    setFrom(Math.floor(start / b) * b);
  };

  return (
    <ViewFrame
      testId="batch-anatomy"
      title="Batch anatomy"
      caption={
        <>
          One batch of <b>B</b> consecutive events. Inside a batch every event reads memory as it was <i>before</i> the batch, so an event whose
          source or destination already occurs earlier in the batch is <b>stale</b>: the arc points back to the event whose update it misses. Each
          event mails both endpoints; with a mailbox of <b>k</b> mails per node, all but a node&apos;s last k mails of the batch are <b>dropped</b>.
        </>
      }
      host={container}
      height={HEIGHT}
      empty={dataset ? null : 'Load a dataset to see its batches'}
      actions={[
        { label: 'PNG', title: 'Download the picture as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(chart.current?.element, 'batch-anatomy')), `${name}.png`) },
        { label: 'SVG', title: 'Download the picture as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(chart.current?.element, 'batch-anatomy')), `${name}.svg`, 'image/svg+xml') },
        {
          label: 'CSV',
          title: 'Download the batch as CSV (event, src, dst, t, stale, missed events, fate of each mail)',
          run: () => {
            if (!anatomy) throw new Error('no batch yet');
            downloadText(anatomyCsv(anatomy), `${name}.csv`, 'text/csv');
          },
        },
      ]}
    >
      <div className="lab-controls">
        <label className="lab-control" title="batch size B: events per batch (the slider steps roughly logarithmically)">
          <span>
            batch size <b>B</b>
          </span>
          <input
            type="range"
            data-testid="anatomy-batch-slider"
            min={0}
            max={BATCH_STEPS.length - 1}
            step={1}
            value={nearestStep(B)}
            aria-label="batch size (log steps)"
            onChange={(e) => setBatchSize(BATCH_STEPS[Number(e.target.value)]!)}
          />
          <input
            className={`lab-number${parsed.ok ? '' : ' invalid'}`}
            data-testid="anatomy-batch-size"
            inputMode="numeric"
            value={batchText}
            aria-invalid={!parsed.ok}
            aria-label="batch size"
            onChange={(e) => {
              setBatchText(e.target.value);
              const r = parseBatchSize(e.target.value);
              if (r.ok) setFrom(Math.floor(start / r.value) * r.value);
            }}
          />
          {!parsed.ok && <span className="field-error">{parsed.reason}</span>}
        </label>
        <label className="lab-control" title="which batch of the stream (batches of B consecutive events from the first event)">
          <span>
            batch <b data-testid="anatomy-batch-index">{batchIndex + 1}</b> of {batches.toLocaleString('en-US')}
          </span>
          <input
            type="range"
            data-testid="anatomy-batch"
            min={0}
            max={batches - 1}
            step={1}
            value={Math.min(batchIndex, batches - 1)}
            aria-label="batch of the stream"
            disabled={!dataset || follow}
            onChange={(e) => setFrom(Number(e.target.value) * B)}
          />
        </label>
        <label className="lab-control" title="mails kept per node per batch (the experiment's mailbox size to start with)">
          <span>
            mailbox <b>k</b>
          </span>
          <select data-testid="anatomy-mailbox" value={k} onChange={(e) => setK(Number(e.target.value))}>
            {[1, 2, 4, 8, 16].map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="lab-check" title="show the batch the trainer just processed, at the training batch size">
          <input type="checkbox" data-testid="anatomy-follow" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          follow training
        </label>
      </div>
      <p className="tv-facts lab-facts">
        <span>
          stale events{' '}
          <b data-testid="anatomy-stale-fraction" data-value={anatomy?.staleFraction ?? ''}>
            {counts ? `${counts.stale} / ${counts.events} (${pct(counts.stale, counts.events)})` : '–'}
          </b>
        </span>
        <span>
          dropped mails{' '}
          <b data-testid="anatomy-dropped-fraction" data-value={anatomy?.droppedMailFraction ?? ''}>
            {counts ? `${counts.dropped} / ${counts.mails} (${pct(counts.dropped, counts.mails)})` : '–'}
          </b>
        </span>
        <span>
          events {anatomy ? `${anatomy.from.toLocaleString('en-US')}–${(anatomy.to - 1).toLocaleString('en-US')}` : '–'}
          {counts && counts.events > MAX_DRAWN_EVENTS ? ` · drawing the first ${MAX_DRAWN_EVENTS} of ${counts.events.toLocaleString('en-US')} (the counts are of all)` : ''}
        </span>
      </p>
    </ViewFrame>
  );
}
