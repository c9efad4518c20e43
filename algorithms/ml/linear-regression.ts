import type { Matrix } from 'ml-matrix';
import { ParamError } from '../../src/core/errors.js';
import type { DenseMatrix } from '../../src/core/matrix.js';
import { mlMatrix } from '../../src/core/ml-matrix.js';
import { env } from '../../src/dataset/environment.js';
import {
  explainRuns,
  type IterationSequence,
  iterationStep,
  type RunIterationsOptions,
  runIterations,
  runIterationsHere,
} from '../../src/dataset/model-iteration.js';
import { extractFeatures, loadData, type MLData, numericLabels, sampleWeights } from '../../src/ml/data.js';
import {
  commonParams,
  type FluentParams,
  type ParamValues,
  param,
  paramsFromJSON,
} from '../../src/ml/params.js';
import { checkStageJSON, jsonNumbers, readModelJSON, registerModelType } from '../../src/ml/persistence.js';
import { softThreshold } from '../../src/ml/shrinkage.js';
import { Estimator, type FitOptions, Transformer } from '../../src/ml/stage.js';
import type { Table } from '../../src/table/table.js';
import { centreColumns } from './centring.js';
import {
  combineRFactors,
  type RegressionChunk,
  type RFactorPartial,
  regressionChunks,
  rFactorKernel,
} from './least-squares-kernels.js';
import { sgdIteration } from './linear-sgd.js';
import { standardize, toOriginalScale } from './standardization.js';

/** Parameters of a fitted {@link LinearRegressionModel}. */
export const linearRegressionModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
};

/**
 * Parameters of {@link LinearRegression}. The objective is scikit-learn's ElasticNet (and Flink
 * ML's): `1/(2 W) sum_i w_i (y_i - x_i.b - c)^2 + reg (elasticNet |b|_1 + (1 - elasticNet)/2 |b|^2)`
 * with W the sum of the weights; `reg = 0` is ordinary (weighted) least squares.
 */
export const linearRegressionParams = {
  ...linearRegressionModelParams,
  labelCol: commonParams.labelCol,
  weightCol: commonParams.weightCol,
  reg: commonParams.reg,
  elasticNet: commonParams.elasticNet,
  fitIntercept: param.boolean(true, 'whether to fit an intercept (unpenalised)'),
  standardization: param.boolean(
    true,
    'fit to features scaled to unit deviation, the penalty on that scale, as Spark does; coefficients are reported on the original scale (no effect on the least-squares solution when reg = 0)',
  ),
  solver: param.choice(
    'auto',
    "'qr': exact least squares (reg must be 0); 'coordinate-descent'; 'sgd': mini-batch stochastic gradient descent; 'auto': qr when reg = 0, else coordinate-descent",
    ['auto', 'qr', 'coordinate-descent', 'sgd'] as const,
  ),
  maxIterations: param.integer(1000, 'the most coordinate-descent sweeps or SGD epochs', { min: 1 }),
  tolerance: param.number(
    1e-10,
    'coordinate descent and SGD stop when no coefficient moved more than this in a sweep or epoch (relative to the largest)',
    { min: 0 },
  ),
  learningRate: param.number(0.1, 'the SGD step size (Flink ML default 0.1)', { min: 0, exclusiveMin: true }),
  batchSize: param.integer(32, 'rows per SGD mini-batch (Flink ML globalBatchSize)', { min: 1 }),
  seed: commonParams.seed,
  parallelism: commonParams.parallelism,
};

type Specs = typeof linearRegressionParams;
type ModelSpecs = typeof linearRegressionModelParams;

/** The least-squares solution from the R factor of [A, b]: back substitution, or SVD (minimum norm) when A is rank deficient. */
function leastSquares(r: Matrix, rows: number, d: number): Float64Array {
  const triangle = r.subMatrix(0, d - 1, 0, d - 1);
  const right = r.subMatrix(0, d - 1, d, d);
  const solution =
    rows >= d && isNumericallyFullRank(triangle, rows)
      ? solveUpperTriangular(triangle, right)
      : new (mlMatrix().SingularValueDecomposition)(triangle, { autoTranspose: true }).solve(right);
  return Float64Array.from(solution.getColumn(0));
}

function solveUpperTriangular(triangle: Matrix, right: Matrix): Matrix {
  const d = triangle.rows;
  const x = new (mlMatrix().Matrix)(d, 1);
  for (let i = d - 1; i >= 0; i--) {
    let value = right.get(i, 0);
    for (let j = i + 1; j < d; j++) value -= triangle.get(i, j) * x.get(j, 0);
    x.set(i, 0, value / triangle.get(i, i));
  }
  return x;
}

/** Rank by R's diagonal with LAPACK's tolerance (ml-matrix only checks for exact zeros). */
function isNumericallyFullRank(triangle: Matrix, rows: number): boolean {
  const diagonal = triangle.diag().map(Math.abs);
  const largest = Math.max(...diagonal);
  return Math.min(...diagonal) > largest * rows * Number.EPSILON;
}

/**
 * Elastic-net coordinate descent (scikit-learn's ElasticNet algorithm) on the Gram matrix of the
 * weighted, centred data (scikit-learn's `precompute=True`): with G = R'R and c = R'r from the
 * R factor of [A, b], the correlation of column j with the residual is c_j - (G b)_j, kept up
 * to date as coefficients move.
 */
function coordinateDescent(
  r: Matrix,
  d: number,
  totalWeight: number,
  reg: number,
  elasticNet: number,
  maxIterations: number,
  tolerance: number,
): { coefficients: Float64Array; iterations: number } {
  const gram = new Float64Array(d * d);
  const correlations = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    for (let i = 0; i <= a; i++) correlations[a] += r.get(i, a) * r.get(i, d);
    for (let b = 0; b < d; b++) {
      let sum = 0;
      for (let i = 0; i <= Math.min(a, b); i++) sum += r.get(i, a) * r.get(i, b);
      gram[a * d + b] = sum;
    }
  }
  const curvature = new Float64Array(d);
  for (let j = 0; j < d; j++) curvature[j] = gram[j * d + j] / totalWeight;
  // G b: what the coefficients explain of each column's correlation with the target.
  const explained = new Float64Array(d);
  const coefficients = new Float64Array(d);
  const l1 = reg * elasticNet;
  const l2 = reg * (1 - elasticNet);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let largestStep = 0;
    let largestCoefficient = 0;
    for (let j = 0; j < d; j++) {
      if (curvature[j] === 0) continue;
      const old = coefficients[j];
      const correlation = correlations[j] - explained[j];
      const next = softThreshold(correlation / totalWeight + curvature[j] * old, l1) / (curvature[j] + l2);
      if (next !== old) {
        const step = next - old;
        for (let a = 0; a < d; a++) explained[a] += step * gram[a * d + j];
        coefficients[j] = next;
        largestStep = Math.max(largestStep, Math.abs(step));
      }
      largestCoefficient = Math.max(largestCoefficient, Math.abs(next));
    }
    if (largestStep <= tolerance * Math.max(largestCoefficient, Number.MIN_VALUE)) {
      return { coefficients, iterations: iteration };
    }
  }
  return { coefficients, iterations: maxIterations };
}

/** The model of the least-squares pass: none before it, the R factor of all rows after. */
interface RFactorModel {
  readonly r?: Matrix;
}

/** What {@link LinearRegression.fitMatrix} returns. */
export interface LinearRegressionFit {
  coefficients: Float64Array;
  intercept: number;
  /** Coordinate-descent sweeps or SGD epochs run (1 for QR). */
  iterations: number;
  /** The solver used ('auto' resolved). */
  solver: 'qr' | 'coordinate-descent' | 'sgd';
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface LinearRegression extends FluentParams<Specs, LinearRegression> {}

/**
 * Linear regression (Flink ML's LinearRegression, scikit-learn's LinearRegression / Ridge /
 * ElasticNet): exact weighted least squares by QR when `reg` is 0, elastic-net by coordinate
 * descent otherwise, or by mini-batch SGD (`solver: 'sgd'`, with `learningRate`, `batchSize`,
 * `seed`; each epoch one superstep). The intercept is fitted by centring (it is
 * never penalised).
 * @example
 * const model = await new LinearRegression({ labelCol: 'price' }).fit('houses.csv');
 * model.coefficients; model.intercept; model.predict([3, 120]);
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class LinearRegression extends Estimator<Specs, LinearRegressionModel> {
  static readonly Model: typeof LinearRegressionModel;

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(linearRegressionParams, options);
  }

  fitTable(frame: Table, options: FitOptions = {}): LinearRegressionModel {
    const training = this.trainingSet(frame);
    return this.modelOf(
      this.fitMatrix(training.features, training.target, training.weights, options),
      training.featuresCol,
    );
  }

  /**
   * Fits on the DataSet engine: the pass over the rows is a bulk iteration (rows in fixed-size
   * chunks, a `mapPartition` kernel over `parallelism` partitions, the chunks' parts combined in
   * chunk order): one superstep of per-chunk R factors for QR and coordinate descent, one per
   * epoch's full gradient for SGD. The same model as {@link fitTable}, at every parallelism.
   */
  override async fit(data: MLData, options: RunIterationsOptions = {}): Promise<LinearRegressionModel> {
    const training = this.trainingSet(await loadData(data));
    const parallelism = this.get('parallelism');
    const iterations = this.fitIterations(
      training.features,
      training.target,
      training.weights,
      parallelism > 1,
    );
    return this.modelOf(await runIterations(env({ parallelism }), iterations, options), training.featuresCol);
  }

  /** Fits `data` on the DataSet engine and returns the explain() text of the plan the fit ran. */
  explainFit(data: MLData): Promise<string[]> {
    return explainRuns((plans) => this.fit(data, { plans }));
  }

  private trainingSet(frame: Table): {
    features: DenseMatrix;
    featuresCol: string | readonly string[];
    target: Float64Array;
    weights: Float64Array;
  } {
    const labelCol = this.get('labelCol');
    const weightCol = this.get('weightCol');
    const features = extractFeatures(frame, this.get('featuresCol'), [labelCol, weightCol]);
    return {
      features: features.matrix,
      featuresCol: features.featuresCol,
      target: numericLabels(frame, labelCol),
      weights: sampleWeights(frame, weightCol),
    };
  }

  private modelOf(
    result: LinearRegressionFit,
    featuresCol: string | readonly string[],
  ): LinearRegressionModel {
    return new LinearRegressionModel(
      result.coefficients,
      result.intercept,
      { featuresCol, predictionCol: this.get('predictionCol') },
      result.solver === 'qr' ? undefined : result.iterations,
    );
  }

  /** Fits a matrix of features against targets (and optional weights) on the calling thread: {@link fit}'s supersteps, run synchronously. */
  fitMatrix(
    features: DenseMatrix,
    target: Float64Array,
    weights: Float64Array = new Float64Array(features.rows).fill(1),
    options: FitOptions = {},
  ): LinearRegressionFit {
    return runIterationsHere(this.fitIterations(features, target, weights, false), options);
  }

  private *fitIterations(
    features: DenseMatrix,
    target: Float64Array,
    weights: Float64Array,
    share: boolean,
  ): IterationSequence<LinearRegressionFit> {
    if (features.rows === 0) throw new ParamError('data', 'no rows', 'at least one row');
    const reg = this.get('reg');
    let solver = this.get('solver');
    if (solver === 'auto') solver = reg === 0 ? 'qr' : 'coordinate-descent';
    if (solver === 'qr' && reg !== 0)
      throw new ParamError('solver', 'qr', "'coordinate-descent' or 'sgd' when reg > 0");
    const standardized = this.get('standardization') ? standardize(features, weights, false) : undefined;
    const centred = centreColumns(
      standardized?.matrix ?? features,
      target,
      weights,
      this.get('fitIntercept'),
    );
    const d = features.columns;
    let coefficients: Float64Array;
    let iterations: number;
    if (solver === 'sgd') {
      const sgd = yield* iterationStep(sgdIteration(centred, { ...this.getParams(), reg }, share));
      ({ coefficients } = sgd);
      iterations = sgd.epoch;
    } else {
      const { r } = yield* iterationStep<RegressionChunk, RFactorModel, RFactorPartial>({
        name: 'linear regression',
        chunks: regressionChunks(centred, weights, share),
        initial: {},
        maxIterations: 1,
        kernel: rFactorKernel,
        update: (_model, partials) => ({ r: combineRFactors(partials, d) }),
        done: () => true,
      });
      if (solver === 'qr')
        ({ coefficients, iterations } = { coefficients: leastSquares(r!, features.rows, d), iterations: 1 });
      else {
        const totalWeight = weights.reduce((sum, w) => sum + w, 0);
        ({ coefficients, iterations } = coordinateDescent(
          r!,
          d,
          totalWeight,
          reg,
          this.get('elasticNet'),
          this.get('maxIterations'),
          this.get('tolerance'),
        ));
      }
    }
    let intercept = centred.targetMean;
    for (let j = 0; j < coefficients.length; j++) intercept -= centred.featureMeans[j] * coefficients[j];
    // The means were subtracted on the same scale as the coefficients: only the slopes change.
    if (standardized) toOriginalScale(coefficients, standardized.scaling);
    return { coefficients, intercept, iterations, solver };
  }
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface LinearRegressionModel extends FluentParams<ModelSpecs, LinearRegressionModel> {}

/**
 * A fitted linear model: `prediction = x . coefficients + intercept`. Saved as
 * `{ "type": "linear-regression", "params": {...}, "coefficients": number[], "intercept": number }`
 * (and `"iterations"` when an iterative solver made it).
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class LinearRegressionModel extends Transformer<ModelSpecs> {
  readonly type = 'linear-regression';
  readonly coefficients: Float64Array;
  readonly intercept: number;
  /**
   * The coordinate-descent sweeps or SGD epochs the fit ran (informative; undefined for QR): equal
   * to the estimator's `maxIterations` when it stopped there before meeting its tolerance.
   */
  readonly iterations?: number;

  constructor(
    coefficients: Float64Array,
    intercept: number,
    params: Partial<ParamValues<ModelSpecs>> = {},
    iterations?: number,
  ) {
    super(linearRegressionModelParams, params);
    this.coefficients = coefficients;
    this.intercept = intercept;
    this.iterations = iterations;
  }

  /** The prediction for one row of features. */
  predict(row: ArrayLike<number>): number {
    if (row.length !== this.coefficients.length) {
      throw new ParamError('row', `a row of ${row.length} values`, `${this.coefficients.length} values`);
    }
    let value = this.intercept;
    for (let j = 0; j < row.length; j++) value += row[j] * this.coefficients[j];
    return value;
  }

  transformTable(frame: Table): Table {
    const { matrix } = extractFeatures(frame, this.get('featuresCol'), [this.get('predictionCol')]);
    if (matrix.columns !== this.coefficients.length) {
      throw new ParamError(
        'data',
        `${matrix.columns} features`,
        `${this.coefficients.length} like the model`,
      );
    }
    const predictions = new Float64Array(matrix.rows);
    for (let i = 0; i < matrix.rows; i++) predictions[i] = this.predict(matrix.row(i));
    return frame.withTypedColumn(this.get('predictionCol'), { kind: 'number', values: predictions });
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      coefficients: Array.from(this.coefficients),
      intercept: this.intercept,
      ...(this.iterations === undefined ? {} : { iterations: this.iterations }),
    };
  }

  static fromJSON(json: unknown, source = '<json>'): LinearRegressionModel {
    const stage = checkStageJSON(json, source, 'linear-regression');
    const params = paramsFromJSON(linearRegressionModelParams, stage.params, 'linear-regression').getAll();
    const [intercept] = jsonNumbers({ ...stage, intercept: [stage.intercept] }, 'intercept', source);
    return new LinearRegressionModel(
      Float64Array.from(jsonNumbers(stage, 'coefficients', source)),
      intercept,
      params,
      typeof stage.iterations === 'number' ? stage.iterations : undefined,
    );
  }

  static async load(path: string): Promise<LinearRegressionModel> {
    return LinearRegressionModel.fromJSON(await readModelJSON(path), path);
  }
}

(LinearRegression as { Model: typeof LinearRegressionModel }).Model = LinearRegressionModel;
registerModelType('linear-regression', LinearRegressionModel.fromJSON);
