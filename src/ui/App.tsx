import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ImportOptions } from '../shared/data.ts';
import type { BackendPreference } from '../shared/backend.ts';
import type { EdgeBankBaselineResult } from '../shared/lab.ts';
import type { ExperimentSettings } from '../shared/settings.ts';
import type { NodeDetail } from '../shared/training.ts';
import type { BridgeError } from '../shared/data.ts';
import { BackendBadge } from './components/BackendBadge.tsx';
import { Controls } from './components/Controls.tsx';
import { DatasetPanel, type DelimiterChoice, type Role } from './components/DatasetPanel.tsx';
import { ErrorList } from './components/ErrorList.tsx';
import { HashNotice } from './components/HashNotice.tsx';
import { SettingsPanel } from './components/SettingsPanel.tsx';
import { CheckpointPanel } from './components/CheckpointPanel.tsx';
import { BaselinePanel } from './components/BaselinePanel.tsx';
import { datasetUrl, parseDatasetIndex, type DatasetEntry } from './datasetIndex.ts';
import {
  defaultState, parseHash, sameSettings, serializeHash, settingsOf, type ExperimentState, type HashProblem, type HiddenControls,
} from './state.ts';
import { Lab } from './lab/Lab.tsx';
import type { AnatomyRequest } from './lab/BatchAnatomy.tsx';
import type { SweepRequest } from './lab/Sweep.tsx';
import type { ServingRequest } from './lab/ServingCard.tsx';
import { Glossary } from './components/Glossary.tsx';
import { HelpActions } from './components/HelpActions.tsx';
import { LessonPanel } from './components/LessonPanel.tsx';
import { LessonStart } from './components/LessonStart.tsx';
import { ShareLink } from './components/ShareLink.tsx';
import { splitLessonHash, withLesson } from './lessons/hash.ts';
import { findLesson, LESSONS } from './lessons/index.ts';
import { focusView } from './lessons/focus.ts';
import type { LessonHost } from './lessons/runner.ts';
import { useBridge, useBridgeState } from './useBridge.ts';
import { forgetUpload, keepUpload, listUploads, loadUpload, UPLOAD_NAME, uploadKey, type KeptUpload } from './uploads.ts';
import { MemoryHeatmap, MemoryMap, NodeInspector, StreamTimeline, TrainingCurves } from './views/index.ts';

/** the engine keeps trails and history for at most this many watched nodes */
const MAX_WATCHED = 8;
// panels that do not show the training snapshot skip the re-render a new one brings (their props stay the same)
const DatasetPanelMemo = memo(DatasetPanel);
const SettingsPanelMemo = memo(SettingsPanel);
const CheckpointPanelMemo = memo(CheckpointPanel);
// the watched node's events and memory history while training plays (each refresh re-renders and redraws the inspector)
const DETAIL_REFRESH_MS = 1000;
/** the settings every lesson starts from before its own: the playground's defaults */
const LESSON_DEFAULTS = settingsOf(defaultState());

interface LastInput {
  readonly name: string;
  /** an uploaded File stays a File: the worker reads it in slices, so the page never holds it whole */
  readonly bytes: Uint8Array | Blob;
  readonly bundled: boolean;
  /** an upload's name in the link (uploads.ts), `upload:<fingerprint>` */
  readonly key?: string;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function hashNames(hash: string, key: string): boolean {
  return hash.replace(/^#/, '').split('&').some((p) => p === key || p.startsWith(`${key}=`));
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export function App() {
  const bridge = useBridge();
  const state = useBridgeState(bridge);

  const [initial] = useState(() => parseHash(splitLessonHash(window.location.hash).rest));
  // guided lessons (src/ui/lessons): the open one rides in the hash as lesson=NAME
  const [lessonName, setLessonName] = useState<string | null>(() => splitLessonHash(window.location.hash).lesson);
  const [glossary, setGlossary] = useState<{ readonly term: string | null } | null>(null);
  const [sharing, setSharing] = useState(false);
  const [welcome, setWelcome] = useState(true);
  const [anatomyRequest, setAnatomyRequest] = useState<AnatomyRequest | null>(null);
  const [sweepRequest, setSweepRequest] = useState<SweepRequest | null>(null);
  const [servingRequest, setServingRequest] = useState<ServingRequest | null>(null);
  const [exp, setExpState] = useState<ExperimentState>(initial.state);
  const expRef = useRef(exp);
  const setExp = useCallback((patch: Partial<ExperimentState>) => {
    expRef.current = { ...expRef.current, ...patch };
    setExpState(expRef.current);
  }, []);
  const [hidden, setHidden] = useState<HiddenControls>(initial.hidden);
  const [problems, setProblems] = useState<readonly HashProblem[]>(initial.problems);

  const [bundled, setBundled] = useState<DatasetEntry[] | null>(null);
  const [bundledName, setBundledName] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState<BridgeError | null>(null);
  const [dismissedBridgeError, setDismissedBridgeError] = useState<BridgeError | null>(null);
  const [errors, setErrors] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const [starting, setStarting] = useState(true);
  const [selected, setSelected] = useState<readonly number[]>([]);
  const [detail, setDetail] = useState<NodeDetail | null>(null);
  const [dragging, setDragging] = useState(false);
  const [edgeBank, setEdgeBank] = useState<EdgeBankBaselineResult | null>(null);
  const edgeBankLine = useMemo(() => (edgeBank ? {
    label: 'EdgeBank',
    value: edgeBank.test.apBatchMean,
    title: `EdgeBank test AP ${edgeBank.test.apBatchMean.toFixed(4)} (${edgeBank.memory} memory, ${edgeBank.negatives} negatives; no learning)`,
  } : null), [edgeBank]);
  const lastInput = useRef<LastInput | null>(null);
  /** the input of the last import tried, loaded or not (a delimiter change re-imports it) */
  const attemptedInput = useRef<LastInput | null>(null);
  const [delimiter, setDelimiterState] = useState<DelimiterChoice>('auto');
  const delimiterRef = useRef<DelimiterChoice>('auto');
  const bundledRef = useRef<DatasetEntry[] | null>(null);
  // uploads kept in this browser for a reload (uploads.ts), the loaded one's key, and what was said about keeping
  const [kept, setKept] = useState<readonly KeptUpload[]>([]);
  const [keptKey, setKeptKey] = useState<string | null>(null);
  const [keptNote, setKeptNote] = useState<string | null>(null);
  /** reads what this browser keeps into the Dataset panel, and returns it (none, said in the panel, where it keeps nothing) */
  const refreshKept = useCallback(async (): Promise<readonly KeptUpload[]> => {
    try {
      const list = await listUploads();
      setKept(list);
      return list;
    } catch (e) {
      setKeptNote(`Uploads cannot be kept for a reload here: ${errorMessage(e)}`);
      return [];
    }
  }, []);

  const report = useCallback((what: string, e: unknown) => {
    setErrors((list) => [...list, `${what}: ${errorMessage(e)}`]);
  }, []);

  // One engine action at a time (start, import, configure), in the order asked.
  const queue = useRef<Promise<void>>(Promise.resolve());
  // engine actions queued or running: Play and Step wait for them (a configure stops playing, so a Play
  // pressed while the page still applies its settings after a load would stop again by itself)
  const [pendingActions, setPendingActions] = useState(0);
  const enqueue = useCallback((what: string, action: () => Promise<void>) => {
    setPendingActions((n) => n + 1);
    queue.current = queue.current.then(action).catch((e: unknown) => report(what, e)).finally(() => setPendingActions((n) => n - 1));
    return queue.current;
  }, [report]);

  // The hash always shows the experiment as applied.
  useEffect(() => {
    const hash = withLesson(serializeHash(exp, hidden), lessonName);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [exp, hidden, lessonName]);

  const ensureSettings = useCallback(async () => {
    const wanted = settingsOf(expRef.current);
    if (!sameSettings(bridge.getState().settings, wanted)) await bridge.configure(wanted);
  }, [bridge]);

  /** Imports bytes in the worker; on failure the previous dataset stays and the error is shown. */
  /** true when the input was loaded */
  const importBytes = useCallback(async (input: LastInput, options?: ImportOptions): Promise<boolean> => {
    setImporting(true);
    setImportError(null);
    attemptedInput.current = input;
    // the Delimiter control applies to uploaded files; bundled streams are always detected
    const chosen = delimiterRef.current;
    const withDelimiter: ImportOptions | undefined = !input.bundled && chosen !== 'auto' ? { ...options, delimiter: chosen } : options;
    try {
      // the bridge keeps its own copy and never detaches ours, so a re-import can reuse these bytes
      await bridge.loadDataset(input.name, input.bytes, withDelimiter);
    } catch (e) {
      const fromBridge = bridge.getState().error;
      setImportError(fromBridge ?? { message: errorMessage(e), issues: [] });
      setImporting(false);
      return false;
    }
    setImporting(false);
    setDismissedBridgeError(bridge.getState().error);
    lastInput.current = input;
    setBundledName(input.bundled ? input.name : null);
    setKeptKey(input.key ?? null);
    if (input.bundled) setExp({ dataset: input.name });
    else if (input.key) setExp({ dataset: input.key });
    setSelected([]);
    setDetail(null);
    await bridge.watch([]);
    await ensureSettings();
    return true;
  }, [bridge, ensureSettings, setExp]);

  const loadBundled = useCallback(async (name: string) => {
    const entry = bundledRef.current?.find((d) => d.name === name);
    if (!entry) throw new Error(`no bundled dataset named ${name}`);
    setImporting(true);
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(datasetUrl(import.meta.env.BASE_URL, entry));
    } catch (e) {
      setImporting(false);
      throw e;
    }
    await importBytes({ name, bytes, bundled: true });
  }, [importBytes]);

  /** Loads the upload kept as `key`; false when this browser does not keep it. */
  const loadKept = useCallback(async (key: string): Promise<boolean> => {
    const file = await loadUpload(key);
    if (!file) return false;
    await importBytes({ name: file.name, bytes: file, bundled: false, key });
    return true;
  }, [importBytes]);

  const startBackend = useCallback(async (preference: BackendPreference) => {
    setStarting(true);
    try {
      await bridge.start(preference);
      setExp({ backend: preference });
    } finally {
      setStarting(false);
    }
  }, [bridge, setExp]);

  /** Brings the engine to `next` (from the hash): backend, dataset, settings, each only if it changed. */
  const applyExperiment = useCallback(async (next: ExperimentState, first: boolean) => {
    const entries = bundledRef.current;
    let dataset = next.dataset;
    let upload: string | null = null;
    // the first time, the Dataset panel's list of kept uploads is read too
    const known = first || UPLOAD_NAME.test(dataset) ? await refreshKept() : [];
    if (UPLOAD_NAME.test(dataset)) {
      // an upload this browser keeps comes back; one it does not is said, and the default stream loads
      if (known.some((u) => u.key === dataset)) upload = dataset;
      else if (entries && entries.length > 0) {
        const fallback = entries[0]!.name;
        setProblems((p) => [...p, {
          key: 'dataset', value: dataset,
          reason: `an uploaded file this browser does not keep (uploaded in another browser, too big to keep, or forgotten); using ${fallback}: upload the file again to go on with it`,
        }]);
        dataset = fallback;
      }
    } else if (entries && entries.length > 0 && !entries.some((d) => d.name === dataset)) {
      const fallback = entries[0]!.name;
      if (hashNames(window.location.hash, 'dataset')) {
        setProblems((p) => [...p, { key: 'dataset', value: dataset, reason: `not a bundled dataset; using ${fallback}` }]);
      }
      dataset = fallback;
    }
    const current = expRef.current;
    setExp({ ...settingsOf(next), model: next.model });
    if (first || next.backend !== current.backend) await startBackend(next.backend);
    // before a dataset is loaded, configure only records the settings, so the import builds the model once
    if (!bridge.getState().dataset) await bridge.configure(settingsOf(next));
    if (upload !== null) {
      if (first || upload !== current.dataset) await loadKept(upload);
    } else if (first || dataset !== current.dataset) await loadBundled(dataset);
    await ensureSettings();
  }, [bridge, ensureSettings, loadBundled, loadKept, refreshKept, setExp, startBackend]);

  // Start: dataset index, backend, the hash's dataset (or the first bundled one), its settings.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void enqueue('start', async () => {
      const response = await fetch(`${import.meta.env.BASE_URL}datasets/index.json`);
      if (!response.ok) throw new Error(`datasets/index.json: HTTP ${response.status}`);
      const entries = parseDatasetIndex(await response.json());
      if (entries.length === 0) throw new Error('datasets/index.json lists no datasets');
      bundledRef.current = entries;
      setBundled(entries);
      await applyExperiment(expRef.current, true);
    });
  }, [applyExperiment, enqueue]);

  // A hand-edited hash (or a pasted link) applies without a reload.
  useEffect(() => {
    const onHashChange = () => {
      const { lesson, rest } = splitLessonHash(window.location.hash);
      setLessonName(lesson);
      const parsed = parseHash(rest);
      setProblems(parsed.problems);
      setHidden(parsed.hidden);
      void enqueue('apply link', () => applyExperiment(parsed.state, false));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [applyExperiment, enqueue]);

  const onFile = useCallback((file: File) => {
    // the worker reads the file in slices (a file it cannot read is an import error naming it)
    void enqueue(`import ${file.name}`, async () => {
      // a file that cannot be read gets no key: its import then fails with a message naming it
      const key = await uploadKey(file).catch(() => undefined);
      if (!(await importBytes({ name: file.name, bytes: file, bundled: false, ...(key ? { key } : {}) })) || !key) return;
      // kept for a reload or a copied link (the hash now names it); a file too big to keep is said
      try {
        const outcome = await keepUpload(file, key);
        const forgot = outcome.kept && outcome.forgot.length > 0 ? `; to make room, this browser forgot ${outcome.forgot.map((u) => u.name).join(', ')}` : '';
        setKeptNote(outcome.kept ? (forgot ? `Kept ${file.name}${forgot}.` : null) : `Not kept for a reload: ${outcome.reason}. A reload or a copied link will not bring it back.`);
      } catch (e) {
        setKeptNote(`Not kept for a reload: ${errorMessage(e)}. A reload or a copied link will not bring it back.`);
      }
      await refreshKept();
    });
  }, [enqueue, importBytes, refreshKept]);

  const onLoadKept = useCallback((key: string) => {
    void enqueue('load a kept upload', async () => {
      if (!(await loadKept(key))) setKeptNote('That upload is no longer kept in this browser.');
      await refreshKept();
    });
  }, [enqueue, loadKept, refreshKept]);

  const onForgetKept = useCallback((key: string) => {
    void enqueue('forget an upload', async () => {
      await forgetUpload(key);
      setKeptNote(null);
      await refreshKept();
    });
  }, [enqueue, refreshKept]);

  const onPickBundled = useCallback((name: string) => void enqueue(`load ${name}`, () => loadBundled(name)), [enqueue, loadBundled]);

  const onReimport = useCallback((roles: readonly Role[]) => {
    const input = lastInput.current;
    if (!input) return;
    void enqueue('re-import', async () => {
      await importBytes(input, { columns: roles.join(',') });
    });
  }, [enqueue, importBytes]);

  const onDelimiter = useCallback((d: DelimiterChoice) => {
    delimiterRef.current = d;
    setDelimiterState(d);
    const input = attemptedInput.current;
    if (input && !input.bundled) {
      void enqueue('re-import', async () => {
        await importBytes(input);
      });
    }
  }, [enqueue, importBytes]);

  const onApplySettings = useCallback((settings: ExperimentSettings) => {
    setBusy(true);
    void enqueue('apply settings', async () => {
      try {
        await bridge.configure(settings);
        setExp(settings);
      } finally {
        setBusy(false);
      }
    });
  }, [bridge, enqueue, setExp]);

  const ready = state.dataset !== null && state.status !== 'starting' && state.status !== 'importing' && !importing;
  /** Play and Step: ready, and no engine action queued */
  const runnable = ready && pendingActions === 0;
  const playing = state.status === 'playing';

  const play = useCallback(() => bridge.play(), [bridge]);
  const pause = useCallback(() => bridge.pause(), [bridge]);
  const step = useCallback(() => {
    bridge.step(1).catch((e: unknown) => report('step', e));
  }, [bridge, report]);
  const reset = useCallback(() => {
    setBusy(true);
    bridge.reset().catch((e: unknown) => report('reset', e)).finally(() => setBusy(false));
  }, [bridge, report]);

  // Keyboard, as in TensorFlow Playground: space plays / pauses, → steps one batch (not while typing).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      if (e.key === ' ') {
        // a focused button activates itself on space
        if (e.target instanceof HTMLButtonElement) return;
        e.preventDefault();
        if (playing) pause();
        else if (runnable) play();
      } else if (e.key === 'ArrowRight') {
        if (!runnable || hidden.has('step')) return;
        e.preventDefault();
        step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hidden, pause, play, playing, runnable, step]);

  // Drag and drop a file anywhere on the page.
  useEffect(() => {
    if (hidden.has('upload')) return;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) onFile(file);
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [hidden, onFile]);

  // Selection: watch the selected nodes; the inspector follows the last one (refreshed while playing).
  const onSelect = useCallback((node: number) => {
    setSelected((current) => {
      const next = current.includes(node) ? current.filter((n) => n !== node) : [...current, node].slice(-MAX_WATCHED);
      bridge.watch(next).catch((e: unknown) => report('watch', e));
      return next;
    });
  }, [bridge, report]);
  const focused = selected.length > 0 ? selected[selected.length - 1]! : null;
  const version = state.snapshot?.version ?? -1;
  useEffect(() => {
    if (focused === null) {
      setDetail(null);
      return;
    }
    let cancelled = false;
    const fetchDetail = () => {
      bridge.nodeDetail(focused).then(
        (d) => {
          // refreshed while training plays: a transition, like the snapshots (useBridge.ts)
          if (!cancelled) startTransition(() => setDetail(d));
        },
        (e: unknown) => {
          if (!cancelled) report(`node ${focused}`, e);
        },
      );
    };
    fetchDetail();
    const timer = playing ? window.setInterval(fetchDetail, DETAIL_REFRESH_MS) : undefined;
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
    // while paused, refetch after each batch (a step); while playing, on the timer
  }, [bridge, focused, playing, playing ? 0 : version, report]);

  const applied = useMemo(() => settingsOf(exp), [exp]);

  // what a lesson drives: the same queue, dataset loading and settings path as a link, the lab's anatomy and sweep
  const lessonHost = useMemo((): LessonHost => {
    const queued = <T,>(what: string, action: () => Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
      void enqueue(what, () => action().then(resolve, (e: unknown) => {
        reject(e);
      }));
    });
    let requests = 0;
    return {
      bridge,
      datasetNames: () => (bundledRef.current ?? []).map((d) => d.name),
      apply: (dataset, settings) => queued('lesson', async () => {
        if (bridge.getState().dataset?.name !== dataset) await loadBundled(dataset);
        setExp(settings);
        await ensureSettings();
      }),
      select: async (nodes) => {
        setSelected(nodes);
        await bridge.watch(nodes);
      },
      showAnatomy: (from, batchSize, mailboxSize) => setAnatomyRequest({ id: ++requests, from, batchSize, mailboxSize }),
      labSweep: (request) => new Promise((resolve, reject) => {
        setSweepRequest({
          id: ++requests,
          ...request,
          onSettled: (outcome) => ('results' in outcome ? resolve(outcome.results) : reject(outcome.error)),
        });
      }),
      labServe: (request) => new Promise((resolve, reject) => {
        setServingRequest({
          id: ++requests,
          ...request,
          clock: 'virtual',
          onSettled: (outcome) => ('summaries' in outcome ? resolve(outcome.summaries) : reject(outcome.error)),
        });
      }),
      focus: (view) => window.requestAnimationFrame(() => focusView(view)),
    };
  }, [bridge, enqueue, ensureSettings, loadBundled, setExp]);
  const lesson = lessonName === null ? null : findLesson(lessonName) ?? null;
  const openLesson = useCallback((name: string) => {
    setWelcome(false);
    setLessonName(name);
  }, []);
  const closeLesson = useCallback(() => setLessonName(null), []);
  useEffect(() => {
    if (lessonName === null || findLesson(lessonName)) return;
    setProblems((p) => [...p, { key: 'lesson', value: lessonName, reason: `no such lesson (${LESSONS.map((l) => l.name).join(', ')})` }]);
    setLessonName(null);
  }, [lessonName]);
  const openTerm = useCallback((term: string) => setGlossary({ term }), []);
  const bridgeError = state.error && state.error !== importError && state.error !== dismissedBridgeError ? state.error : null;
  // a failed action is reported by the bridge too: show it once
  const shownErrors = bridgeError && !errors.some((m) => m.endsWith(bridgeError.message)) ? [...errors, bridgeError.message] : errors;

  return (
    <div className={`app${lesson ? ' lesson-open' : ''}`}>
      <header className="topbar">
        <div className="title">
          <h1>TGNN Playground</h1>
          <p className="tagline">Train a temporal graph network on an event stream and watch its memory, in your browser.</p>
        </div>
        <HelpActions
          lessonOpen={lesson !== null}
          glossaryOpen={glossary !== null}
          onStartLesson={openLesson}
          onGlossary={() => setGlossary(glossary ? null : { term: null })}
          onShare={() => setSharing(true)}
        />
        <BackendBadge
          report={state.backend}
          preference={exp.backend}
          starting={starting || state.status === 'starting'}
          stage={state.stage}
          hideSelect={hidden.has('backend')}
          onPreference={(p) => void enqueue('backend', () => startBackend(p))}
        />
      </header>

      <HashNotice problems={problems} onDismiss={() => setProblems([])} />
      {state.notice && (
        <div className="notice" role="status" data-testid="engine-notice">
          <div>{state.notice}</div>
          <button type="button" className="quiet" onClick={() => bridge.dismissNotice()} aria-label="Dismiss notice">
            ✕
          </button>
        </div>
      )}
      <ErrorList
        errors={shownErrors}
        onDismiss={(i) => {
          if (i < errors.length) setErrors(errors.filter((_, j) => j !== i));
          else setDismissedBridgeError(state.error);
        }}
      />

      {welcome && !lesson && <LessonStart onStart={openLesson} onDismiss={() => setWelcome(false)} />}

      <div className="layout">
        <aside className="sidebar">
          <Controls
            status={state.status}
            snapshot={state.snapshot}
            ready={runnable}
            busy={busy}
            hidden={hidden}
            onPlay={play}
            onPause={pause}
            onStep={step}
            onReset={reset}
          />
          <DatasetPanelMemo
            bundled={bundled}
            bundledName={bundledName}
            dataset={state.dataset}
            progress={state.importProgress}
            importing={importing}
            error={importError}
            hidden={hidden}
            onPickBundled={onPickBundled}
            onFile={onFile}
            onReimport={onReimport}
            delimiter={delimiter}
            onDelimiter={onDelimiter}
            kept={kept}
            keptKey={keptKey}
            keptNote={keptNote}
            onLoadKept={onLoadKept}
            onForgetKept={onForgetKept}
          />
          <SettingsPanelMemo applied={applied} hidden={hidden} enabled={ready && !busy} onApply={onApplySettings} />
          <CheckpointPanelMemo bridge={bridge} ready={ready} dataset={state.dataset} onSettingsApplied={setExp} />
          <BaselinePanel bridge={bridge} ready={ready} dataset={state.dataset} snapshot={state.snapshot} onResult={setEdgeBank} />
        </aside>
        <main className="main">
          <div className="views">
            <div className="slot slot-curves">
              <TrainingCurves snapshot={state.snapshot} reference={edgeBankLine} />
            </div>
            <div className="slot slot-timeline">
              <StreamTimeline timeline={state.timeline} snapshot={state.snapshot} dataset={state.dataset} />
            </div>
            <div className="slot slot-map">
              <MemoryMap snapshot={state.snapshot} selected={selected} onSelect={onSelect} />
            </div>
            <div className="slot slot-inspector">
              <NodeInspector detail={detail} snapshot={state.snapshot} />
            </div>
            <div className="slot slot-heatmap">
              <MemoryHeatmap snapshot={state.snapshot} />
            </div>
          </div>
          <Lab bridge={bridge} dataset={state.dataset} snapshot={state.snapshot} settings={applied} onError={report} anatomyRequest={anatomyRequest} sweepRequest={sweepRequest} servingRequest={servingRequest} />
        </main>
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop the file to import it
        </div>
      )}
      {lesson && bundled && (
        <LessonPanel
          key={lesson.name}
          lesson={lesson}
          host={lessonHost}
          defaults={LESSON_DEFAULTS}
          onClose={closeLesson}
          onTerm={openTerm}
          onOpenLesson={openLesson}
        />
      )}
      {glossary && <Glossary focus={glossary.term} onClose={() => setGlossary(null)} />}
      {!glossary && (
        <button type="button" className="glossary-fab" data-testid="glossary-fab" title="Glossary: what the words on this page mean" aria-label="Open the glossary" onClick={() => setGlossary({ term: null })}>
          ?
        </button>
      )}
      {sharing && <ShareLink exp={exp} hidden={hidden} lesson={lessonName} onClose={() => setSharing(false)} />}
    </div>
  );
}
