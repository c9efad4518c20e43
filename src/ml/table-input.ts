import type { Table as ArrowTable } from 'apache-arrow';
import type { Matrix } from 'ml-matrix';
import { arrow } from '../core/arrow-module.js';
import { InputError, ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import { isMlMatrix } from '../core/ml-matrix.js';
import { Table } from '../table/table.js';
import type { TableColumn } from '../table/typed-columns.js';

/**
 * What ML stages take in memory, turned into the one {@link Table} they read, and the lookups
 * of their columns with errors that say which column and which line.
 */

/** Features with optional labels and sample weights, for data that has no column names. */
export interface LabeledData {
  features: DenseMatrix | Matrix | readonly (readonly number[])[];
  labels?: ArrayLike<number> | readonly string[];
  weights?: ArrayLike<number>;
}

/**
 * What estimators and models accept in memory: an eddy {@link Table}, an Arrow `Table`, a
 * {@link DenseMatrix}, an ml-matrix `Matrix`, `number[][]` (each becomes the vector column
 * `features`), or {@link LabeledData} (columns `features`, `label`, `weight`).
 */
export type InMemoryData =
  | Table
  | ArrowTable
  | DenseMatrix
  | Matrix
  | readonly (readonly number[])[]
  | LabeledData;

/** The named column, or an error listing the columns there are. */
export function getColumn(table: Table, name: string, role = 'column'): TableColumn {
  const index = table.names.indexOf(name);
  if (index < 0) {
    throw new InputError(`no ${role} '${name}'`, {
      file: table.source,
      expected: `one of the columns ${table.names.join(', ') || '(none)'}`,
    });
  }
  return table.columns[index];
}

/** Where row `row` of a table came from, for error messages: its file line when known. */
export function rowLocation(table: Table, row: number): { file: string; line?: number } {
  return table.lines
    ? { file: table.source, line: table.lines[row] }
    : { file: `${table.source} row ${row}` };
}

function isLabeledData(data: unknown): data is LabeledData {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'features' in data;
}

function toDenseMatrix(
  features: DenseMatrix | Matrix | readonly (readonly number[])[],
  what: string,
): DenseMatrix {
  if (features instanceof DenseMatrix) return features;
  if (isMlMatrix(features)) return DenseMatrix.fromMlMatrix(features);
  if (Array.isArray(features)) return DenseMatrix.fromRows(features);
  throw new ParamError(what, features, 'a DenseMatrix, an ml-matrix Matrix or number[][]');
}

/** Converts any {@link InMemoryData} to a table (no copy for tables, matrices and Float64 columns). */
export function toTable(data: InMemoryData): Table {
  if (data instanceof Table) return data;
  if (data instanceof arrow().Table) return Table.fromArrow(data as ArrowTable);
  if (data instanceof DenseMatrix || Array.isArray(data) || isMlMatrix(data)) {
    return Table.fromTypedColumns(
      ['features'],
      [{ kind: 'vector', values: toDenseMatrix(data as DenseMatrix, 'data') }],
    );
  }
  if (isLabeledData(data)) {
    const features = toDenseMatrix(data.features, 'features');
    const names = ['features'];
    const columns: TableColumn[] = [{ kind: 'vector', values: features }];
    if (data.labels !== undefined) {
      names.push('label');
      const labels = data.labels;
      const strings = labels.length > 0 && typeof labels[0] === 'string';
      columns.push(
        strings
          ? { kind: 'string', values: Array.from(labels as readonly string[]) }
          : { kind: 'number', values: Float64Array.from(labels as ArrayLike<number>) },
      );
    }
    if (data.weights !== undefined) {
      names.push('weight');
      columns.push({ kind: 'number', values: Float64Array.from(data.weights) });
    }
    return Table.fromTypedColumns(names, columns);
  }
  throw new ParamError(
    'data',
    data,
    'an eddy Table, an Arrow Table, a DenseMatrix, an ml-matrix Matrix, number[][] or { features, labels }',
  );
}
