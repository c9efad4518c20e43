/** The input columns of the text stages: text, token lists and term vectors, checked by kind. */
import { InputError } from '../../../src/core/errors.js';
import { SparseRows } from '../../../src/core/sparse-rows.js';
import { getColumn } from '../../../src/ml/table-input.js';
import type { Table } from '../../../src/table/table.js';
import type { TableColumn } from '../../../src/table/typed-columns.js';

function wrongKind(frame: Table, name: string, column: TableColumn, expected: string): InputError {
  const holds = {
    number: 'numbers',
    string: 'text',
    vector: 'vectors',
    sparse: 'vectors',
    tokens: 'token lists',
  };
  return new InputError(`column '${name}' holds ${holds[column.kind]}`, { file: frame.source, expected });
}

/** A column of text, one string per row. */
export function textColumn(frame: Table, name: string): readonly string[] {
  const column = getColumn(frame, name, 'input column');
  if (column.kind !== 'string') throw wrongKind(frame, name, column, 'a column of text');
  return column.values;
}

/** A column of token lists (a tokenizer's output). */
export function tokensColumn(frame: Table, name: string): readonly (readonly string[])[] {
  const column = getColumn(frame, name, 'input column');
  if (column.kind !== 'tokens')
    throw wrongKind(frame, name, column, "a column of token lists (a tokenizer's output)");
  return column.values;
}

/** A column of term vectors (sparse, or dense read as sparse). */
export function termVectorsColumn(frame: Table, name: string): SparseRows {
  const column = getColumn(frame, name, 'input column');
  if (column.kind === 'sparse') return column.values;
  if (column.kind === 'vector') {
    const matrix = column.values;
    return SparseRows.fromDense(Array.from({ length: matrix.rows }, (_, i) => matrix.row(i)));
  }
  throw wrongKind(frame, name, column, 'a column of term vectors (CountVectorizer or HashingTF output)');
}

/** Sparse rows from each row's term-to-value map (columns sorted within a row). */
export function sparseFromMaps(columns: number, rows: readonly Map<number, number>[]): SparseRows {
  const offsets = new Int32Array(rows.length + 1);
  let entries = 0;
  rows.forEach((row, i) => {
    entries += row.size;
    offsets[i + 1] = entries;
  });
  const indices = new Int32Array(entries);
  const values = new Float64Array(entries);
  rows.forEach((row, i) => {
    const sorted = [...row.keys()].sort((a, b) => a - b);
    sorted.forEach((term, j) => {
      indices[offsets[i] + j] = term;
      values[offsets[i] + j] = row.get(term)!;
    });
  });
  return new SparseRows(columns, offsets, indices, values);
}
