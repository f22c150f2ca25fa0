import { useId, useState } from 'react';
import type { ExportFormat, ExportResult } from '../../shared/data.ts';
import { useBridge } from '../useBridge.ts';
import { downloadBlob } from '../views/export.ts';

const FORMAT_WORDS: Record<ExportFormat, string> = {
  dyglib: 'DyGLib (ml_NAME.csv + .npy)',
  tgl: 'TGL / DistTGL (edges.csv + config)',
};

type Status = { readonly kind: 'idle' } | { readonly kind: 'busy' } | { readonly kind: 'done'; readonly result: ExportResult } | { readonly kind: 'error'; readonly message: string };

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Exports the loaded stream for DyGLib or TGL (built in the worker) and downloads one file each. */
export function ExportControl({ disabled }: { disabled: boolean }) {
  const bridge = useBridge();
  const id = useId();
  const [format, setFormat] = useState<ExportFormat>('dyglib');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const run = async () => {
    setStatus({ kind: 'busy' });
    try {
      const result = await bridge.exportDataset(format);
      for (const [i, f] of result.files.entries()) {
        // a short gap between downloads, so the browser takes them as separate files
        if (i > 0) await pause(150);
        downloadBlob(new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.mime }), f.name);
      }
      setStatus({ kind: 'done', result });
    } catch (e) {
      setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div className="export-control">
      <div className="row">
        <label htmlFor={id}>Export for</label>
        <select id={id} data-testid="export-format" value={format} onChange={(e) => setFormat(e.target.value === 'tgl' ? 'tgl' : 'dyglib')}>
          {(Object.keys(FORMAT_WORDS) as ExportFormat[]).map((f) => (
            <option key={f} value={f}>
              {FORMAT_WORDS[f]}
            </option>
          ))}
        </select>
        <button type="button" data-testid="export-button" disabled={disabled || status.kind === 'busy'} onClick={() => void run()}
          title="Write the stream in that system's file layout (and, for TGL, a config of the current model settings) and download the files">
          {status.kind === 'busy' ? 'Exporting…' : 'Export'}
        </button>
      </div>
      {status.kind === 'done' && (
        <div className="export-status" data-testid="export-status">
          <p>
            Downloaded {status.result.files.map((f) => f.name).join(', ')} ({status.result.events.toLocaleString('en-US')} events).
          </p>
          <ul className="muted" data-testid="export-notes">
            {status.result.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      {status.kind === 'error' && (
        <p className="import-error" role="alert" data-testid="export-error">
          {status.message}
        </p>
      )}
    </div>
  );
}
