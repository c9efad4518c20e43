import type { Matrix } from 'ml-matrix';
import type ndarrayModule from 'ndarray';
import type { NdArray } from 'ndarray';
import { ParamError } from './errors.js';
import { loadOnFirstUse } from './lazy-module.js';
import { mlMatrix } from './ml-matrix.js';
import { float64Array } from './shared-memory.js';

/** ndarray (CommonJS), loaded with the first ndarray view. */
const ndarray = loadOnFirstUse<typeof ndarrayModule>('ndarray');

/**
 * Values from which a matrix that eddy allocates lives in shared memory: the core driver's
 * threads then read it without a copy (a copy of 200,000 x 64 doubles into fresh shared memory
 * took a tenth of an MLP epoch, bench/RESULTS.md), while small matrices stay plain.
 */
export const SHARED_MATRIX_VALUES = 1 << 16;

/** Zeroed storage for a matrix of `length` values: in shared memory from {@link SHARED_MATRIX_VALUES} values. */
function matrixStorage(length: number): Float64Array {
  return float64Array(length, length >= SHARED_MATRIX_VALUES);
}

/**
 * A dense, row-major matrix of doubles: one `Float64Array` of `rows * columns` values.
 * This is how eddy holds numeric data sets (one row a point); kernels read `data` directly
 * and `row(i)` is a zero-copy view. Matrices that eddy allocates (the constructor without
 * `data`, {@link DenseMatrix.fromRows}) of 65,536 values or more are in a
 * `SharedArrayBuffer`, which the core driver's threads read without a copy; structured clones
 * (`postMessage`, `structuredClone`) of such an array share it instead of copying it.
 */
export class DenseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float64Array;

  /** Wraps `data` (not copied); it must hold exactly `rows * columns` values. */
  constructor(rows: number, columns: number, data: Float64Array = matrixStorage(rows * columns)) {
    if (!Number.isInteger(rows) || rows < 0) throw new ParamError('rows', rows, 'a non-negative integer');
    if (!Number.isInteger(columns) || columns < 0) {
      throw new ParamError('columns', columns, 'a non-negative integer');
    }
    if (data.length !== rows * columns) {
      throw new ParamError(
        'data',
        `Float64Array(${data.length})`,
        `${rows * columns} values (${rows} x ${columns})`,
      );
    }
    this.rows = rows;
    this.columns = columns;
    this.data = data;
  }

  /** Copies an array of equal-length rows. */
  static fromRows(rows: ArrayLike<ArrayLike<number>>): DenseMatrix {
    const count = rows.length;
    const columns = count === 0 ? 0 : rows[0].length;
    const data = matrixStorage(count * columns);
    for (let i = 0; i < count; i++) {
      const row = rows[i];
      if (row.length !== columns) {
        throw new ParamError(`rows[${i}]`, `a row of length ${row.length}`, `length ${columns} like rows[0]`);
      }
      for (let j = 0; j < columns; j++) data[i * columns + j] = row[j];
    }
    return new DenseMatrix(count, columns, data);
  }

  /** Copies an ml-matrix `Matrix` (which stores one JS array per row). */
  static fromMlMatrix(matrix: Matrix): DenseMatrix {
    const result = new DenseMatrix(matrix.rows, matrix.columns);
    for (let i = 0; i < matrix.rows; i++) {
      for (let j = 0; j < matrix.columns; j++) result.data[i * matrix.columns + j] = matrix.get(i, j);
    }
    return result;
  }

  /** Wraps a 2-d ndarray's storage when it is row-major and contiguous, copies it otherwise. */
  static fromNdArray(array: NdArray<Float64Array>): DenseMatrix {
    if (array.dimension !== 2) throw new ParamError('array', `${array.dimension}-d ndarray`, 'a 2-d ndarray');
    const [rows, columns] = array.shape;
    const [rowStride, columnStride] = array.stride;
    if (columnStride === 1 && rowStride === columns && array.data instanceof Float64Array) {
      return new DenseMatrix(rows, columns, array.data.subarray(array.offset, array.offset + rows * columns));
    }
    const result = new DenseMatrix(rows, columns);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < columns; j++) result.data[i * columns + j] = array.get(i, j);
    }
    return result;
  }

  get(row: number, column: number): number {
    return this.data[row * this.columns + column];
  }

  set(row: number, column: number, value: number): void {
    this.data[row * this.columns + column] = value;
  }

  /** Row `i` as a zero-copy view: writes go to the matrix. */
  row(i: number): Float64Array {
    return this.data.subarray(i * this.columns, (i + 1) * this.columns);
  }

  /** Rows [start, end) as a zero-copy matrix: how data is cut into partitions. */
  sliceRows(start: number, end: number): DenseMatrix {
    return new DenseMatrix(
      end - start,
      this.columns,
      this.data.subarray(start * this.columns, end * this.columns),
    );
  }

  /** A zero-copy 2-d ndarray view over the same storage. */
  toNdArray(): NdArray<Float64Array> {
    return ndarray()(this.data, [this.rows, this.columns]);
  }

  /** A copy as an ml-matrix `Matrix`, for decompositions (QR, Cholesky, SVD). */
  toMlMatrix(): Matrix {
    const matrix = new (mlMatrix().Matrix)(this.rows, this.columns);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.columns; j++) matrix.set(i, j, this.data[i * this.columns + j]);
    }
    return matrix;
  }

  /** A copy as one JS array per row. */
  toRows(): number[][] {
    const rows: number[][] = new Array(this.rows);
    for (let i = 0; i < this.rows; i++) rows[i] = Array.from(this.row(i));
    return rows;
  }

  /** A deep copy. */
  clone(): DenseMatrix {
    return new DenseMatrix(this.rows, this.columns, this.data.slice());
  }
}
