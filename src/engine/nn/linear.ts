import { tf, type Tensor2D, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';
import { ParamModule, uniformInit } from './module.ts';

/** y = x·W + b, initialised as PyTorch's nn.Linear (U(±1/sqrt(in)) for W and b). */
export class Linear extends ParamModule {
  readonly weight: Variable;
  readonly bias: Variable | null;

  constructor(readonly inDim: number, readonly outDim: number, rng: Rng, opts: { bias?: boolean } = {}) {
    super();
    const bound = 1 / Math.sqrt(Math.max(1, inDim));
    this.weight = this.param([inDim, outDim], uniformInit(bound), rng);
    this.bias = opts.bias === false ? null : this.param([outDim], uniformInit(bound), rng);
  }

  apply(x: Tensor2D): Tensor2D {
    if (x.shape[1] !== this.inDim) throw new Error(`Linear: expected input width ${this.inDim}, got ${x.shape[1]}`);
    const y: Tensor2D = tf.matMul(x, this.weight as Tensor2D);
    return this.bias ? (tf.add(y, this.bias) as Tensor2D) : y;
  }
}
