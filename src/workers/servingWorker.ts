// The serving lab in the engine worker: serves what a checkpoint of the playground's model would hold
// (engine/checkpoint checkpointedCopy), so the page's numbers are those `tgnn serve` prints for the
// downloaded checkpoint. The playground's model and training position are untouched.
import { checkpointedCopy } from '../engine/checkpoint/checkpoint.ts';
import type { EngineSession } from '../engine/session/session.ts';
import { prepareServing, runServing } from '../engine/serve/simulator.ts';
import type { ServeOptions, ServeRun } from '../shared/serving.ts';

export async function serveModel(session: EngineSession, options: ServeOptions): Promise<ServeRun> {
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
    return await runServing(base, options);
  } finally {
    copy.dispose();
  }
}
