/**
 * DataSets as estimator input: `fit(dataSet)` runs the DataSet's plan and trains on what it
 * produced. Three record shapes are understood, the ones eddy's sources make: row chunks
 * (`env.fromMatrix`), rows of numbers, and records with named fields (`env.readCsv`).
 */
import { InputError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import type { MatrixChunk } from '../dataset/chunks.js';
import type { DataSet } from '../dataset/dataset.js';
import { Table } from '../table/table.js';
import type { TableColumn } from '../table/typed-columns.js';
import { toTable } from './table-input.js';

const SOURCE = '<DataSet>';

function isMatrixChunk(record: unknown): record is MatrixChunk {
  const chunk = record as MatrixChunk;
  return (
    typeof chunk === 'object' &&
    chunk !== null &&
    chunk.data instanceof Float64Array &&
    typeof chunk.firstRow === 'number' &&
    typeof chunk.rows === 'number' &&
    typeof chunk.columns === 'number'
  );
}

function isNumberRow(record: unknown): record is ArrayLike<number> {
  return (
    (Array.isArray(record) || ArrayBuffer.isView(record)) &&
    typeof (record as ArrayLike<unknown>)[0] !== 'string'
  );
}

/** Row chunks back into one matrix, in row order from the first (chunks may arrive in any order). */
function matrixFromChunks(chunks: readonly MatrixChunk[]): DenseMatrix {
  const columns = chunks[0].columns;
  const rows = chunks.reduce((total, chunk) => total + chunk.rows, 0);
  const firstRow = chunks.reduce((least, chunk) => Math.min(least, chunk.firstRow), chunks[0].firstRow);
  const matrix = new DenseMatrix(rows, columns);
  for (const chunk of chunks) {
    if (chunk.columns !== columns) {
      throw new InputError(`a row chunk has ${chunk.columns} columns`, {
        file: SOURCE,
        expected: `${columns} like the first`,
      });
    }
    matrix.data.set(chunk.data.subarray(0, chunk.rows * columns), (chunk.firstRow - firstRow) * columns);
  }
  return matrix;
}

/** Records with named fields into typed columns: numbers where every value is a number. */
function frameFromRecords(records: readonly Record<string, unknown>[]): Table {
  const names = Object.keys(records[0]);
  const columns: TableColumn[] = names.map((name) => {
    if (records.every((record) => typeof record[name] === 'number')) {
      return { kind: 'number', values: Float64Array.from(records, (record) => record[name] as number) };
    }
    return { kind: 'string', values: records.map((record) => String(record[name] ?? '')) };
  });
  records.forEach((record, row) => {
    const keys = Object.keys(record);
    if (keys.length !== names.length || keys.some((key) => !names.includes(key))) {
      throw new InputError(`record ${row} has fields ${keys.join(', ')}`, {
        file: SOURCE,
        expected: `the fields ${names.join(', ')} of the first record`,
      });
    }
  });
  return Table.fromTypedColumns(names, columns, { source: SOURCE });
}

/**
 * Runs a DataSet's plan and turns its records into a table, one partition at a time: rows
 * become typed columns partition by partition (a feature matrix, numbers, strings) that are then
 * put end to end in partition order, never one JS array of every row. Row chunks are placed by
 * their first row, as {@link frameFromRecordList} places them.
 */
export async function tableFromDataSet(
  dataSet: Pick<DataSet<unknown>, 'environment' | 'node'>,
): Promise<Table> {
  const partitions = (await dataSet.environment.execute(dataSet.node)).filter(
    (records) => records.length > 0,
  );
  if (partitions.length === 0 || isMatrixChunk(partitions[0][0]))
    return frameFromRecordList(partitions.flat());
  return tablesEndToEnd(partitions.map(frameFromRecordList));
}

/** Tables of the same columns, one after the other (a column of numbers in one and text in another becomes text). */
function tablesEndToEnd(tables: readonly Table[]): Table {
  const [first] = tables;
  if (tables.length === 1) return first;
  const names = first.names;
  for (const table of tables) {
    if (table.names.length !== names.length || table.names.some((name, j) => name !== names[j])) {
      throw new InputError(`a partition has the fields ${table.names.join(', ')}`, {
        file: SOURCE,
        expected: `the fields ${names.join(', ')} of the first`,
      });
    }
  }
  const columns = names.map((name, j): TableColumn => {
    const parts = tables.map((table) => table.columns[j]);
    if (parts.every((part) => part.kind === 'number')) {
      const values = new Float64Array(parts.reduce((total, part) => total + part.values.length, 0));
      let at = 0;
      for (const part of parts) {
        values.set(part.values as Float64Array, at);
        at += part.values.length;
      }
      return { kind: 'number', values };
    }
    if (parts.every((part) => part.kind === 'vector')) {
      return { kind: 'vector', values: matricesEndToEnd(parts.map((part) => part.values as DenseMatrix)) };
    }
    if (parts.every((part) => part.kind === 'number' || part.kind === 'string')) {
      return {
        kind: 'string',
        values: parts.flatMap((part) =>
          part.kind === 'string' ? part.values : Array.from(part.values as Float64Array, String),
        ),
      };
    }
    throw new InputError(`field '${name}' differs in kind between partitions`, {
      file: SOURCE,
      expected: 'numbers, text or rows of numbers in every partition',
    });
  });
  return Table.fromTypedColumns(names, columns, { source: SOURCE });
}

/** Matrices of the same width, one below the other. */
function matricesEndToEnd(matrices: readonly DenseMatrix[]): DenseMatrix {
  const { columns } = matrices[0];
  const result = new DenseMatrix(
    matrices.reduce((total, matrix) => total + matrix.rows, 0),
    columns,
  );
  let at = 0;
  for (const matrix of matrices) {
    if (matrix.columns !== columns) {
      throw new InputError(`a row of ${matrix.columns} numbers`, {
        file: SOURCE,
        expected: `${columns} like the first`,
      });
    }
    result.data.set(matrix.data, at);
    at += matrix.data.length;
  }
  return result;
}

/**
 * Records of one of the three shapes into a table: a whole DataSet's, or one partition's (row
 * chunks are placed from the first row among them).
 */
export function frameFromRecordList(records: readonly unknown[]): Table {
  if (records.length === 0)
    throw new InputError('the DataSet is empty', { file: SOURCE, expected: 'at least one record' });
  const first = records[0];
  if (isMatrixChunk(first)) {
    if (!records.every(isMatrixChunk))
      throw new InputError('mixed records', { file: SOURCE, expected: 'only row chunks' });
    return toTable(matrixFromChunks(records as MatrixChunk[]));
  }
  if (isNumberRow(first)) return toTable(DenseMatrix.fromRows(records as ArrayLike<number>[]));
  if (typeof first === 'object' && first !== null)
    return frameFromRecords(records as Record<string, unknown>[]);
  throw new InputError('records of an unknown shape', {
    file: SOURCE,
    text: JSON.stringify(first),
    expected: 'row chunks (env.fromMatrix), arrays of numbers, or records with named fields',
  });
}
