import { useEffect, useState } from 'react';
import { countStream, parseDatasetIndex, type DatasetEntry } from './datasetIndex.ts';

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; dataset: DatasetEntry; events: number; nodes: number };

const numberFormat = new Intl.NumberFormat('en-US');

async function loadFirstDataset(signal: AbortSignal): Promise<Loaded> {
  const base = import.meta.env.BASE_URL;
  const indexResponse = await fetch(`${base}datasets/index.json`, { signal });
  if (!indexResponse.ok) throw new Error(`datasets/index.json: HTTP ${indexResponse.status}`);
  const datasets = parseDatasetIndex(await indexResponse.json());
  const dataset = datasets[0];
  if (!dataset) throw new Error('datasets/index.json lists no datasets');
  const csvResponse = await fetch(`${base}datasets/${dataset.file}`, { signal });
  if (!csvResponse.ok) throw new Error(`datasets/${dataset.file}: HTTP ${csvResponse.status}`);
  const { events, nodes } = countStream(await csvResponse.text());
  return { state: 'ready', dataset, events, nodes };
}

export function App() {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    loadFirstDataset(controller.signal).then(setLoaded, (e: unknown) => {
      if (controller.signal.aborted) return;
      setLoaded({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    });
    return () => controller.abort();
  }, []);

  return (
    <main className="page">
      <header>
        <h1>TGNN Playground</h1>
        <p className="tagline">Train and watch memory-based temporal graph neural networks, entirely in your browser.</p>
      </header>

      <section className="card" aria-live="polite">
        <h2>Dataset</h2>
        {loaded.state === 'loading' && <p className="muted">Loading bundled dataset…</p>}
        {loaded.state === 'error' && (
          <p className="error" role="alert">
            Could not load the bundled dataset: {loaded.message}
          </p>
        )}
        {loaded.state === 'ready' && (
          <>
            <p className="dataset-name" data-testid="dataset-name">
              {loaded.dataset.name}
            </p>
            <p className="dataset-stats" data-testid="dataset-stats">
              {numberFormat.format(loaded.events)} events · {numberFormat.format(loaded.nodes)} nodes
            </p>
            {loaded.dataset.description && <p className="muted">{loaded.dataset.description}</p>}
          </>
        )}
      </section>

      <section className="card">
        <h2>Training</h2>
        <p>
          The training interface is coming: pick a model (TGN, JODIE, DyRep, …), train it on this stream in a Web
          Worker, and watch link-prediction metrics, memory staleness and information loss as it runs. Nothing
          leaves your browser.
        </p>
      </section>
    </main>
  );
}
