import { InputError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import type { Table } from '../table/table.js';
import { type ClassLabel, extractFeatures, loadData, type MLData } from './data.js';
import {
  accuracy,
  inertia,
  kolmogorovSmirnov,
  mae,
  mse,
  prAuc,
  precisionRecallF1,
  r2,
  rmse,
  rocAuc,
  silhouette,
} from './evaluation.js';
import {
  commonParams,
  type FluentParams,
  type ParamSpec,
  type ParamSpecs,
  type ParamValues,
  param,
} from './params.js';
import { WithParams } from './stage.js';
import { getColumn, rowLocation } from './table-input.js';

/**
 * Evaluators in the manner of Flink ML's and Spark's: a stage with column and metric-name
 * parameters whose `evaluate(data)` reads a model's `transform` output (a Table, an Arrow table, a
 * file) and computes the metrics of src/ml/evaluation.ts, which match scikit-learn's.
 */

/** The metrics an evaluator computed, keyed by name, in the order of `metricsNames`. */
export type EvaluationResult<N extends string> = Partial<Record<N, number>>;

/** What every evaluator's parameters include: the names of the metrics to compute. */
type EvaluatorSpecs<N extends string> = ParamSpecs & { metricsNames: ParamSpec<readonly N[]> };

/** An evaluator: parameters (with fluent setters) and `evaluate`. */
export abstract class Evaluator<S extends EvaluatorSpecs<N>, N extends string> extends WithParams<S> {
  /** The metrics of a table, as {@link evaluate} returns them. */
  abstract evaluateFrame(frame: Table): EvaluationResult<N>;

  /** Computes the metrics named by `metricsNames` over data (in memory, or a CSV / Arrow IPC file). */
  async evaluate(data: MLData): Promise<EvaluationResult<N>> {
    return this.evaluateFrame(await loadData(data));
  }

  /** Runs each chosen metric once. */
  protected computeEach(metrics: Record<N, () => number>): EvaluationResult<N> {
    const result: EvaluationResult<N> = {};
    for (const name of this.get('metricsNames') as readonly N[]) result[name] = metrics[name]();
    return result;
  }
}

/** A numeric column, every value finite (a NaN prediction is an error, not a silent 0). */
function numericColumn(frame: Table, name: string, role: string): Float64Array {
  const column = getColumn(frame, name, role);
  if (column.kind !== 'number') {
    throw new InputError(`${role} '${name}' holds ${column.kind === 'string' ? 'text' : 'vectors'}`, {
      file: frame.source,
      expected: 'numbers',
    });
  }
  const index = column.values.findIndex((value) => !Number.isFinite(value));
  if (index >= 0) {
    throw new InputError(`missing or non-finite value in ${role} '${name}'`, {
      ...rowLocation(frame, index),
      text: String(column.values[index]),
      expected: 'a finite number',
    });
  }
  return column.values;
}

/** Class labels as written (numbers or strings), none missing. */
function classColumn(frame: Table, name: string, role: string): Float64Array | readonly string[] {
  const column = getColumn(frame, name, role);
  if (column.kind === 'number') return numericColumn(frame, name, role);
  if (column.kind !== 'string') {
    throw new InputError(`${role} '${name}' holds ${column.kind === 'tokens' ? 'token lists' : 'vectors'}`, {
      file: frame.source,
      expected: 'class labels',
    });
  }
  const index = column.values.indexOf('');
  if (index >= 0) {
    throw new InputError(`missing value in ${role} '${name}'`, {
      ...rowLocation(frame, index),
      text: '',
      expected: 'a class label',
    });
  }
  return column.values;
}

const binaryMetrics = ['areaUnderROC', 'areaUnderPR', 'ks'] as const;
/** A metric of {@link BinaryClassificationEvaluator}. */
export type BinaryClassificationMetric = (typeof binaryMetrics)[number];

/** Parameters of {@link BinaryClassificationEvaluator} (Flink ML's names). */
export const binaryClassificationEvaluatorParams = {
  labelCol: commonParams.labelCol,
  rawPredictionCol: param.column(
    'rawPrediction',
    'the score column: a number per row, or a vector whose last of two values scores the positive class (LogisticRegressionModel rawPrediction or probability)',
  ),
  metricsNames: param.choices(
    ['areaUnderROC', 'areaUnderPR'],
    "'areaUnderROC' (ROC AUC), 'areaUnderPR' (average precision, as scikit-learn), 'ks' (max TPR - FPR)",
    binaryMetrics,
  ),
};

type BinarySpecs = typeof binaryClassificationEvaluatorParams;

/** Flink ML's fluent setters and getters (`setLabelCol('y')`, `getMetricsNames()`, ...). */
export interface BinaryClassificationEvaluator
  extends FluentParams<BinarySpecs, BinaryClassificationEvaluator> {}

/**
 * Ranking metrics of binary classification: labels 0/1 (or false/true) against scores.
 * @example
 * const scored = await model.transform(test);
 * await new BinaryClassificationEvaluator({ labelCol: 'malignant' }).evaluate(scored);
 * // { areaUnderROC: 0.9956, areaUnderPR: 0.9934 }
 */
export class BinaryClassificationEvaluator extends Evaluator<BinarySpecs, BinaryClassificationMetric> {
  constructor(options: Partial<ParamValues<BinarySpecs>> = {}) {
    super(binaryClassificationEvaluatorParams, options);
  }

  evaluateFrame(frame: Table): EvaluationResult<BinaryClassificationMetric> {
    const labelCol = this.get('labelCol');
    const labels = numericColumn(frame, labelCol, 'label column');
    const wrong = labels.findIndex((label) => label !== 0 && label !== 1);
    if (wrong >= 0) {
      throw new InputError(`label column '${labelCol}' is not binary`, {
        ...rowLocation(frame, wrong),
        text: String(labels[wrong]),
        expected: '0 or 1',
      });
    }
    const scores = this.scores(frame);
    return this.computeEach({
      areaUnderROC: () => rocAuc(labels, scores),
      areaUnderPR: () => prAuc(labels, scores),
      ks: () => kolmogorovSmirnov(labels, scores),
    });
  }

  /** The positive-class score of each row. */
  private scores(frame: Table): Float64Array {
    const name = this.get('rawPredictionCol');
    const column = getColumn(frame, name, 'raw prediction column');
    if (column.kind !== 'vector') return numericColumn(frame, name, 'raw prediction column');
    const { rows, columns, data } = column.values;
    if (columns !== 1 && columns !== 2) {
      throw new InputError(`raw prediction column '${name}' has ${columns} values per row`, {
        file: frame.source,
        expected: 'a number, or a vector of 2 (negative, positive) per row',
      });
    }
    const scores = new Float64Array(rows);
    for (let i = 0; i < rows; i++) scores[i] = data[i * columns + columns - 1];
    return scores;
  }
}

const multiclassMetrics = [
  'accuracy',
  'macroPrecision',
  'macroRecall',
  'macroF1',
  'weightedPrecision',
  'weightedRecall',
  'weightedF1',
] as const;
/** A metric of {@link MulticlassClassificationEvaluator}. */
export type MulticlassClassificationMetric = (typeof multiclassMetrics)[number];

/** Parameters of {@link MulticlassClassificationEvaluator}. */
export const multiclassClassificationEvaluatorParams = {
  labelCol: commonParams.labelCol,
  predictionCol: commonParams.predictionCol,
  metricsNames: param.choices(
    ['accuracy', 'macroF1'],
    "'accuracy'; precision, recall and F1 averaged over classes unweighted ('macro...') or weighted by support ('weighted...', Spark's)",
    multiclassMetrics,
  ),
};

type MulticlassSpecs = typeof multiclassClassificationEvaluatorParams;

/** Flink ML's fluent setters and getters (`setLabelCol('y')`, `getMetricsNames()`, ...). */
export interface MulticlassClassificationEvaluator
  extends FluentParams<MulticlassSpecs, MulticlassClassificationEvaluator> {}

/**
 * Metrics of predicted class labels against actual ones (numbers or strings, as written in the
 * data; both columns must be of the same kind). The averages are over every class that occurs
 * in either column, as scikit-learn's.
 * @example
 * await new MulticlassClassificationEvaluator({ labelCol: 'species', metricsNames: ['accuracy', 'weightedF1'] })
 *   .evaluate(await model.transform(test));
 */
export class MulticlassClassificationEvaluator extends Evaluator<
  MulticlassSpecs,
  MulticlassClassificationMetric
> {
  constructor(options: Partial<ParamValues<MulticlassSpecs>> = {}) {
    super(multiclassClassificationEvaluatorParams, options);
  }

  evaluateFrame(frame: Table): EvaluationResult<MulticlassClassificationMetric> {
    const labelCol = this.get('labelCol');
    const predictionCol = this.get('predictionCol');
    const actual = classColumn(frame, labelCol, 'label column');
    const predicted = classColumn(frame, predictionCol, 'prediction column');
    if (actual instanceof Float64Array !== predicted instanceof Float64Array) {
      const kind = (values: unknown) => (values instanceof Float64Array ? 'numbers' : 'text');
      throw new InputError(
        `label column '${labelCol}' holds ${kind(actual)} but prediction column '${predictionCol}' holds ${kind(predicted)}`,
        { file: frame.source, expected: 'labels and predictions of the same kind' },
      );
    }
    const labels = actual as ArrayLike<ClassLabel>;
    const predictions = predicted as ArrayLike<ClassLabel>;
    let scores: ReturnType<typeof precisionRecallF1> | undefined;
    const averaged = () => {
      scores ??= precisionRecallF1(labels, predictions);
      return scores;
    };
    return this.computeEach({
      accuracy: () => accuracy(labels, predictions),
      macroPrecision: () => averaged().macro.precision,
      macroRecall: () => averaged().macro.recall,
      macroF1: () => averaged().macro.f1,
      weightedPrecision: () => averaged().weighted.precision,
      weightedRecall: () => averaged().weighted.recall,
      weightedF1: () => averaged().weighted.f1,
    });
  }
}

const regressionMetrics = ['rmse', 'mse', 'mae', 'r2'] as const;
/** A metric of {@link RegressionEvaluator}. */
export type RegressionMetric = (typeof regressionMetrics)[number];

/** Parameters of {@link RegressionEvaluator}. */
export const regressionEvaluatorParams = {
  labelCol: commonParams.labelCol,
  predictionCol: commonParams.predictionCol,
  metricsNames: param.choices(
    ['rmse'],
    "'rmse', 'mse' (mean squared error), 'mae' (mean absolute error), 'r2' (coefficient of determination)",
    regressionMetrics,
  ),
};

type RegressionSpecs = typeof regressionEvaluatorParams;

/** Flink ML's fluent setters and getters (`setLabelCol('y')`, `getMetricsNames()`, ...). */
export interface RegressionEvaluator extends FluentParams<RegressionSpecs, RegressionEvaluator> {}

/**
 * Errors of numeric predictions against numeric labels.
 * @example
 * await new RegressionEvaluator({ labelCol: 'progression', metricsNames: ['rmse', 'r2'] })
 *   .evaluate(await model.transform('diabetes.csv'));
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class RegressionEvaluator extends Evaluator<RegressionSpecs, RegressionMetric> {
  constructor(options: Partial<ParamValues<RegressionSpecs>> = {}) {
    super(regressionEvaluatorParams, options);
  }

  evaluateFrame(frame: Table): EvaluationResult<RegressionMetric> {
    const actual = numericColumn(frame, this.get('labelCol'), 'label column');
    const predicted = numericColumn(frame, this.get('predictionCol'), 'prediction column');
    return this.computeEach({
      rmse: () => rmse(actual, predicted),
      mse: () => mse(actual, predicted),
      mae: () => mae(actual, predicted),
      r2: () => r2(actual, predicted),
    });
  }
}

const clusteringMetrics = ['silhouette', 'inertia'] as const;
/** A metric of {@link ClusteringEvaluator}. */
export type ClusteringMetric = (typeof clusteringMetrics)[number];

/** Parameters of {@link ClusteringEvaluator}. */
export const clusteringEvaluatorParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
  metricsNames: param.choices(
    ['silhouette'],
    "'silhouette' (mean silhouette coefficient, Euclidean; O(n^2) time), 'inertia' (sum of squared distances to each cluster's mean)",
    clusteringMetrics,
  ),
};

type ClusteringSpecs = typeof clusteringEvaluatorParams;

/** Flink ML's fluent setters and getters (`setFeaturesCol('x')`, `getMetricsNames()`, ...). */
export interface ClusteringEvaluator extends FluentParams<ClusteringSpecs, ClusteringEvaluator> {}

/**
 * Quality of a clustering from the points and their cluster ids alone. Inertia is measured
 * around each cluster's mean, which is k-means' centroid once it has converged, so it equals
 * scikit-learn's `KMeans.inertia_` for a converged model.
 * @example
 * await new ClusteringEvaluator({ metricsNames: ['silhouette', 'inertia'] })
 *   .evaluate(await kmeansModel.transform(points));
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class ClusteringEvaluator extends Evaluator<ClusteringSpecs, ClusteringMetric> {
  constructor(options: Partial<ParamValues<ClusteringSpecs>> = {}) {
    super(clusteringEvaluatorParams, options);
  }

  evaluateFrame(frame: Table): EvaluationResult<ClusteringMetric> {
    const predictionCol = this.get('predictionCol');
    const labels = numericColumn(frame, predictionCol, 'prediction column');
    const { matrix } = extractFeatures(frame, this.get('featuresCol'), [predictionCol]);
    return this.computeEach({
      silhouette: () => silhouette(matrix, labels),
      inertia: () => {
        const { centroids, clusters } = clusterMeans(matrix, labels);
        return inertia(matrix, centroids, clusters);
      },
    });
  }
}

/** The mean of each cluster's points, with each row's cluster as an index into them. */
function clusterMeans(
  points: DenseMatrix,
  labels: Float64Array,
): { centroids: DenseMatrix; clusters: Int32Array } {
  const index = new Map<number, number>();
  const clusters = new Int32Array(points.rows);
  for (let i = 0; i < points.rows; i++) {
    let cluster = index.get(labels[i]);
    if (cluster === undefined) index.set(labels[i], (cluster = index.size));
    clusters[i] = cluster;
  }
  const d = points.columns;
  const centroids = new DenseMatrix(index.size, d);
  const sizes = new Float64Array(index.size);
  for (let i = 0; i < points.rows; i++) {
    sizes[clusters[i]]++;
    for (let j = 0; j < d; j++) centroids.data[clusters[i] * d + j] += points.data[i * d + j];
  }
  for (let c = 0; c < index.size; c++) for (let j = 0; j < d; j++) centroids.data[c * d + j] /= sizes[c];
  return { centroids, clusters };
}
