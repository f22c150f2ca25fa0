import { tf, type Tensor1D, type Tensor2D, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';
import { combineVariables, type Module } from './module.ts';
import { Linear } from './linear.ts';

/** Scores (source, destination) embedding pairs; returns logits. */
export interface LinkDecoder extends Module {
  decode(src: Tensor2D, dst: Tensor2D): Tensor1D;
}

/** logit = lin(relu(lin_src(z_src) + lin_dst(z_dst))), as PyG's TGN example's LinkPredictor. */
export class MlpLinkDecoder implements LinkDecoder {
  private readonly linSrc: Linear;
  private readonly linDst: Linear;
  private readonly linOut: Linear;

  constructor(embeddingDim: number, rng: Rng) {
    this.linSrc = new Linear(embeddingDim, embeddingDim, rng);
    this.linDst = new Linear(embeddingDim, embeddingDim, rng);
    this.linOut = new Linear(embeddingDim, 1, rng);
  }

  get variables(): readonly Variable[] {
    return combineVariables([this.linSrc, this.linDst, this.linOut]);
  }

  decode(src: Tensor2D, dst: Tensor2D): Tensor1D {
    const h = tf.relu(tf.add(this.linSrc.apply(src), this.linDst.apply(dst))) as Tensor2D;
    return tf.reshape(this.linOut.apply(h), [-1]);
  }

  resetParameters(rng: Rng): void {
    for (const m of [this.linSrc, this.linDst, this.linOut]) m.resetParameters(rng);
  }

  dispose(): void {
    for (const m of [this.linSrc, this.linDst, this.linOut]) m.dispose();
  }
}
