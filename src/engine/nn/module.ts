import { tf, type Variable } from '../tf.ts';
import type { Rng } from '../util/rng.ts';

/** A piece of a model that owns trainable variables. */
export interface Module {
  /** trainable variables, in a fixed order (checkpoints rely on it) */
  readonly variables: readonly Variable[];
  /** re-initialise every variable from the seeded generator */
  resetParameters(rng: Rng): void;
  dispose(): void;
}

/** A variable whose initial values come from a seeded generator. */
export class Param {
  readonly variable: Variable;

  constructor(
    readonly shape: readonly number[],
    private readonly init: (rng: Rng, size: number) => Float32Array,
    rng: Rng,
  ) {
    const initial = tf.tensor(this.init(rng, sizeOf(shape)), [...shape]);
    this.variable = tf.variable(initial, true);
    initial.dispose();
  }

  reset(rng: Rng): void {
    const values = tf.tensor(this.init(rng, sizeOf(this.shape)), [...this.shape]);
    this.variable.assign(values);
    values.dispose();
  }
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** U(−bound, bound), PyTorch's default for Linear/GRU weights with bound = 1/sqrt(fan). */
export function uniformInit(bound: number): (rng: Rng, size: number) => Float32Array {
  return (rng, size) => {
    const a = new Float32Array(size);
    for (let i = 0; i < size; i++) a[i] = rng.uniform(-bound, bound);
    return a;
  };
}

export const zerosInit = (_rng: Rng, size: number): Float32Array => new Float32Array(size);

/** Base for modules made of Params. */
export abstract class ParamModule implements Module {
  protected readonly params: Param[] = [];

  protected param(shape: readonly number[], init: (rng: Rng, size: number) => Float32Array, rng: Rng): Variable {
    const p = new Param(shape, init, rng);
    this.params.push(p);
    return p.variable;
  }

  get variables(): readonly Variable[] {
    return this.params.map((p) => p.variable);
  }

  resetParameters(rng: Rng): void {
    for (const p of this.params) p.reset(rng);
  }

  dispose(): void {
    for (const p of this.params) p.variable.dispose();
    this.params.length = 0;
  }
}

/** Several modules seen as one (variables concatenated in order). */
export function combineVariables(modules: readonly Module[]): Variable[] {
  return modules.flatMap((m) => [...m.variables]);
}
