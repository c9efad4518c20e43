/**
 * Moving a table into DuckDB and a result back out: eddy's column-wise path (data chunks
 * filled from typed arrays, appended whole; result chunks read into typed arrays) against the
 * plain ways of the Node API measured in the same run (the appender value by value, and
 * reading results as JS row objects). 50,000 rows of (double, bigint, string, double[16]).
 */
import { ARRAY, DOUBLE, DuckDBInstance } from '@duckdb/node-api';
import { DenseMatrix } from '../../src/core/matrix.js';
import { SqlEngine } from '../../src/table/sql.js';
import { Table } from '../../src/table/table.js';
import { machineDescription, median, timeRuns } from '../timing.js';

const ROWS = 50_000;
const DIMENSION = 16;

export async function run(): Promise<void> {
  const x = Float64Array.from({ length: ROWS }, (_, i) => Math.sin(i));
  const id = BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(i));
  const key = Array.from({ length: ROWS }, (_, i) => `k${i % 100}`);
  const vectors = new DenseMatrix(ROWS, DIMENSION);
  for (let i = 0; i < vectors.data.length; i++) vectors.data[i] = Math.cos(i);
  const table = Table.fromColumns({ x, id, key, v: vectors });

  const engine = new SqlEngine();
  const load = await timeRuns(async () => {
    engine.createTemporaryView('t', table); // registered anew: the next query copies it in
    await engine.sqlQuery('SELECT 1');
  }, 3);
  const read = await timeRuns(() => engine.sqlQuery('SELECT * FROM t'), 3);
  await engine.close();

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rowWiseLoad = await timeRuns(async () => {
    await connection.run(
      `CREATE OR REPLACE TABLE r (x DOUBLE, id BIGINT, key VARCHAR, v DOUBLE[${DIMENSION}])`,
    );
    const appender = await connection.createAppender('r');
    const type = ARRAY(DOUBLE, DIMENSION);
    for (let i = 0; i < ROWS; i++) {
      appender.appendDouble(x[i]);
      appender.appendBigInt(id[i]);
      appender.appendVarchar(key[i]);
      appender.appendArray(Array.from(vectors.row(i)), type);
      appender.endRow();
    }
    appender.closeSync();
  }, 3);
  const rowObjects = await timeRuns(
    async () => (await connection.runAndReadAll('SELECT * FROM r')).getRowObjectsJS(),
    3,
  );
  connection.closeSync();
  instance.closeSync();

  const ms = (times: number[]) => `${median(times).toFixed(0)} ms`;
  console.log(machineDescription());
  console.log(`| step | eddy (column-wise) | Node API, row-wise | ratio |`);
  console.log(`| --- | --- | --- | --- |`);
  console.log(
    `| load ${ROWS} rows | ${ms(load)} | ${ms(rowWiseLoad)} (appender, value by value) | ${(median(rowWiseLoad) / median(load)).toFixed(1)}x |`,
  );
  console.log(
    `| read them back | ${ms(read)} (into an Arrow Table) | ${ms(rowObjects)} (getRowObjectsJS) | ${(median(rowObjects) / median(read)).toFixed(1)}x |`,
  );
}
