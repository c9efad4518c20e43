/**
 * The passes of linear regression over its rows as `mapPartition` kernels of the DataSet engine
 * (worker threads load this module by itself): the R factor of each chunk's weighted rows (a
 * tall-skinny QR, combined in chunk order into the R of all rows: the normal equations' Gram
 * matrix without squaring the condition number), and each chunk's part of the squared loss and
 * its gradient (the full-gradient pass of an SGD epoch).
 */
import type { Matrix } from 'ml-matrix';
import { mlMatrix } from '../../src/core/ml-matrix.js';
import { shared } from '../../src/core/shared-memory.js';
import type { RuntimeContext } from '../../src/dataset/context.js';
import { exported } from '../../src/dataset/functions.js';
import { MODEL_BROADCAST, rowChunks } from '../../src/dataset/model-iteration.js';
import type { WeightedCentring } from './centring.js';

/** A chunk of centred training rows. */
export interface RegressionChunk {
  readonly chunk: number;
  readonly rows: number;
  readonly columns: number;
  /** The rows' centred features, row-major (a view of the whole matrix). */
  readonly data: Float64Array;
  readonly target: Float64Array;
  /** The rows' weights, normalised as the pass needs them. */
  readonly weights: Float64Array;
}

/** The centred rows in chunks, with `weights`, in shared memory when `share` (for worker threads). */
export function regressionChunks(
  centred: WeightedCentring,
  weights: Float64Array,
  share: boolean,
): RegressionChunk[] {
  const d = centred.matrix.columns;
  const data = share ? shared(centred.matrix.data) : centred.matrix.data;
  const target = share ? shared(centred.target) : centred.target;
  const rowWeights = share ? shared(weights) : weights;
  return rowChunks(centred.matrix.rows).map(([start, end], chunk) => ({
    chunk,
    rows: end - start,
    columns: d,
    data: data.subarray(start * d, end * d),
    target: target.subarray(start, end),
    weights: rowWeights.subarray(start, end),
  }));
}

/** A chunk's R factor: (d + 1) x (d + 1), row-major, of its rows [sqrt(w) x, sqrt(w) y]. */
export interface RFactorPartial {
  readonly chunk: number;
  readonly r: Float64Array;
}

/** The R factor of each chunk's weighted rows and targets side by side. */
export function rFactorChunks(chunks: readonly RegressionChunk[]): RFactorPartial[] {
  return chunks.map((chunk) => {
    const { rows, columns: d, data, target, weights } = chunk;
    // Zero rows change no least-squares problem and keep QR's matrix at least as tall as wide.
    const a = new (mlMatrix().Matrix)(Math.max(rows, d + 1), d + 1);
    for (let i = 0; i < rows; i++) {
      const root = Math.sqrt(weights[i]);
      for (let j = 0; j < d; j++) a.set(i, j, root * data[i * d + j]);
      a.set(i, d, root * target[i]);
    }
    const r = new (mlMatrix().QrDecomposition)(a).upperTriangularMatrix;
    return { chunk: chunk.chunk, r: Float64Array.from(r.to1DArray()) };
  });
}

/** The R factor of all rows from the chunks' R factors, in chunk order: the R of their stack. */
export function combineRFactors(partials: readonly RFactorPartial[], d: number): Matrix {
  const size = d + 1;
  const stacked = new (mlMatrix().Matrix)(partials.length * size, size);
  partials.forEach((partial, p) => {
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++) stacked.set(p * size + i, j, partial.r[i * size + j]);
  });
  return partials.length === 1 ? stacked : new (mlMatrix().QrDecomposition)(stacked).upperTriangularMatrix;
}

/** What the squared-loss kernel reads of the model: the coefficients to evaluate at. */
export interface SquaredLossBroadcast {
  readonly coefficients: Float64Array;
  /** Rows of the whole data set. */
  readonly rows: number;
}

/** One chunk's part of the squared loss and its gradient. */
export interface SquaredLossPartial {
  readonly chunk: number;
  readonly loss: number;
  readonly gradient: Float64Array;
}

/**
 * Each chunk's part of `1/n sum_i w_i (x_i . b - y_i)^2` (the chunk's `weights` normalised to
 * mean 1 over all n rows) and of its gradient at the broadcast coefficients.
 */
export function squaredLossChunks(
  chunks: readonly RegressionChunk[],
  context: RuntimeContext,
): SquaredLossPartial[] {
  const { coefficients, rows: n } = context.broadcast<SquaredLossBroadcast>(MODEL_BROADCAST)[0];
  return chunks.map((chunk) => {
    const { rows, columns: d, data, target, weights } = chunk;
    const gradient = new Float64Array(d);
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const offset = i * d;
      let residual = -target[i];
      for (let j = 0; j < d; j++) residual += data[offset + j] * coefficients[j];
      const scaled = (weights[i] * residual) / n;
      loss += scaled * residual;
      for (let j = 0; j < d; j++) gradient[j] += scaled * data[offset + j];
    }
    return { chunk: chunk.chunk, loss, gradient };
  });
}

/** The kernels as functions worker threads can load. */
export const rFactorKernel = exported(rFactorChunks, import.meta.url);
export const squaredLossKernel = exported(squaredLossChunks, import.meta.url);
