import type { Table, tableFromArrays, Vector } from 'apache-arrow';
import { arrow } from './arrow-module.js';
import { InputError, ParamError } from './errors.js';
import { DenseMatrix } from './matrix.js';

/** The typed arrays that map one-to-one onto Arrow primitive columns. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array;

/**
 * Builds an Arrow table whose numeric columns share memory with the given typed arrays
 * (no copy). String or plain-array columns are encoded by Arrow's builders.
 */
export function tableFromColumns(columns: Record<string, NumericArray | readonly unknown[]>): Table {
  const lengths = new Set(Object.values(columns).map((column) => column.length));
  if (lengths.size > 1) {
    throw new ParamError(
      'columns',
      Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.length])),
      'columns of equal length',
    );
  }
  return arrow().tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]) as Table;
}

/** Options of {@link columnAsTypedArray}. */
export interface ColumnOptions {
  /** What to do with nulls: fail (default), or read them as NaN (forces a Float64 copy). */
  nulls?: 'error' | 'nan';
  /** Name of the source, for error messages. */
  source?: string;
}

/**
 * A numeric column as a typed array. When the column is one chunk without nulls the
 * result is a view of Arrow's buffer (no copy); several chunks are concatenated.
 */
export function columnAsTypedArray(table: Table, name: string, options: ColumnOptions = {}): NumericArray {
  const column = table.getChild(name);
  const source = options.source ?? '<table>';
  if (column === null) {
    throw new InputError(`no column '${name}'`, {
      file: source,
      expected: `one of ${table.schema.fields.map((f) => f.name).join(', ')}`,
    });
  }
  const array = column.toArray();
  if (!ArrayBuffer.isView(array)) {
    throw new InputError(`column '${name}' is not numeric`, {
      file: source,
      text: String(column.type),
      expected: 'an integer or floating-point column',
    });
  }
  if (column.nullCount > 0) {
    if (options.nulls !== 'nan') {
      throw new InputError(`column '${name}' has ${column.nullCount} null values`, {
        file: source,
        expected: 'no nulls (or nulls: "nan")',
      });
    }
    const withNaN = Float64Array.from(array as unknown as ArrayLike<number | bigint>, (value) =>
      Number(value),
    );
    for (let i = 0; i < withNaN.length; i++) if (!column.isValid(i)) withNaN[i] = Number.NaN;
    return withNaN;
  }
  return array as NumericArray;
}

/** A numeric column read as Float64 values (a view when it already is Float64 in one chunk). */
export function columnAsFloat64(table: Table, name: string, options: ColumnOptions = {}): Float64Array {
  const array = columnAsTypedArray(table, name, options);
  if (array instanceof Float64Array) return array;
  if (array instanceof BigInt64Array) return Float64Array.from(array, (value) => Number(value));
  return Float64Array.from(array);
}

/** Copies the named numeric columns of a table into a row-major matrix (one row per record). */
export function tableToMatrix(
  table: Table,
  names: readonly string[],
  options: ColumnOptions = {},
): DenseMatrix {
  const matrix = new DenseMatrix(table.numRows, names.length);
  names.forEach((name, j) => {
    const column = columnAsFloat64(table, name, options);
    for (let i = 0; i < column.length; i++) matrix.data[i * names.length + j] = column[i];
  });
  return matrix;
}

/** A matrix as a table of Float64 columns named `names` (default `x0, x1, ...`). */
export function matrixToTable(matrix: DenseMatrix, names?: readonly string[]): Table {
  const columnNames = names ?? Array.from({ length: matrix.columns }, (_, j) => `x${j}`);
  if (columnNames.length !== matrix.columns) {
    throw new ParamError('names', columnNames, `${matrix.columns} column names`);
  }
  const columns: Record<string, Float64Array> = {};
  columnNames.forEach((name, j) => {
    const column = new Float64Array(matrix.rows);
    for (let i = 0; i < matrix.rows; i++) column[i] = matrix.data[i * matrix.columns + j];
    columns[name] = column;
  });
  return tableFromColumns(columns);
}

/** A typed array as a single-chunk Arrow vector over the same memory. */
export function vectorFromTypedArray(array: NumericArray): Vector {
  return arrow().makeVector(array);
}
