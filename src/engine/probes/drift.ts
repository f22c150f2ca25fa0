import type { TgnModel, ModelState } from '../models/tgn.ts';
import { RandomNegativeSampler } from '../data/negatives.ts';
import { averagePrecision } from '../train/metrics.ts';
import { scoreBatch } from '../train/trainer.ts';

export interface DriftResult {
  /** mean over nodes updated in the window of ‖m_B − m_1‖ / ‖m_1‖ */
  readonly memoryDrift: number;
  /** AP over the window's pairs at batch size B minus at batch size 1 */
  readonly apDelta: number;
  readonly apAtB: number;
  readonly apAt1: number;
  readonly events: number;
  readonly nodes: number;
}

/**
 * Memory drift at batch size B (ARCHITECTURE §2): with the weights frozen, process the same events
 * [from, to) from the same starting state at batch size B and at batch size 1, and compare the node
 * memories (and the AP) that result. The model's state is left as `start`.
 */
export async function memoryDrift(model: TgnModel, start: ModelState, from: number, to: number, batchSize: number, evalSeed: number): Promise<DriftResult> {
  const negatives = new RandomNegativeSampler(model.stream, evalSeed).sample(from, to);
  const run = async (B: number): Promise<{ memory: Float32Array; updates: Int32Array; ap: number }> => {
    model.restoreState(start);
    const pos: number[] = [];
    const neg: number[] = [];
    for (let a = from; a < to; a += B) {
      const b = Math.min(to, a + B);
      const s = await scoreBatch(model, a, b, negatives.subarray(a - from, b - from), false);
      pos.push(...s.pos);
      neg.push(...s.neg);
    }
    const labels = [...pos.map(() => 1), ...neg.map(() => 0)];
    return { memory: model.memory.state.slice(), updates: model.memory.updates.slice(), ap: averagePrecision([...pos, ...neg], labels) };
  };
  const atB = await run(batchSize);
  const at1 = await run(1);
  model.restoreState(start);
  const d = model.memory.dim;
  let sum = 0;
  let nodes = 0;
  for (let v = 0; v < model.memory.numNodes; v++) {
    if (at1.updates[v] === start.memory.updates[v] && atB.updates[v] === start.memory.updates[v]) continue;
    let diff = 0;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const a = atB.memory[v * d + j]!;
      const b = at1.memory[v * d + j]!;
      diff += (a - b) * (a - b);
      norm += b * b;
    }
    sum += Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    nodes++;
  }
  return { memoryDrift: nodes > 0 ? sum / nodes : 0, apDelta: atB.ap - at1.ap, apAtB: atB.ap, apAt1: at1.ap, events: to - from, nodes };
}
