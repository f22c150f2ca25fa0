// The serving lab in the engine worker: serves what a checkpoint of the playground's model would hold
// (engine/checkpoint checkpointedCopy), so the page's numbers are those `tgnn serve` prints for the
// downloaded checkpoint. The wall clock runs the update and query servers as two more Web Workers
// (serveThread.worker.ts). The playground's model and training position are untouched.
import { checkpointedCopy } from '../engine/checkpoint/checkpoint.ts';
import type { EngineSession } from '../engine/session/session.ts';
import { prepareServing, runServing } from '../engine/serve/simulator.ts';
import { serveOnThreads, type ServeRole, type ServeThread, type ServeThreadReply, type ServeThreadRequest } from '../engine/serve/wallThreads.ts';
import { webThread } from './webThreads.ts';
import { tf } from '../engine/tf.ts';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';

/** a server thread as a Web Worker */
function webServeThread(role: ServeRole): ServeThread {
  return webThread<ServeThreadRequest, ServeThreadReply>(new Worker(new URL('./serveThread.worker.ts', import.meta.url), { type: 'module' }), `${role} server thread`);
}

export async function serveModel(session: EngineSession, options: ServeOptions): Promise<ServeRun> {
  if (options.clock === 'wall' && !globalThis.crossOriginIsolated) {
    throw new Error('the wall clock shares memory between two workers, which needs a cross-origin isolated page; use the virtual or measured clock');
  }
  const source = (() => {
    try {
      return session.checkpointSource();
    } catch (e) {
      throw new Error(`serving starts from what a checkpoint of the model holds, and ${e instanceof Error ? e.message : String(e)}`);
    }
  })();
  const { copy, split, state } = await checkpointedCopy(source);
  try {
    const base = await prepareServing(copy, state, split, source.options.evalBatchSize);
    // the server threads run wasm (the cpu backend where the session runs cpu; a WebGPU device each would be too many)
    if (options.clock === 'wall') return await serveOnThreads(base, options, tf.getBackend() === 'cpu' ? 'cpu' : 'wasm', webServeThread);
    return await runServing(base, options);
  } finally {
    copy.dispose();
  }
}
