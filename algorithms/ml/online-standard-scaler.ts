/**
 * Online standard scaling: running per-feature mean and variance over a stream, merged batch by
 * batch with Chan et al.'s pairwise update (numerically stable, and the same at any batching),
 * as scikit-learn's StandardScaler.partial_fit does. The variance is the population variance
 * (ddof = 0, scikit-learn's choice); a constant feature gets scale 1 rather than a division by 0.
 */
import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import type { JsonValue, Stateful } from '../../src/stream/events.js';
import type { StreamPoints } from './online-kmeans.js';

/** Parameters of {@link OnlineStandardScaler}, as in scikit-learn and Flink ML. */
export interface OnlineStandardScalerParams {
  /** Subtract the mean (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (default true). */
  withStd?: boolean;
}

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
}

/**
 * A standard scaler fitted online: `partialFit(batch)` folds a batch into the running
 * statistics, `transform(batch)` scales with the statistics so far; `fit(stream)` yields the
 * number of points seen after each batch. {@link Stateful}, so it checkpoints with a job.
 * @example
 * const scaler = new OnlineStandardScaler();
 * const kmeans = new OnlineKMeans({ k: 3 });
 * for await (const [batch] of DataStream.from(ndjsonVectorSource('points.ndjson')).batches()) {
 *   kmeans.partialFit(scaler.partialFit(batch.points).transform(batch.points));
 * }
 */
export class OnlineStandardScaler implements Stateful {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private count = 0;
  private mean = new Float64Array(0);
  private m2 = new Float64Array(0);

  constructor(params: OnlineStandardScalerParams = {}) {
    this.withMean = params.withMean ?? true;
    this.withStd = params.withStd ?? true;
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
    return this;
  }

  /** The batch scaled with the statistics so far (a new matrix). */
  transform(batch: DenseMatrix): DenseMatrix {
    const d = batch.columns;
    if (d !== this.mean.length) throw new ParamError('batch', `${d} columns`, `${this.mean.length} columns`);
    const std = this.getStd();
    const scale = std.map((s) => (s === 0 || !this.withStd ? 1 : 1 / s));
    const out = new DenseMatrix(batch.rows, d);
    const source = batch.data;
    const target = out.data;
    for (let i = 0; i < batch.rows; i++) {
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        target[k] = (this.withMean ? source[k] - this.mean[j] : source[k]) * scale[j];
      }
    }
    return out;
  }

  /** Fits on a stream of batches, yielding the points seen after each. */
  async *fit(
    stream: AsyncIterable<StreamPoints> | Iterable<StreamPoints>,
  ): AsyncIterable<{ recordsSeen: number }> {
    for await (const points of stream) {
      const matrix =
        points instanceof DenseMatrix
          ? points
          : 'points' in points && points.points instanceof DenseMatrix
            ? points.points
            : new DenseMatrix(
                1,
                (points as ArrayLike<number>).length,
                Float64Array.from(points as ArrayLike<number>),
              );
      this.partialFit(matrix);
      yield { recordsSeen: this.count };
    }
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
  }
}
