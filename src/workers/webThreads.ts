// A Web Worker as a request/reply thread, started from the engine worker: one request at a time; an
// error in the worker rejects the request under way. The serving lab's server threads and DistTGL's
// trainer threads in the page are such threads.
import type { RequestThread } from '../engine/util/threads.ts';

export function webThread<Req, Reply>(worker: Worker, name: string): RequestThread<Req, Reply> {
  let pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const p = pending;
    pending = null;
    p?.resolve(e.data);
  };
  worker.onerror = (e) => {
    pending?.reject(new Error(`${name} crashed: ${e.message}`));
    pending = null;
  };
  return {
    request: (m) => {
      if (pending) return Promise.reject(new Error(`${name}: a request is already running`));
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(m);
      });
    },
    terminate: () => worker.terminate(),
  };
}
