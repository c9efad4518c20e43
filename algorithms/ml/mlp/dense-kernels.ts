/**
 * The ready-made networks' forward and backward pass, written out by hand on TensorFlow.js ops
 * (the kernels of dense-training.ts; worker threads load this module, so it only defines
 * functions). By hand because `optimizer.minimize` on a layers model costs 3.6x more CPU per
 * epoch on the WebAssembly backend: its gradients of a dense layer are matrix products with a
 * transposed operand, which that backend computes 8-12x slower than a plain product, and its
 * optimizer adds ~150 small ops (bench/RESULTS.md). Here each transpose is explicit, the output
 * loss is computed on typed arrays, and the update is left to the caller (on typed arrays).
 *
 * Weights are one flat float32 array: per layer, the kernel (inputs x units, row-major) and then
 * the bias, in the order of a tfjs dense network's `getWeights()`.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { loadTensorFlow, type TensorFlowBackend, tensorflow } from '../../../src/core/tensorflow-module.js';
import type { Activation } from './network.js';

/** A dense network as its kernels see it. */
export interface DenseLayout {
  /** Widths: the inputs, each hidden layer, the outputs. */
  readonly sizes: readonly number[];
  readonly activation: Activation;
  /** `softmax`: cross-entropy over softmax outputs (classes); `squared`: half the mean squared error. */
  readonly loss: 'softmax' | 'squared';
  /** The share of hidden units dropped in training. */
  readonly dropout: number;
}

/** Rows of a mini-batch that one gradient chunk covers: fixed, so that results do not depend on the threads. */
export const GRADIENT_CHUNK_ROWS = 128;

/** Where layer `layer`'s kernel starts in the flat weights (its bias follows it). */
export function kernelOffset(sizes: readonly number[], layer: number): number {
  let at = 0;
  for (let l = 0; l < layer; l++) at += (sizes[l] + 1) * sizes[l + 1];
  return at;
}

/** The number of weights of a network of `sizes`. */
export function weightCount(sizes: readonly number[]): number {
  return kernelOffset(sizes, sizes.length - 1);
}

function layerTensors(
  sizes: readonly number[],
  weights: Float32Array,
): { kernels: Tensor2D[]; biases: Tensor[] } {
  const tf = tensorflow().core;
  const kernels: Tensor2D[] = [];
  const biases: Tensor[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const at = kernelOffset(sizes, l);
    const size = sizes[l] * sizes[l + 1];
    kernels.push(tf.tensor2d(weights.subarray(at, at + size), [sizes[l], sizes[l + 1]]));
    biases.push(tf.tensor1d(weights.subarray(at + size, at + size + sizes[l + 1])));
  }
  return { kernels, biases };
}

/** The backend TensorFlow.js runs on in this thread, if started. */
function startedBackend(): TensorFlowBackend | undefined {
  try {
    return tensorflow().backend;
  } catch {
    return undefined;
  }
}

/** Layer `l`'s output before dropout: the product, bias and (hidden layers) activation. */
function dense(input: Tensor2D, kernel: Tensor2D, bias: Tensor, activation: Activation | 'linear'): Tensor2D {
  const tf = tensorflow().core;
  // Not tf.fused.matMul: with a new kernel each step, it costs a third more than these ops on wasm.
  const z = tf.add(tf.matMul(input, kernel), bias) as Tensor2D;
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'elu':
      return tf.elu(z);
    case 'linear':
      return z;
  }
}

/** The activation's derivative, from its output `a`. */
function derivative(a: Tensor2D, activation: Activation): Tensor {
  const tf = tensorflow().core;
  switch (activation) {
    case 'relu':
      return tf.step(a);
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a));
    case 'elu':
      return tf.where(tf.greater(a, 0), tf.onesLike(a), tf.add(a, 1));
    case 'linear':
      return tf.onesLike(a);
  }
}

/** The network's outputs (logits for classes) for `rows` rows of `values`, in blocks of at most 8,192 rows. */
export function denseOutputs(
  layout: DenseLayout,
  weights: Float32Array,
  values: Float32Array,
  rows: number,
): Float32Array {
  const tf = tensorflow().core;
  const { sizes } = layout;
  const last = sizes.length - 2;
  const outputs = new Float32Array(rows * sizes[last + 1]);
  const block = 8192;
  for (let from = 0; from < rows; from += block) {
    const to = Math.min(rows, from + block);
    const result = tf.tidy(() => {
      const { kernels, biases } = layerTensors(sizes, weights);
      let h = tf.tensor2d(values.subarray(from * sizes[0], to * sizes[0]), [to - from, sizes[0]]);
      for (let l = 0; l <= last; l++)
        h = dense(h, kernels[l], biases[l], l < last ? layout.activation : 'linear');
      return h;
    });
    outputs.set(result.dataSync(), from * sizes[last + 1]);
    result.dispose();
  }
  return outputs;
}

/**
 * The gradient of a mini-batch's mean loss restricted to chunk `chunk` of its rows (rows
 * `chunk * GRADIENT_CHUNK_ROWS` on, of `rows` in all), written to the chunk's slot of
 * `gradients` (`weightCount` values per chunk); returns the chunk's share of the mean loss.
 * The chunks' gradients, added in chunk order, are the mini-batch's. `seed` seeds the dropout
 * masks of the mini-batch. On a worker thread, TensorFlow.js starts on `backend` first.
 */
export function denseGradients(
  backend: TensorFlowBackend,
  layout: DenseLayout,
  weights: Float32Array,
  inputs: Float32Array,
  targets: Float32Array,
  rows: number,
  gradients: Float32Array,
  seed: number,
  chunk: number,
): number | Promise<number> {
  if (startedBackend() !== backend) {
    const args = [backend, layout, weights, inputs, targets, rows, gradients, seed, chunk] as const;
    return loadTensorFlow(backend).then(() => denseGradients(...args));
  }
  const tf = tensorflow().core;
  const { sizes, activation, dropout } = layout;
  const last = sizes.length - 2;
  const from = chunk * GRADIENT_CHUNK_ROWS;
  const to = Math.min(rows, from + GRADIENT_CHUNK_ROWS);
  const n = to - from;
  const outputs = sizes[last + 1];
  // One scope for the whole pass (the outputs are read back half-way, so tidy cannot hold it).
  const engine = tf.engine();
  engine.startScope();
  try {
    const { kernels, biases } = layerTensors(sizes, weights);
    // layerInputs[l]: what layer l multiplies (after dropout); activations[l], masks[l]: of hidden layer l.
    const layerInputs: Tensor2D[] = [
      tf.tensor2d(inputs.subarray(from * sizes[0], to * sizes[0]), [n, sizes[0]]),
    ];
    const activations: Tensor2D[] = [];
    const masks: (Tensor | undefined)[] = [];
    for (let l = 0; l < last; l++) {
      const a = dense(layerInputs[l], kernels[l], biases[l], activation);
      activations.push(a);
      // tf.dropout's mask, drawn here so that the backward pass can use it.
      const mask =
        dropout > 0
          ? tf.div(
              tf.floor(
                tf.add(
                  tf.randomUniform([n, sizes[l + 1]], 0, 1, 'float32', seed + chunk * last + l),
                  1 - dropout,
                ),
              ),
              1 - dropout,
            )
          : undefined;
      masks.push(mask);
      layerInputs.push(mask === undefined ? a : (tf.mul(a, mask) as Tensor2D));
    }
    const out = dense(layerInputs[last], kernels[last], biases[last], 'linear').dataSync() as Float32Array;
    // The loss and its gradient by the outputs on typed arrays: a few ops fewer per pass.
    const deltas = new Float32Array(n * outputs);
    const chunkTargets = targets.subarray(from * outputs, to * outputs);
    const loss = outputLoss(layout.loss, out, chunkTargets, rows, outputs, deltas);
    let delta = tf.tensor2d(deltas, [n, outputs]);
    // A bias's gradient as a product with a row of ones: faster than a sum over rows on wasm.
    const ones = tf.ones([1, n]);
    const slot = chunk * weightCount(sizes);
    for (let l = last; l >= 0; l--) {
      const at = slot + kernelOffset(sizes, l);
      gradients.set(tf.matMul(tf.transpose(layerInputs[l]), delta).dataSync() as Float32Array, at);
      gradients.set(tf.matMul(ones, delta).dataSync() as Float32Array, at + sizes[l] * sizes[l + 1]);
      if (l > 0) {
        let back = tf.matMul(delta, tf.transpose(kernels[l]));
        const mask = masks[l - 1];
        if (mask !== undefined) back = tf.mul(back, mask);
        delta = tf.mul(back, derivative(activations[l - 1], activation)) as Tensor2D;
      }
    }
    return loss;
  } finally {
    engine.endScope();
  }
}

/**
 * A chunk's share of the mini-batch's mean loss (`rows` rows in the mini-batch) from its
 * outputs and targets (`width` per row); writes the loss's gradient by the outputs to `deltas`.
 * Softmax: the cross-entropy of the softmax outputs (tf.losses.softmaxCrossEntropy); squared:
 * half the mean squared error over rows and outputs.
 */
function outputLoss(
  kind: DenseLayout['loss'],
  out: Float32Array,
  targets: Float32Array,
  rows: number,
  width: number,
  deltas: Float32Array,
): number {
  let loss = 0;
  if (kind === 'squared') {
    for (let i = 0; i < out.length; i++) {
      const difference = out[i] - targets[i];
      loss += difference * difference;
      deltas[i] = difference / (rows * width);
    }
    return loss / (2 * rows * width);
  }
  for (let at = 0; at < out.length; at += width) {
    let largest = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c++) largest = Math.max(largest, out[at + c]);
    let total = 0;
    for (let c = 0; c < width; c++) total += Math.exp(out[at + c] - largest);
    const logTotal = Math.log(total);
    for (let c = 0; c < width; c++) {
      const logProbability = out[at + c] - largest - logTotal;
      loss -= targets[at + c] * logProbability;
      deltas[at + c] = (Math.exp(logProbability) - targets[at + c]) / rows;
    }
  }
  return loss / rows;
}
