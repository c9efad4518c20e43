import { ParamError } from './errors.js';
import { DenseMatrix } from './matrix.js';
import { shared } from './shared-memory.js';

/**
 * Sparse rows in compressed sparse row (CSR) form: row i holds the column indices
 * `indices[offsets[i] .. offsets[i + 1])`, ascending, with their `values`. This is how eddy
 * holds bag-of-words documents (a row a document, a column a term, a value its count) and a
 * sparse vector column: three typed arrays, never an object per entry.
 */
export class SparseRows {
  /** The number of rows. */
  readonly rows: number;
  /** The number of columns (the vocabulary size of a corpus). */
  readonly columns: number;
  /** rows + 1 offsets into `indices` and `values`. */
  readonly offsets: Int32Array;
  /** Column index of every stored entry, ascending within a row. */
  readonly indices: Int32Array;
  /** Value of every stored entry. */
  readonly values: Float64Array;

  /** Wraps the arrays (not copied); they are checked for shape, not for order. */
  constructor(columns: number, offsets: Int32Array, indices: Int32Array, values: Float64Array) {
    if (!Number.isInteger(columns) || columns < 0) {
      throw new ParamError('columns', columns, 'a non-negative integer');
    }
    const rows = offsets.length - 1;
    if (rows < 0 || offsets[0] !== 0 || offsets[rows] !== indices.length) {
      throw new ParamError(
        'offsets',
        `Int32Array(${offsets.length})`,
        `rows + 1 offsets from 0 to ${indices.length}`,
      );
    }
    if (values.length !== indices.length) {
      throw new ParamError(
        'values',
        `Float64Array(${values.length})`,
        `${indices.length} values, one per index`,
      );
    }
    this.rows = rows;
    this.columns = columns;
    this.offsets = offsets;
    this.indices = indices;
    this.values = values;
  }

  /**
   * Copies rows given as `[column, value]` pairs (any order; repeated columns are added up,
   * zero values dropped). Columns must be integers in [0, columns).
   */
  static fromEntries(columns: number, rows: Iterable<Iterable<readonly [number, number]>>): SparseRows {
    const offsets = [0];
    const indices: number[] = [];
    const values: number[] = [];
    let row = 0;
    for (const entries of rows) {
      const sums = new Map<number, number>();
      for (const [column, value] of entries) {
        if (!Number.isInteger(column) || column < 0 || column >= columns) {
          throw new ParamError(`rows[${row}]`, column, `column indices in [0, ${columns})`);
        }
        if (!Number.isFinite(value)) throw new ParamError(`rows[${row}]`, value, 'finite values');
        sums.set(column, (sums.get(column) ?? 0) + value);
      }
      for (const column of [...sums.keys()].sort((a, b) => a - b)) {
        const value = sums.get(column)!;
        if (value === 0) continue;
        indices.push(column);
        values.push(value);
      }
      offsets.push(indices.length);
      row++;
    }
    return new SparseRows(
      columns,
      Int32Array.from(offsets),
      Int32Array.from(indices),
      Float64Array.from(values),
    );
  }

  /** The nonzero entries of dense rows (`number[][]`, one row per entry of `rows`). */
  static fromDense(rows: readonly ArrayLike<number>[]): SparseRows {
    const columns = rows.length === 0 ? 0 : rows[0].length;
    return SparseRows.fromEntries(
      columns,
      rows.map((row, i) => {
        if (row.length !== columns) {
          throw new ParamError(
            `rows[${i}]`,
            `a row of length ${row.length}`,
            `length ${columns} like rows[0]`,
          );
        }
        const entries: [number, number][] = [];
        for (let j = 0; j < columns; j++) if (row[j] !== 0) entries.push([j, row[j]]);
        return entries;
      }),
    );
  }

  /** The rows of every part, in order, as one (the parts must have the same number of columns). */
  static concat(parts: readonly SparseRows[]): SparseRows {
    if (parts.length === 0) throw new ParamError('parts', parts, 'at least one set of rows');
    const columns = parts[0].columns;
    let rows = 0;
    let entries = 0;
    for (const part of parts) {
      if (part.columns !== columns)
        throw new ParamError('parts', `rows of ${part.columns} columns`, `${columns} columns`);
      rows += part.rows;
      entries += part.entries;
    }
    const offsets = new Int32Array(rows + 1);
    const indices = new Int32Array(entries);
    const values = new Float64Array(entries);
    let row = 0;
    let at = 0;
    for (const part of parts) {
      for (let i = 1; i <= part.rows; i++) offsets[row + i] = at + part.offsets[i];
      indices.set(part.indices, at);
      values.set(part.values, at);
      row += part.rows;
      at += part.entries;
    }
    return new SparseRows(columns, offsets, indices, values);
  }

  /** Stored entries in all. */
  get entries(): number {
    return this.indices.length;
  }

  /** Sum of every value (the number of tokens of a corpus). */
  total(): number {
    let sum = 0;
    for (let i = 0; i < this.values.length; i++) sum += this.values[i];
    return sum;
  }

  /** Rows [start, end) as new sparse rows (the entries copied, the offsets rebased). */
  sliceRows(start: number, end: number): SparseRows {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.rows || start > end) {
      throw new ParamError('rows', [start, end], `a range within [0, ${this.rows}]`);
    }
    const from = this.offsets[start];
    const offsets = new Int32Array(end - start + 1);
    for (let i = start; i <= end; i++) offsets[i - start] = this.offsets[i] - from;
    const to = this.offsets[end];
    return new SparseRows(this.columns, offsets, this.indices.slice(from, to), this.values.slice(from, to));
  }

  /** The same rows over SharedArrayBuffers (itself when they already are), for worker threads. */
  shared(): SparseRows {
    if (
      this.offsets.buffer instanceof SharedArrayBuffer &&
      this.indices.buffer instanceof SharedArrayBuffer &&
      this.values.buffer instanceof SharedArrayBuffer
    )
      return this;
    return new SparseRows(this.columns, shared(this.offsets), shared(this.indices), shared(this.values));
  }

  /** Every row as a dense matrix (a copy): for estimators that work on dense rows. */
  toDense(): DenseMatrix {
    const matrix = new DenseMatrix(this.rows, this.columns);
    for (let i = 0; i < this.rows; i++) {
      for (let at = this.offsets[i]; at < this.offsets[i + 1]; at++) {
        matrix.data[i * this.columns + this.indices[at]] = this.values[at];
      }
    }
    return matrix;
  }

  /** Row `i` as dense values (a copy). */
  denseRow(i: number): Float64Array {
    const row = new Float64Array(this.columns);
    for (let at = this.offsets[i]; at < this.offsets[i + 1]; at++) row[this.indices[at]] = this.values[at];
    return row;
  }
}
