/** What the networks' outputs mean: the class of each row, class probabilities, and the scores of early stopping. */
import { r2 } from '../../../src/ml/evaluation.js';
import type { Rows } from './training.js';

/** The index of each row's largest value. */
export function argmaxRows(values: ArrayLike<number>, width: number): Int32Array {
  const best = new Int32Array(values.length / width);
  for (let i = 0; i < best.length; i++) {
    for (let c = 1; c < width; c++) if (values[i * width + c] > values[i * width + best[i]]) best[i] = c;
  }
  return best;
}

/** The softmax of each row of logits. */
export function softmaxRows(logits: Float32Array, width: number): Float64Array {
  const out = Float64Array.from(logits);
  for (let i = 0; i < out.length; i += width) {
    let largest = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c++) largest = Math.max(largest, out[i + c]);
    let total = 0;
    for (let c = 0; c < width; c++) total += out[i + c] = Math.exp(out[i + c] - largest);
    for (let c = 0; c < width; c++) out[i + c] /= total;
  }
  return out;
}

/** The share of rows whose largest output is the one-hot target's class. */
export function oneHotAccuracy(predictions: Float32Array, targets: Rows): number {
  const predicted = argmaxRows(predictions, targets.width);
  const actual = argmaxRows(targets.values, targets.width);
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === actual[i]) right++;
  return right / predicted.length;
}

/** The coefficient of determination of one-column predictions against the targets. */
export function targetR2(predictions: Float32Array, targets: Rows): number {
  return r2(targets.values, predictions);
}
