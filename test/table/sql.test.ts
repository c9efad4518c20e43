import { afterAll, describe, expect, it } from 'vitest';
import { DenseMatrix } from '../../src/core/matrix.js';
import { Table, Types, Vectors } from '../../src/table/index.js';
import { SqlEngine, SqlError } from '../../src/table/sql.js';

const orders = Table.fromRows([
  { id: 1n, customer: 'ann', amount: 10.5 },
  { id: 2n, customer: 'bob', amount: 3 },
  { id: 3n, customer: 'ann', amount: 4.5 },
  { id: 4n, customer: 'cyd', amount: 7 },
]);
const customers = Table.fromRows([
  { customer: 'ann', city: 'Oslo' },
  { customer: 'bob', city: 'Rome' },
  { customer: 'cyd', city: 'Oslo' },
]);

describe('SqlEngine (DuckDB)', () => {
  const engine = new SqlEngine();
  engine.createTemporaryView('orders', orders);
  engine.createTemporaryView('Customers', customers);
  afterAll(() => engine.close());

  it('joins and groups two registered tables', async () => {
    const result = await engine.sqlQuery(
      `SELECT c.city, SUM(o.amount) AS total, COUNT(*) AS n
       FROM orders o JOIN customers c ON o.customer = c.customer
       GROUP BY c.city ORDER BY c.city`,
    );
    expect(result.getSchema().getFieldNames()).toEqual(['city', 'total', 'n']);
    expect(result.getSchema().getFieldTypes().map(String)).toEqual(['STRING', 'DOUBLE', 'LONG']);
    expect(result.collect()).toEqual([
      ['Oslo', 22, 3n],
      ['Rome', 3, 1n],
    ]);
    // The same answer from the Table API, computed without SQL.
    const viaApi = orders
      .join(customers, 'customer')
      .groupBy('city')
      .aggregate({ total: { sum: 'amount' }, n: { count: '*' } })
      .orderBy('city');
    expect(viaApi.collect()).toEqual(result.collect());
  });

  it('keeps vector columns as dense vectors in and out (DOUBLE[d] in DuckDB)', async () => {
    const points = Table.fromRows(
      [
        [1, Vectors.dense([0, 0.3])],
        [2, null],
        [3, Vectors.dense([9.6, -1])],
      ],
      Types.ROW_NAMED(['id', 'features'], [Types.INT, Types.DENSE_VECTOR()]),
    );
    engine.createTemporaryView('points', points);
    const result = await engine.sqlQuery(
      `SELECT id, features, array_inner_product(features, features) AS sq,
              [1.0, 2.0]::DOUBLE[2] AS constant, typeof(features) AS t FROM points ORDER BY id`,
    );
    expect(result.getSchema().getFieldTypes().map(String)).toEqual([
      'INT',
      'DENSE_VECTOR(2)',
      'DOUBLE',
      'DENSE_VECTOR(2)',
      'STRING',
    ]);
    const rows = result.toRows();
    expect(rows.map((row) => String(row.features))).toEqual(['[0.0, 0.3]', 'null', '[9.6, -1.0]']);
    expect(rows[0].sq).toBeCloseTo(0.09, 12);
    expect(rows[1].sq).toBeNull();
    expect(rows[0].t).toBe('DOUBLE[2]');
    expect(String(rows[2].constant)).toBe('[1.0, 2.0]');
  });

  it('moves many rows both ways column-wise, across DuckDB chunks', async () => {
    const n = 5000;
    const matrix = new DenseMatrix(n, 3);
    for (let i = 0; i < matrix.data.length; i++) matrix.data[i] = i / 7;
    const big = Table.fromColumns({ i: Int32Array.from({ length: n }, (_, k) => k), v: matrix });
    engine.createTemporaryView('big', big);
    const back = await engine.sqlQuery('SELECT * FROM big ORDER BY i');
    expect(back.numRows).toBe(n);
    expect(back.toMatrix('v').data).toEqual(matrix.data);
    const sums = await engine.sqlQuery('SELECT SUM(v[2]) AS s, SUM(i) AS t FROM big');
    let expected = 0;
    for (let i = 0; i < n; i++) expected += matrix.get(i, 1);
    expect(sums.toRows()[0].s).toBeCloseTo(expected, 6);
    expect(sums.toRows()[0].t).toBe(BigInt((n * (n - 1)) / 2));
  });

  it('reports bad SQL with DuckDB message', async () => {
    await expect(engine.sqlQuery('SELEC 1')).rejects.toThrow(
      /SQL: Parser Error: syntax error at or near "SELEC"/,
    );
    await expect(engine.sqlQuery('SELECT nope FROM orders')).rejects.toThrow(SqlError);
    await expect(engine.sqlQuery('SELECT nope FROM orders')).rejects.toThrow(
      /Referenced column "nope" not found/,
    );
    await expect(engine.sqlQuery('SELECT * FROM missing')).rejects.toThrow(
      /Table with name missing does not exist/,
    );
  });

  it('sees a view registered anew, and returns typed empty results', async () => {
    engine.createTemporaryView('orders', orders.limit(1));
    expect((await engine.sqlQuery('SELECT COUNT(*) AS n FROM orders')).collect()).toEqual([[1n]]);
    const empty = await engine.sqlQuery('SELECT customer, amount FROM orders WHERE amount < 0');
    expect(empty.numRows).toBe(0);
    expect(empty.getSchema().getFieldTypes().map(String)).toEqual(['STRING', 'DOUBLE']);
    engine.createTemporaryView('orders', orders);
  });
});
