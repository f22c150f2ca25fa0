// A worker_threads worker as a request/reply thread: one request at a time; a crash or exit rejects the
// request under way and every later one. The trainer threads (`tgnn train --workers`) and the serving
// lab's server threads (`tgnn serve --clock wall`) are such threads.
import { Worker } from 'node:worker_threads';
import type { RequestThread } from '../engine/util/threads.ts';

export function nodeThread<Req, Reply>(entry: string, name: string): RequestThread<Req, Reply> {
  const worker = new Worker(entry);
  let pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  worker.on('message', (reply: Reply) => {
    const p = pending;
    pending = null;
    p?.resolve(reply);
  });
  const fail = (e: Error): void => {
    failure = e;
    pending?.reject(e);
    pending = null;
  };
  worker.on('error', (e) => fail(new Error(`${name} crashed: ${e.message}`)));
  worker.on('exit', (code) => fail(new Error(`${name} exited (code ${code})`)));
  return {
    request: (m) => {
      if (failure) return Promise.reject(failure);
      if (pending) return Promise.reject(new Error(`${name}: a request is already running`));
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(m);
      });
    },
    terminate: () => {
      worker.removeAllListeners('exit');
      return worker.terminate();
    },
  };
}
