import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DenseMatrix } from '../../src/core/matrix.js';
import { DenseVector, DenseVectorTypeInfo, Table, Types, Vectors } from '../../src/table/index.js';

const points = Table.fromRows(
  [
    ['a', 1, Vectors.dense([0, 0])],
    ['b', 2, Vectors.dense([0, 0.3])],
    ['a', 3, Vectors.dense([9, 0])],
    ['c', 4, null],
  ],
  Types.ROW_NAMED(['key', 'x', 'features'], [Types.STRING, Types.DOUBLE, new DenseVectorTypeInfo()]),
);

describe('Table', () => {
  it('holds a typed schema and reads rows back', () => {
    expect(points.getSchema().getFieldNames()).toEqual(['key', 'x', 'features']);
    expect(points.getSchema().getFieldTypes().map(String)).toEqual(['STRING', 'DOUBLE', 'DENSE_VECTOR(2)']);
    const rows = points.toRows();
    expect(rows[1].key).toBe('b');
    expect(rows[1].features).toBeInstanceOf(DenseVector);
    expect(String(rows[1].features)).toBe('[0.0, 0.3]');
    expect(rows[3].features).toBeNull();
    expect(points.collect()[2]).toEqual(['a', 3, Vectors.dense([9, 0])]);
  });

  it('infers types from objects and refuses values of the wrong type, naming row and column', () => {
    const t = Table.fromRows([{ n: 1n, s: 'x', ok: true }]);
    expect(t.getSchema().getFieldTypes().map(String)).toEqual(['LONG', 'STRING', 'BOOLEAN']);
    expect(() => Table.fromRows([{ x: 1 }, { x: 'two' }])).toThrow(
      /row 1, column 'x'.*got "two", expected a number/,
    );
    expect(() =>
      Table.fromRows(
        [[Vectors.dense([1, 2])], [Vectors.dense([1])]],
        Types.ROW_NAMED(['v'], [Types.DENSE_VECTOR()]),
      ),
    ).toThrow(/row 1, column 'v'.*dense vector of dimension 2/);
  });

  it('selects, renames and drops columns; unknown columns are named with the existing ones', () => {
    expect(points.select('x', 'key').collect()[0]).toEqual([1, 'a']);
    expect(points.renameColumns({ x: 'y' }).getSchema().getFieldNames()).toEqual(['key', 'y', 'features']);
    expect(points.dropColumns('features').getSchema().getFieldNames()).toEqual(['key', 'x']);
    expect(() => points.select('nope')).toThrow(
      "no column 'nope': expected one of the columns 'key', 'x', 'features'",
    );
    expect(() => points.groupBy('zz')).toThrow(/no column 'zz'/);
  });

  it('filters with row functions and adds columns row-wise and vectorised', () => {
    expect(
      points
        .filter((row) => (row.x as number) > 1.5)
        .collect()
        .map((r) => r[0]),
    ).toEqual(['b', 'a', 'c']);
    expect(points.where((row) => row.key === 'a').numRows).toBe(2);
    const doubled = points.withColumn('y', (row) => (row.x as number) * 2);
    expect(doubled.toRows().map((r) => r.y)).toEqual([2, 4, 6, 8]);
    const norms = points
      .filter((row) => row.features !== null)
      .withVectorisedColumn('norm', (batch) => {
        const m = batch.vectors('features');
        const out = new Float64Array(m.rows);
        for (let i = 0; i < m.rows; i++) out[i] = Math.hypot(...m.row(i));
        return out;
      });
    expect(norms.toRows().map((r) => r.norm)).toEqual([0, 0.3, 9]);
    expect(norms.getSchema().getFieldTypes().map(String)).toEqual([
      'STRING',
      'DOUBLE',
      'DENSE_VECTOR(2)',
      'DOUBLE',
    ]);
    const shifted = points.withVectorisedColumn('x', (batch) => batch.float64('x').map((v) => v + 1));
    expect(shifted.toRows().map((r) => r.x)).toEqual([2, 3, 4, 5]);
    expect(() => points.withColumn('bad', () => 'text', Types.DOUBLE)).toThrow(
      /column 'bad'.*expected a number/,
    );
  });

  it('groups and aggregates', () => {
    const sums = points.groupBy('key').aggregate({
      total: { sum: 'x' },
      n: { count: '*' },
      mean: { avg: 'x' },
      lo: { min: 'x' },
      hi: { max: 'x' },
    });
    expect(sums.collect()).toEqual([
      ['a', 4, 2n, 2, 1, 3],
      ['b', 2, 1n, 2, 2, 2],
      ['c', 4, 1n, 4, 4, 4],
    ]);
    expect(points.aggregate({ vectors: { count: 'features' } }).collect()).toEqual([[3n]]);
    expect(() => points.aggregate({ s: { sum: 'key' } })).toThrow(/column 'key' is not numeric/);
  });

  it('joins on shared and differently named keys, inner and left', () => {
    const names = Table.fromRows([
      { key: 'a', name: 'alpha' },
      { key: 'b', name: 'beta' },
      { key: 'z', name: 'zeta' },
    ]);
    const inner = points.join(names, 'key');
    expect(inner.getSchema().getFieldNames()).toEqual(['key', 'x', 'features', 'name']);
    expect(inner.select('x', 'name').collect()).toEqual([
      [1, 'alpha'],
      [2, 'beta'],
      [3, 'alpha'],
    ]);
    const left = points.leftOuterJoin(names.renameColumns({ key: 'k' }), { left: 'key', right: 'k' });
    expect(left.select('key', 'k', 'name').collect()[3]).toEqual(['c', null, null]);
    expect(String(left.toRows()[2].features)).toBe('[9.0, 0.0]');
    expect(() => points.join(points, 'key')).toThrow(/repeated column names 'x', 'features'/);
  });

  it('unions, orders and limits', () => {
    const twice = points.unionAll(points);
    expect(twice.numRows).toBe(8);
    expect(twice.getBatches().length).toBe(2);
    expect(points.union(points).numRows).toBe(4);
    expect(points.orderBy({ column: 'key', order: 'desc' }, 'x').select('key', 'x').collect()).toEqual([
      ['c', 4],
      ['b', 2],
      ['a', 1],
      ['a', 3],
    ]);
    expect(twice.limit(3, 3).select('x').collect()).toEqual([[4], [1], [2]]);
    expect(() => points.unionAll(points.select('x'))).toThrow(/a table with the schema/);
    expect(() => points.orderBy('features')).toThrow(/holds vectors/);
  });

  it('round-trips vector columns through Arrow IPC and into a matrix without copies', () => {
    const matrix = new DenseMatrix(3, 2, Float64Array.from([1, 2, 3, 4, 5, 6]));
    const t = Table.fromColumns({ id: Int32Array.from([7, 8, 9]), v: matrix });
    const back = Table.fromArrow(tableFromIPC(t.toIPC()));
    expect(back.getSchema().getFieldTypes().map(String)).toEqual(['INT', 'DENSE_VECTOR(2)']);
    expect(back.toMatrix('v').toRows()).toEqual(matrix.toRows());
    expect(t.toMatrix('v').data.buffer).toBe(matrix.data.buffer);
    const predicted = back.addColumn('prediction', Int32Array.from([0, 1, 1]));
    expect(predicted.select('id', 'prediction').collect()).toEqual([
      [7, 0],
      [8, 1],
      [9, 1],
    ]);
    expect(() => back.toMatrix('id')).toThrow(/column 'id' is not a dense-vector column/);
  });

  it('prints as Flink does', () => {
    expect(points.limit(2).toString()).toBe(
      [
        '+-----+-----+------------+',
        '| key |   x |   features |',
        '+-----+-----+------------+',
        '|   a | 1.0 | [0.0, 0.0] |',
        '|   b | 2.0 | [0.0, 0.3] |',
        '+-----+-----+------------+',
        '2 rows in set',
      ].join('\n'),
    );
  });
});

describe('DenseVector', () => {
  it('formats as Java does', () => {
    expect(String(Vectors.dense([0, 0.3, 9.6, -2, 1e-4, 12345678, 1.5e-3]))).toBe(
      '[0.0, 0.3, 9.6, -2.0, 1.0E-4, 1.2345678E7, 0.0015]',
    );
    expect(Vectors.dense([1, 2]).toArray()).toEqual(Float64Array.from([1, 2]));
  });
});
