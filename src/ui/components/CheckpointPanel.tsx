import { useCallback, useEffect, useId, useState } from 'react';
import type { DatasetSummary } from '../../shared/data.ts';
import type { ExperimentSettings } from '../../shared/settings.ts';
import type { EngineBridgeApi } from '../../workers/bridgeApi.ts';
import type {
  BrowserCheckpointEntry, CheckpointContinued, CheckpointEvaluationResult, CheckpointFile, CheckpointMetrics, CheckpointSummary,
} from '../../shared/checkpoint.ts';

export interface CheckpointPanelProps {
  readonly bridge: EngineBridgeApi;
  /** a dataset and model are loaded and nothing else is in flight */
  readonly ready: boolean;
  readonly dataset: DatasetSummary | null;
  /** continuing from a checkpoint applied its settings (the page shows and links them) */
  readonly onSettingsApplied?: (settings: ExperimentSettings) => void;
}

type Saved = { readonly where: string; readonly summary: CheckpointSummary };

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const fmt = new Intl.NumberFormat('en-US');

/** starts a download of `data` as `name` (the UI thread only builds the Blob; the bytes come from the worker) */
function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** one metric with its full value in data-value (tests compare it exactly) and 6 decimals shown */
function Metric({ testId, value }: { readonly testId: string; readonly value: number }) {
  return (
    <td data-testid={testId} data-value={String(value)} className="num">
      {Number.isFinite(value) ? value.toFixed(6) : '–'}
    </td>
  );
}

function MetricsTable({ prefix, metrics }: { readonly prefix: string; readonly metrics: CheckpointMetrics }) {
  return (
    <table className="checkpoint-metrics">
      <thead>
        <tr>
          <th />
          <th>AP</th>
          <th>AUC</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>val</th>
          <Metric testId={`${prefix}-val-ap`} value={metrics.val.apBatchMean} />
          <Metric testId={`${prefix}-val-auc`} value={metrics.val.aucBatchMean} />
        </tr>
        <tr>
          <th>test</th>
          <Metric testId={`${prefix}-test-ap`} value={metrics.test.apBatchMean} />
          <Metric testId={`${prefix}-test-auc`} value={metrics.test.aucBatchMean} />
        </tr>
      </tbody>
    </table>
  );
}

/** One sentence on which weights and memory a checkpoint holds, so its AP can be compared with the curves. */
export function memoryNote(s: CheckpointSummary): string {
  if (s.memory === 'trained') {
    const n = s.epochs ?? 0;
    return `It holds the weights and node memory as epoch ${n}'s training left them, so its AP is epoch ${n}'s on the training curves.`;
  }
  if (s.memory === 'replayed') {
    return 'No epoch had finished, so its node memory was rebuilt by replaying the training events with the current weights; its AP is not on the training curves.';
  }
  return '';
}

/** the settings continuing applied, in the panel's words */
export function settingsText(s: ExperimentSettings): string {
  const evalB = s.evalBatchSize > 0 ? `, evaluation batch ${s.evalBatchSize}` : '';
  return `${s.model.toUpperCase()}, memory ${s.memoryDim}, time ${s.timeDim}, embedding ${s.embeddingDim}, ${s.neighbours} neighbours, ` +
    `mailbox ${s.mailboxSize} (${s.aggregator})${s.staticMemory ? ', static memory' : ''}, batch ${s.batchSize}${evalB}${s.exact ? ', exact' : ''}, ` +
    `learning rate ${s.learningRate}, seed ${s.seed}`;
}

/** What continuing did, in one or two sentences. */
export function continuedText(c: CheckpointContinued): string {
  const next = `Training goes on with epoch ${c.epochs + 1}: press Play or Step.`;
  const optimizer = c.freshOptimizer
    ? ' This checkpoint holds no optimizer state (it is from an older version, or no epoch had finished), so training continues from its weights with a fresh optimizer and will not match a run that never stopped.'
    : ' Its optimizer state came with it, so training continues exactly as if it had never stopped.';
  return `The playground's model is now ${c.source} after ${c.epochs} epoch${c.epochs === 1 ? '' : 's'}. ${next}${optimizer} Its settings were applied: ${settingsText(c.settings)}.`;
}

function describe(s: CheckpointSummary): string {
  const when = new Date(s.createdAt);
  const date = Number.isNaN(when.getTime()) ? s.createdAt : when.toLocaleString();
  return `${s.preset.toUpperCase()}, ${s.epochs ?? '?'} epoch${s.epochs === 1 ? '' : 's'}, ${s.datasetName} (${fmt.format(s.numEvents)} events), saved ${date}`;
}

/**
 * Checkpoints of the model: download (model.json + model.weights.bin, the tf.io.browserDownloads layout,
 * readable by `tgnn eval`), keep in the browser (IndexedDB), and load one (files or browser) to evaluate it
 * on the loaded dataset. Loading never replaces the current model.
 */
export function CheckpointPanel({ bridge, ready, dataset, onSettingsApplied }: CheckpointPanelProps) {
  const fileId = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [result, setResult] = useState<CheckpointEvaluationResult | null>(null);
  const [stored, setStored] = useState<readonly BrowserCheckpointEntry[]>([]);
  const [selected, setSelected] = useState<string>('');
  const [continued, setContinued] = useState<CheckpointContinued | null>(null);

  const refreshList = useCallback(async () => {
    const list = await bridge.listBrowserCheckpoints();
    setStored(list);
    setSelected((current) => (list.some((e) => e.url === current) ? current : (list[0]?.url ?? '')));
  }, [bridge]);

  // results belong to the dataset they were computed on
  const datasetName = dataset?.name ?? null;
  useEffect(() => {
    setSaved(null);
    setResult(null);
    setContinued(null);
  }, [datasetName]);

  useEffect(() => {
    if (!ready) return;
    refreshList().catch((e: unknown) => setError(`listing the checkpoints in this browser failed: ${errorText(e)}`));
  }, [ready, refreshList]);

  const run = useCallback(async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }, []);

  const onDownload = () => void run('Saving and evaluating…', async () => {
    const d = await bridge.exportCheckpoint();
    download(d.modelJsonName, d.modelJson, 'application/json');
    // a second download right after the first can be dropped by the browser; let the first start
    await new Promise((resolve) => window.setTimeout(resolve, 150));
    download(d.weightsName, d.weights, 'application/octet-stream');
    setSaved({ where: `${d.modelJsonName} + ${d.weightsName}`, summary: d.summary });
  });

  const onSaveBrowser = () => void run('Saving to this browser…', async () => {
    const { entry, summary } = await bridge.saveCheckpointToBrowser();
    setSaved({ where: `this browser as ${entry.name}`, summary });
    await refreshList();
    setSelected(entry.url);
  });

  const onFiles = (list: FileList | null) => {
    const files = list ? Array.from(list) : [];
    if (files.length === 0) return;
    void run('Loading and evaluating…', async () => {
      const read: CheckpointFile[] = await Promise.all(files.map(async (f) => ({
        name: f.name,
        data: f.name.toLowerCase().endsWith('.json') ? await f.text() : await f.arrayBuffer(),
      })));
      setContinued(null);
      setResult(await bridge.evaluateCheckpointFiles(read));
    });
  };

  const onLoadBrowser = () => void run('Loading and evaluating…', async () => {
    if (!selected) throw new Error('no checkpoint selected');
    setContinued(null);
    setResult(await bridge.evaluateBrowserCheckpoint(selected));
  });

  const onContinue = () => void run('Loading it as the playground\'s model…', async () => {
    const done = await bridge.continueFromCheckpoint();
    setContinued(done);
    onSettingsApplied?.(done.settings);
  });

  const onDelete = () => void run('Deleting…', async () => {
    await bridge.deleteBrowserCheckpoint(selected);
    await refreshList();
  });

  const savedAgrees = result?.summary.saved
    ? result.summary.saved.val.apBatchMean === result.val.apBatchMean && result.summary.saved.test.apBatchMean === result.test.apBatchMean
    : null;
  const disabled = !ready || busy !== null;

  return (
    <section className="card checkpoints" aria-label="Checkpoint" data-testid="checkpoint-panel">
      <h2>Checkpoint</h2>
      <p className="hint">
        Save the trained model (weights, node memory and settings) as two files, <code>model.json</code> and <code>model.weights.bin</code>,
        or keep it in this browser; the command line&apos;s <code>tgnn eval --checkpoint DIR</code> reads the same files. Loading one
        evaluates it on {dataset ? dataset.name : 'the loaded dataset'}; your model stays unless you then continue training from it.
      </p>
      <div className="buttons checkpoint-buttons">
        <button type="button" data-testid="checkpoint-download" disabled={disabled} onClick={onDownload} title="Download model.json + model.weights.bin">
          Save
        </button>
        <button type="button" data-testid="checkpoint-save-browser" disabled={disabled} onClick={onSaveBrowser} title="Keep in this browser's storage">
          Save to browser
        </button>
        <label htmlFor={fileId} className={`file-button${disabled ? ' disabled' : ''}`} title="Pick model.json and model.weights.bin together">
          Load files…
        </label>
        <input
          id={fileId}
          data-testid="checkpoint-files"
          className="visually-hidden"
          type="file"
          multiple
          accept=".json,.bin,application/json,application/octet-stream"
          disabled={disabled}
          onChange={(e) => {
            onFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      <div className="checkpoint-stored">
        <select
          data-testid="checkpoint-browser-list"
          aria-label="Checkpoints in this browser"
          value={selected}
          disabled={disabled || stored.length === 0}
          onChange={(e) => setSelected(e.target.value)}
        >
          {stored.length === 0 && <option value="">none saved in this browser</option>}
          {stored.map((e) => (
            <option key={e.url} value={e.url}>
              {e.name}
            </option>
          ))}
        </select>
        <button type="button" data-testid="checkpoint-load-browser" disabled={disabled || !selected} onClick={onLoadBrowser}>
          Load
        </button>
        <button type="button" className="quiet" data-testid="checkpoint-delete-browser" disabled={disabled || !selected} onClick={onDelete} title="Delete from this browser">
          Delete
        </button>
      </div>
      {busy && (
        <p className="hint" data-testid="checkpoint-busy" role="status">
          {busy}
        </p>
      )}
      {error && (
        <p className="checkpoint-error" data-testid="checkpoint-error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <div data-testid="checkpoint-saved" className="checkpoint-block">
          <p>
            Saved to {saved.where}: {describe(saved.summary)}.
          </p>
          {saved.summary.saved && <MetricsTable prefix="checkpoint-saved" metrics={saved.summary.saved} />}
          <p className="hint" data-testid="checkpoint-saved-memory">{memoryNote(saved.summary)}</p>
        </div>
      )}
      {result && (
        <div data-testid="checkpoint-result" className="checkpoint-block">
          <p>
            Evaluated <span data-testid="checkpoint-source">{result.source}</span> ({describe(result.summary)}) on {result.backend}:
          </p>
          <MetricsTable prefix="checkpoint" metrics={result} />
          {savedAgrees !== null && (
            <p className="hint" data-testid="checkpoint-match">
              {savedAgrees ? 'Same AP as when it was saved.' : `When saved: test AP ${result.summary.saved!.test.apBatchMean.toFixed(6)} (another backend rounds differently).`}
            </p>
          )}
          <div className="buttons">
            <button type="button" data-testid="checkpoint-continue" disabled={disabled} onClick={onContinue}
              title="Replace the playground's model with this checkpoint and train on from it">
              Continue training from it
            </button>
          </div>
          {continued && (
            <p className="hint" data-testid="checkpoint-continued" role="status">
              {continuedText(continued)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
