// The engine's one door to tfjs: tfjs-core with every op's gradient and the chained-op methods, and the
// cpu backend; other backends (wasm, webgpu) register themselves in backend.ts. Not the union package
// (@tensorflow/tfjs): its layers, converter, data and WebGL backend are unused here and more than double
// the code the worker loads before it can start. tfjs keeps its engine and registries on globalThis, so
// all packages share them. `#tfjs-ops` (package.json "imports") registers the gradients and chained ops:
// from tfjs-core's ES modules in the browser build, from the union package's CommonJS bundle under Node.
import * as tf from '@tensorflow/tfjs-core';
import '#tfjs-ops';
import '@tensorflow/tfjs-backend-cpu';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Variable = tf.Variable;
export type Scalar = tf.Scalar;
