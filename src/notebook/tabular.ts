import type { Table } from 'apache-arrow';
import type { NumericArray } from '../core/arrow.js';
import { ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';

/** Anything that converts itself to an Arrow table, as the Table API's tables (SQL results) do. */
export interface ArrowConvertible {
  toArrow(): Table;
}

/**
 * Anything eddy shows as a table or plots: an array of records, an Arrow table, a Table API
 * table (an ML stage's output too), columns (typed arrays or plain arrays of equal length, keyed by name),
 * or a matrix (columns `x0, x1, ...`).
 */
export type TabularData =
  | readonly Readonly<Record<string, unknown>>[]
  | Table
  | ArrowConvertible
  | DenseMatrix
  | Readonly<Record<string, NumericArray | readonly unknown[]>>;

/**
 * A uniform, read-only view of {@link TabularData}: column names, row count and cell access,
 * so the HTML table and the chart data read all three shapes the same way without copying
 * more than the rows they show.
 */
export interface TabularView {
  readonly columns: readonly string[];
  readonly rowCount: number;
  /** The value in row `row` of column `column` (`undefined` when a record lacks the key). */
  cell(row: number, column: string): unknown;
}

/**
 * Arrow tables are recognised by shape, not `instanceof`, so that a table built by another
 * copy of apache-arrow (a notebook's own dependency) is still read as a table.
 */
function isArrowTable(data: unknown): data is Table {
  const candidate = data as Partial<Table> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.getChild === 'function' &&
    typeof candidate.numRows === 'number' &&
    Array.isArray(candidate.schema?.fields)
  );
}

function isColumn(value: unknown): value is NumericArray | readonly unknown[] {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Views `data` as rows and columns. Records contribute their keys in order of first
 * appearance among the first `scanRows` records (all by default), so a table of a few rows
 * does not walk a million records to find its header.
 */
export function tabularView(data: TabularData, scanRows = Number.POSITIVE_INFINITY): TabularView {
  if (Array.isArray(data)) {
    const records = data as readonly Readonly<Record<string, unknown>>[];
    const names = new Set<string>();
    const scanned = Math.min(records.length, scanRows);
    for (let i = 0; i < scanned; i++) {
      const record = records[i];
      if (typeof record !== 'object' || record === null) {
        throw new ParamError(`data[${i}]`, record, 'a record (an object of column values)');
      }
      for (const key of Object.keys(record)) names.add(key);
    }
    return {
      columns: [...names],
      rowCount: records.length,
      cell: (row, column) => records[row][column],
    };
  }
  if (isArrowTable(data)) {
    const table = data;
    const columns = table.schema.fields.map((field) => field.name);
    const vectors = new Map(columns.map((name) => [name, table.getChild(name)]));
    return {
      columns,
      rowCount: table.numRows,
      cell: (row, column) => vectors.get(column)?.get(row),
    };
  }
  if (typeof (data as Partial<ArrowConvertible>).toArrow === 'function') {
    return tabularView((data as ArrowConvertible).toArrow(), scanRows);
  }
  if (data instanceof DenseMatrix) {
    const matrix = data;
    const columns = Array.from({ length: matrix.columns }, (_, j) => `x${j}`);
    const index = new Map(columns.map((name, j) => [name, j]));
    return {
      columns,
      rowCount: matrix.rows,
      cell: (row, column) => {
        const j = index.get(column);
        return j === undefined ? undefined : matrix.get(row, j);
      },
    };
  }
  if (typeof data !== 'object' || data === null) {
    throw new ParamError('data', data, 'an array of records, an Arrow table or an object of columns');
  }
  const entries = Object.entries(data);
  for (const [name, column] of entries) {
    if (!isColumn(column)) {
      throw new ParamError(`data.${name}`, column, 'a column: a typed array or an array');
    }
  }
  const lengths = new Set(entries.map(([, column]) => column.length));
  if (lengths.size > 1) {
    throw new ParamError(
      'data',
      Object.fromEntries(entries.map(([name, column]) => [name, column.length])),
      'columns of equal length',
    );
  }
  const columns = Object.fromEntries(entries);
  return {
    columns: entries.map(([name]) => name),
    rowCount: entries.length === 0 ? 0 : entries[0][1].length,
    cell: (row, column) => columns[column]?.[row],
  };
}

/**
 * Copies the first `limit` rows of `data` into plain records (what vega reads as inline
 * values). Bigints become numbers, since vega's scales work on numbers only.
 */
export function toRecords(data: TabularData, limit = Number.POSITIVE_INFINITY): Record<string, unknown>[] {
  const view = tabularView(data);
  const count = Math.min(view.rowCount, limit);
  const records: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const record: Record<string, unknown> = {};
    for (const column of view.columns) {
      const value = view.cell(i, column);
      record[column] = typeof value === 'bigint' ? Number(value) : value;
    }
    records[i] = record;
  }
  return records;
}
