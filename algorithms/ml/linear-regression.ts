import type { QrDecomposition } from 'ml-matrix';
import { ParamError } from '../../src/core/errors.js';
import type { DenseMatrix } from '../../src/core/matrix.js';
import { mlMatrix } from '../../src/core/ml-matrix.js';
import { extractFeatures, numericLabels, sampleWeights } from '../../src/ml/data.js';
import { type Frame, withColumn } from '../../src/ml/frame.js';
import {
  commonParams,
  type FluentParams,
  type ParamValues,
  param,
  paramsFromJSON,
} from '../../src/ml/params.js';
import { checkStageJSON, jsonNumbers, readModelJSON, registerModelType } from '../../src/ml/persistence.js';
import { softThreshold } from '../../src/ml/shrinkage.js';
import { Estimator, Transformer } from '../../src/ml/stage.js';
import { centreColumns, type WeightedCentring } from './centring.js';
import { stochasticGradientDescent } from './linear-sgd.js';

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
};

type Specs = typeof linearRegressionParams;
type ModelSpecs = typeof linearRegressionModelParams;

/** Least squares by QR of the weighted, centred data; SVD (minimum norm) when it is rank deficient. */
function leastSquares(centred: WeightedCentring): Float64Array {
  const { matrix, target } = centred;
  const { Matrix, QrDecomposition, SingularValueDecomposition } = mlMatrix();
  const a = new Matrix(matrix.rows, matrix.columns);
  const b = new Matrix(matrix.rows, 1);
  for (let i = 0; i < matrix.rows; i++) {
    const root = Math.sqrt(centred.weights[i]);
    for (let j = 0; j < matrix.columns; j++) a.set(i, j, root * matrix.data[i * matrix.columns + j]);
    b.set(i, 0, root * target[i]);
  }
  const qr = new QrDecomposition(a);
  const solution =
    matrix.rows >= matrix.columns && isNumericallyFullRank(qr, matrix.rows)
      ? qr.solve(b)
      : new SingularValueDecomposition(a, { autoTranspose: true }).solve(b);
  return Float64Array.from(solution.getColumn(0));
}

/** Rank by R's diagonal with LAPACK's tolerance (ml-matrix only checks for exact zeros). */
function isNumericallyFullRank(qr: QrDecomposition, rows: number): boolean {
  const diagonal = qr.upperTriangularMatrix.diag().map(Math.abs);
  const largest = Math.max(...diagonal);
  return Math.min(...diagonal) > largest * rows * Number.EPSILON;
}

/** Elastic-net coordinate descent (scikit-learn's ElasticNet algorithm) on centred data. */
function coordinateDescent(
  centred: WeightedCentring,
  reg: number,
  elasticNet: number,
  maxIterations: number,
  tolerance: number,
): { coefficients: Float64Array; iterations: number } {
  const { matrix, target, weights } = centred;
  const n = matrix.rows;
  const d = matrix.columns;
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  // Column-major copy: each coordinate step walks one column.
  const columns = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) columns[j * n + i] = matrix.data[i * d + j];
  const curvature = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i] * columns[j * n + i] ** 2;
    curvature[j] = sum / totalWeight;
  }
  const residual = Float64Array.from(target);
  const coefficients = new Float64Array(d);
  const l1 = reg * elasticNet;
  const l2 = reg * (1 - elasticNet);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let largestStep = 0;
    let largestCoefficient = 0;
    for (let j = 0; j < d; j++) {
      if (curvature[j] === 0) continue;
      const old = coefficients[j];
      let correlation = 0;
      for (let i = 0; i < n; i++) correlation += weights[i] * columns[j * n + i] * residual[i];
      const next = softThreshold(correlation / totalWeight + curvature[j] * old, l1) / (curvature[j] + l2);
      if (next !== old) {
        const step = next - old;
        for (let i = 0; i < n; i++) residual[i] -= step * columns[j * n + i];
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

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface LinearRegression extends FluentParams<Specs, LinearRegression> {}

/**
 * Linear regression (Flink ML's LinearRegression, scikit-learn's LinearRegression / Ridge /
 * ElasticNet): exact weighted least squares by QR when `reg` is 0, elastic-net by coordinate
 * descent otherwise, or by mini-batch SGD (`solver: 'sgd'`, with `learningRate`, `batchSize`,
 * `seed`; `stochasticGradientDescent` in linear-sgd.ts). The intercept is fitted by centring (it is
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

  fitFrame(frame: Frame): LinearRegressionModel {
    const labelCol = this.get('labelCol');
    const weightCol = this.get('weightCol');
    const features = extractFeatures(frame, this.get('featuresCol'), [labelCol, weightCol]);
    const result = this.fitMatrix(
      features.matrix,
      numericLabels(frame, labelCol),
      sampleWeights(frame, weightCol),
    );
    return new LinearRegressionModel(
      result.coefficients,
      result.intercept,
      { featuresCol: features.featuresCol, predictionCol: this.get('predictionCol') },
      result.solver === 'qr' ? undefined : result.iterations,
    );
  }

  /** Fits a matrix of features against targets (and optional weights). */
  fitMatrix(
    features: DenseMatrix,
    target: Float64Array,
    weights: Float64Array = new Float64Array(features.rows).fill(1),
  ): {
    coefficients: Float64Array;
    intercept: number;
    /** Coordinate-descent sweeps or SGD epochs run (1 for QR). */
    iterations: number;
    /** The solver used ('auto' resolved). */
    solver: 'qr' | 'coordinate-descent' | 'sgd';
  } {
    if (features.rows === 0) throw new ParamError('data', 'no rows', 'at least one row');
    const reg = this.get('reg');
    let solver = this.get('solver');
    if (solver === 'auto') solver = reg === 0 ? 'qr' : 'coordinate-descent';
    if (solver === 'qr' && reg !== 0)
      throw new ParamError('solver', 'qr', "'coordinate-descent' or 'sgd' when reg > 0");
    const centred = centreColumns(features, target, weights, this.get('fitIntercept'));
    const { coefficients, iterations } =
      solver === 'qr'
        ? { coefficients: leastSquares(centred), iterations: 1 }
        : solver === 'sgd'
          ? stochasticGradientDescent(centred, { ...this.getParams(), reg })
          : coordinateDescent(
              centred,
              reg,
              this.get('elasticNet'),
              this.get('maxIterations'),
              this.get('tolerance'),
            );
    let intercept = centred.targetMean;
    for (let j = 0; j < coefficients.length; j++) intercept -= centred.featureMeans[j] * coefficients[j];
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

  transformFrame(frame: Frame): Frame {
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
    return withColumn(frame, this.get('predictionCol'), { kind: 'number', values: predictions });
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
