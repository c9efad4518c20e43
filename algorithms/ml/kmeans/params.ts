/**
 * The parameters of k-means, in a module of their own: the command line reads their defaults
 * without loading the batch estimator and the DataSet engine it runs on.
 */
import { commonParams, type ParamSpec, param } from '../../../src/ml/params.js';
import { DISTANCE_MEASURES } from '../distance.js';

/** Parameters of a fitted {@link KMeansModel}. */
export const kMeansModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
  distanceMeasure: param.choice('euclidean', 'how points are compared with centres', DISTANCE_MEASURES),
};

const nInitParam: ParamSpec<number | 'auto'> = {
  default: 'auto',
  description:
    "how many runs from different initial centres, the lowest inertia winning; 'auto' is 1 with k-means++ and 10 with random centres (scikit-learn 1.4)",
  accepted: "an integer >= 1 or 'auto'",
  isValid: (value): value is number | 'auto' =>
    value === 'auto' || (typeof value === 'number' && Number.isInteger(value) && value >= 1),
};

/** Parameters of {@link KMeans}, with scikit-learn's defaults where Flink ML has none. */
export const kMeansParams = {
  ...kMeansModelParams,
  k: param.integer(2, 'the number of clusters', { min: 1 }),
  init: param.choice('k-means++', 'how the first centres are chosen', ['k-means++', 'random'] as const),
  nInit: nInitParam,
  maxIterations: param.integer(300, 'the most Lloyd iterations per run', { min: 1 }),
  tolerance: param.number(
    1e-4,
    'stop when the squared centre movement is at most this times the mean feature variance (scikit-learn tol); 0 runs until no label changes',
    { min: 0 },
  ),
  seed: commonParams.seed,
  parallelism: commonParams.parallelism,
};
