/**
 * The streaming bridge shared by the online estimators (OnlineKMeans, OnlineLogisticRegression,
 * OnlineStandardScaler): the shapes points take on a stream, the model versions `fit(stream)`
 * yields, {@link fitStream}, the one fitting loop (with exactly-once checkpoints), and
 * {@link joinLatestVersion}, which pairs each record of a data stream with the model version
 * that scores it.
 */
import type { RecordBatch } from 'apache-arrow';
import { arrow, isRecordBatch } from '../core/arrow-module.js';
import { contentHash, type JobFingerprint } from '../core/checkpoint-store.js';
import { ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import type { ColumnPoints } from '../stream/arrow-columns.js';
import { JobContext } from '../stream/checkpoint.js';
import { DataStream } from '../stream/datastream.js';
import type { JsonValue, Stateful } from '../stream/events.js';
import type { Sink } from '../stream/sinks.js';
import { type Source, transposeColumns, type VectorBatch } from '../stream/sources.js';
import { Table } from '../table/table.js';
import { extractFeatures } from './data.js';

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
 * batch as a table for other columns (labels).
 */
export function recordBatchFeatures(
  batch: RecordBatch,
  featuresCol: string | readonly string[],
  exclude: readonly (string | null)[] = [],
): { points: DenseMatrix; frame: Table } {
  const frame = Table.fromArrow(new (arrow().Table)(batch), '<record batch>');
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
    if (isRecordBatch(item)) {
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

/** Checkpoints of `fit(stream, { checkpoint })`. */
export interface OnlineCheckpointOptions {
  /** Directory of the checkpoint files (created when missing). */
  dir: string;
  /** Take a checkpoint at the first batch boundary after this many records (default 10,000). */
  every?: number;
  /**
   * More of what identifies the job (e.g. where its outputs go), by name: a resume with any
   * difference is refused. The estimator's parameters, its model before fitting and the
   * source's identity (a file's path, size and modification time) are always included.
   */
  fingerprint?: JobFingerprint;
}

/** Options of an online estimator's `fit(stream, options)`; `V` is its version type. */
export interface OnlineFitOptions<V = unknown> {
  /**
   * Exactly-once fitting: the model, the points of a partial mini-batch and the source position
   * are checkpointed together, so a run that dies and is resumed ends with the model of an
   * uninterrupted run, every record counted once. The stream must then be a replayable
   * {@link Source} or a {@link DataStream} read from one.
   */
  checkpoint?: OnlineCheckpointOptions;
  /**
   * Resume from the latest checkpoint in `checkpoint.dir` (refused, naming what changed, when
   * the parameters, the initial model or the input differ). Versions after that checkpoint are
   * yielded again; when the checkpointed run had finished, the final model is restored and no
   * version is yielded. Without `resume`, old checkpoints are removed first.
   */
  resume?: boolean;
  /**
   * A sink every version is written to before it is yielded. With `checkpoint` it is
   * exactly-once: committed at each checkpoint (its state goes into the checkpoint) and cut
   * back to the restored checkpoint on resume, so a file sink ends as an uninterrupted fit's.
   */
  output?: Sink<V>;
}

/** How a `fit(stream, options)` went, the value its generator returns. */
export interface FitSummary {
  /** Whether it resumed from a checkpoint. */
  resumed: boolean;
  /** Whether that checkpoint was of a fit that had run to its end (nothing was read again). */
  alreadyComplete: boolean;
}

/** What a stream to fit on may be: any iterable of items, or (for checkpoints) a Source or DataStream. */
export type FitInput<I> = AsyncIterable<I> | Iterable<I> | Source<I> | DataStream<I>;

/**
 * One estimator's side of {@link fitStream}: how items fold into the model, and the state that
 * a checkpoint holds (the model and any items waiting for a full mini-batch).
 */
export interface OnlineFitting<I, V> {
  /** The estimator's parameters, for the job's fingerprint. */
  readonly parameters: JsonValue;
  /** Folds one item in and returns the versions it completed (none while a mini-batch fills). */
  add(item: I): Iterable<V>;
  /** The end of the stream: the versions of what is still waiting. */
  end(): Iterable<V>;
  snapshot(): JsonValue;
  restore(state: JsonValue): void;
}

/**
 * The fitting of an estimator that updates once per stream item (no partial mini-batch): its
 * checkpointed state is the estimator's own. `fold` applies an item and returns the version
 * it made, or undefined for an empty item.
 */
export function perItemFitting<I, V>(
  estimator: Stateful & { getParams(): object },
  fold: (item: I) => V | undefined,
): OnlineFitting<I, V> {
  return {
    parameters: estimator.getParams() as JsonValue,
    *add(item) {
      const version = fold(item);
      if (version !== undefined) yield version;
    },
    end: () => [],
    snapshot: () => estimator.snapshotState(),
    restore: (state) => estimator.restoreState(state),
  };
}

const FIT_STATE = 'fit';
const OUTPUT_STATE = 'output';

function isSource<I>(input: FitInput<I>): input is Source<I> {
  return typeof (input as Source<I>).read === 'function' && !(input instanceof DataStream);
}

/** Writes each version to `output` (when there is one) before yielding it. */
async function* written<V>(versions: Iterable<V>, output: Sink<V> | undefined): AsyncGenerator<V> {
  for (const version of versions) {
    if (output) await output.write([version]);
    yield version;
  }
}

/**
 * The fitting loop of every online estimator: feeds the stream's items to `fitting` and yields
 * the versions it makes (after writing them to `options.output`). With `options.checkpoint`,
 * the source emits barriers every `every` records; at each, the fitting state (model and
 * pending items) and the output's committed state go into a checkpoint with the source
 * position, written once the versions before it have been consumed; a finished run's final
 * state is marked complete. So the model and the output are exactly-once; versions yielded
 * after the last checkpoint are yielded again after a resume (their `version` numbers tell
 * repeats apart).
 */
export async function* fitStream<I, V>(
  input: FitInput<I>,
  fitting: OnlineFitting<I, V>,
  options: OnlineFitOptions<V> = {},
): AsyncGenerator<V, FitSummary> {
  const { checkpoint, output } = options;
  if (checkpoint === undefined) {
    if (options.resume) throw new ParamError('resume', true, 'only with checkpoint: { dir }');
    const items = isSource(input) ? DataStream.from(input) : input;
    await output?.open(undefined);
    try {
      for await (const item of items) yield* written(fitting.add(item), output);
      yield* written(fitting.end(), output);
      await output?.close();
    } catch (error) {
      await output?.abort?.();
      throw error;
    }
    return { resumed: false, alreadyComplete: false };
  }
  if (!isSource(input) && !(input instanceof DataStream)) {
    throw new ParamError(
      'stream',
      'an iterable',
      'a replayable Source or a DataStream to checkpoint (a resumed fit re-reads it from a position)',
    );
  }
  const stream = isSource(input) ? DataStream.from(input) : (input as DataStream<I>);
  const fingerprint = await stream.fingerprint({
    parameters: JSON.stringify(fitting.parameters),
    'initial model': contentHash(fitting.snapshot()),
    ...checkpoint.fingerprint,
  });
  const job = await JobContext.start(
    { directory: checkpoint.dir, everyRecords: checkpoint.every, resume: options.resume, fingerprint },
    Date.now,
  );
  const restored = job.restoredState(FIT_STATE);
  if (restored !== undefined) fitting.restore(restored);
  const resumed = job.restored !== undefined;
  if (job.alreadyComplete) return { resumed, alreadyComplete: true };
  await output?.open(job.restoredState(OUTPUT_STATE));
  try {
    for await (const event of stream.events(job)) {
      if (event.kind === 'records') {
        for (const item of event.records) yield* written(fitting.add(item), output);
      } else if (event.kind === 'barrier') {
        event.barrier.state[FIT_STATE] = fitting.snapshot();
        if (output) event.barrier.state[OUTPUT_STATE] = await output.commit();
        await job.complete(event.barrier);
      }
    }
    yield* written(fitting.end(), output);
    await output?.close();
  } catch (error) {
    await output?.abort?.();
    throw error;
  }
  await job.finish(null, { [FIT_STATE]: fitting.snapshot() });
  return { resumed, alreadyComplete: false };
}
