import { tf, type Scalar, type Tensor1D } from '../tf.ts';

/** mean BCE over positives (label 1) + mean BCE over negatives (label 0), from logits */
export function bceLoss(pos: Tensor1D, neg: Tensor1D): Scalar {
  return tf.add(tf.mean(tf.softplus(tf.neg(pos))), tf.mean(tf.softplus(neg)));
}
