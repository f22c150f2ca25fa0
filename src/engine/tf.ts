// The engine's one door to tfjs. The union package registers every op's gradient and the cpu backend;
// other backends (wasm, webgpu) register themselves in backend.ts. tfjs keeps its engine and registries
// on globalThis, so all packages share them.
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Variable = tf.Variable;
export type Scalar = tf.Scalar;
