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

import type { RecordBatch } from 'apache-arrow';
import { isRecordBatch } from '../../src/core/arrow-module.js';
import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { numericLabels } from '../../src/ml/data.js';
import {
  type FitInput,
  type FitSummary,
  fitStream,
  joinLatestVersion,
  type ModelVersion,
  type OnlineFitOptions,
  perItemFitting,
  pointsMatrix,
  recordBatchFeatures,
  type StreamPoints,
  withFeatures,
} from '../../src/ml/online.js';
import { commonParams, type FluentParams, type ParamValues, param } from '../../src/ml/params.js';
import { fitSharedModel, type SharedFitOptions, type SharedFitSummary } from '../../src/ml/shared-fit.js';
import { WithParams } from '../../src/ml/stage.js';
import type { JsonValue, Stateful } from '../../src/stream/events.js';
import type { NatsConnection } from '../../src/stream/nats/client.js';
import type { JetStreamSource } from '../../src/stream/nats/source.js';
import { batchSizeOf } from '../../src/stream/sources.js';

/** The parameters of {@link OnlineLogisticRegression}, named and defaulted as in Flink ML's. */
export const onlineLogisticRegressionParams = {
  alpha: param.number(0.1, 'the FTRL learning rate α', { min: 0, exclusiveMin: true }),
  beta: param.number(0.1, 'the FTRL β (smooths the per-coordinate learning rate)', { min: 0 }),
  reg: commonParams.reg,
  elasticNet: commonParams.elasticNet,
  fitIntercept: param.boolean(true, 'learn an intercept, as one more coordinate whose feature is always 1'),
  featuresCol: commonParams.featuresCol,
  labelCol: commonParams.labelCol,
} as const;

type OnlineLogisticRegressionSpecs = typeof onlineLogisticRegressionParams;

/** Options of the {@link OnlineLogisticRegression} constructor: any of its parameters. */
export type OnlineLogisticRegressionParams = Partial<ParamValues<OnlineLogisticRegressionSpecs>>;

/** A batch of labelled points, as `fit(stream)` takes them: features and their 0/1 labels. */
export interface LabeledPoints {
  features: DenseMatrix;
  labels: ArrayLike<number>;
}

/** One model version emitted by `fit(stream)`. */
export type OnlineLogisticRegressionVersion = ModelVersion<OnlineLogisticRegression>;

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

/** Flink ML's fluent setters and getters (`setAlpha(0.5)`, `getReg()`, ...), defined by WithParams. */
export interface OnlineLogisticRegression
  extends FluentParams<OnlineLogisticRegressionSpecs, OnlineLogisticRegression> {}

/**
 * Binary logistic regression trained online (labels 0 and 1). {@link Stateful} for checkpoints.
 * Parameters ({@link onlineLogisticRegressionParams}): `alpha`, `beta`, `reg`, `elasticNet`,
 * `fitIntercept`, and `featuresCol` / `labelCol` (for Arrow record batches on a stream), given to the constructor or set fluently (`.setAlpha(0.5).setReg(0.1)`).
 * The estimator is its own model: `predict`, and `transform(stream)` with or without versions.
 */
export class OnlineLogisticRegression extends WithParams<OnlineLogisticRegressionSpecs> implements Stateful {
  version = 0;
  recordsSeen = 0;
  private z = new Float64Array(0);
  private n = new Float64Array(0);
  private weights = new Float64Array(0);

  constructor(options: OnlineLogisticRegressionParams = {}) {
    super(onlineLogisticRegressionParams, options);
  }

  /** Whether the model has an intercept coordinate. */
  get fitIntercept(): boolean {
    return this.get('fitIntercept');
  }

  /** Sets one parameter (validated); fitIntercept cannot change once the model has weights. */
  override set<K extends keyof OnlineLogisticRegressionSpecs>(
    name: K,
    value: ParamValues<OnlineLogisticRegressionSpecs>[K],
  ): this {
    if (name === 'fitIntercept' && this.weights.length > 0 && value !== this.fitIntercept) {
      throw new ParamError('fitIntercept', value, `${this.fitIntercept}, as the model was trained`);
    }
    return super.set(name, value);
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
    const { z, n, weights } = this;
    const alpha = this.get('alpha');
    const beta = this.get('beta');
    const l1 = this.get('elasticNet') * this.get('reg');
    const l2 = (1 - this.get('elasticNet')) * this.get('reg');
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

  /**
   * Fits on a stream of labelled batches (LabeledPoints, or Arrow RecordBatches read by
   * `featuresCol` and `labelCol`), one update per batch, and yields each new version (with a
   * copy of the model); this estimator is the live model. `options.checkpoint` makes the fit
   * exactly-once across a crash and `resume` (see {@link fitStream}).
   */
  fit(
    stream: FitInput<LabeledPoints | RecordBatch>,
    options: OnlineFitOptions<OnlineLogisticRegressionVersion> = {},
  ): AsyncGenerator<OnlineLogisticRegressionVersion, FitSummary> {
    const fitting = perItemFitting(this, (batch: LabeledPoints | RecordBatch) => {
      const { features, labels } = isRecordBatch(batch) ? this.labeledPoints(batch) : batch;
      if (features.rows === 0) return undefined;
      this.partialFit(features, labels);
      return {
        version: this.version,
        recordsSeen: this.recordsSeen,
        timestamp: Date.now(),
        model: this.clone(),
      };
    });
    return fitStream(stream, fitting, options);
  }

  /**
   * Fits on this worker's share of a JetStream consumer into a model shared by every worker of
   * the group, kept in a key-value bucket (see {@link fitSharedModel}). Each record is its
   * features followed by its 0/1 label (`[x1, ..., xd, y]` in NDJSON, or d + 1 numeric columns);
   * a record whose label is not 0 or 1 is malformed. Each mini-batch of `batchSize` records
   * (default 1,000) is one FTRL update of the latest shared model, committed by compare-and-set:
   * the model is that of one estimator fed the batches in commit order, so with several workers
   * it differs from one worker's by the order of the batches (FTRL's update depends on the
   * weights it starts from), while `recordsSeen` counts every record exactly once.
   */
  fitShared(
    connection: NatsConnection,
    source: JetStreamSource,
    options: SharedFitOptions<undefined> & { batchSize?: number },
  ): Promise<SharedFitSummary> {
    return fitSharedModel(
      connection,
      source,
      {
        batchSize: batchSizeOf(options.batchSize, 1000),
        // The label is one more number after the features.
        dimension: () => (this.weights.length === 0 ? 0 : this.dimension + 1),
        snapshotState: () => this.snapshotState(),
        restoreState: (state) => this.restoreState(state),
        checkRecord: (data, offset, width) => {
          const label = data[offset + width - 1];
          if (width < 2) return { problem: 'no features', expected: 'the features followed by a 0/1 label' };
          return label === 0 || label === 1
            ? undefined
            : { problem: `label ${label}`, expected: '0 or 1 as the last number of the record' };
        },
        update: (rows) => {
          const d = rows.columns - 1;
          const features = new DenseMatrix(rows.rows, d);
          const labels = new Float64Array(rows.rows);
          for (let i = 0; i < rows.rows; i++) {
            features.data.set(rows.data.subarray(i * rows.columns, i * rows.columns + d), i * d);
            labels[i] = rows.data[i * rows.columns + d];
          }
          this.partialFit(features, labels);
          return undefined;
        },
        counts: () => ({ version: this.version, recordsSeen: this.recordsSeen }),
      },
      options,
    );
  }

  private labeledPoints(batch: RecordBatch): LabeledPoints {
    const labelCol = this.get('labelCol');
    const { points, frame } = recordBatchFeatures(batch, this.get('featuresCol'), [labelCol]);
    return { features: points, labels: numericLabels(frame, labelCol) };
  }

  /**
   * Predicts 0/1 labels of a stream of points, one Int32Array per batch. Without `versions`,
   * with the live model when each batch arrives; with `versions` (what `fit(stream)` yields),
   * joined by {@link joinLatestVersion}'s rule: a record is scored with the latest version whose
   * `recordsSeen` is at most its index; records before the first version are scored by this
   * model as it is now if it has been trained, or else wait for the first version.
   */
  async *transform(
    data: AsyncIterable<StreamPoints | RecordBatch> | Iterable<StreamPoints | RecordBatch>,
    options: {
      versions?: AsyncIterable<OnlineLogisticRegressionVersion> | Iterable<OnlineLogisticRegressionVersion>;
    } = {},
  ): AsyncIterable<Int32Array> {
    const stream = withFeatures(data, this.get('featuresCol'), [this.get('labelCol')]);
    if (options.versions === undefined) {
      for await (const points of stream) yield this.predict(pointsMatrix(points, this.dimension));
      return;
    }
    const initial = this.recordsSeen > 0 ? this.clone() : undefined;
    for await (const { points, segments } of joinLatestVersion(stream, options.versions, { initial })) {
      const out = new Int32Array(points.rows);
      for (const { start, end, version } of segments) {
        out.set(version.model.predict(points.sliceRows(start, end)), start);
      }
      yield out;
    }
  }

  /** An independent copy: same parameters and FTRL state. */
  clone(): OnlineLogisticRegression {
    const copy = new OnlineLogisticRegression(this.getParams());
    copy.restoreState(this.snapshotState());
    return copy;
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
    // An untrained model has no weights, not an intercept of 0 alone.
    this.weights =
      saved.z.length === 0
        ? new Float64Array(0)
        : Float64Array.from([...saved.coefficients, ...(this.fitIntercept ? [saved.intercept] : [])]);
    this.version = saved.version;
    this.recordsSeen = saved.recordsSeen;
  }
}
