import { InputError, ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { type ClassLabel, classLabels, extractFeatures, sampleWeights } from '../../src/ml/data.js';
import { type Frame, type FrameColumn, withColumn } from '../../src/ml/frame.js';
import { minimizeLbfgs } from '../../src/ml/lbfgs.js';
import {
  commonParams,
  type FluentParams,
  type ParamValues,
  param,
  paramsFromJSON,
} from '../../src/ml/params.js';
import { checkStageJSON, jsonRows, readModelJSON, registerModelType } from '../../src/ml/persistence.js';
import { minimizeProximal } from '../../src/ml/proximal-gradient.js';
import { Estimator, Transformer } from '../../src/ml/stage.js';

/** Parameters of a fitted {@link LogisticRegressionModel}. */
export const logisticRegressionModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
  rawPredictionCol: param.column('rawPrediction', 'the vector column of margins (one per class)'),
  probabilityCol: param.column('probability', 'the vector column of class probabilities'),
};

/**
 * Parameters of {@link LogisticRegression}. It minimises the weighted mean log-loss plus
 * `reg (elasticNet |W|_1 + (1 - elasticNet)/2 |W|^2)` (Flink ML's and Spark's objective; scikit-
 * learn's `C` is `1 / (n reg)`); intercepts are not penalised.
 */
export const logisticRegressionParams = {
  ...logisticRegressionModelParams,
  labelCol: commonParams.labelCol,
  weightCol: commonParams.weightCol,
  reg: commonParams.reg,
  elasticNet: commonParams.elasticNet,
  family: param.choice(
    'auto',
    "'binomial' (two classes, one coefficient vector), 'multinomial' (softmax), 'auto': binomial for two classes",
    ['auto', 'binomial', 'multinomial'] as const,
  ),
  fitIntercept: param.boolean(true, 'whether to fit intercepts (unpenalised)'),
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
};

type Specs = typeof logisticRegressionParams;
type ModelSpecs = typeof logisticRegressionModelParams;

/**
 * The log-loss and its gradient for parameters laid out per output row as
 * `[coefficients (d) ..., intercept]`; `outputs` is 1 (binomial) or the number of classes.
 */
function logLoss(
  features: DenseMatrix,
  labels: Int32Array,
  weights: Float64Array,
  outputs: number,
  l2: number,
): (x: Float64Array, gradient: Float64Array) => number {
  const n = features.rows;
  const d = features.columns;
  const stride = d + 1;
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const margins = new Float64Array(outputs);
  return (x, gradient) => {
    gradient.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const offset = i * d;
      const w = weights[i] / totalWeight;
      if (w === 0) continue;
      let largest = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < outputs; c++) {
        let m = x[c * stride + d];
        for (let j = 0; j < d; j++) m += x[c * stride + j] * features.data[offset + j];
        margins[c] = m;
        if (m > largest) largest = m;
      }
      if (outputs === 1) {
        const m = margins[0];
        // log(1 + e^m) - y m, computed without overflow.
        loss += w * ((m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - labels[i] * m);
        margins[0] = w * (1 / (1 + Math.exp(-m)) - labels[i]);
      } else {
        let total = 0;
        for (let c = 0; c < outputs; c++) total += Math.exp(margins[c] - largest);
        const logTotal = largest + Math.log(total);
        loss += w * (logTotal - margins[labels[i]]);
        for (let c = 0; c < outputs; c++) {
          margins[c] = w * (Math.exp(margins[c] - logTotal) - (c === labels[i] ? 1 : 0));
        }
      }
      for (let c = 0; c < outputs; c++) {
        const residual = margins[c];
        if (residual === 0) continue;
        for (let j = 0; j < d; j++) gradient[c * stride + j] += residual * features.data[offset + j];
        gradient[c * stride + d] += residual;
      }
    }
    if (l2 > 0) {
      for (let c = 0; c < outputs; c++) {
        for (let j = 0; j < d; j++) {
          const coefficient = x[c * stride + j];
          loss += 0.5 * l2 * coefficient * coefficient;
          gradient[c * stride + j] += l2 * coefficient;
        }
      }
    }
    return loss;
  };
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

  fitFrame(frame: Frame): LogisticRegressionModel {
    const labelCol = this.get('labelCol');
    const weightCol = this.get('weightCol');
    const features = extractFeatures(frame, this.get('featuresCol'), [labelCol, weightCol]);
    const { classes, indices } = classLabels(frame, labelCol);
    if (classes.length < 2) {
      throw new InputError(`label column '${labelCol}' has only one class`, {
        file: frame.source,
        text: String(classes[0] ?? ''),
        expected: 'at least two classes',
      });
    }
    const { coefficients, intercepts } = this.fitMatrix(
      features.matrix,
      indices,
      classes.length,
      sampleWeights(frame, weightCol),
    );
    return new LogisticRegressionModel(coefficients, intercepts, classes, {
      featuresCol: features.featuresCol,
      predictionCol: this.get('predictionCol'),
      rawPredictionCol: this.get('rawPredictionCol'),
      probabilityCol: this.get('probabilityCol'),
    });
  }

  /**
   * Fits class indices `labels` (0 .. classCount-1) against a feature matrix. Returns one row of
   * coefficients per class (one row in all for the binomial family) and the intercepts.
   */
  fitMatrix(
    features: DenseMatrix,
    labels: Int32Array,
    classCount: number,
    weights: Float64Array = new Float64Array(features.rows).fill(1),
  ): { coefficients: DenseMatrix; intercepts: Float64Array; iterations: number } {
    let family = this.get('family');
    if (family === 'auto') family = classCount === 2 ? 'binomial' : 'multinomial';
    if (family === 'binomial' && classCount !== 2) {
      throw new ParamError('family', 'binomial', `'multinomial' for ${classCount} classes`);
    }
    const outputs = family === 'binomial' ? 1 : classCount;
    const d = features.columns;
    const reg = this.get('reg');
    const elasticNet = this.get('elasticNet');
    const loss = logLoss(features, labels, weights, outputs, reg * (1 - elasticNet));
    const start = new Float64Array(outputs * (d + 1));
    const options = { maxIterations: this.get('maxIterations'), tolerance: this.get('tolerance') };
    let solution: Float64Array;
    let iterations: number;
    if (reg > 0 && elasticNet > 0) {
      const l1 = new Float64Array(start.length);
      for (let c = 0; c < outputs; c++) l1.fill(reg * elasticNet, c * (d + 1), c * (d + 1) + d);
      ({ x: solution, iterations } = minimizeProximal(loss, start, { ...options, l1 }));
    } else {
      ({ x: solution, iterations } = minimizeLbfgs(loss, start, options));
    }
    if (!this.get('fitIntercept')) {
      // Without intercepts the problem is solved again with them pinned at zero.
      const pinned = (x: Float64Array, gradient: Float64Array) => {
        for (let c = 0; c < outputs; c++) x[c * (d + 1) + d] = 0;
        const value = loss(x, gradient);
        for (let c = 0; c < outputs; c++) gradient[c * (d + 1) + d] = 0;
        return value;
      };
      ({ x: solution, iterations } = minimizeLbfgs(pinned, new Float64Array(start.length), options));
    }
    const coefficients = new DenseMatrix(outputs, d);
    const intercepts = new Float64Array(outputs);
    for (let c = 0; c < outputs; c++) {
      coefficients.data.set(solution.subarray(c * (d + 1), c * (d + 1) + d), c * d);
      intercepts[c] = this.get('fitIntercept') ? solution[c * (d + 1) + d] : 0;
    }
    return { coefficients, intercepts, iterations };
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

  transformFrame(frame: Frame): Frame {
    const { matrix } = extractFeatures(frame, this.get('featuresCol'), [this.get('predictionCol')]);
    this.checkRow(matrix.row(0) ?? []);
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
    const prediction: FrameColumn =
      typeof this.classes[0] === 'string'
        ? { kind: 'string', values: labels as string[] }
        : { kind: 'number', values: Float64Array.from(labels as number[]) };
    let result = withColumn(frame, this.get('predictionCol'), prediction);
    result = withColumn(result, this.get('rawPredictionCol'), { kind: 'vector', values: raw });
    return withColumn(result, this.get('probabilityCol'), { kind: 'vector', values: probability });
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
    const classes = stage.classes;
    if (
      !Array.isArray(classes) ||
      !(classes.every((c) => typeof c === 'number') || classes.every((c) => typeof c === 'string'))
    ) {
      throw new InputError('logistic-regression model field "classes" is not a list of labels', {
        file: source,
        expected: 'numbers or strings',
      });
    }
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
