/**
 * The ready-made networks' architecture (dense layers, seeded initial weights) and network
 * weights as saved JSON (base64 of their float32 bytes: exact).
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { InputError } from '../../../src/core/errors.js';
import type { RandomSource } from '../../../src/core/random.js';
import { tensorflow } from '../../../src/core/tensorflow-module.js';
import type { StageJSON } from '../../../src/ml/stage.js';

/** The activations of the ready-made networks' hidden layers (TensorFlow.js names). */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as const;
/** An activation of hidden layers. */
export type Activation = (typeof ACTIVATIONS)[number];

/** A dense network's shape: input width, hidden layer sizes, output width. */
export interface Architecture {
  readonly inputs: number;
  readonly hiddenLayers: readonly number[];
  readonly outputs: number;
  readonly activation: Activation;
}

/** One weight tensor's values and shape. */
export interface Weight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A dense network of `architecture`, its initial weights drawn from `rng` (Glorot uniform, zero biases). */
export function buildDenseNetwork(architecture: Architecture, rng?: RandomSource): LayersModel {
  const { layers } = tensorflow();
  const network = layers.sequential();
  const sizes = [...architecture.hiddenLayers, architecture.outputs];
  sizes.forEach((units, i) => {
    const seed = rng?.integer(0, 2 ** 31);
    network.add(
      layers.layers.dense({
        units,
        activation: i < sizes.length - 1 ? architecture.activation : 'linear',
        inputShape: i === 0 ? [architecture.inputs] : undefined,
        kernelInitializer: layers.initializers.glorotUniform({ seed }),
      }),
    );
  });
  return network;
}

/** The shapes of a dense network's weights, in the order of `getWeights()`: kernel, bias per layer. */
export function denseShapes(architecture: Architecture): number[][] {
  const sizes = [architecture.inputs, ...architecture.hiddenLayers, architecture.outputs];
  return sizes.slice(1).flatMap((units, i) => [[sizes[i], units], [units]]);
}

/** The network's weights as numbers, in the order of `getWeights()`. */
export function networkWeights(network: LayersModel): Weight[] {
  return network.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync().slice() as Float32Array }));
}

/** Sets the network's weights (in the order of `getWeights()`), checking every shape. */
export function setNetworkWeights(network: LayersModel, weights: readonly Weight[], source: string): void {
  const tf = tensorflow().core;
  const current = network.getWeights();
  const fits =
    current.length === weights.length &&
    current.every(
      (w, i) =>
        w.shape.length === weights[i].shape.length && w.shape.every((n, j) => n === weights[i].shape[j]),
    );
  if (!fits) {
    throw new InputError('the saved weights do not fit the network', {
      file: source,
      text: JSON.stringify(weights.map((w) => w.shape)),
      expected: `weights of shapes ${JSON.stringify(current.map((w) => w.shape))}`,
    });
  }
  const tensors = weights.map((w) => tf.tensor(w.values, [...w.shape]));
  network.setWeights(tensors);
  tf.dispose(tensors);
}

/** Weights as saved JSON: `{ shape, float32 }` with the values' bytes in base64. */
export function weightsToJSON(weights: readonly Weight[]): { shape: number[]; float32: string }[] {
  return weights.map(({ shape, values }) => ({
    shape: [...shape],
    float32: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64'),
  }));
}

/** Weights read back from a saved model's `field`, checked. */
export function weightsFromJSON(stage: StageJSON, field: string, source: string): Weight[] {
  const saved = stage[field];
  const bad = () =>
    new InputError(`'${stage.type}' model field "${field}" is not a list of weights`, {
      file: source,
      expected: '[{ "shape": number[], "float32": base64 }]',
    });
  if (!Array.isArray(saved)) throw bad();
  return saved.map((entry) => {
    const { shape, float32 } = (entry ?? {}) as { shape?: unknown; float32?: unknown };
    if (
      !Array.isArray(shape) ||
      !shape.every((n) => Number.isInteger(n) && n > 0) ||
      typeof float32 !== 'string'
    ) {
      throw bad();
    }
    const bytes = Buffer.from(float32, 'base64');
    const size = shape.reduce((product: number, n: number) => product * n, 1);
    if (bytes.length !== size * 4) throw bad();
    const values = new Float32Array(size);
    new Uint8Array(values.buffer).set(bytes);
    return { shape: shape as number[], values };
  });
}
