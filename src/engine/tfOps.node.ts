// Under Node (CLI, benchmarks, unit tests): tfjs-core's ES module files use extensionless imports, which
// Node's ESM loader refuses, so the gradients and chained ops come from the union package's CommonJS
// bundle, which registers both on the one shared tfjs-core.
import '@tensorflow/tfjs';
