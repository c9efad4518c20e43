/**
 * Online (streaming) k-means with Spark's StreamingKMeans update rule. Each mini-batch moves
 * every centroid towards the mean of the points assigned to it, weighing the centroid by its
 * (decayed) past weight:
 *
 *   n_t+1 = n_t·a + m_t,   c_t+1 = (c_t·n_t·a + x_t·m_t) / (n_t·a + m_t)
 *
 * where a is the decay factor (per batch, or raised to the number of points with time unit
 * 'points'), m_t the batch's count and x_t its mean. A cluster whose weight falls below 1e-8 of
 * the largest is "dying": the largest is split in two to replace it, as Spark does.
 *
 * Without initial centroids, the first centroids come from the first `initSize` points of the
 * stream (scikit-learn's MiniBatchKMeans `init_size`), chosen by k-means++ or at random; those
 * points are then counted as ordinary mini-batches, so none is lost or counted twice.
 */

import type { RecordBatch } from 'apache-arrow';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { type RandomSource, random } from '../../../src/core/random.js';
import {
  type FitInput,
  type FitSummary,
  fitStream,
  joinLatestVersion,
  type ModelVersion,
  type OnlineFitOptions,
  pointsMatrix,
  type StreamPoints,
  withFeatures,
} from '../../../src/ml/online.js';
import {
  commonParams,
  type FluentParams,
  type ParamSpec,
  type ParamValues,
  param,
} from '../../../src/ml/params.js';
import {
  fitSharedModel,
  type SharedFitOptions,
  type SharedFitSummary,
  type SharedModelLearner,
} from '../../../src/ml/shared-fit.js';
import { WithParams } from '../../../src/ml/stage.js';
import type { ColumnPoints } from '../../../src/stream/arrow-columns.js';
import type { JsonValue, Stateful } from '../../../src/stream/events.js';
import type { NatsConnection } from '../../../src/stream/nats/client.js';
import type { JetStreamSource } from '../../../src/stream/nats/source.js';
import { kMeansPlusPlusCentres, randomCentres } from './init.js';
import { nearestCentre } from './nearest.js';
import { type MiniBatchAssignments, MiniBatchFitting, type MiniBatchLearner } from './online-fitting.js';

/** How decay is counted: per mini-batch, or per point (Spark's timeUnit). */
export type DecayTimeUnit = 'batches' | 'points';

/** A positive number, or null for none (halfLife: unset unless asked for). */
const optionalPositive = (description: string): ParamSpec<number | null> => ({
  default: null,
  description,
  accepted: 'a positive finite number or null',
  isValid: (v): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v) && v > 0),
});

/** A positive integer, or null for the default that depends on other parameters. */
const optionalPositiveInteger = (description: string): ParamSpec<number | null> => ({
  default: null,
  description,
  accepted: 'a positive integer or null',
  isValid: (v): v is number | null => v === null || (Number.isInteger(v) && (v as number) > 0),
});

/**
 * The parameters of {@link OnlineKMeans}, named as in Flink ML's OnlineKMeans and Spark's
 * StreamingKMeans (defaults: Spark's, with batches of 1000 points).
 */
export const onlineKMeansParams = {
  k: param.integer(2, 'the number of clusters', { min: 1 }),
  batchSize: param.integer(1000, 'points per model update in fit(stream)', { min: 1 }),
  decayFactor: param.number(1, 'the weight the past keeps per time unit (1: no forgetting)', {
    min: 0,
    max: 1,
  }),
  halfLife: optionalPositive(
    'instead of decayFactor: time units after which the past has half its weight (decayFactor = 0.5^(1/halfLife))',
  ),
  timeUnit: param.choice('batches', 'whether decay counts mini-batches or points', [
    'batches',
    'points',
  ] as const),
  init: param.choice(
    'k-means++',
    'how the first centroids are chosen from the first initSize points (unless initialCentroids)',
    ['k-means++', 'random'] as const,
  ),
  initSize: optionalPositiveInteger(
    'points that choose the first centroids (null: 3 * batchSize, at least 3 * k, as scikit-learn)',
  ),
  seed: commonParams.seed,
  featuresCol: commonParams.featuresCol,
} as const;

type OnlineKMeansSpecs = typeof onlineKMeansParams;

/**
 * Options of the {@link OnlineKMeans} constructor: any of {@link onlineKMeansParams}, and the
 * initial model, which is data rather than a parameter.
 */
export interface OnlineKMeansParams extends Partial<ParamValues<OnlineKMeansSpecs>> {
  /**
   * Initial centroids (k rows), e.g. those of a trained batch KMeans model. Default: chosen by
   * `init` among the first `initSize` points of `fit(stream)` (or the first `partialFit` batch).
   */
  initialCentroids?: ArrayLike<ArrayLike<number>> | DenseMatrix;
  /** Weight of each initial centroid (default 0, as in Spark's setRandomCenters). */
  initialWeight?: number | ArrayLike<number>;
}

/**
 * One model version emitted by `fit(stream)`: with the points of the mini-batch that made it
 * (their indices in the stream) and the cluster each was counted into.
 */
export type OnlineKMeansVersion = ModelVersion<OnlineKMeansModel> & { assignments?: MiniBatchAssignments };

/** A version as `fit(stream)` yields it: always with its mini-batch's assignments. */
export type OnlineKMeansFitVersion = OnlineKMeansVersion & { assignments: MiniBatchAssignments };

/** Options of the streaming `transform`s of {@link OnlineKMeansModel} and {@link OnlineKMeans}. */
export interface OnlineKMeansTransformOptions {
  /**
   * Model versions (what `fit(stream)` yields) to join with the data: each record is scored
   * with the latest version that applies to it, by {@link joinLatestVersion}'s rule.
   */
  versions?: AsyncIterable<OnlineKMeansVersion> | Iterable<OnlineKMeansVersion>;
}

/** The JSON form of a model: the batch KMeans model's `{"type":"kmeans","centroids":[...]}`, plus weights. */
export interface OnlineKMeansModelJson {
  type: 'kmeans';
  k: number;
  dimension: number;
  centroids: number[][];
  weights: number[];
  decayFactor: number;
  timeUnit: DecayTimeUnit;
  version: number;
  recordsSeen: number;
}

/** A k-means model whose centroids carry weights, updated in place by {@link OnlineKMeans}. */
export class OnlineKMeansModel {
  readonly k: number;
  readonly dimension: number;
  /** Row-major k × dimension centroids. */
  readonly centroids: Float64Array;
  readonly weights: Float64Array;
  /** Decay of the updates; OnlineKMeans sets them from its parameters at each update. */
  decayFactor: number;
  timeUnit: DecayTimeUnit;
  version = 0;
  recordsSeen = 0;
  timestamp = 0;

  constructor(
    centroids: DenseMatrix,
    weights: Float64Array,
    decayFactor = 1,
    timeUnit: DecayTimeUnit = 'batches',
  ) {
    this.k = centroids.rows;
    this.dimension = centroids.columns;
    this.centroids = centroids.data.slice();
    this.weights = weights.slice();
    this.decayFactor = decayFactor;
    this.timeUnit = timeUnit;
  }

  /** The index of the centroid closest to `point` (Euclidean; the first one on ties). */
  predict(point: ArrayLike<number>): number {
    if (point.length !== this.dimension) {
      throw new ParamError('point', `a point of dimension ${point.length}`, `dimension ${this.dimension}`);
    }
    const values = point instanceof Float64Array ? point : Float64Array.from(point);
    return nearestCentre(this.centroids, this.k, this.dimension, values, 0, new Float64Array(this.k));
  }

  /** The closest centroid of every row of `points`, into `out` (allocated when not given). */
  predictBatch(points: DenseMatrix, out = new Int32Array(points.rows)): Int32Array {
    if (points.columns !== this.dimension) {
      throw new ParamError('points', `${points.columns} columns`, `${this.dimension} columns`);
    }
    const { k, dimension, centroids } = this;
    const data = points.data;
    const partial = new Float64Array(k);
    for (let i = 0; i < points.rows; i++)
      out[i] = nearestCentre(centroids, k, dimension, data, i * dimension, partial);
    return out;
  }

  /**
   * Scores a stream of points, one Int32Array of clusters per batch. Without `versions`, with
   * whatever version this model is at when each batch arrives (the model is live: an
   * OnlineKMeans fitting at the same time updates it between batches). With `versions`, joined
   * deterministically: a record is scored with the latest version whose `recordsSeen` is at
   * most its index, and this model as it is now scores the records before the first version.
   */
  transform(
    stream: AsyncIterable<StreamPoints> | Iterable<StreamPoints>,
    options: OnlineKMeansTransformOptions = {},
  ): AsyncIterable<Int32Array> {
    return options.versions
      ? predictJoined(stream, options.versions, this.clone())
      : predictLive(stream, () => this);
  }

  /** Centroids as one array per cluster. */
  centroidRows(): number[][] {
    return new DenseMatrix(this.k, this.dimension, this.centroids).toRows();
  }

  clone(): OnlineKMeansModel {
    const copy = new OnlineKMeansModel(
      new DenseMatrix(this.k, this.dimension, this.centroids),
      this.weights,
      this.decayFactor,
      this.timeUnit,
    );
    copy.version = this.version;
    copy.recordsSeen = this.recordsSeen;
    copy.timestamp = this.timestamp;
    return copy;
  }

  toJSON(): OnlineKMeansModelJson {
    return {
      type: 'kmeans',
      k: this.k,
      dimension: this.dimension,
      centroids: this.centroidRows(),
      weights: Array.from(this.weights),
      decayFactor: this.decayFactor,
      timeUnit: this.timeUnit,
      version: this.version,
      recordsSeen: this.recordsSeen,
    };
  }

  /** Reads a model from its JSON (a batch KMeans model's JSON too: weights then default to 0). */
  static fromJSON(json: unknown): OnlineKMeansModel {
    const value = json as Partial<OnlineKMeansModelJson>;
    if (value?.type !== 'kmeans' || !Array.isArray(value.centroids) || value.centroids.length === 0) {
      throw new ParamError('model', json, 'a k-means model: {"type":"kmeans","centroids":[[...], ...], ...}');
    }
    const centroids = DenseMatrix.fromRows(value.centroids);
    const weights = value.weights ? Float64Array.from(value.weights) : new Float64Array(centroids.rows);
    if (weights.length !== centroids.rows)
      throw new ParamError('weights', value.weights, `${centroids.rows} weights`);
    const model = new OnlineKMeansModel(
      centroids,
      weights,
      value.decayFactor ?? 1,
      value.timeUnit ?? 'batches',
    );
    model.version = value.version ?? 0;
    model.recordsSeen = value.recordsSeen ?? 0;
    return model;
  }
}

/** Clusters of each batch by the model `live()` returns when the batch arrives. */
async function* predictLive(
  stream: AsyncIterable<StreamPoints> | Iterable<StreamPoints>,
  live: () => OnlineKMeansModel | undefined,
): AsyncIterable<Int32Array> {
  for await (const points of stream) {
    const model = live();
    if (model === undefined) {
      throw new ParamError(
        'model',
        'none yet',
        'a model: fit first, give initialCentroids, or pass versions',
      );
    }
    yield model.predictBatch(pointsMatrix(points, model.dimension));
  }
}

/** Clusters of each batch, each row by the version {@link joinLatestVersion} pairs it with. */
async function* predictJoined(
  stream: AsyncIterable<StreamPoints> | Iterable<StreamPoints>,
  versions: AsyncIterable<OnlineKMeansVersion> | Iterable<OnlineKMeansVersion>,
  initial: OnlineKMeansModel | undefined,
): AsyncIterable<Int32Array> {
  for await (const { points, segments } of joinLatestVersion(stream, versions, { initial })) {
    const out = new Int32Array(points.rows);
    for (const { start, end, version } of segments) {
      version.model.predictBatch(points.sliceRows(start, end), out.subarray(start, end));
    }
    yield out;
  }
}

/** The constructor's options less the initial model, checked for decayFactor and halfLife together. */
function parameterOptions(options: OnlineKMeansParams): Partial<ParamValues<OnlineKMeansSpecs>> {
  const { initialCentroids: _centroids, initialWeight: _weight, ...values } = options;
  if (options.decayFactor !== undefined && options.halfLife !== undefined && options.halfLife !== null) {
    throw new ParamError(
      'halfLife',
      options.halfLife,
      'no halfLife when decayFactor is given (one or the other)',
    );
  }
  return values;
}

/** Flink ML's fluent setters and getters (`setK(8)`, `getDecayFactor()`, ...), defined by WithParams. */
export interface OnlineKMeans extends FluentParams<OnlineKMeansSpecs, OnlineKMeans> {}

/**
 * Online k-means: `partialFit(batch)` applies one mini-batch; `fit(stream)` cuts a stream into
 * mini-batches of `batchSize` points and yields a model version after each. The estimator is
 * {@link Stateful}: a streaming job that checkpoints it resumes with the exact same model.
 *
 * Parameters ({@link onlineKMeansParams}): `k`, `batchSize`, `decayFactor` or `halfLife` (setting
 * decayFactor clears halfLife), `timeUnit`, `init` and `initSize` (the first centroids: k-means++
 * or random over the first initSize points), `seed`, and `featuresCol` (the features of Arrow
 * record batches on the stream, as batch stages read them); given to the constructor or set fluently
 * (`new OnlineKMeans().setK(8).setDecayFactor(0.5)`), validated at once ({@link ParamError}).
 * @example
 * const kmeans = new OnlineKMeans({ k: 3, batchSize: 500, halfLife: 10, seed: 1 });
 * for await (const { version, recordsSeen } of kmeans.fit(DataStream.from(ndjsonVectorSource('points.ndjson')))) { ... }
 * kmeans.model.predict([0.5, 1.5]);
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class OnlineKMeans extends WithParams<OnlineKMeansSpecs> implements Stateful {
  private readonly initialWeight: number | ArrayLike<number>;
  private current: OnlineKMeansModel | undefined;
  // Per-update scratch space, reused across batches.
  private sums = new Float64Array(0);
  private counts = new Float64Array(0);
  private labels = new Int32Array(0);
  private partial = new Float64Array(0);

  constructor(options: OnlineKMeansParams = {}) {
    super(onlineKMeansParams, parameterOptions(options));
    this.initialWeight = options.initialWeight ?? 0;
    if (options.initialCentroids !== undefined) {
      const rows =
        options.initialCentroids instanceof DenseMatrix
          ? options.initialCentroids
          : DenseMatrix.fromRows(options.initialCentroids);
      if (rows.rows !== this.k)
        throw new ParamError('initialCentroids', `${rows.rows} centroids`, `k = ${this.k} centroids`);
      this.current = new OnlineKMeansModel(rows, this.initialWeights(), this.decayFactor, this.timeUnit);
    }
  }

  /** Sets one parameter (validated); setting decayFactor clears halfLife, which would override it. */
  override set<K extends keyof OnlineKMeansSpecs>(name: K, value: ParamValues<OnlineKMeansSpecs>[K]): this {
    super.set(name, value);
    if (name === 'decayFactor') this.params.set('halfLife', null);
    return this;
  }

  /** The number of clusters. */
  get k(): number {
    return this.get('k');
  }

  /** Points per update in `fit(stream)`. */
  get batchSize(): number {
    return this.get('batchSize');
  }

  /** The decay factor in effect: `decayFactor`, or the one `halfLife` gives when it is set. */
  get decayFactor(): number {
    const halfLife = this.get('halfLife');
    return halfLife === null ? this.get('decayFactor') : Math.exp(Math.log(0.5) / halfLife);
  }

  get timeUnit(): DecayTimeUnit {
    return this.get('timeUnit');
  }

  /** Points that choose the first centroids: `initSize`, or 3 * batchSize and at least 3 * k. */
  get initSize(): number {
    return this.get('initSize') ?? Math.max(3 * this.batchSize, 3 * this.k);
  }

  private initialWeights(): Float64Array {
    const weight = this.initialWeight;
    const weights =
      typeof weight === 'number' ? new Float64Array(this.k).fill(weight) : Float64Array.from(weight);
    if (weights.length !== this.k || weights.some((w) => !(w >= 0))) {
      throw new ParamError('initialWeight', weight, `a non-negative number or ${this.k} of them`);
    }
    return weights;
  }

  /** The live model (undefined before the first batch when centroids are random). */
  get model(): OnlineKMeansModel | undefined {
    return this.current;
  }

  /**
   * Scores a stream of points, one Int32Array of clusters per batch: joined with `versions`
   * (see {@link OnlineKMeansModel.transform}; the records before the first version are scored
   * by this estimator's model as it is now, or wait for the first version when it has none), or
   * without them by the live model.
   */
  transform(
    stream: AsyncIterable<StreamPoints | RecordBatch> | Iterable<StreamPoints | RecordBatch>,
    options: OnlineKMeansTransformOptions = {},
  ): AsyncIterable<Int32Array> {
    const points = withFeatures(stream, this.get('featuresCol'));
    return options.versions
      ? predictJoined(points, options.versions, this.current?.clone())
      : predictLive(points, () => this.current);
  }

  /**
   * The first model, its centroids chosen by `init` among the rows of `points` with the seeded
   * generator. With fewer distinct rows than k, some centroids coincide: the dying-cluster rule
   * separates them once the others gain weight.
   */
  private initialize(points: DenseMatrix): OnlineKMeansModel {
    if (points.rows === 0) {
      throw new ParamError('batch', 'no points', 'at least one point to choose the first centroids from');
    }
    const bad = points.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      throw new ParamError(
        `batch[${Math.floor(bad / points.columns)}]`,
        points.data[bad],
        'finite coordinates',
      );
    }
    const rng = random(this.get('seed'));
    const centroids = new DenseMatrix(
      this.k,
      points.columns,
      initialCentres(points, this.k, this.get('init'), rng),
    );
    this.current = new OnlineKMeansModel(centroids, this.initialWeights(), this.decayFactor, this.timeUnit);
    return this.current;
  }

  private ensureModel(batch: DenseMatrix): OnlineKMeansModel {
    const dimension = batch.columns;
    if (this.current) {
      if (this.current.k !== this.k) {
        throw new ParamError(
          'k',
          this.k,
          `${this.current.k}, the number of centroids of the model being updated`,
        );
      }
      if (this.current.dimension !== dimension) {
        throw new ParamError(
          'batch',
          `points of dimension ${dimension}`,
          `dimension ${this.current.dimension} like the model`,
        );
      }
      return this.current;
    }
    return this.initialize(batch);
  }

  /**
   * Applies one mini-batch (Spark's StreamingKMeansModel.update) and returns the live model.
   * `assignments`, when given, receives the cluster each point was counted into. A ColumnPoints
   * (columns of an Arrow record batch) is copied into rows first: the result is the same.
   */
  partialFit(batch: DenseMatrix | ColumnPoints, assignments?: Int32Array): OnlineKMeansModel {
    return this.update(batch instanceof DenseMatrix ? batch : pointsMatrix(batch), assignments);
  }

  private update(batch: DenseMatrix, assignments?: Int32Array): OnlineKMeansModel {
    this.ensureModel(batch);
    return this.merge(this.statistics(batch, assignments));
  }

  /**
   * The costly half of {@link update}: each point's nearest centroid in the live model (which
   * must exist), summed per cluster into the scratch arrays (valid until the next batch).
   */
  private statistics(batch: DenseMatrix, assignments?: Int32Array): BatchStatistics {
    const model = this.current!;
    const { k, dimension, centroids } = model;
    const n = batch.rows;
    const data = batch.data;
    if (this.sums.length !== k * dimension) {
      this.sums = new Float64Array(k * dimension);
      this.counts = new Float64Array(k);
    } else {
      this.sums.fill(0);
      this.counts.fill(0);
    }
    if (this.labels.length < n) this.labels = new Int32Array(Math.max(n, this.batchSize));
    if (this.partial.length !== k) this.partial = new Float64Array(k);
    const { sums, counts, labels, partial } = this;
    // Finiteness is checked in the same pass (x - x is 0 for finite x, NaN otherwise): a NaN
    // only spoils the scratch sums, and the error comes before the model is touched.
    let check = 0;
    for (let i = 0, offset = 0; i < n; i++, offset += dimension) {
      const label = nearestCentre(centroids, k, dimension, data, offset, partial);
      labels[i] = label;
      counts[label]++;
      const base = label * dimension;
      for (let j = 0; j < dimension; j++) {
        const x = data[offset + j];
        sums[base + j] += x;
        check += x - x;
      }
    }
    if (check !== 0) {
      const i = data.findIndex((x) => !Number.isFinite(x));
      throw new ParamError(`batch[${Math.floor(i / dimension)}]`, data[i], 'finite coordinates');
    }
    if (assignments) assignments.set(labels.subarray(0, n));
    return { sums, counts, points: n };
  }

  /**
   * The cheap half of {@link update}: a batch's statistics merged into the live model (Spark's
   * weighted merge of centroids and weights, after the decay), whichever model they were taken
   * against.
   */
  private merge({ sums, counts, points: n }: BatchStatistics): OnlineKMeansModel {
    const model = this.current!;
    model.decayFactor = this.decayFactor;
    model.timeUnit = this.timeUnit;
    const { k, dimension, centroids, weights } = model;
    const discount = model.timeUnit === 'points' ? model.decayFactor ** n : model.decayFactor;
    for (let c = 0; c < k; c++) weights[c] *= discount;
    for (let c = 0; c < k; c++) {
      const count = counts[c];
      if (count === 0) continue;
      const updatedWeight = weights[c] + count;
      const lambda = count / Math.max(updatedWeight, 1e-16);
      weights[c] = updatedWeight;
      const base = c * dimension;
      for (let j = 0; j < dimension; j++) {
        centroids[base + j] = centroids[base + j] * (1 - lambda) + (lambda / count) * sums[base + j];
      }
    }
    splitDyingCluster(model);
    model.version++;
    model.recordsSeen += n;
    model.timestamp = Date.now();
    return model;
  }

  /**
   * Fits on a stream of points (single points, DenseMatrix batches, VectorBatches, ColumnPoints,
   * or Arrow RecordBatches read by `featuresCol`; e.g. a DataStream), one update per `batchSize`
   * points (the last update takes what is left), and yields each new version with the points of
   * its mini-batch and the cluster each was counted into. The live model is `this.model`.
   *
   * With `options.checkpoint` (the stream then a replayable Source or a DataStream read from
   * one) the fit is exactly-once: the model, the points of the partial mini-batch and the
   * source position are checkpointed together, and `resume: true` continues from the latest
   * checkpoint to the model an uninterrupted run ends with (see {@link fitStream}).
   */
  fit(
    stream: FitInput<StreamPoints | RecordBatch>,
    options: OnlineFitOptions<OnlineKMeansFitVersion> = {},
  ): AsyncGenerator<OnlineKMeansFitVersion, FitSummary> {
    const learner: MiniBatchLearner<OnlineKMeansModel> = {
      batchSize: this.batchSize,
      featuresCol: this.get('featuresCol'),
      parameters: this.getParams() as unknown as JsonValue,
      dimension: this.current?.dimension ?? 0,
      initSize: this.initSize,
      needsModel: () => this.current === undefined,
      initialize: (rows) => {
        // A stream that ends (or an initSize that stops) short of k points would leave centroids
        // that coincide, and every update would then search k of them for each point: refuse.
        if (rows.rows < this.k) {
          throw new ParamError(
            'k',
            this.k,
            `at most the ${rows.rows} points that choose the first centroids (the first initSize points of the stream)`,
          );
        }
        this.initialize(rows);
      },
      update: (rows, clusters) => {
        const model = this.update(rows, clusters);
        return {
          version: model.version,
          recordsSeen: model.recordsSeen,
          timestamp: model.timestamp,
          model: model.clone(),
        };
      },
      snapshotState: () => this.snapshotState(),
      restoreState: (state) => this.restoreState(state),
    };
    return fitStream(stream, new MiniBatchFitting(learner), options);
  }

  /**
   * Fits on this worker's share of a JetStream consumer into a model shared by every worker of
   * the group, kept in a key-value bucket (see {@link fitSharedModel}): each mini-batch is
   * applied to the latest shared model by Spark's update rule (with decay 1 the result is
   * independent of which worker counted which batch when the assignments are) and committed by
   * compare-and-set; the clusters of each batch's points go to `options.output` before its
   * commit. Afterwards `this.model` is the shared model after this worker's last commit.
   */
  fitShared(
    connection: NatsConnection,
    source: JetStreamSource,
    options: SharedFitOptions<Int32Array>,
  ): Promise<SharedFitSummary> {
    const learner: SharedModelLearner<Int32Array> = {
      batchSize: this.batchSize,
      dimension: () => this.current?.dimension ?? 0,
      snapshotState: () => this.snapshotState(),
      restoreState: (state) => this.restoreState(state),
      update: (rows) => {
        const clusters = new Int32Array(rows.rows);
        this.update(rows, clusters);
        return clusters;
      },
      prepare: (rows) => {
        // A batch that chooses the first centroids has no clusters another model would share.
        if (this.current === undefined) return undefined;
        this.ensureModel(rows);
        const clusters = new Int32Array(rows.rows);
        const { sums, counts, points } = this.statistics(rows, clusters);
        const statistics = { sums: sums.slice(), counts: counts.slice(), points };
        return { output: clusters, merge: () => void this.merge(statistics) };
      },
      counts: () => ({ version: this.current?.version ?? 0, recordsSeen: this.current?.recordsSeen ?? 0 }),
    };
    return fitSharedModel(connection, source, learner, options);
  }

  snapshotState(): JsonValue {
    return this.current ? (this.current.toJSON() as unknown as JsonValue) : null;
  }

  restoreState(state: JsonValue): void {
    this.current = state === null ? undefined : OnlineKMeansModel.fromJSON(state);
  }
}

/** A mini-batch's coordinate sums and point counts per cluster, and its number of points. */
interface BatchStatistics {
  sums: Float64Array;
  counts: Float64Array;
  points: number;
}

/**
 * k centres among the rows of `points` (k-means++ or uniformly at random); with fewer rows than
 * k, every row and then the last one again.
 */
function initialCentres(
  points: DenseMatrix,
  k: number,
  init: 'k-means++' | 'random',
  rng: RandomSource,
): Float64Array {
  if (points.rows >= k) {
    return init === 'random' ? randomCentres(points, k, rng) : kMeansPlusPlusCentres(points, k, rng);
  }
  const d = points.columns;
  const centres = new Float64Array(k * d);
  for (let c = 0; c < k; c++) centres.set(points.row(Math.min(c, points.rows - 1)), c * d);
  return centres;
}

/**
 * Spark's guard against dying clusters: when the lightest cluster weighs less than 1e-8 of the
 * heaviest, the heaviest is split in two, each half taking half the combined weight and the
 * centroid nudged by ±1e-14·max(|x|, 1) per coordinate.
 */
function splitDyingCluster(model: OnlineKMeansModel): void {
  const { k, dimension, centroids, weights } = model;
  let largest = 0;
  let smallest = 0;
  for (let c = 1; c < k; c++) {
    if (weights[c] > weights[largest]) largest = c;
    if (weights[c] < weights[smallest]) smallest = c;
  }
  const maxWeight = weights[largest];
  const minWeight = weights[smallest];
  if (!(minWeight < 1e-8 * maxWeight)) return;
  const weight = (maxWeight + minWeight) / 2;
  weights[largest] = weight;
  weights[smallest] = weight;
  const big = largest * dimension;
  const small = smallest * dimension;
  for (let j = 0; j < dimension; j++) {
    const x = centroids[big + j];
    const p = 1e-14 * Math.max(Math.abs(x), 1);
    centroids[big + j] = x + p;
    centroids[small + j] = x - p;
  }
}
