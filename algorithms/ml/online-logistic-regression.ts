/**
 * Online logistic regression with FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View
 * from the Trenches", 2013), the solver of Flink ML's OnlineLogisticRegression. Per coordinate i
 * it keeps z_i and n_i (the sum of squared gradients); the weight is
 *
 *   w_i = 0                                                    if |z_i| <= λ1
 *   w_i = -(z_i - sign(z_i)·λ1) / ((β + √n_i)/α + λ2)          otherwise
 *
 * with λ1 = elasticNet·reg and λ2 = (1 - elasticNet)·reg, so L1 makes weights exactly zero.
 * A mini-batch contributes its mean gradient g_i = mean((p - y)·x_i):
 * σ = (√(n_i + g_i²) - √n_i)/α, z_i += g_i - σ·w_i, n_i += g_i².
 */
import { ParamError } from '../../src/core/errors.js';
import type { DenseMatrix } from '../../src/core/matrix.js';
import type { JsonValue, Stateful } from '../../src/stream/events.js';

/** Parameters, named as in Flink ML's OnlineLogisticRegression. */
export interface OnlineLogisticRegressionParams {
  /** FTRL learning rate α (default 0.1). */
  alpha?: number;
  /** FTRL β (default 0.1). */
  beta?: number;
  /** Regularization strength (default 0). */
  reg?: number;
  /** Share of L1 in the regularization, in [0, 1] (default 0: pure L2). */
  elasticNet?: number;
  /** Learn an intercept, as one more coordinate whose feature is always 1 (default true). */
  fitIntercept?: boolean;
}

/** The JSON form of the model and its FTRL state. */
export interface OnlineLogisticRegressionJson {
  type: 'logistic-regression';
  coefficients: number[];
  intercept: number;
  z: number[];
  n: number[];
  version: number;
  recordsSeen: number;
}

function checkPositive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new ParamError(name, value, 'a positive number');
  return value;
}

/** Binary logistic regression trained online (labels 0 and 1). {@link Stateful} for checkpoints. */
export class OnlineLogisticRegression implements Stateful {
  readonly alpha: number;
  readonly beta: number;
  readonly l1: number;
  readonly l2: number;
  readonly fitIntercept: boolean;
  version = 0;
  recordsSeen = 0;
  private z = new Float64Array(0);
  private n = new Float64Array(0);
  private weights = new Float64Array(0);

  constructor(params: OnlineLogisticRegressionParams = {}) {
    this.alpha = checkPositive('alpha', params.alpha ?? 0.1);
    const beta = params.beta ?? 0.1;
    if (!(beta >= 0)) throw new ParamError('beta', beta, 'a non-negative number');
    this.beta = beta;
    const reg = params.reg ?? 0;
    if (!(reg >= 0)) throw new ParamError('reg', reg, 'a non-negative number');
    const elasticNet = params.elasticNet ?? 0;
    if (!(elasticNet >= 0 && elasticNet <= 1))
      throw new ParamError('elasticNet', elasticNet, 'a number in [0, 1]');
    this.l1 = elasticNet * reg;
    this.l2 = (1 - elasticNet) * reg;
    this.fitIntercept = params.fitIntercept ?? true;
  }

  /** Feature weights (without the intercept). */
  get coefficients(): Float64Array {
    return this.weights.slice(0, this.dimension);
  }

  get intercept(): number {
    return this.fitIntercept && this.weights.length > 0 ? this.weights[this.weights.length - 1] : 0;
  }

  get dimension(): number {
    return Math.max(0, this.weights.length - (this.fitIntercept ? 1 : 0));
  }

  /** Applies one mini-batch of features with 0/1 labels. */
  partialFit(features: DenseMatrix, labels: ArrayLike<number>): this {
    const d = features.columns;
    const width = d + (this.fitIntercept ? 1 : 0);
    if (this.weights.length === 0) {
      this.z = new Float64Array(width);
      this.n = new Float64Array(width);
      this.weights = new Float64Array(width);
    }
    if (width !== this.weights.length)
      throw new ParamError('features', `${d} columns`, `${this.dimension} columns`);
    const rows = features.rows;
    if (labels.length !== rows)
      throw new ParamError('labels', `${labels.length} labels`, `${rows}, one per row`);
    if (rows === 0) return this;
    const gradient = new Float64Array(width);
    const data = features.data;
    for (let i = 0; i < rows; i++) {
      const label = labels[i];
      if (label !== 0 && label !== 1) throw new ParamError(`labels[${i}]`, label, '0 or 1');
      const error = this.probabilityAt(data, i * d, d) - label;
      for (let j = 0; j < d; j++) gradient[j] += error * data[i * d + j];
      if (this.fitIntercept) gradient[d] += error;
    }
    const { z, n, weights, alpha, beta, l1, l2 } = this;
    for (let j = 0; j < width; j++) {
      const g = gradient[j] / rows;
      const sigma = (Math.sqrt(n[j] + g * g) - Math.sqrt(n[j])) / alpha;
      z[j] += g - sigma * weights[j];
      n[j] += g * g;
      weights[j] =
        Math.abs(z[j]) <= l1 ? 0 : -(z[j] - Math.sign(z[j]) * l1) / ((beta + Math.sqrt(n[j])) / alpha + l2);
    }
    this.version++;
    this.recordsSeen += rows;
    return this;
  }

  private probabilityAt(data: Float64Array, offset: number, d: number): number {
    let margin = this.fitIntercept ? this.weights[d] : 0;
    for (let j = 0; j < d; j++) margin += this.weights[j] * data[offset + j];
    return 1 / (1 + Math.exp(-margin));
  }

  /** P(label = 1) for each row. */
  predictProbabilities(features: DenseMatrix): Float64Array {
    if (features.columns !== this.dimension) {
      throw new ParamError('features', `${features.columns} columns`, `${this.dimension} columns`);
    }
    const out = new Float64Array(features.rows);
    for (let i = 0; i < features.rows; i++)
      out[i] = this.probabilityAt(features.data, i * features.columns, features.columns);
    return out;
  }

  /** 0/1 predictions (probability >= 0.5). */
  predict(features: DenseMatrix): Int32Array {
    return Int32Array.from(this.predictProbabilities(features), (p) => (p >= 0.5 ? 1 : 0));
  }

  toJSON(): OnlineLogisticRegressionJson {
    return {
      type: 'logistic-regression',
      coefficients: Array.from(this.coefficients),
      intercept: this.intercept,
      z: Array.from(this.z),
      n: Array.from(this.n),
      version: this.version,
      recordsSeen: this.recordsSeen,
    };
  }

  snapshotState(): JsonValue {
    return this.toJSON() as unknown as JsonValue;
  }

  restoreState(state: JsonValue): void {
    const saved = state as unknown as OnlineLogisticRegressionJson;
    if (saved?.type !== 'logistic-regression')
      throw new ParamError('state', state, 'a logistic-regression state');
    this.z = Float64Array.from(saved.z);
    this.n = Float64Array.from(saved.n);
    this.weights = Float64Array.from([
      ...saved.coefficients,
      ...(this.fitIntercept ? [saved.intercept] : []),
    ]);
    this.version = saved.version;
    this.recordsSeen = saved.recordsSeen;
  }
}
