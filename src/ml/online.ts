/**
 * The streaming bridge shared by the online estimators (OnlineKMeans, OnlineLogisticRegression,
 * OnlineStandardScaler): the shapes points take on a stream, the model versions `fit(stream)`
 * yields, and {@link joinLatestVersion}, which pairs each record of a data stream with the model
 * version that scores it.
 */
import type { RecordBatch } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import type { ColumnPoints } from '../stream/arrow-columns.js';
import { transposeColumns, type VectorBatch } from '../stream/sources.js';
import { extractFeatures } from './data.js';
import { type Frame, frameFromArrow } from './frame.js';

/**
 * Points in any of the shapes streams carry them: a matrix of rows, a VectorBatch, a
 * ColumnPoints (columns of an Arrow record batch), or one point.
 */
export type StreamPoints = DenseMatrix | VectorBatch | ColumnPoints | ArrayLike<number>;

/** Whether `points` is a ColumnPoints (a DenseMatrix has a number of `columns`, not an array). */
export function isColumnPoints(points: StreamPoints): points is ColumnPoints {
  return 'columns' in points && Array.isArray(points.columns);
}

/**
 * The features of an Arrow record batch (e.g. from `arrowSource`) as its rows, picked by a
 * stage's `featuresCol` as batch stages pick them (a vector column, a numeric column, a list of
 * numeric columns, or with the default 'features' absent every column but `exclude`), and the
 * batch as a frame for other columns (labels).
 */
export function recordBatchFeatures(
  batch: RecordBatch,
  featuresCol: string | readonly string[],
  exclude: readonly (string | null)[] = [],
): { points: DenseMatrix; frame: Frame } {
  const frame = frameFromArrow(new (arrow().Table)(batch), '<record batch>');
  return { points: extractFeatures(frame, featuresCol, exclude).matrix, frame };
}

/**
 * A stream of points or Arrow record batches as points: each RecordBatch becomes a VectorBatch of
 * its `featuresCol` features (see {@link recordBatchFeatures}; `exclude` names columns that are
 * never features by default, like the label), indexed by its position in the stream; other
 * records pass through.
 */
export async function* withFeatures(
  stream: AsyncIterable<StreamPoints | RecordBatch> | Iterable<StreamPoints | RecordBatch>,
  featuresCol: string | readonly string[],
  exclude: readonly (string | null)[] = [],
): AsyncIterable<StreamPoints> {
  let position = 0;
  for await (const item of stream) {
    if (item instanceof arrow().RecordBatch) {
      const { points } = recordBatchFeatures(item, featuresCol, exclude);
      const indices = new Float64Array(points.rows);
      for (let i = 0; i < points.rows; i++) indices[i] = position + i;
      position += points.rows;
      yield { points, indices };
    } else {
      position += pointsMatrixRows(item);
      yield item;
    }
  }
}

function pointsMatrixRows(points: StreamPoints): number {
  if (points instanceof DenseMatrix) return points.rows;
  if (isColumnPoints(points)) return points.rows;
  return 'points' in points && points.points instanceof DenseMatrix ? points.points.rows : 1;
}

/** One model version, as an online estimator's `fit(stream)` yields it. */
export interface ModelVersion<M> {
  /** Updates applied so far (1 after the first mini-batch). */
  version: number;
  /** Records that have updated the model: the version applies from the record with this index on. */
  recordsSeen: number;
  /** When the update was made (ms since the epoch); informative only, never used to join. */
  timestamp: number;
  /** A copy of the model at this version (later updates do not change it). */
  model: M;
}

/**
 * The rows of `points` as a matrix (a single point is one row). `dimension` is the width a
 * single point is expected to have, or 0 for its own length.
 */
export function pointsMatrix(points: StreamPoints, dimension = 0): DenseMatrix {
  if (points instanceof DenseMatrix) return points;
  if (isColumnPoints(points)) {
    const matrix = new DenseMatrix(points.rows, points.columns.length);
    transposeColumns(points.columns, 0, points.rows, matrix.data, 0);
    return matrix;
  }
  if ('points' in points && points.points instanceof DenseMatrix) return points.points;
  const point = points as ArrayLike<number>;
  return new DenseMatrix(1, dimension > 0 ? dimension : point.length, Float64Array.from(point));
}

/** Rows of a data batch scored by one model version: rows [start, end). */
export interface VersionSegment<M> {
  start: number;
  end: number;
  version: ModelVersion<M>;
}

/** A data batch, each record's index in the data stream, and the versions that score its rows. */
export interface JoinedBatch<M> {
  points: DenseMatrix;
  indices: Float64Array;
  /** Consecutive row ranges covering every row of the batch in order, each with its version. */
  segments: VersionSegment<M>[];
}

/** Options of {@link joinLatestVersion}. */
export interface JoinOptions<M> {
  /**
   * The model that scores records before the first version applies (as version 0 with
   * recordsSeen 0). Without it those records wait for the first version and are scored by it.
   */
  initial?: M;
}

/**
 * Joins a data stream with a stream of model versions, deterministically: the record with index
 * i (its VectorBatch or ColumnPoints index; for matrices and single points, its position in the
 * data stream, from 0) is scored with the latest version whose `recordsSeen` is <= i, that is with the model
 * trained on the records before it (test-then-train, whatever the timing of the two streams).
 * Records before the first version's `recordsSeen` are scored with `options.initial`, or wait
 * for the first version and are scored with it. Versions are applied in order of arrival; their
 * `recordsSeen` and the data indices must not decrease.
 *
 * Flink ML's OnlineKMeansModel scores each record with the newest model data that has arrived,
 * which depends on timing; joining on record counts gives the same versions on every run.
 *
 * Backpressure holds on both sides: one data batch is read at a time, and versions are read only
 * as far as needed to score it (up to one version past the batch). So at most one data batch,
 * the versions that apply to its rows (at most one per row) and one version ahead are held;
 * neither stream is read further until the joined batch has been consumed. No record is dropped:
 * if the versions end before any has come (and no initial model was given), the join fails.
 * An error in either stream ends the join with that error; both streams are closed when it ends.
 *
 * Read the versions and the data independently (e.g. two reads of a replayable source): the
 * join waits for the versions that follow a batch, so versions computed from the very data it
 * is waiting on would never come.
 */
export async function* joinLatestVersion<M>(
  data: AsyncIterable<StreamPoints> | Iterable<StreamPoints>,
  versions: AsyncIterable<ModelVersion<M>> | Iterable<ModelVersion<M>>,
  options: JoinOptions<M> = {},
): AsyncGenerator<JoinedBatch<M>> {
  const iterator =
    Symbol.asyncIterator in versions
      ? versions[Symbol.asyncIterator]()
      : (versions as Iterable<ModelVersion<M>>)[Symbol.iterator]();
  let current: ModelVersion<M> | undefined =
    options.initial === undefined
      ? undefined
      : { version: 0, recordsSeen: 0, timestamp: 0, model: options.initial };
  let next: ModelVersion<M> | undefined;
  let ended = false;
  let lastSeen = current?.recordsSeen ?? Number.NEGATIVE_INFINITY;
  const pull = async (): Promise<void> => {
    const result = await iterator.next();
    if (result.done) {
      ended = true;
      return;
    }
    const version = result.value;
    if (!(version.recordsSeen >= lastSeen)) {
      throw new ParamError(
        `versions (version ${version.version})`,
        `recordsSeen ${version.recordsSeen}`,
        `recordsSeen >= ${lastSeen}, that of the version before`,
      );
    }
    lastSeen = version.recordsSeen;
    next = version;
  };
  // Makes `current` the version for the record with this index, reading versions as needed.
  const advance = async (index: number): Promise<void> => {
    for (;;) {
      if (next === undefined && !ended) await pull();
      if (next === undefined) return;
      if (current !== undefined && next.recordsSeen > index) return;
      current = next;
      next = undefined;
    }
  };
  let position = 0;
  let lastIndex = Number.NEGATIVE_INFINITY;
  try {
    for await (const item of data) {
      const points = pointsMatrix(item);
      let indices: Float64Array;
      if (!(item instanceof DenseMatrix) && 'indices' in item && item.indices instanceof Float64Array) {
        indices = item.indices;
      } else {
        const first = !(item instanceof DenseMatrix) && isColumnPoints(item) ? item.firstIndex : position;
        indices = new Float64Array(points.rows);
        for (let i = 0; i < points.rows; i++) indices[i] = first + i;
      }
      position += points.rows;
      const segments: VersionSegment<M>[] = [];
      for (let start = 0; start < points.rows; ) {
        if (!(indices[start] >= lastIndex)) {
          throw new ParamError('data', `record index ${indices[start]}`, `indices >= ${lastIndex}, in order`);
        }
        await advance(indices[start]);
        if (current === undefined) {
          throw new ParamError(
            'versions',
            'a stream that ended without a version',
            `at least one model version (or an initial model) to score record ${indices[start]}`,
          );
        }
        const until = next === undefined ? Number.POSITIVE_INFINITY : next.recordsSeen;
        let end = start + 1;
        while (end < points.rows && indices[end] < until) {
          if (!(indices[end] >= indices[end - 1])) {
            throw new ParamError(
              'data',
              `record index ${indices[end]}`,
              `indices >= ${indices[end - 1]}, in order`,
            );
          }
          end++;
        }
        lastIndex = indices[end - 1];
        segments.push({ start, end, version: current });
        start = end;
      }
      yield { points, indices, segments };
    }
  } finally {
    await iterator.return?.();
  }
}
