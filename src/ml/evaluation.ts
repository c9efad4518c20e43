import { ParamError } from '../core/errors.js';
import type { DenseMatrix } from '../core/matrix.js';
import type { ClassLabel } from './data.js';

/**
 * Evaluation metrics, defined as scikit-learn's `metrics` module defines them, so numbers can
 * be compared one for one.
 */

function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length)
    throw new ParamError(what, `${b.length} values`, `${a.length} values, one per actual value`);
  if (a.length === 0) throw new ParamError(what, 'no values', 'at least one value');
}

/** The fraction of predictions equal to the actual labels. */
export function accuracy(actual: ArrayLike<ClassLabel>, predicted: ArrayLike<ClassLabel>): number {
  checkLengths(actual, predicted, 'predicted');
  let correct = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) correct++;
  return correct / actual.length;
}

/** A confusion matrix: `counts[a][p]` rows with actual class `classes[a]` predicted as `classes[p]`. */
export interface ConfusionMatrix {
  /** Every label in actual or predicted values, sorted. */
  classes: ClassLabel[];
  counts: number[][];
}

/** Counts (actual, predicted) pairs. */
export function confusionMatrix(
  actual: ArrayLike<ClassLabel>,
  predicted: ArrayLike<ClassLabel>,
): ConfusionMatrix {
  checkLengths(actual, predicted, 'predicted');
  const classes = [...new Set([...Array.from(actual), ...Array.from(predicted)])].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a) < String(b)
        ? -1
        : String(a) > String(b)
          ? 1
          : 0,
  );
  const index = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < actual.length; i++) counts[index.get(actual[i])!][index.get(predicted[i])!]++;
  return { classes, counts };
}

/** Precision, recall and F1 of one class, with its support (how many rows truly have it). */
export interface ClassScores {
  label: ClassLabel;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Precision, recall and F1 averaged over classes. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Precision, recall and F1 per class, their unweighted (macro) means and their means weighted by
 * support (scikit-learn's `average='weighted'`). A ratio with a zero denominator is 0, as
 * scikit-learn's `zero_division=0`.
 */
export function precisionRecallF1(
  actual: ArrayLike<ClassLabel>,
  predicted: ArrayLike<ClassLabel>,
): { perClass: ClassScores[]; macro: AveragedScores; weighted: AveragedScores } {
  const { classes, counts } = confusionMatrix(actual, predicted);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perClass = classes.map((label, c) => {
    const truePositives = counts[c][c];
    const predictedCount = counts.reduce((sum, row) => sum + row[c], 0);
    const support = counts[c].reduce((sum, value) => sum + value, 0);
    const precision = ratio(truePositives, predictedCount);
    const recall = ratio(truePositives, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const mean = (key: keyof AveragedScores) => perClass.reduce((sum, s) => sum + s[key], 0) / perClass.length;
  // Every row is in the support of its actual class, so the supports sum to the row count.
  const weightedMean = (key: keyof AveragedScores) =>
    perClass.reduce((sum, s) => sum + s.support * s[key], 0) / actual.length;
  return {
    perClass,
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    weighted: {
      precision: weightedMean('precision'),
      recall: weightedMean('recall'),
      f1: weightedMean('f1'),
    },
  };
}

/** Binary labels (1/true positive, 0/false negative) with scores, sorted by score, descending. */
function rankedBinary(
  labels: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
): { positives: number; order: number[] } {
  checkLengths(labels, scores, 'scores');
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = Number(labels[i]);
    if (label !== 0 && label !== 1) throw new ParamError('labels', labels[i], '0/1 or false/true');
    positives += label;
    if (Number.isNaN(scores[i])) throw new ParamError('scores', scores[i], 'numbers');
  }
  if (positives === 0 || positives === labels.length) {
    throw new ParamError(
      'labels',
      `only one class (${positives} positives)`,
      'both positive and negative labels',
    );
  }
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  return { positives, order };
}

/** Area under the ROC curve for binary labels (ties in scores count one half, as scikit-learn's roc_auc_score). */
export function rocAuc(labels: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  const { positives, order } = rankedBinary(labels, scores);
  const negatives = labels.length - positives;
  let area = 0;
  let truePositives = 0;
  let i = 0;
  while (i < order.length) {
    // One step of the curve per distinct score: a trapezoid over tied rows.
    let tiedPositives = 0;
    let tiedNegatives = 0;
    const score = scores[order[i]];
    for (; i < order.length && scores[order[i]] === score; i++) {
      if (Number(labels[order[i]]) === 1) tiedPositives++;
      else tiedNegatives++;
    }
    area += tiedNegatives * (truePositives + tiedPositives / 2);
    truePositives += tiedPositives;
  }
  return area / (positives * negatives);
}

/**
 * The Kolmogorov-Smirnov statistic of binary scores (Flink ML's `ks`): the largest gap between
 * the true-positive and false-positive rates over all thresholds, `max(TPR - FPR)` on the ROC curve.
 */
export function kolmogorovSmirnov(labels: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  const { positives, order } = rankedBinary(labels, scores);
  const negatives = labels.length - positives;
  let truePositives = 0;
  let falsePositives = 0;
  let largest = 0;
  let i = 0;
  while (i < order.length) {
    // Tied scores share one threshold: the curve only has a point after all of them.
    const score = scores[order[i]];
    for (; i < order.length && scores[order[i]] === score; i++) {
      if (Number(labels[order[i]]) === 1) truePositives++;
      else falsePositives++;
    }
    largest = Math.max(largest, truePositives / positives - falsePositives / negatives);
  }
  return largest;
}

/** Area under the precision-recall curve as average precision (scikit-learn's average_precision_score). */
export function prAuc(labels: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  const { positives, order } = rankedBinary(labels, scores);
  let area = 0;
  let truePositives = 0;
  let seen = 0;
  let i = 0;
  while (i < order.length) {
    const score = scores[order[i]];
    let tiedPositives = 0;
    for (; i < order.length && scores[order[i]] === score; i++) {
      seen++;
      if (Number(labels[order[i]]) === 1) tiedPositives++;
    }
    truePositives += tiedPositives;
    area += (tiedPositives / positives) * (truePositives / seen);
  }
  return area;
}

/** Mean squared error. */
export function mse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted, 'predicted');
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i] - predicted[i]) ** 2;
  return sum / actual.length;
}

/** Root mean squared error. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return Math.sqrt(mse(actual, predicted));
}

/** Mean absolute error. */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted, 'predicted');
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / actual.length;
}

/** The coefficient of determination R^2 (1 is a perfect fit; a constant actual gives 1 or 0 as scikit-learn). */
export function r2(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted, 'predicted');
  let mean = 0;
  for (let i = 0; i < actual.length; i++) mean += actual[i];
  mean /= actual.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (actual[i] - predicted[i]) ** 2;
    total += (actual[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

/** The k-means objective: the sum of squared Euclidean distances from each row to its centre. */
export function inertia(points: DenseMatrix, centroids: DenseMatrix, labels: ArrayLike<number>): number {
  checkLengths(Array.from({ length: points.rows }), labels, 'labels');
  const d = points.columns;
  let sum = 0;
  for (let i = 0; i < points.rows; i++) {
    for (let j = 0; j < d; j++) sum += (points.data[i * d + j] - centroids.data[labels[i] * d + j]) ** 2;
  }
  return sum;
}

/**
 * The mean silhouette coefficient (Euclidean): for each row, (b - a) / max(a, b) with a the mean
 * distance to its own cluster and b to the nearest other cluster; 0 for rows alone in their
 * cluster, as scikit-learn. Takes O(n^2 d) time.
 */
export function silhouette(points: DenseMatrix, labels: ArrayLike<number>): number {
  const n = points.rows;
  checkLengths(Array.from({ length: n }), labels, 'labels');
  const clusters = [...new Set(Array.from(labels))];
  if (clusters.length < 2 || clusters.length >= n) {
    throw new ParamError('labels', `${clusters.length} clusters`, `from 2 to ${n - 1} clusters`);
  }
  const index = new Map(clusters.map((c, i) => [c, i]));
  const cluster = Int32Array.from({ length: n }, (_, i) => index.get(labels[i])!);
  const sizes = new Float64Array(clusters.length);
  for (let i = 0; i < n; i++) sizes[cluster[i]]++;
  const d = points.columns;
  const sums = new Float64Array(clusters.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let other = 0; other < n; other++) {
      let squared = 0;
      for (let j = 0; j < d; j++) squared += (points.data[i * d + j] - points.data[other * d + j]) ** 2;
      sums[cluster[other]] += Math.sqrt(squared);
    }
    const own = cluster[i];
    if (sizes[own] === 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < clusters.length; c++) if (c !== own) b = Math.min(b, sums[c] / sizes[c]);
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}
