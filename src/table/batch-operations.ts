import type { Data, RecordBatch, Vector } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { InputError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import { cellReader, columnFromValues, denseVectorData, vectorColumnToMatrix } from './columns.js';
import { batchColumns, batchFromColumns, batchNames, columnPosition } from './schema.js';
import { takeRows } from './take.js';
import { DenseVectorTypeInfo, type TypeInformation, typeOfArrow } from './types.js';

/**
 * The per-batch kernels of the Table API. Each takes one record batch and returns one, so the
 * same code serves bounded tables (batch by batch) and streaming tables (as batches arrive).
 */

/** One row handed to a row function: column name to value (see `cellReader` for the values). */
export type RowObject = Record<string, unknown>;

/** A row function, as Flink's scalar functions: one value per row. */
export type RowFunction<T> = (row: RowObject, index: number) => T;

/** What a vectorised column function returns: one value per row of the batch. */
export type ColumnValues =
  | Float64Array
  | Float32Array
  | Int32Array
  | BigInt64Array
  | DenseMatrix
  | Vector
  | readonly unknown[];

/** A vectorised column function: sees a whole batch, returns the new column. */
export type ColumnFunction = (batch: ColumnBatch) => ColumnValues;

/** The columns of one record batch, as a vectorised column function sees them. */
export class ColumnBatch {
  readonly numRows: number;
  private readonly names: string[];
  private readonly columns: Data[];

  constructor(
    readonly batch: RecordBatch,
    private readonly source = '<table>',
  ) {
    this.numRows = batch.numRows;
    this.names = batchNames(batch);
    this.columns = batchColumns(batch);
  }

  private data(name: string): Data {
    return this.columns[columnPosition(this.names, name, this.source)];
  }

  /** The Arrow column. */
  column(name: string): Vector {
    return arrow().makeVector(this.data(name));
  }

  /** A numeric column as doubles: a view when it is Float64 without nulls; nulls read as NaN. */
  float64(name: string): Float64Array {
    const data = this.data(name);
    const values = data.values as ArrayLike<number | bigint>;
    if (values instanceof Float64Array && data.nullCount === 0) return values.subarray(0, data.length);
    if (!ArrayBuffer.isView(values) || data.type.typeId === 10 /* Utf8's values are bytes */) {
      throw new InputError(`column '${name}' is not numeric`, {
        file: this.source,
        text: String(data.type),
        expected: 'a numeric column',
      });
    }
    const vector = arrow().makeVector(data);
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = vector.isValid(i) ? Number(values[i]) : Number.NaN;
    return out;
  }

  /** A dense-vector column as a row-major matrix over Arrow's buffer. */
  vectors(name: string): DenseMatrix {
    return vectorColumnToMatrix([this.data(name)], name, this.source);
  }

  /** Any column as JS values (one per row). */
  values(name: string): unknown[] {
    const read = cellReader(this.data(name));
    return Array.from({ length: this.numRows }, (_, i) => read(i));
  }
}

/** Calls `visit` with each row of a batch as an object. */
export function forEachRow(batch: RecordBatch, visit: (row: RowObject, index: number) => void): void {
  const names = batchNames(batch);
  const readers = batchColumns(batch).map(cellReader);
  for (let i = 0; i < batch.numRows; i++) {
    const row: RowObject = {};
    for (let j = 0; j < names.length; j++) row[names[j]] = readers[j](i);
    visit(row, i);
  }
}

/** The batch with only the named columns, in that order. */
export function selectBatch(batch: RecordBatch, names: readonly string[], source?: string): RecordBatch {
  const all = batchNames(batch);
  const columns = batchColumns(batch);
  return batchFromColumns(
    names,
    names.map((name) => columns[columnPosition(all, name, source)]),
    batch.numRows,
  );
}

/** The batch with its columns renamed (`names` gives the new name of each column). */
export function renameBatch(batch: RecordBatch, names: readonly string[]): RecordBatch {
  return batchFromColumns(names, batchColumns(batch), batch.numRows);
}

/** The rows of a batch at the given indices. */
export function takeBatch(batch: RecordBatch, indices: Int32Array): RecordBatch {
  return batchFromColumns(
    batchNames(batch),
    batchColumns(batch).map((column) => takeRows([column], indices)),
    indices.length,
  );
}

/** The rows of a batch for which `predicate` holds. */
export function filterBatch(batch: RecordBatch, predicate: RowFunction<unknown>): RecordBatch {
  const kept: number[] = [];
  forEachRow(batch, (row, i) => {
    if (predicate(row, i)) kept.push(i);
  });
  return kept.length === batch.numRows ? batch : takeBatch(batch, Int32Array.from(kept));
}

/** The first `count` rows of a batch. */
export function headBatch(batch: RecordBatch, count: number): RecordBatch {
  return count >= batch.numRows ? batch : batch.slice(0, count);
}

/** Converts what a column function returned into one Arrow column of `length` rows. */
export function columnData(
  name: string,
  values: ColumnValues,
  length: number,
  type: TypeInformation | undefined,
  source = '<table>',
): Data {
  let data: Data;
  if (values instanceof DenseMatrix)
    data = denseVectorData(values.data.subarray(0, values.rows * values.columns), values.columns);
  else if (values instanceof arrow().Vector) {
    if (values.data.length !== 1)
      throw new InputError(`column '${name}' has several chunks`, { file: source, expected: 'one chunk' });
    data = values.data[0];
  } else if (ArrayBuffer.isView(values)) data = arrow().makeVector(values).data[0];
  else data = columnFromValues(name, values as readonly unknown[], type, source).data[0];
  if (data.length !== length) {
    throw new InputError(`column '${name}' has ${data.length} values`, {
      file: source,
      expected: `${length}, one per row`,
    });
  }
  const actual = typeOfArrow(data.type);
  const declaredDimension = type instanceof DenseVectorTypeInfo ? type.dimension : undefined;
  const actualDimension = actual instanceof DenseVectorTypeInfo ? actual.dimension : undefined;
  if (
    type !== undefined &&
    (actual.kind !== type.kind || (declaredDimension !== undefined && declaredDimension !== actualDimension))
  ) {
    throw new InputError(`column '${name}' has type ${actual}`, { file: source, expected: String(type) });
  }
  return data;
}

/** The batch with column `name` added (or replaced when it exists). */
export function withColumnData(batch: RecordBatch, name: string, data: Data): RecordBatch {
  const names = batchNames(batch);
  const columns = batchColumns(batch);
  const position = names.indexOf(name);
  if (position >= 0) columns[position] = data;
  else {
    names.push(name);
    columns.push(data);
  }
  return batchFromColumns(names, columns, batch.numRows);
}

/** The batch with a column computed by a row function. */
export function withRowColumnBatch(
  batch: RecordBatch,
  name: string,
  compute: RowFunction<unknown>,
  type: TypeInformation | undefined,
  source?: string,
): RecordBatch {
  const values = new Array<unknown>(batch.numRows);
  forEachRow(batch, (row, i) => {
    values[i] = compute(row, i);
  });
  return withColumnData(batch, name, columnData(name, values, batch.numRows, type, source));
}

/** The batch with a column computed by a vectorised function. */
export function withVectorisedColumnBatch(
  batch: RecordBatch,
  name: string,
  compute: ColumnFunction,
  type: TypeInformation | undefined,
  source?: string,
): RecordBatch {
  const values = compute(new ColumnBatch(batch, source));
  return withColumnData(batch, name, columnData(name, values, batch.numRows, type, source));
}
