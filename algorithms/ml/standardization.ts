/**
 * The `standardization` of linear models (Spark's LogisticRegression and LinearRegression): the
 * model is fitted to features scaled to unit (weighted, population) deviation, and centred when
 * there is an intercept to absorb the means, so the penalty treats every feature alike and the
 * solvers see a well-conditioned problem; the coefficients are then reported on the original
 * scale. With `reg` > 0 this is scikit-learn's StandardScaler followed by the model.
 */
import { DenseMatrix } from '../../src/core/matrix.js';

/** How the features were scaled: x' = (x - means) / deviations (a zero deviation leaves the column at 0). */
export interface FeatureScaling {
  readonly means: Float64Array;
  readonly deviations: Float64Array;
}

/** The scaling that {@link standardize} applies to `features`, without the standardised copy. */
export function featureScaling(
  features: DenseMatrix,
  weights: Float64Array,
  centre: boolean,
): FeatureScaling {
  const { rows, columns: d, data } = features;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    total += weights[i];
    for (let j = 0; j < d; j++) mean[j] += weights[i] * data[i * d + j];
  }
  if (total > 0) for (let j = 0; j < d; j++) mean[j] /= total;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) variance[j] += weights[i] * (data[i * d + j] - mean[j]) ** 2;
  }
  const deviations = Float64Array.from(variance, (v) => (total > 0 ? Math.sqrt(v / total) : 0));
  return { means: centre ? mean : new Float64Array(d), deviations };
}

/** The standardised copy of `features` and its scaling; the means are 0 unless `centre`. */
export function standardize(
  features: DenseMatrix,
  weights: Float64Array,
  centre: boolean,
): { matrix: DenseMatrix; scaling: FeatureScaling } {
  const { rows, columns: d, data } = features;
  const { means, deviations } = featureScaling(features, weights, centre);
  const matrix = new DenseMatrix(rows, d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) {
      matrix.data[i * d + j] = deviations[j] > 0 ? (data[i * d + j] - means[j]) / deviations[j] : 0;
    }
  }
  return { matrix, scaling: { means, deviations } };
}

/**
 * Moves coefficients fitted on standardised features back to the original scale, in place, and
 * returns what to add to the intercept: `-sum_j b_j means_j / deviations_j`.
 */
export function toOriginalScale(coefficients: Float64Array, scaling: FeatureScaling): number {
  let shift = 0;
  for (let j = 0; j < coefficients.length; j++) {
    const deviation = scaling.deviations[j];
    coefficients[j] = deviation > 0 ? coefficients[j] / deviation : 0;
    shift -= coefficients[j] * scaling.means[j];
  }
  return shift;
}
