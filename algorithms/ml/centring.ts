import { DenseMatrix } from '../../src/core/matrix.js';

/** Features and target with their weighted means subtracted: how linear models fit an intercept. */
export interface WeightedCentring {
  matrix: DenseMatrix;
  target: Float64Array;
  weights: Float64Array;
  /** Weighted mean of each feature (zeros when the intercept is not fitted). */
  featureMeans: Float64Array;
  targetMean: number;
}

/**
 * Subtracts weighted column means (so the intercept drops out of the least-squares problem and
 * is recovered as `mean(y) - mean(x) . b`); without an intercept the data are copied as they are.
 */
export function centreColumns(
  features: DenseMatrix,
  target: Float64Array,
  weights: Float64Array,
  fitIntercept: boolean,
): WeightedCentring {
  const { rows, columns } = features;
  const featureMeans = new Float64Array(columns);
  let targetMean = 0;
  if (fitIntercept) {
    let total = 0;
    for (let i = 0; i < rows; i++) {
      const w = weights[i];
      total += w;
      targetMean += w * target[i];
      for (let j = 0; j < columns; j++) featureMeans[j] += w * features.data[i * columns + j];
    }
    if (total > 0) {
      targetMean /= total;
      for (let j = 0; j < columns; j++) featureMeans[j] /= total;
    }
  }
  const matrix = new DenseMatrix(rows, columns);
  const centredTarget = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    centredTarget[i] = target[i] - targetMean;
    for (let j = 0; j < columns; j++)
      matrix.data[i * columns + j] = features.data[i * columns + j] - featureMeans[j];
  }
  return { matrix, target: centredTarget, weights, featureMeans, targetMean };
}
