import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DenseMatrix } from '../../src/core/matrix.js';
import { tabularView, toRecords } from '../../src/notebook/tabular.js';
import { Table } from '../../src/table/table.js';

describe('tabular data', () => {
  it('views records, Arrow tables and columns alike', () => {
    const records = [{ a: 1, b: 'x' }, { a: 2 }];
    const columns = { a: new Int32Array([1, 2]), b: ['x', undefined] };
    const table = tableFromArrays({ a: new Int32Array([1, 2]), b: ['x', null] });
    for (const data of [records, columns, table]) {
      const view = tabularView(data);
      expect(view.columns).toEqual(['a', 'b']);
      expect(view.rowCount).toBe(2);
      expect([view.cell(0, 'a'), view.cell(0, 'b'), view.cell(1, 'a')]).toEqual([1, 'x', 2]);
      expect(view.cell(1, 'b') ?? null).toBeNull();
    }
  });

  it('views matrices as columns x0, x1, ... and ML frames by their column names', () => {
    const matrix = DenseMatrix.fromRows([
      [1, 2],
      [3, 4],
    ]);
    expect(toRecords(matrix)).toEqual([
      { x0: 1, x1: 2 },
      { x0: 3, x1: 4 },
    ]);
    const frame = Table.fromTypedColumns(
      ['id', 'name', 'point'],
      [
        { kind: 'number', values: new Float64Array([7, 8]) },
        { kind: 'string', values: ['p', 'q'] },
        { kind: 'vector', values: matrix },
      ],
    );
    const view = tabularView(frame);
    expect(view.columns).toEqual(['id', 'name', 'point']);
    expect(view.rowCount).toBe(2);
    expect([view.cell(1, 'id'), view.cell(1, 'name')]).toEqual([8, 'q']);
    expect(Array.from(view.cell(1, 'point') as Float64Array)).toEqual([3, 4]);
  });

  it('views Table API tables through their Arrow form', () => {
    const table = Table.fromColumns({ word: ['to', 'be'], count: new Float64Array([2, 1]) });
    expect(toRecords(table)).toEqual([
      { word: 'to', count: 2 },
      { word: 'be', count: 1 },
    ]);
  });

  it('finds record keys among the scanned rows only', () => {
    const records = [{ a: 1 }, { a: 2, late: true }];
    expect(tabularView(records, 1).columns).toEqual(['a']);
    expect(tabularView(records).columns).toEqual(['a', 'late']);
  });

  it('copies rows into plain records, bigints as numbers, up to a limit', () => {
    const table = tableFromArrays({ id: new BigInt64Array([5n, 6n, 7n]), w: new Float32Array([0.5, 1, 2]) });
    expect(toRecords(table, 2)).toEqual([
      { id: 5, w: 0.5 },
      { id: 6, w: 1 },
    ]);
    expect(toRecords({ x: [] })).toEqual([]);
    expect(toRecords({})).toEqual([]);
  });
});
