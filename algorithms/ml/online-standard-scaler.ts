/**
 * Online standard scaling: running per-feature mean and variance over a stream, merged batch by
 * batch with Chan et al.'s pairwise update (numerically stable, and the same at any batching),
 * as scikit-learn's StandardScaler.partial_fit does. The variance is the population variance
 * (ddof = 0, scikit-learn's choice); a constant feature gets scale 1 rather than a division by 0.
 */

import type { RecordBatch } from 'apache-arrow';
import { isRecordBatch } from '../../src/core/arrow-module.js';
import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
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

/**
 * The parameters of {@link OnlineStandardScaler}, named as in Flink ML; the defaults are
 * scikit-learn's (Flink ML's withMean defaults to false).
 */
export const onlineStandardScalerParams = {
  withMean: param.boolean(true, 'subtract the mean'),
  withStd: param.boolean(true, 'divide by the standard deviation'),
  featuresCol: commonParams.featuresCol,
} as const;

type OnlineStandardScalerSpecs = typeof onlineStandardScalerParams;

/** Points on a stream the scaler reads: any StreamPoints, or Arrow RecordBatches read by `featuresCol`. */
type ScalerInput = AsyncIterable<StreamPoints | RecordBatch> | Iterable<StreamPoints | RecordBatch>;

/** Options of the {@link OnlineStandardScaler} constructor: any of its parameters. */
export type OnlineStandardScalerParams = Partial<ParamValues<OnlineStandardScalerSpecs>>;

/** One version of the scaler emitted by `fit(stream)`. */
export type OnlineStandardScalerVersion = ModelVersion<OnlineStandardScaler>;

/** The JSON form of a scaler's state. */
export interface OnlineStandardScalerJson {
  type: 'standard-scaler';
  dimension: number;
  count: number;
  mean: number[];
  /** Sum of squared deviations from the mean, per feature. */
  m2: number[];
  withMean: boolean;
  withStd: boolean;
  /** Batches folded in so far (absent in states saved before versions were counted: 0). */
  version?: number;
}

/** Flink ML's fluent setters and getters (`setWithMean(false)`, `getWithStd()`), defined by WithParams. */
export interface OnlineStandardScaler extends FluentParams<OnlineStandardScalerSpecs, OnlineStandardScaler> {}

/**
 * A standard scaler fitted online: `partialFit(batch)` folds a batch into the running
 * statistics, `transform(batch)` scales with the statistics so far; `fit(stream)` yields the
 * scaler's versions (a copy after each batch), and `transform(stream)` scales a stream, joined
 * with those versions when given. {@link Stateful}, so it checkpoints with a job.
 * @example
 * const scaler = new OnlineStandardScaler();
 * const kmeans = new OnlineKMeans({ k: 3 });
 * for await (const [batch] of DataStream.from(ndjsonVectorSource('points.ndjson')).batches()) {
 *   kmeans.partialFit(scaler.partialFit(batch.points).transform(batch.points));
 * }
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class OnlineStandardScaler extends WithParams<OnlineStandardScalerSpecs> implements Stateful {
  /** Batches folded in so far. */
  version = 0;
  private count = 0;
  private mean = new Float64Array(0);
  private m2 = new Float64Array(0);

  constructor(options: OnlineStandardScalerParams = {}) {
    super(onlineStandardScalerParams, options);
  }

  get withMean(): boolean {
    return this.get('withMean');
  }

  get withStd(): boolean {
    return this.get('withStd');
  }

  /** Points seen so far. */
  get recordsSeen(): number {
    return this.count;
  }

  get dimension(): number {
    return this.mean.length;
  }

  /** The running means. */
  getMean(): Float64Array {
    return this.mean.slice();
  }

  /** The running standard deviations (population, ddof = 0). */
  getStd(): Float64Array {
    return this.m2.map((m2) => (this.count > 0 ? Math.sqrt(m2 / this.count) : 0));
  }

  /** Folds a batch into the statistics and returns the scaler. */
  partialFit(batch: DenseMatrix): this {
    const d = batch.columns;
    if (this.count === 0 && this.mean.length !== d) {
      this.mean = new Float64Array(d);
      this.m2 = new Float64Array(d);
    }
    if (d !== this.mean.length)
      throw new ParamError('batch', `${d} columns`, `${this.mean.length} columns like before`);
    const n = batch.rows;
    if (n === 0) return this;
    const data = batch.data;
    const batchMean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) batchMean[j] += data[i * d + j];
    for (let j = 0; j < d; j++) batchMean[j] /= n;
    const batchM2 = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const deviation = data[i * d + j] - batchMean[j];
        batchM2[j] += deviation * deviation;
      }
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(batchMean[j]) || !Number.isFinite(batchM2[j])) {
        throw new ParamError(`batch column ${j}`, batchMean[j], 'finite values');
      }
    }
    const total = this.count + n;
    for (let j = 0; j < d; j++) {
      const delta = batchMean[j] - this.mean[j];
      this.m2[j] += batchM2[j] + ((delta * delta * this.count) / total) * n;
      this.mean[j] += (delta * n) / total;
    }
    this.count = total;
    this.version++;
    return this;
  }

  /** The batch scaled with the statistics so far (a new matrix). */
  transform(batch: DenseMatrix): DenseMatrix;
  /**
   * Scales a stream of points, one new matrix per batch. Without `versions`, with the live
   * statistics when each batch arrives; with `versions` (what `fit(stream)` yields), joined by
   * {@link joinLatestVersion}'s rule: a record is scaled by the latest version whose
   * `recordsSeen` is at most its index; records before the first version are scaled by this
   * scaler as it is now if it has seen data, or else wait for the first version.
   */
  transform(
    stream: ScalerInput,
    options?: {
      versions?: AsyncIterable<OnlineStandardScalerVersion> | Iterable<OnlineStandardScalerVersion>;
    },
  ): AsyncIterable<DenseMatrix>;
  transform(
    data: DenseMatrix | ScalerInput,
    options: {
      versions?: AsyncIterable<OnlineStandardScalerVersion> | Iterable<OnlineStandardScalerVersion>;
    } = {},
  ): DenseMatrix | AsyncIterable<DenseMatrix> {
    if (data instanceof DenseMatrix) {
      const out = new DenseMatrix(data.rows, data.columns);
      this.scaleInto(data, out.data);
      return out;
    }
    const points = withFeatures(data, this.get('featuresCol'));
    return options.versions === undefined
      ? this.scaleLive(points)
      : this.scaleJoined(points, options.versions);
  }

  private async *scaleLive(
    stream: AsyncIterable<StreamPoints> | Iterable<StreamPoints>,
  ): AsyncIterable<DenseMatrix> {
    for await (const points of stream) yield this.transform(pointsMatrix(points, this.dimension));
  }

  private async *scaleJoined(
    stream: AsyncIterable<StreamPoints> | Iterable<StreamPoints>,
    versions: AsyncIterable<OnlineStandardScalerVersion> | Iterable<OnlineStandardScalerVersion>,
  ): AsyncIterable<DenseMatrix> {
    const initial = this.count > 0 ? this.clone() : undefined;
    for await (const { points, segments } of joinLatestVersion(stream, versions, { initial })) {
      const out = new DenseMatrix(points.rows, points.columns);
      for (const { start, end, version } of segments) {
        version.model.scaleInto(points.sliceRows(start, end), out.data.subarray(start * out.columns));
      }
      yield out;
    }
  }

  /** Writes the scaled rows of `batch` into `target` (row-major, from its start). */
  private scaleInto(batch: DenseMatrix, target: Float64Array): void {
    const d = batch.columns;
    if (d !== this.mean.length) throw new ParamError('batch', `${d} columns`, `${this.mean.length} columns`);
    const withMean = this.withMean;
    const std = this.getStd();
    const scale = std.map((s) => (s === 0 || !this.withStd ? 1 : 1 / s));
    const source = batch.data;
    for (let i = 0; i < batch.rows; i++) {
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        target[k] = (withMean ? source[k] - this.mean[j] : source[k]) * scale[j];
      }
    }
  }

  /**
   * Fits on a stream of points (or Arrow RecordBatches read by `featuresCol`), one update per
   * batch, yielding a version (with a copy) after each. `options.checkpoint` makes the fit
   * exactly-once across a crash and `resume` (see {@link fitStream}).
   */
  fit(
    stream: FitInput<StreamPoints | RecordBatch>,
    options: OnlineFitOptions<OnlineStandardScalerVersion> = {},
  ): AsyncGenerator<OnlineStandardScalerVersion, FitSummary> {
    const featuresCol = this.get('featuresCol');
    const fitting = perItemFitting(this, (item: StreamPoints | RecordBatch) => {
      const points = isRecordBatch(item) ? recordBatchFeatures(item, featuresCol).points : item;
      const matrix = pointsMatrix(points, this.dimension);
      if (matrix.rows === 0) return undefined;
      this.partialFit(matrix);
      return { version: this.version, recordsSeen: this.count, timestamp: Date.now(), model: this.clone() };
    });
    return fitStream(stream, fitting, options);
  }

  /**
   * Fits on this worker's share of a JetStream consumer into statistics shared by every worker
   * of the group, kept in a key-value bucket (see {@link fitSharedModel}): each mini-batch of
   * `batchSize` points (default 10,000) is merged into the latest shared statistics by the
   * parallel (Chan et al.) merge of counts, means and squared deviations, which does not depend
   * on which worker counted which batch, and committed by compare-and-set.
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
        batchSize: batchSizeOf(options.batchSize, 10_000),
        dimension: () => this.dimension,
        snapshotState: () => this.snapshotState(),
        restoreState: (state) => this.restoreState(state),
        update: (rows) => {
          this.partialFit(rows);
          return undefined;
        },
        counts: () => ({ version: this.version, recordsSeen: this.count }),
      },
      options,
    );
  }

  /** An independent copy: same parameters and statistics. */
  clone(): OnlineStandardScaler {
    const copy = new OnlineStandardScaler(this.getParams());
    copy.restoreState(this.snapshotState());
    return copy;
  }

  toJSON(): OnlineStandardScalerJson {
    return {
      type: 'standard-scaler',
      dimension: this.mean.length,
      count: this.count,
      mean: Array.from(this.mean),
      m2: Array.from(this.m2),
      withMean: this.withMean,
      withStd: this.withStd,
      version: this.version,
    };
  }

  snapshotState(): JsonValue {
    return this.toJSON() as unknown as JsonValue;
  }

  restoreState(state: JsonValue): void {
    const saved = state as unknown as OnlineStandardScalerJson;
    if (saved?.type !== 'standard-scaler') throw new ParamError('state', state, 'a standard-scaler state');
    this.count = saved.count;
    this.mean = Float64Array.from(saved.mean);
    this.m2 = Float64Array.from(saved.m2);
    this.version = saved.version ?? 0;
  }
}
