// Development preview of the five views, driven by a fake trainer in the page (no worker, no tfjs).
// URL parameters: ?batches=N runs N batches then pauses (for screenshots), ?select=3,17 preselects nodes,
// ?empty shows every view's empty state, ?column=340 sets the narrowest column width in px.
import { StrictMode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { TrainingSnapshot } from '../shared/training.ts';
import { MemoryHeatmap, MemoryMap, NodeInspector, StreamTimeline, TrainingCurves } from '../ui/views/index.ts';
import { FakeTrainer } from './fakeTrainer.ts';

const params = new URLSearchParams(location.search);
const EMPTY = params.has('empty');
const FAST_FORWARD = Math.max(0, Number(params.get('batches') ?? '0') || 0);
const COLUMN_PX = Math.max(280, Number(params.get('column') ?? '520') || 520);
const PRESELECT = (params.get('select') ?? '').split(',').filter((s) => s !== '').map(Number).filter(Number.isInteger);

function Preview() {
  const trainer = useMemo(() => new FakeTrainer(), []);
  const [snapshot, setSnapshot] = useState<TrainingSnapshot | null>(null);
  const [selected, setSelected] = useState<readonly number[]>(PRESELECT);
  const [playing, setPlaying] = useState(FAST_FORWARD === 0 && !EMPTY);
  const [batchesPerFrame, setBatchesPerFrame] = useState(1);
  const started = useRef(false);

  const advance = useCallback((n: number) => {
    for (let i = 0; i < n; i++) trainer.step();
    setSnapshot(trainer.snapshot());
  }, [trainer]);

  useEffect(() => {
    trainer.watch(selected);
  }, [trainer, selected]);

  useEffect(() => {
    if (started.current || EMPTY) return;
    started.current = true;
    trainer.watch(PRESELECT);
    // fast-forward in steps so selected nodes collect a trail and a memory history
    for (let i = 0; i < FAST_FORWARD; i++) {
      trainer.step();
      if (i % 4 === 0 || i === FAST_FORWARD - 1) trainer.snapshot();
    }
    setSnapshot(trainer.snapshot());
  }, [trainer]);

  useEffect(() => {
    if (!playing) return;
    let raf = requestAnimationFrame(function frame() {
      advance(batchesPerFrame);
      raf = requestAnimationFrame(frame);
    });
    return () => cancelAnimationFrame(raf);
  }, [playing, batchesPerFrame, advance]);

  const onSelect = useCallback((node: number) => {
    setSelected((s) => (s.includes(node) ? s.filter((v) => v !== node) : [node, ...s].slice(0, 3)));
  }, []);

  const detail = useMemo(() => (snapshot && selected.length > 0 ? trainer.nodeDetail(selected[0]!) : null), [trainer, snapshot, selected]);
  const shown = EMPTY ? null : snapshot;

  return (
    <main style={{ maxWidth: 1120, margin: '0 auto', padding: '1rem' }}>
      <header style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', marginBottom: '0.75rem', flexWrap: 'wrap' }}>
        <h1 style={{ fontSize: '1.2rem', margin: 0, flex: 1 }}>Views preview <small style={{ fontWeight: 400, color: '#5a6478' }}>fake trainer, {trainer.dataset.events.toLocaleString('en-US')} events</small></h1>
        <button type="button" onClick={() => setPlaying((p) => !p)} disabled={EMPTY}>{playing ? 'Pause' : 'Play'}</button>
        <button type="button" onClick={() => advance(1)} disabled={EMPTY || playing}>Step</button>
        <label>
          speed{' '}
          <select value={batchesPerFrame} onChange={(e) => setBatchesPerFrame(Number(e.target.value))}>
            {[1, 2, 5, 10].map((n) => <option key={n} value={n}>{n} batch/frame</option>)}
          </select>
        </label>
        <a href={EMPTY ? '?' : '?empty'}>{EMPTY ? 'live' : 'empty states'}</a>
      </header>
      <div style={{ display: 'grid', gridTemplateColumns: `repeat(auto-fill, minmax(${COLUMN_PX}px, 1fr))`, gap: '0.8rem' }}>
        <MemoryHeatmap snapshot={shown} />
        <MemoryMap snapshot={shown} selected={selected} onSelect={onSelect} />
        <NodeInspector detail={EMPTY ? null : detail} snapshot={shown} />
        <TrainingCurves snapshot={shown} />
        <StreamTimeline timeline={EMPTY ? null : trainer.timeline} snapshot={shown} dataset={EMPTY ? null : trainer.dataset} />
      </div>
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('expected an element with id "root" in views-preview.html');
document.body.style.cssText = "margin:0;background:#f4f6fa;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330";
createRoot(root).render(
  <StrictMode>
    <Preview />
  </StrictMode>,
);
