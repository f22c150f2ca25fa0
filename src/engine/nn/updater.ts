import { tf, type Tensor2D, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';
import { ParamModule, uniformInit } from './module.ts';
import { gruGates } from '../kernels/fused.ts';

/** Memory updater: new memory from an aggregated message and the previous memory. */
export interface MemoryUpdater {
  readonly messageDim: number;
  readonly memoryDim: number;
  update(message: Tensor2D, memory: Tensor2D): Tensor2D;
  readonly variables: readonly Variable[];
  resetParameters(rng: Rng): void;
  dispose(): void;
}

/** PyTorch GRUCell semantics (gates r, z, n; h' = (1 − z)·n + z·h), U(±1/sqrt(hidden)) init. */
export class GruUpdater extends ParamModule implements MemoryUpdater {
  private readonly wx: Variable;
  private readonly wh: Variable;
  private readonly bx: Variable;
  private readonly bh: Variable;

  constructor(readonly messageDim: number, readonly memoryDim: number, rng: Rng) {
    super();
    const init = uniformInit(1 / Math.sqrt(memoryDim));
    this.wx = this.param([messageDim, 3 * memoryDim], init, rng);
    this.wh = this.param([memoryDim, 3 * memoryDim], init, rng);
    this.bx = this.param([3 * memoryDim], init, rng);
    this.bh = this.param([3 * memoryDim], init, rng);
  }

  update(message: Tensor2D, memory: Tensor2D): Tensor2D {
    if (message.shape[1] !== this.messageDim) {
      throw new Error(`GruUpdater: expected message width ${this.messageDim}, got ${message.shape[1]}`);
    }
    const gx = tf.add(tf.matMul(message, this.wx as Tensor2D), this.bx) as Tensor2D;
    const gh = tf.add(tf.matMul(memory, this.wh as Tensor2D), this.bh) as Tensor2D;
    return gruGates(gx, gh, memory);
  }
}

/** Vanilla RNN cell h' = tanh(W_x·m + W_h·h + b) (JODIE, DyRep). */
export class RnnUpdater extends ParamModule implements MemoryUpdater {
  private readonly wx: Variable;
  private readonly wh: Variable;
  private readonly b: Variable;

  constructor(readonly messageDim: number, readonly memoryDim: number, rng: Rng) {
    super();
    const init = uniformInit(1 / Math.sqrt(memoryDim));
    this.wx = this.param([messageDim, memoryDim], init, rng);
    this.wh = this.param([memoryDim, memoryDim], init, rng);
    this.b = this.param([memoryDim], init, rng);
  }

  update(message: Tensor2D, memory: Tensor2D): Tensor2D {
    return tf.tanh(tf.add(tf.add(tf.matMul(message, this.wx as Tensor2D), tf.matMul(memory, this.wh as Tensor2D)), this.b)) as Tensor2D;
  }
}
