import { memo, useMemo } from 'react';
import type { TrainingSnapshot } from '../../shared/training.ts';
import { useChart } from './chart.ts';
import { downloadBlob, downloadText, epochsCsv, exportName, lossCsv, mountedSvg, serializeSvg, svgToPng } from './export.ts';
import { formatNumber } from './format.ts';
import { TrainingCurvesChart, type ReferenceLine } from './trainingCurvesChart.ts';
import { ViewFrame } from './ViewFrame.tsx';

const HEIGHT = 220;
const createChart = (el: HTMLDivElement): TrainingCurvesChart => new TrainingCurvesChart(el);


export type { ReferenceLine } from './trainingCurvesChart.ts';

/**
 * Loss per training batch, validation/test AP and AUC per epoch, and training throughput; `reference`
 * draws a labelled dashed line on the AP/AUC panel (a baseline's test AP).
 */
export const TrainingCurves = memo(function TrainingCurves({ snapshot, reference = null }: { snapshot: TrainingSnapshot | null; reference?: ReferenceLine | null }) {
  const input = useMemo(() => ({ snapshot, reference }), [snapshot, reference]);
  const { container, chart } = useChart(createChart, input, HEIGHT);
  const name = exportName('training-curves', snapshot);
  const b = snapshot?.lastBatch ?? null;
  const eps = snapshot?.eventsPerSec ?? 0;
  const last = snapshot?.epochs[snapshot.epochs.length - 1];
  return (
    <ViewFrame
      testId="training-curves"
      title="Training curves"
      caption={`Left: loss of each training batch (light) and its moving average (dark). Right: link-prediction AP/AUC on validation and test after each epoch.${
        reference ? ` Dashed grey line: ${reference.label}'s test AP (baseline).` : ''}`}
      host={container}
      height={HEIGHT}
      empty={snapshot ? null : 'Train a model to see its loss and scores'}
      actions={[
        { label: 'PNG', title: 'Download the curves as a PNG image', run: async () => downloadBlob(await svgToPng(mountedSvg(chart.current?.element, 'training-curves')), `${name}.png`) },
        { label: 'SVG', title: 'Download the curves as an SVG image', run: () => downloadText(serializeSvg(mountedSvg(chart.current?.element, 'training-curves')), `${name}.svg`, 'image/svg+xml') },
        {
          label: 'Loss CSV',
          title: 'Download the loss per batch as CSV (batch, epoch, loss, lossSmoothed)',
          run: () => {
            if (!snapshot) throw new Error('nothing trained yet');
            downloadText(lossCsv(snapshot), `${name}-loss.csv`, 'text/csv');
          },
        },
        {
          label: 'Epochs CSV',
          title: 'Download the per-epoch metrics as CSV',
          run: () => {
            if (!snapshot) throw new Error('nothing trained yet');
            downloadText(epochsCsv(snapshot), `${name}-epochs.csv`, 'text/csv');
          },
        },
      ]}
    >
      <p className="tv-facts" data-testid="training-facts">
        <span>
          training speed <b data-testid="events-per-sec">{eps > 0 ? formatNumber(eps) : '–'}</b> events/s
        </span>
        <span>{b ? `last batch: epoch ${b.epoch}, ${b.phase} ${b.batch + 1}/${b.batches}` : 'no batch yet'}</span>
        {last && (
          <span>
            epoch {last.epoch}: val AP <b data-testid="facts-val-ap" data-value={String(last.val.apBatchMean)}>{last.val.apBatchMean.toFixed(3)}</b>, test AP{' '}
            <b data-testid="facts-test-ap" data-value={String(last.test.apBatchMean)}>{last.test.apBatchMean.toFixed(3)}</b>
            {last.test.mrr !== undefined && (
              <>
                , test MRR <b data-testid="test-mrr">{last.test.mrr.toFixed(3)}</b>
              </>
            )}
            {last.testInductive && (
              <>
                ; new nodes only: test AP <b data-testid="test-inductive-ap">{Number.isNaN(last.testInductive.apBatchMean) ? 'none' : last.testInductive.apBatchMean.toFixed(3)}</b>
              </>
            )}
          </span>
        )}
        {last?.parallel && (
          <span data-testid="parallel-facts">
            DistTGL i={last.parallel.parallelism.minibatch} j={last.parallel.parallelism.epoch} k={last.parallel.parallelism.memory}
            {' '}({last.parallel.trainers} trainers {last.parallel.workers > 1 ? `on ${last.parallel.workers} worker threads` : 'simulated in one thread'}): stale <b>{(100 * last.parallel.staleFraction).toFixed(1)} %</b>,
            {' '}{formatNumber(last.parallel.coldStartEvents)} cold-start events
          </span>
        )}
        {last?.staticPretrain && (
          <span data-testid="static-pretrain-facts">
            static memory pre-trained {last.staticPretrain.epochs} epochs (its val AP <b>{last.staticPretrain.valAp.toFixed(3)}</b>), then frozen
          </span>
        )}
      </p>
    </ViewFrame>
  );
});
