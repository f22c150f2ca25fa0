import { type Tensor1D, type Tensor2D, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';
import { ParamModule, zerosInit } from './module.ts';
import { timeEncoding } from '../kernels/fused.ts';

/** TimeEncoder maps time differences to vectors. */
export interface TimeEncoder {
  readonly dim: number;
  /** Δt (n) → (n × dim) */
  encode(dt: Tensor1D): Tensor2D;
}

/**
 * TGN/TGAT's time encoding cos(w·Δt + b), trainable, with w initialised to 10^(−linspace(0, 9, dim))
 * and b to 0, so the dimensions cover periods from seconds to decades.
 */
export class CosineTimeEncoder extends ParamModule implements TimeEncoder {
  readonly w: Variable;
  readonly b: Variable;

  constructor(readonly dim: number, rng: Rng) {
    super();
    this.w = this.param([1, dim], (_r, size) => {
      const a = new Float32Array(size);
      for (let i = 0; i < size; i++) a[i] = Math.pow(10, -(size === 1 ? 0 : (9 * i) / (size - 1)));
      return a;
    }, rng);
    this.b = this.param([dim], zerosInit, rng);
  }

  encode(dt: Tensor1D): Tensor2D {
    return timeEncoding(dt, this.w as Tensor2D, this.b as Tensor1D);
  }
}
