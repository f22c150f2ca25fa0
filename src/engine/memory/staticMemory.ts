import { tf, type Tensor2D, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';
import { ParamModule, uniformInit } from '../nn/module.ts';
import { Linear } from '../nn/linear.ts';

/**
 * DistTGL's static node memory: a vector per node, independent of time, added to the node's dynamic
 * memory wherever memory is read for embedding. It carries what does not go stale (who a node is), so
 * large batches lose less. Two ways to train it:
 * - joint (the default): a learnable table trained with the rest of the model (same optimiser);
 * - pre-trained, as DistTGL: the table is first trained in place of memory on the training split with the
 *   same task (train/staticPretrain.ts), then `freeze` fixes it and the model reads memory + Linear(static),
 *   the projection being trained with the model.
 */
export class StaticMemory extends ParamModule {
  readonly table: Variable;
  private frozen: Tensor2D | null = null;
  private projection: Linear | null = null;

  constructor(readonly numNodes: number, readonly dim: number, rng: Rng) {
    super();
    this.table = this.param([numNodes, dim], uniformInit(0.01), rng);
  }

  /** whether the table is a frozen pre-trained one (read through a trained projection) */
  get pretrained(): boolean {
    return this.frozen !== null;
  }

  /** fixes the table to pre-trained values (numNodes × dim, row-major) and adds the trained projection */
  freeze(values: Float32Array, rng: Rng): void {
    if (this.frozen) throw new Error('StaticMemory.freeze: the table is frozen already');
    if (values.length !== this.numNodes * this.dim) throw new Error(`StaticMemory.freeze: expected ${this.numNodes * this.dim} values, got ${values.length}`);
    this.frozen = tf.tensor2d(values, [this.numNodes, this.dim]);
    this.projection = new Linear(this.dim, this.dim, rng);
  }

  /** the trainable variables: the table (joint), or the projection of the frozen table (pre-trained) */
  override get variables(): readonly Variable[] {
    return this.projection ? this.projection.variables : super.variables;
  }

  override resetParameters(rng: Rng): void {
    super.resetParameters(rng);
    this.projection?.resetParameters(rng);
  }

  /** rows of the given nodes (n × dim): table rows, or Linear(frozen rows) once pre-trained */
  read(nodes: Int32Array): Tensor2D {
    const rows = tf.tensor1d(nodes, 'int32');
    if (this.frozen && this.projection) return this.projection.apply(tf.gather(this.frozen, rows) as Tensor2D);
    return tf.gather(this.table, rows) as Tensor2D;
  }

  override dispose(): void {
    super.dispose();
    this.frozen?.dispose();
    this.frozen = null;
    this.projection?.dispose();
    this.projection = null;
  }
}
