/**
 * How OnlineKMeans.fit cuts a stream into mini-batches of `batchSize` points: the partial
 * mini-batch waits in a row buffer, and it is part of the checkpointed state (with the model
 * and the record count), so a resumed fit neither loses nor repeats a point. Before there is a
 * model, the buffer gathers the first `initSize` points instead: they choose the first
 * centroids, then go through the updates as mini-batches like any others.
 */
import type { RecordBatch } from 'apache-arrow';
import { isRecordBatch } from '../../../src/core/arrow-module.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import {
  isColumnPoints,
  type ModelVersion,
  type OnlineFitting,
  pointsMatrix,
  recordBatchFeatures,
  type StreamPoints,
} from '../../../src/ml/online.js';
import type { ColumnPoints } from '../../../src/stream/arrow-columns.js';
import type { JsonValue } from '../../../src/stream/events.js';
import { transposeColumns } from '../../../src/stream/sources.js';

/** The points of one mini-batch: their indices in the stream and the cluster each was counted into. */
export interface MiniBatchAssignments {
  indices: Float64Array;
  clusters: Int32Array;
}

/** What the fitting needs of the estimator. */
export interface MiniBatchLearner<M> {
  readonly batchSize: number;
  readonly featuresCol: string | readonly string[];
  readonly parameters: JsonValue;
  /** The model's dimension, or 0 before there is a model. */
  readonly dimension: number;
  /** Points to gather before the first update when there is no model yet. */
  readonly initSize: number;
  /** Whether the first model is still to be chosen (by {@link initialize}). */
  needsModel(): boolean;
  /** Chooses the first model from these rows (the first points of the stream). */
  initialize(rows: DenseMatrix): void;
  /** Applies one mini-batch, writing each point's cluster into `clusters`; returns the version. */
  update(rows: DenseMatrix, clusters: Int32Array): ModelVersion<M>;
  snapshotState(): JsonValue;
  restoreState(state: JsonValue): void;
}

interface FittingState {
  model: JsonValue;
  /** Points read from the stream so far (the index of the next one, when batches carry none). */
  position: number;
  dimension: number;
  /**
   * The rows of the partial mini-batch, or of the points gathered to choose the first model
   * (base64 of their Float64Array bytes: exact, NaN kept).
   */
  pending: string;
  pendingIndices: string;
}

const toBase64 = (values: Float64Array) =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');

function fromBase64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) throw new ParamError('state', 'pending points', 'whole 8-byte numbers');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

/** The mini-batching of one `fit(stream)`, as {@link fitStream} drives it. */
export class MiniBatchFitting<M>
  implements
    OnlineFitting<StreamPoints | RecordBatch, ModelVersion<M> & { assignments: MiniBatchAssignments }>
{
  private readonly learner: MiniBatchLearner<M>;
  private readonly batchSize: number;
  private dimension: number;
  private position = 0;
  /** Pending rows (capacity grows to batchSize, or to initSize while there is no model). */
  private buffer = new Float64Array(0);
  private indices = new Float64Array(0);
  private filled = 0;

  constructor(learner: MiniBatchLearner<M>) {
    this.learner = learner;
    this.batchSize = learner.batchSize;
    this.dimension = learner.dimension;
  }

  get parameters(): JsonValue {
    return this.learner.parameters;
  }

  /** How many pending rows make the next step: the first model's points, or a mini-batch. */
  private target(): number {
    return this.learner.needsModel() ? Math.max(this.learner.initSize, 1) : this.batchSize;
  }

  /** Room for `rows` pending rows, grown by doubling so that a short stream allocates little. */
  private reserve(rows: number): void {
    if (this.indices.length >= rows) return;
    const capacity = Math.max(rows, Math.min(2 * this.indices.length, this.target()), 1);
    const buffer = new Float64Array(capacity * this.dimension);
    buffer.set(this.buffer.subarray(0, this.filled * this.dimension));
    const indices = new Float64Array(capacity);
    indices.set(this.indices.subarray(0, this.filled));
    this.buffer = buffer;
    this.indices = indices;
  }

  private version(rows: DenseMatrix, indices: Float64Array) {
    const clusters = new Int32Array(rows.rows);
    return { ...this.learner.update(rows, clusters), assignments: { indices, clusters } };
  }

  /**
   * Updates with the pending rows: first the first model from all of them when there is none,
   * then one update per whole mini-batch (and the rest too when `final`); what is left waits.
   */
  private *flush(final: boolean) {
    const dimension = this.dimension;
    const filled = this.filled;
    if (this.learner.needsModel()) {
      this.learner.initialize(
        new DenseMatrix(filled, dimension, this.buffer.subarray(0, filled * dimension)),
      );
    }
    let start = 0;
    while (start < filled && (final || filled - start >= this.batchSize)) {
      const end = Math.min(start + this.batchSize, filled);
      const rows = new DenseMatrix(
        end - start,
        dimension,
        this.buffer.subarray(start * dimension, end * dimension),
      );
      yield this.version(rows, this.indices.slice(start, end));
      start = end;
    }
    this.buffer.copyWithin(0, start * dimension, filled * dimension);
    this.indices.copyWithin(0, start, filled);
    this.filled = filled - start;
  }

  *add(item: StreamPoints | RecordBatch) {
    const points = isRecordBatch(item) ? recordBatchFeatures(item, this.learner.featuresCol).points : item;
    // Columns (an Arrow record batch) are copied a mini-batch at a time into the row buffer,
    // which stays in cache; rows are copied, or used in place when whole mini-batches align.
    const columns = isColumnPoints(points) ? points.columns : undefined;
    const matrix = columns ? undefined : pointsMatrix(points, this.dimension);
    const rows = columns ? (points as ColumnPoints).rows : matrix!.rows;
    const width = columns ? columns.length : matrix!.columns;
    const given =
      !(points instanceof DenseMatrix) && 'indices' in points && points.indices instanceof Float64Array
        ? points.indices
        : undefined;
    const first = columns ? (points as ColumnPoints).firstIndex : this.position;
    // The stream indices of rows [from, to), written into `target` from `at` on.
    const copyIndices = (from: number, to: number, target: Float64Array, at: number) => {
      if (given) target.set(given.subarray(from, to), at);
      else for (let row = from; row < to; row++) target[at + row - from] = first + row;
    };
    if (this.dimension === 0) this.dimension = width;
    const dimension = this.dimension;
    if (width !== dimension) {
      throw new ParamError('stream', `points of dimension ${width}`, `dimension ${dimension} like the first`);
    }
    this.position += rows;
    const batchSize = this.batchSize;
    let row = 0;
    while (matrix && this.filled === 0 && rows - row >= batchSize && !this.learner.needsModel()) {
      const indices = new Float64Array(batchSize);
      copyIndices(row, row + batchSize, indices, 0);
      yield this.version(matrix.sliceRows(row, row + batchSize), indices);
      row += batchSize;
    }
    while (row < rows) {
      const target = this.target();
      const take = Math.min(target - this.filled, rows - row);
      this.reserve(this.filled + take);
      if (columns) transposeColumns(columns, row, row + take, this.buffer, this.filled);
      else
        this.buffer.set(
          matrix!.data.subarray(row * dimension, (row + take) * dimension),
          this.filled * dimension,
        );
      copyIndices(row, row + take, this.indices, this.filled);
      this.filled += take;
      row += take;
      if (this.filled === target) yield* this.flush(false);
    }
  }

  *end() {
    if (this.filled > 0) yield* this.flush(true);
  }

  snapshot(): JsonValue {
    const state: FittingState = {
      model: this.learner.snapshotState(),
      position: this.position,
      dimension: this.dimension,
      pending: toBase64(this.buffer.subarray(0, this.filled * this.dimension)),
      pendingIndices: toBase64(this.indices.subarray(0, this.filled)),
    };
    return state as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const saved = state as unknown as FittingState;
    if (saved === null || typeof saved !== 'object' || typeof saved.pending !== 'string') {
      throw new ParamError('state', state, 'the state of an online k-means fit');
    }
    this.learner.restoreState(saved.model);
    this.position = saved.position;
    this.dimension = saved.dimension;
    const pending = fromBase64(saved.pending);
    const indices = fromBase64(saved.pendingIndices);
    this.filled = 0;
    this.buffer = new Float64Array(0);
    this.indices = new Float64Array(0);
    this.reserve(indices.length);
    this.buffer.set(pending);
    this.indices.set(indices);
    this.filled = indices.length;
  }
}
