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

/** Runs a DataSet's plan and turns its records into a table. */
export async function tableFromDataSet(dataSet: Pick<DataSet<unknown>, 'collect'>): Promise<Table> {
  return frameFromRecordList(await dataSet.collect());
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
  if (isNumberRow(first)) {
    return toTable(records.map((record) => Array.from(record as ArrayLike<number>)));
  }
  if (typeof first === 'object' && first !== null)
    return frameFromRecords(records as Record<string, unknown>[]);
  throw new InputError('records of an unknown shape', {
    file: SOURCE,
    text: JSON.stringify(first),
    expected: 'row chunks (env.fromMatrix), arrays of numbers, or records with named fields',
  });
}
