/**
 * An optimizer's state (Adam's moments, the step count) read and written synchronously, for the
 * checkpoints of a network trained on a stream: tfjs's own `getWeights()` is asynchronous, and a
 * checkpoint is taken between two mini-batches, synchronously. The fields read here are those of
 * tfjs-core 4.x's AdamOptimizer (`accumulatedFirstMoment`, `accBeta1`, ...); SGD has only its
 * step count.
 */
import type { Optimizer, Variable } from '@tensorflow/tfjs-core';
import { tensorflow } from '../../../src/core/tensorflow-module.js';
import type { JsonValue } from '../../../src/stream/events.js';
import { type Weight, weightsFromJSON, weightsToJSON } from './network.js';

interface Moment {
  originalName: string;
  variable: Variable;
}

/** The fields of tfjs's AdamOptimizer that hold its state. */
interface AdamInternals {
  iterations_?: number;
  accBeta1?: Variable;
  accBeta2?: Variable;
  accumulatedFirstMoment?: Moment[];
  accumulatedSecondMoment?: Moment[];
}

function values(variable: Variable): Weight {
  return { shape: variable.shape, values: variable.dataSync().slice() as Float32Array };
}

/** The optimizer's state as JSON. */
export function optimizerState(optimizer: Optimizer): JsonValue {
  const adam = optimizer as unknown as AdamInternals;
  const moments = (list: Moment[] | undefined) => weightsToJSON((list ?? []).map((m) => values(m.variable)));
  return {
    iterations: adam.iterations_ ?? 0,
    beta: adam.accBeta1 === undefined ? null : [adam.accBeta1.dataSync()[0], adam.accBeta2!.dataSync()[0]],
    first: moments(adam.accumulatedFirstMoment),
    second: moments(adam.accumulatedSecondMoment),
  };
}

/** Restores {@link optimizerState} into a fresh optimizer of the same kind. */
export function restoreOptimizerState(optimizer: Optimizer, state: JsonValue, source: string): void {
  const tf = tensorflow().core;
  const saved = state as {
    iterations: number;
    beta: [number, number] | null;
    first: JsonValue;
    second: JsonValue;
  };
  const adam = optimizer as unknown as AdamInternals;
  adam.iterations_ = saved.iterations;
  if (saved.beta !== null && adam.accBeta1 !== undefined) {
    adam.accBeta1.assign(tf.scalar(saved.beta[0]));
    adam.accBeta2!.assign(tf.scalar(saved.beta[1]));
  }
  const moments = (field: 'first' | 'second', suffix: string): Moment[] =>
    weightsFromJSON({ type: 'optimizer', params: {}, ...saved }, field, source).map((w, i) => ({
      originalName: `restored_${i}/${suffix}`,
      variable: tf.variable(tf.tensor(w.values, [...w.shape]), false),
    }));
  if (adam.accumulatedFirstMoment !== undefined) {
    adam.accumulatedFirstMoment = moments('first', 'm');
    adam.accumulatedSecondMoment = moments('second', 'v');
  }
}
