import { tf, type Tensor2D, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';
import { ParamModule, uniformInit } from '../nn/module.ts';

/**
 * DistTGL's static node memory: a learnable vector per node, independent of time, added to the
 * node's dynamic memory wherever memory is read for embedding. It carries what does not go stale
 * (who a node is), so large batches lose less. DistTGL pre-trains it; here it is trained jointly with
 * the rest of the model (same optimiser), which keeps the playground to one training loop.
 */
export class StaticMemory extends ParamModule {
  readonly table: Variable;

  constructor(readonly numNodes: number, readonly dim: number, rng: Rng) {
    super();
    this.table = this.param([numNodes, dim], uniformInit(0.01), rng);
  }

  /** rows of the given nodes (n × dim) */
  read(nodes: Int32Array): Tensor2D {
    return tf.gather(this.table, tf.tensor1d(nodes, 'int32')) as Tensor2D;
  }
}
