// In bundles (the page's workers): every op's gradient and the chained-op methods from tfjs-core's ES
// modules, without the union package's layers, converter, data and WebGL backend.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
