// Adam as one kernel per variable on the CPU-side backends (wasm, cpu): tfjs' AdamOptimizer runs about a
// dozen ops per variable each step (~240 for TGN), whose per-op overhead cost ~4 ms of a 40 ms CollegeMsg
// batch. The subclass keeps tfjs' state (moments, beta powers, step count), so getWeights/setWeights and the
// trainer's resume state work unchanged; its arithmetic is tfjs' formula in double precision (tfjs' numbers
// to float32 noise, fusedAdam.test.ts). Backends without the kernel (webgpu) run tfjs' own applyGradients.
import { tf } from '../tf.ts';
import { ADAM_UPDATE, fusedOnRunningBackend } from '../kernels/fused.ts';
import type { AdamStep } from '../kernels/fusedMath.ts';

/** the AdamOptimizer fields tfjs keeps private */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

class FusedAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!fusedOnRunningBackend(ADAM_UPDATE)) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamInternals;
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name]! }));
    const b1 = self.accBeta1.dataSync()[0]!;
    const b2 = self.accBeta2.dataSync()[0]!;
    const step: AdamStep = {
      learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      oneMinusAccBeta1: Math.fround(1 - b1), oneMinusAccBeta2: Math.fround(1 - b2),
    };
    list.forEach(({ name, tensor: gradient }, i) => {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new Error(`Adam: no variable named ${name}`);
      const first = (self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
      const second = (self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
      const [x, m, v] = tf.engine().runKernel(ADAM_UPDATE, { value, m: first.variable, v: second.variable, g: gradient }, { ...step }) as tf.Tensor[];
      first.variable.assign(m!);
      second.variable.assign(v!);
      value.assign(x!);
      tf.dispose([x!, m!, v!]);
    });
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, this.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** Adam with tfjs' state and formula, fused into one kernel per variable where the backend has it */
export function createAdam(learningRate: number, beta1: number, beta2: number, epsilon: number): tf.Optimizer {
  return new FusedAdam(learningRate, beta1, beta2, epsilon);
}
