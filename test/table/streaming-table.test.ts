import { describe, expect, it } from 'vitest';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import { iterableSource } from '../../src/stream/sources.js';
import { type Row, StreamingTable, Table, TableSchema, Types, Vectors } from '../../src/table/index.js';

const type = Types.ROW_NAMED(['id', 'key', 'v'], [Types.LONG, Types.STRING, Types.DENSE_VECTOR(2)]);

/** A source that yields rows one at a time, asynchronously, counting how many were pulled. */
function source(n: number): { rows: AsyncIterable<Row>; pulled: () => number } {
  let pulled = 0;
  return {
    rows: (async function* () {
      for (let i = 0; i < n; i++) {
        await Promise.resolve();
        pulled++;
        yield [BigInt(i), i % 2 === 0 ? 'even' : 'odd', Vectors.dense([i, -i])];
      }
    })(),
    pulled: () => pulled,
  };
}

async function all(table: StreamingTable): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of table.executeAndCollect()) rows.push(row);
  return rows;
}

describe('StreamingTable', () => {
  it('batches rows and applies select, filter and columns per batch', async () => {
    const table = StreamingTable.fromRows(source(10).rows, type, 4);
    const sizes: number[] = [];
    const result = table
      .filter((row) => row.key === 'even')
      .withColumn('sum', (row) => (row.v as { get(i: number): number }).get(0) * 10, Types.DOUBLE)
      .withVectorisedColumn(
        'first',
        (batch) => {
          const m = batch.vectors('v');
          return Float64Array.from({ length: m.rows }, (_, i) => m.get(i, 0));
        },
        Types.DOUBLE,
      )
      .select('id', 'sum', 'first');
    for await (const batch of result) sizes.push(batch.numRows);
    expect(sizes).toEqual([2, 2, 1]); // batches of 4, 4, 2 rows, half of them kept
    expect(result.getSchema().getFieldNames()).toEqual(['id', 'sum', 'first']);
    expect(
      await all(
        StreamingTable.fromRows(source(10).rows, type, 4)
          .filter((r) => r.key === 'even')
          .select('id'),
      ),
    ).toEqual([[0n], [2n], [4n], [6n], [8n]]);
  });

  it('stops reading the source after a limit', async () => {
    const { rows, pulled } = source(1_000_000);
    const first = await all(StreamingTable.fromRows(rows, type, 3).limit(5).select('id'));
    expect(first).toEqual([[0n], [1n], [2n], [3n], [4n]]);
    expect(pulled()).toBe(6); // two batches of three
  });

  it('joins each batch with a bounded table and unions streams', async () => {
    const names = Table.fromRows([
      { key: 'even', label: 'E' },
      { key: 'odd', label: 'O' },
    ]);
    const joined = StreamingTable.fromRows(source(4).rows, type, 3).join(names, 'key').select('id', 'label');
    expect(joined.getSchema().getFieldNames()).toEqual(['id', 'label']);
    expect(await all(joined)).toEqual([
      [0n, 'E'],
      [1n, 'O'],
      [2n, 'E'],
      [3n, 'O'],
    ]);
    // A union is the stream layer's union, of two sources of one environment.
    const environment = new StreamEnvironment();
    const union = StreamingTable.fromRows(source(3).rows, type, 2, '<a>', environment).unionAll(
      StreamingTable.fromRows(source(2).rows, type, 2, '<b>', environment),
    );
    expect(union.toDataStream().environment).toBe(environment);
    const ids = (await all(union.select('id'))).map((row) => Number(row[0])).sort();
    expect(ids).toEqual([0, 0, 1, 1, 2]);
    expect(() =>
      StreamingTable.fromRows(source(1).rows, type).unionAll(StreamingTable.fromRows(source(1).rows, type)),
    ).toThrow('streams of one StreamEnvironment');
  });

  it('collects into a bounded table for the bounded-only operations', async () => {
    const bounded = await StreamingTable.fromRows(source(6).rows, type, 4).collect();
    expect(bounded.numRows).toBe(6);
    expect(
      bounded
        .groupBy('key')
        .aggregate({ n: { count: '*' } })
        .collect(),
    ).toEqual([
      ['even', 3n],
      ['odd', 3n],
    ]);
  });

  it('names unknown columns and refuses mismatched schemas', () => {
    const table = StreamingTable.fromRows([], type);
    expect(() => table.select('nope')).toThrow(
      "no column 'nope': expected one of the columns 'id', 'key', 'v'",
    );
    expect(() => table.unionAll(table.select('id'))).toThrow(/a table with the schema/);
  });

  it('runs on a DataStream of record batches, both ways', async () => {
    const batches = Table.fromRows(
      Array.from({ length: 6 }, (_, i) => [BigInt(i), i % 2 === 0 ? 'even' : 'odd', Vectors.dense([i, -i])]),
      type,
    ).getBatches();
    const split = batches.flatMap((batch) => [batch.slice(0, 3), batch.slice(3)]);
    const stream = DataStream.from(iterableSource(split)).filter((batch) => batch.numRows > 0);
    const table = StreamingTable.fromDataStream(stream, new TableSchema(type.names, type.types));
    const evens = table.filter((row) => row.key === 'even').select('id');
    expect(evens.toDataStream()).toBeInstanceOf(DataStream);
    expect((await evens.toDataStream().collect()).map((batch) => batch.numRows)).toEqual([2, 1]);
    expect(await evens.toRowStream().collect()).toEqual([[0n], [2n], [4n]]);
    // A stream over a replayable source runs again on each iteration.
    expect(await all(evens)).toEqual([[0n], [2n], [4n]]);
  });

  it('batches a DataStream of rows inside its own job, event by event, keeping event time', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => [
      BigInt(i),
      i % 2 === 0 ? 'even' : 'odd',
      Vectors.dense([i, -i]),
    ]);
    const stream = DataStream.from(iterableSource(rows, { batchSize: 4 })).assignTimestampsAndWatermarks({
      timestamp: (row) => Number((row as Row)[0]) * 1000,
      maxOutOfOrderness: 0,
    });
    const table = StreamingTable.fromRows(stream as DataStream<Row>, type, 3);
    expect(table.toDataStream().environment).toBe(stream.environment);
    const sizes: number[] = [];
    const times: number[] = [];
    await table
      .toDataStream()
      .process({
        processElement(batch, context) {
          sizes.push(batch.numRows);
          times.push(context.timestamp);
        },
      })
      .collect();
    // Source events of 4 and 3 rows, each cut into batches of at most 3; a batch's time is its latest row's.
    expect(sizes).toEqual([3, 1, 3]);
    expect(times).toEqual([2000, 3000, 6000]);
    expect(await all(table.select('id'))).toEqual(rows.map((row) => [row[0]]));
  });
});
