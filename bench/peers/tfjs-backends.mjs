/**
 * Seconds per epoch of TensorFlow.js backends on the issue-19 network (64 inputs, layers
 * 64-128-64-10, batch 256, Adam), extrapolated to a 200,000-row epoch from `batches` mini-batches.
 * Usage: node bench/peers/tfjs-backends.mjs <cpu|wasm|wasm-nosimd|wasm-threads> [batches]
 * Each run is one process, so each backend starts fresh; `wasm-threads` asks for two threads
 * (under Node the backend cannot start its worker from a blob: URL and falls back; see RESULTS.md).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import * as layers from '@tensorflow/tfjs-layers';

const which = process.argv[2] ?? 'wasm';
const batches = Number(process.argv[3] ?? 100);
const batchSize = 256;
if (which === 'wasm-nosimd') tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
if (which === 'wasm-threads') {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(2);
}
const backend = which.startsWith('wasm') ? 'wasm' : 'cpu';
const started = await tf.setBackend(backend);
await tf.ready();
tf.enableProdMode();
const n = batches * batchSize;
const x = tf.randomNormal([n, 64], 0, 1, 'float32', 1);
const y = tf.cast(tf.oneHot(tf.randomUniform([n], 0, 10, 'int32', 2), 10), 'float32');
const model = layers.sequential({
  layers: [
    layers.layers.dense({ inputShape: [64], units: 64, activation: 'relu' }),
    layers.layers.dense({ units: 128, activation: 'relu' }),
    layers.layers.dense({ units: 64, activation: 'relu' }),
    layers.layers.dense({ units: 10 }),
  ],
});
const optimizer = tf.train.adam(1e-3);
const step = (b) =>
  tf.tidy(() => {
    const xb = tf.slice(x, b * batchSize, batchSize);
    const yb = tf.slice(y, b * batchSize, batchSize);
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true })));
  });
step(0);
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
for (let b = 0; b < batches; b++) step(b);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const used = process.cpuUsage(cpu);
const cpuSeconds = (used.user + used.system) / 1e6;
console.log(
  `${which}\tbackend=${tf.getBackend()}${started ? '' : ' (requested backend failed)'}\t${((seconds / batches) * (200000 / batchSize)).toFixed(2)} s/epoch\tcpu ${((cpuSeconds / batches) * (200000 / batchSize)).toFixed(2)} s`,
);
