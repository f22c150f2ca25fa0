// index.html runs this module before the page's own code (it imports nothing): the engine worker starts
// loading its code at once, in parallel with the UI's modules. The bridge's first worker is this one
// (takeEarlyWorker); later workers (restarts, sweeps) start as usual.
let early: Worker | null =
  typeof Worker === 'function' ? new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }) : null;

/** the worker started by index.html, once; null afterwards or where none was started */
export function takeEarlyWorker(): Worker | null {
  const w = early;
  early = null;
  return w;
}
