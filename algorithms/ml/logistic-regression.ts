import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { env } from '../../src/dataset/environment.js';
import {
  explainRuns,
  type IterationSequence,
  iterationStep,
  type RunIterationsOptions,
  runIterations,
  runIterationsHere,
} from '../../src/dataset/model-iteration.js';
import {
  type ClassLabel,
  extractFeatures,
  loadData,
  type MLData,
  sampleWeights,
  trainingClassLabels,
} from '../../src/ml/data.js';
import { type Evaluation, lbfgsSteps, type Minimization } from '../../src/ml/lbfgs.js';
import {
  commonParams,
  type FluentParams,
  type ParamValues,
  param,
  paramsFromJSON,
} from '../../src/ml/params.js';
import {
  checkStageJSON,
  jsonClassLabels,
  jsonRows,
  readModelJSON,
  registerModelType,
} from '../../src/ml/persistence.js';
import { proximalSteps } from '../../src/ml/proximal-gradient.js';
import { Estimator, type FitOptions, Transformer } from '../../src/ml/stage.js';
import type { Table } from '../../src/table/table.js';
import type { TableColumn } from '../../src/table/typed-columns.js';
import {
  type LabelledChunk,
  type LogLossBroadcast,
  type LogLossPartial,
  labelledChunks,
  logLossKernel,
} from './logistic-loss.js';
import { standardize, toOriginalScale } from './standardization.js';

/** Parameters of a fitted {@link LogisticRegressionModel}. */
export const logisticRegressionModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
  rawPredictionCol: param.column('rawPrediction', 'the vector column of margins (one per class)'),
  probabilityCol: param.column('probability', 'the vector column of class probabilities'),
};

/**
 * Parameters of {@link LogisticRegression}. It minimises the weighted mean log-loss plus
 * `reg (elasticNet |W|_1 + (1 - elasticNet)/2 |W|^2)` (Flink ML's and Spark's objective);
 * intercepts are not penalised. scikit-learn's `C` is `1 / (n reg)` with n the number of training
 * rows (the total sample weight): with `standardization` (the default) the penalty falls on
 * standardised coefficients, so the default `reg: 'auto'` (`1 / n`) is scikit-learn's
 * StandardScaler followed by LogisticRegression() (C = 1). Without a penalty a separable class
 * (digits) gets ever larger coefficients and fits its training rows at the cost of new ones.
 */
export const logisticRegressionParams = {
  ...logisticRegressionModelParams,
  labelCol: commonParams.labelCol,
  weightCol: commonParams.weightCol,
  reg: param.numberOrAuto(
    'auto',
    "the regularization strength (0: none); 'auto' is 1 / n for n training rows (the total sample weight), scikit-learn's C = 1",
    { min: 0 },
  ),
  elasticNet: commonParams.elasticNet,
  family: param.choice(
    'auto',
    "'binomial' (two classes, one coefficient vector), 'multinomial' (softmax), 'auto': binomial for two classes",
    ['auto', 'binomial', 'multinomial'] as const,
  ),
  fitIntercept: param.boolean(true, 'whether to fit intercepts (unpenalised)'),
  standardization: param.boolean(
    true,
    'fit to features scaled to unit deviation (centred with an intercept), the penalty on that scale, as Spark does; coefficients are reported on the original scale',
  ),
  maxIterations: param.integer(100, 'the most solver iterations (L-BFGS; FISTA when elasticNet > 0)', {
    min: 1,
  }),
  tolerance: param.number(
    1e-6,
    'stop when the largest gradient component (L-BFGS) or step (FISTA) is at most this',
    {
      min: 0,
    },
  ),
  parallelism: commonParams.parallelism,
};

type Specs = typeof logisticRegressionParams;
type ModelSpecs = typeof logisticRegressionModelParams;

/** The model of logistic regression's iteration: where the minimiser asks for the loss next, or its result. */
interface LogisticModel extends LogLossBroadcast {
  readonly result?: { x: Float64Array; iterations: number };
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface LogisticRegression extends FluentParams<Specs, LogisticRegression> {}

/**
 * Logistic regression (Flink ML's LogisticRegression, scikit-learn's LogisticRegression):
 * binomial or multinomial, L2 and elastic-net penalties; L-BFGS for L2, FISTA (proximal
 * gradient) when there is an L1 part. Labels may be numbers or strings; predictions are the
 * labels as written in the training data.
 * @example
 * const model = await new LogisticRegression({ labelCol: 'species', reg: 0.01 }).fit('iris.csv');
 * model.predict([5.1, 3.5, 1.4, 0.2]);   // 'setosa'
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class LogisticRegression extends Estimator<Specs, LogisticRegressionModel> {
  static readonly Model: typeof LogisticRegressionModel;

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(logisticRegressionParams, options);
  }

  fitTable(frame: Table, options: FitOptions = {}): LogisticRegressionModel {
    const training = this.trainingSet(frame);
    return this.modelOf(
      this.fitMatrix(training.features, training.labels, training.classes.length, training.weights, options),
      training,
    );
  }

  /**
   * Fits on the DataSet engine: each evaluation of the loss and its gradient is a superstep of a
   * bulk iteration (rows in fixed-size chunks, the `logLossChunks` kernel over `parallelism`
   * partitions, the parameters broadcast, the chunks' parts added in chunk order). The same
   * model as {@link fitTable}, at every parallelism.
   */
  override async fit(data: MLData, options: RunIterationsOptions = {}): Promise<LogisticRegressionModel> {
    const training = this.trainingSet(await loadData(data));
    const parallelism = this.get('parallelism');
    const iterations = this.fitIterations(
      training.features,
      training.labels,
      training.classes.length,
      training.weights,
      parallelism > 1,
    );
    return this.modelOf(await runIterations(env({ parallelism }), iterations, options), training);
  }

  /** Fits `data` on the DataSet engine and returns the explain() text of the plan the fit ran. */
  explainFit(data: MLData): Promise<string[]> {
    return explainRuns((plans) => this.fit(data, { plans }));
  }

  private trainingSet(frame: Table): {
    features: DenseMatrix;
    featuresCol: string | readonly string[];
    classes: ClassLabel[];
    labels: Int32Array;
    weights: Float64Array;
  } {
    const labelCol = this.get('labelCol');
    const weightCol = this.get('weightCol');
    const features = extractFeatures(frame, this.get('featuresCol'), [labelCol, weightCol]);
    const { classes, indices } = trainingClassLabels(frame, labelCol);
    return {
      features: features.matrix,
      featuresCol: features.featuresCol,
      classes,
      labels: indices,
      weights: sampleWeights(frame, weightCol),
    };
  }

  private modelOf(
    fitted: { coefficients: DenseMatrix; intercepts: Float64Array },
    training: { featuresCol: string | readonly string[]; classes: ClassLabel[] },
  ): LogisticRegressionModel {
    return new LogisticRegressionModel(fitted.coefficients, fitted.intercepts, training.classes, {
      featuresCol: training.featuresCol,
      predictionCol: this.get('predictionCol'),
      rawPredictionCol: this.get('rawPredictionCol'),
      probabilityCol: this.get('probabilityCol'),
    });
  }

  /**
   * Fits class indices `labels` (0 .. classCount-1) against a feature matrix on the calling
   * thread (the supersteps of {@link fit}'s iteration, run synchronously). Returns one row of
   * coefficients per class (one row in all for the binomial family) and the intercepts.
   */
  fitMatrix(
    features: DenseMatrix,
    labels: Int32Array,
    classCount: number,
    weights: Float64Array = new Float64Array(features.rows).fill(1),
    options: FitOptions = {},
  ): { coefficients: DenseMatrix; intercepts: Float64Array; iterations: number } {
    return runIterationsHere(this.fitIterations(features, labels, classCount, weights, false), options);
  }

  /**
   * The fit as one model iteration: the minimiser (L-BFGS, or FISTA when there is an L1 part)
   * runs on the calling thread between supersteps; each superstep evaluates the mean log-loss
   * and its gradient where it asks, chunk by chunk. The L2 penalty is added to the combined
   * parts; without intercepts, they are pinned at zero.
   */
  private *fitIterations(
    features: DenseMatrix,
    labels: Int32Array,
    classCount: number,
    weights: Float64Array,
    share: boolean,
  ): IterationSequence<{ coefficients: DenseMatrix; intercepts: Float64Array; iterations: number }> {
    let family = this.get('family');
    if (family === 'auto') family = classCount === 2 ? 'binomial' : 'multinomial';
    if (family === 'binomial' && classCount !== 2) {
      throw new ParamError('family', 'binomial', `'multinomial' for ${classCount} classes`);
    }
    const outputs = family === 'binomial' ? 1 : classCount;
    const d = features.columns;
    const stride = d + 1;
    const totalWeight = weights.reduce((sum, w) => sum + w, 0);
    const chosenReg = this.get('reg');
    const reg = chosenReg === 'auto' ? 1 / totalWeight : chosenReg;
    const elasticNet = this.get('elasticNet');
    const l2 = reg * (1 - elasticNet);
    const fitIntercept = this.get('fitIntercept');
    const standardized = this.get('standardization')
      ? standardize(features, weights, fitIntercept)
      : undefined;
    const start = new Float64Array(outputs * stride);
    const options = { maxIterations: this.get('maxIterations'), tolerance: this.get('tolerance') };
    let minimization: Minimization<{ x: Float64Array; iterations: number }>;
    if (reg > 0 && elasticNet > 0) {
      const l1 = new Float64Array(start.length);
      for (let c = 0; c < outputs; c++) l1.fill(reg * elasticNet, c * stride, c * stride + d);
      minimization = proximalSteps(start, { ...options, l1 });
    } else minimization = lbfgsSteps(start, options);
    // Where the minimiser asks for the loss: the model the next superstep evaluates.
    const ask = (
      step: IteratorResult<Evaluation, { x: Float64Array; iterations: number }>,
    ): LogisticModel => {
      if (step.done === true) return { x: step.value.x, outputs, totalWeight, result: step.value };
      pending = step.value;
      const x = pending.x.slice();
      if (!fitIntercept) for (let c = 0; c < outputs; c++) x[c * stride + d] = 0;
      return { x, outputs, totalWeight };
    };
    let pending: Evaluation | undefined;
    const initial = ask(minimization.next());
    const update = (model: LogisticModel, partials: readonly LogLossPartial[]): LogisticModel => {
      const gradient = pending!.gradient;
      gradient.fill(0);
      let loss = 0;
      for (const partial of partials) {
        loss += partial.loss;
        for (let at = 0; at < gradient.length; at++) gradient[at] += partial.gradient[at];
      }
      if (l2 > 0) {
        for (let c = 0; c < outputs; c++) {
          for (let j = 0; j < d; j++) {
            const coefficient = model.x[c * stride + j];
            loss += 0.5 * l2 * coefficient * coefficient;
            gradient[c * stride + j] += l2 * coefficient;
          }
        }
      }
      if (!fitIntercept) for (let c = 0; c < outputs; c++) gradient[c * stride + d] = 0;
      return ask(minimization.next(loss));
    };
    const last = yield* iterationStep<LabelledChunk, LogisticModel, LogLossPartial>({
      name: 'logistic regression',
      chunks: labelledChunks(standardized?.matrix ?? features, labels, weights, share),
      initial,
      // Each solver iteration evaluates the loss once, and up to 60 times more in its line search.
      maxIterations: options.maxIterations * 61 + 1,
      kernel: logLossKernel,
      update,
      done: (model) => model.result !== undefined,
    });
    const solution = last.result?.x ?? last.x;
    const coefficients = new DenseMatrix(outputs, d);
    const intercepts = new Float64Array(outputs);
    for (let c = 0; c < outputs; c++) {
      coefficients.data.set(solution.subarray(c * stride, c * stride + d), c * d);
      intercepts[c] = fitIntercept ? solution[c * stride + d] : 0;
      if (standardized) {
        intercepts[c] += toOriginalScale(
          coefficients.data.subarray(c * d, (c + 1) * d),
          standardized.scaling,
        );
      }
    }
    return { coefficients, intercepts, iterations: last.result?.iterations ?? options.maxIterations };
  }
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface LogisticRegressionModel extends FluentParams<ModelSpecs, LogisticRegressionModel> {}

/**
 * A fitted logistic regression. `predict(row)` gives the label, `predictProbabilities(row)` one
 * probability per class (in the order of `classes`), `rawPrediction(row)` the margins. Saved as
 * `{ "type": "logistic-regression", "params": {...}, "classes": [...], "coefficients": number[][],
 * "intercepts": number[] }` with one coefficient row for the binomial family, one per class otherwise.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class LogisticRegressionModel extends Transformer<ModelSpecs> {
  readonly type = 'logistic-regression';
  readonly coefficients: DenseMatrix;
  readonly intercepts: Float64Array;
  /** The class labels as written in the training data, sorted. */
  readonly classes: readonly ClassLabel[];

  constructor(
    coefficients: DenseMatrix,
    intercepts: Float64Array,
    classes: readonly ClassLabel[],
    params: Partial<ParamValues<ModelSpecs>> = {},
  ) {
    super(logisticRegressionModelParams, params);
    const expectedRows = classes.length === 2 ? [1, 2] : [classes.length];
    if (!expectedRows.includes(coefficients.rows) || intercepts.length !== coefficients.rows) {
      throw new ParamError('coefficients', `${coefficients.rows} rows`, `${expectedRows.join(' or ')} rows`);
    }
    this.coefficients = coefficients;
    this.intercepts = intercepts;
    this.classes = classes;
  }

  private checkRow(row: ArrayLike<number>): void {
    if (row.length !== this.coefficients.columns) {
      throw new ParamError('row', `a row of ${row.length} values`, `${this.coefficients.columns} values`);
    }
  }

  /** The margins: `[-m, m]` for the binomial family (Spark's convention), one per class otherwise. */
  rawPrediction(row: ArrayLike<number>): Float64Array {
    this.checkRow(row);
    const { rows, columns, data } = this.coefficients;
    const margins = new Float64Array(rows);
    for (let c = 0; c < rows; c++) {
      let m = this.intercepts[c];
      for (let j = 0; j < columns; j++) m += data[c * columns + j] * row[j];
      margins[c] = m;
    }
    return rows === 1 ? Float64Array.of(-margins[0], margins[0]) : margins;
  }

  /** The probability of each class, in the order of {@link classes}. */
  predictProbabilities(row: ArrayLike<number>): Float64Array {
    const margins = this.rawPrediction(row);
    if (this.coefficients.rows === 1) {
      const p = 1 / (1 + Math.exp(-margins[1]));
      return Float64Array.of(1 - p, p);
    }
    const largest = Math.max(...margins);
    let total = 0;
    for (let c = 0; c < margins.length; c++) total += margins[c] = Math.exp(margins[c] - largest);
    for (let c = 0; c < margins.length; c++) margins[c] /= total;
    return margins;
  }

  /** The most probable class label. */
  predict(row: ArrayLike<number>): ClassLabel {
    const probabilities = this.predictProbabilities(row);
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[best]) best = c;
    return this.classes[best];
  }

  transformTable(frame: Table): Table {
    const { matrix } = extractFeatures(frame, this.get('featuresCol'), [this.get('predictionCol')]);
    if (matrix.columns !== this.coefficients.columns) {
      throw new ParamError(
        'data',
        `${matrix.columns} features`,
        `${this.coefficients.columns} like the model`,
      );
    }
    const k = this.classes.length;
    const raw = new DenseMatrix(matrix.rows, k);
    const probability = new DenseMatrix(matrix.rows, k);
    const labels: ClassLabel[] = new Array(matrix.rows);
    for (let i = 0; i < matrix.rows; i++) {
      raw.data.set(this.rawPrediction(matrix.row(i)), i * k);
      const p = this.predictProbabilities(matrix.row(i));
      probability.data.set(p, i * k);
      let best = 0;
      for (let c = 1; c < k; c++) if (p[c] > p[best]) best = c;
      labels[i] = this.classes[best];
    }
    const prediction: TableColumn =
      typeof this.classes[0] === 'string'
        ? { kind: 'string', values: labels as string[] }
        : { kind: 'number', values: Float64Array.from(labels as number[]) };
    let result = frame.withTypedColumn(this.get('predictionCol'), prediction);
    result = result.withTypedColumn(this.get('rawPredictionCol'), { kind: 'vector', values: raw });
    return result.withTypedColumn(this.get('probabilityCol'), { kind: 'vector', values: probability });
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      classes: [...this.classes],
      coefficients: this.coefficients.toRows(),
      intercepts: Array.from(this.intercepts),
    };
  }

  static fromJSON(json: unknown, source = '<json>'): LogisticRegressionModel {
    const stage = checkStageJSON(json, source, 'logistic-regression');
    const params = paramsFromJSON(
      logisticRegressionModelParams,
      stage.params,
      'logistic-regression',
    ).getAll();
    const classes = jsonClassLabels(stage, 'classes', source);
    const [intercepts] = jsonRows({ ...stage, intercepts: [stage.intercepts] }, 'intercepts', source);
    return new LogisticRegressionModel(
      DenseMatrix.fromRows(jsonRows(stage, 'coefficients', source)),
      Float64Array.from(intercepts),
      classes as ClassLabel[],
      params,
    );
  }

  static async load(path: string): Promise<LogisticRegressionModel> {
    return LogisticRegressionModel.fromJSON(await readModelJSON(path), path);
  }
}

(LogisticRegression as { Model: typeof LogisticRegressionModel }).Model = LogisticRegressionModel;
registerModelType('logistic-regression', LogisticRegressionModel.fromJSON);
