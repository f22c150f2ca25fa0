import { useEffect, useId, useState } from 'react';
import type { NegativeStrategy, EdgeBankMemory, EdgeBankBaselineResult } from '../../shared/lab.ts';
import type { DatasetSummary } from '../../shared/data.ts';
import type { TrainingSnapshot } from '../../shared/training.ts';
import type { EngineBridgeApi } from '../../workers/bridgeApi.ts';

export interface BaselinePanelProps {
  readonly bridge: EngineBridgeApi;
  /** a dataset is loaded and nothing else is in flight */
  readonly ready: boolean;
  readonly dataset: DatasetSummary | null;
  /** for the trained model's latest val/test AP beside EdgeBank's */
  readonly snapshot: TrainingSnapshot | null;
  /** the latest EdgeBank result (null when cleared: another dataset) */
  readonly onResult: (result: EdgeBankBaselineResult | null) => void;
}

const MEMORIES: readonly { readonly value: EdgeBankMemory; readonly label: string }[] = [
  { value: 'unlimited', label: 'unlimited (every edge seen)' },
  { value: 'window', label: 'window (last 15% of time)' },
];
const NEGATIVES: readonly { readonly value: NegativeStrategy; readonly label: string }[] = [
  { value: 'random', label: 'random' },
  { value: 'historical', label: 'historical' },
  { value: 'inductive', label: 'inductive' },
];

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** a score with its full value in data-value (tests compare it exactly) and 4 decimals shown */
function Score({ testId, value }: { readonly testId: string; readonly value: number | null }) {
  return (
    <td data-testid={testId} data-value={value === null ? '' : String(value)} className="num">
      {value !== null && Number.isFinite(value) ? value.toFixed(4) : '–'}
    </td>
  );
}

/**
 * EdgeBank (no learning: an edge is predicted when its pair was seen before) on the loaded dataset's
 * validation and test events, run in the worker with the CLI's code path (`tgnn train --model edgebank`),
 * next to the trained model's latest scores.
 */
export function BaselinePanel({ bridge, ready, dataset, snapshot, onResult }: BaselinePanelProps) {
  const memoryId = useId();
  const negativesId = useId();
  const [memory, setMemory] = useState<EdgeBankMemory>('unlimited');
  const [negatives, setNegatives] = useState<NegativeStrategy>('random');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<EdgeBankBaselineResult | null>(null);

  // a result belongs to the dataset it was computed on
  const datasetName = dataset?.name ?? null;
  useEffect(() => {
    setResult(null);
    setError(null);
    onResult(null);
  }, [datasetName, onResult]);

  const onRun = () => {
    setBusy(true);
    setError(null);
    bridge.edgeBankBaseline(memory, negatives).then(
      (r) => {
        setResult(r);
        onResult(r);
      },
      (e: unknown) => setError(`EdgeBank failed: ${errorText(e)}`),
    ).finally(() => setBusy(false));
  };

  const last = snapshot?.epochs[snapshot.epochs.length - 1] ?? null;
  const delta = result && last ? last.test.apBatchMean - result.test.apBatchMean : null;

  return (
    <section className="card baseline" aria-label="Baseline: EdgeBank" data-testid="baseline-panel">
      <h2>Baseline: EdgeBank</h2>
      <p className="hint">
        No learning: it predicts an edge when that pair was seen before. Scored on the same validation and test events as the model, with
        the DyGLib benchmark&apos;s negative edges (the command line&apos;s <code>tgnn train --model edgebank</code> gives the same AP).
      </p>
      <div className="baseline-controls">
        <label htmlFor={memoryId}>memory</label>
        <select id={memoryId} data-testid="edgebank-memory" value={memory} disabled={busy} onChange={(e) => setMemory(MEMORIES.find((m) => m.value === e.target.value)?.value ?? 'unlimited')}>
          {MEMORIES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <label htmlFor={negativesId}>negatives</label>
        <select id={negativesId} data-testid="edgebank-negatives" value={negatives} disabled={busy} onChange={(e) => setNegatives(NEGATIVES.find((n) => n.value === e.target.value)?.value ?? 'random')}>
          {NEGATIVES.map((n) => (
            <option key={n.value} value={n.value}>
              {n.label}
            </option>
          ))}
        </select>
        <button type="button" data-testid="edgebank-run" disabled={!ready || busy} onClick={onRun}>
          {busy ? 'Running…' : 'Run'}
        </button>
      </div>
      {error && (
        <p className="checkpoint-error" data-testid="edgebank-error" role="alert">
          {error}
        </p>
      )}
      {(result || last) && (
        <table className="checkpoint-metrics baseline-metrics" data-testid="edgebank-result">
          <thead>
            <tr>
              <th />
              <th title="mean of per-batch AP">EdgeBank AP</th>
              <th title="mean of per-batch AUC">AUC</th>
              <th title={last ? `the trained model after epoch ${last.epoch} (random negatives)` : 'train an epoch to compare'}>
                model AP{last ? ` (ep. ${last.epoch})` : ''}
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>val</th>
              <Score testId="edgebank-val-ap" value={result?.val.apBatchMean ?? null} />
              <Score testId="edgebank-val-auc" value={result?.val.aucBatchMean ?? null} />
              <Score testId="model-val-ap" value={last?.val.apBatchMean ?? null} />
            </tr>
            <tr>
              <th>test</th>
              <Score testId="edgebank-test-ap" value={result?.test.apBatchMean ?? null} />
              <Score testId="edgebank-test-auc" value={result?.test.aucBatchMean ?? null} />
              <Score testId="model-test-ap" value={last?.test.apBatchMean ?? null} />
            </tr>
          </tbody>
        </table>
      )}
      {result && (
        <p className="hint" data-testid="edgebank-facts">
          {result.memory} memory, {result.negatives} negatives, batches of {result.evalBatchSize}
          {delta !== null && (
            <>
              {'; '}
              <b data-testid="edgebank-delta">
                model {delta >= 0 ? 'beats' : 'trails'} EdgeBank by {Math.abs(delta).toFixed(4)}
              </b>{' '}
              test AP
            </>
          )}
          {result.negatives !== 'random' && last ? ' (the model is scored on random negatives)' : ''}.
        </p>
      )}
    </section>
  );
}
