/**
 * Typed-array chunks: how numeric data flows through a DataSet. A partition holds a few
 * chunks of contiguous rows instead of one object per row, and `mapPartition` kernels loop
 * over a chunk's Float64Array directly. When the data may go to worker threads it lives in
 * a SharedArrayBuffer, so workers read it where it is instead of receiving a copy.
 */
import type { NumericArray } from '../core/arrow.js';
import { ParamError } from '../core/errors.js';
import type { DenseMatrix } from '../core/matrix.js';
import { shared } from '../core/shared-memory.js';
import type { Partitions } from './plan.js';

/** Contiguous rows of a row-major matrix. */
export interface MatrixChunk {
  /** Index of the chunk's first row in the whole matrix. */
  readonly firstRow: number;
  /** Number of rows in the chunk. */
  readonly rows: number;
  /** Number of columns. */
  readonly columns: number;
  /** The rows, row-major: `rows * columns` values (a view, not a copy). */
  readonly data: Float64Array;
}

/** Contiguous rows of a set of equal-length columns. */
export interface ColumnChunk<C extends Record<string, NumericArray>> {
  /** Index of the chunk's first row. */
  readonly firstRow: number;
  /** Number of rows in the chunk. */
  readonly rows: number;
  /** Each column's values for these rows (views, not copies). */
  readonly columns: C;
}

/** Options of the chunked sources. */
export interface ChunkOptions {
  /** Rows per chunk (default: one chunk per partition). */
  chunkRows?: number;
}

/** The row ranges [start, end) of each partition's chunks. */
export function chunkRanges(
  rows: number,
  partitions: number,
  chunkRows: number | undefined,
): [number, number][][] {
  if (chunkRows !== undefined && (!Number.isInteger(chunkRows) || chunkRows < 1)) {
    throw new ParamError('chunkRows', chunkRows, 'an integer >= 1');
  }
  const ranges: [number, number][][] = [];
  const base = Math.floor(rows / partitions);
  const extra = rows % partitions;
  let start = 0;
  for (let partition = 0; partition < partitions; partition++) {
    const end = start + base + (partition < extra ? 1 : 0);
    const chunks: [number, number][] = [];
    const step = chunkRows ?? Math.max(1, end - start);
    for (let from = start; from < end; from += step) chunks.push([from, Math.min(end, from + step)]);
    ranges.push(chunks);
    start = end;
  }
  return ranges;
}

/** A matrix as partitions of row chunks. */
export function matrixChunks(
  matrix: DenseMatrix,
  partitions: number,
  options: ChunkOptions,
  share: boolean,
): Partitions {
  const data = share ? shared(matrix.data) : matrix.data;
  const columns = matrix.columns;
  return chunkRanges(matrix.rows, partitions, options.chunkRows).map((chunks) =>
    chunks.map(
      ([start, end]): MatrixChunk => ({
        firstRow: start,
        rows: end - start,
        columns,
        data: data.subarray(start * columns, end * columns),
      }),
    ),
  );
}

/** Equal-length columns as partitions of row chunks. */
export function columnChunks<C extends Record<string, NumericArray>>(
  columns: C,
  partitions: number,
  options: ChunkOptions,
  share: boolean,
): Partitions {
  const names = Object.keys(columns);
  const lengths = new Set(names.map((name) => columns[name].length));
  if (lengths.size > 1) {
    throw new ParamError(
      'columns',
      Object.fromEntries(names.map((name) => [name, columns[name].length])),
      'columns of equal length',
    );
  }
  const rows = names.length === 0 ? 0 : columns[names[0]].length;
  const arrays = Object.fromEntries(
    names.map((name) => [name, share ? shared(columns[name]) : columns[name]]),
  );
  return chunkRanges(rows, partitions, options.chunkRows).map((chunks) =>
    chunks.map(([start, end]) => ({
      firstRow: start,
      rows: end - start,
      columns: Object.fromEntries(names.map((name) => [name, arrays[name].subarray(start, end)])) as C,
    })),
  );
}
