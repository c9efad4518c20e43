import { afterAll, describe, expect, it } from 'vitest';
import { pageRank } from '../../algorithms/graph/pagerank/pagerank.js';
import { env as dataSetEnvironment } from '../../src/dataset/index.js';
import { Graph } from '../../src/graph/index.js';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import { iterableSource } from '../../src/stream/sources.js';
import {
  DenseVector,
  DenseVectorTypeInfo,
  type Row,
  StreamExecutionEnvironment,
  StreamingTable,
  StreamTableEnvironment,
  Table,
  Types,
  Vectors,
} from '../../src/table/index.js';

const env = StreamExecutionEnvironment.getExecutionEnvironment();
const tEnv = StreamTableEnvironment.create(env);
afterAll(() => tEnv.close());

async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('StreamTableEnvironment', () => {
  it('turns a collection into a bounded table and back into rows', async () => {
    const input = tEnv.fromDataStream(
      env.fromCollection(
        [[Vectors.dense([0.0, 0.0])], [Vectors.dense([0.0, 0.3])]],
        Types.ROW_NAMED(['features'], [new DenseVectorTypeInfo()]),
      ),
    );
    expect(input).toBeInstanceOf(Table);
    expect(input.getSchema().getFieldNames()).toEqual(['features']);
    const rows = await collect(tEnv.toDataStream(input).executeAndCollect());
    expect(rows.map((row) => String(row[0]))).toEqual(['[0.0, 0.0]', '[0.0, 0.3]']);
    expect(rows[1][0]).toBeInstanceOf(DenseVector);
  });

  it('makes a streaming table of any async iterable of rows, and needs its type', async () => {
    async function* events() {
      for (let i = 0; i < 5; i++) yield { user: i % 2 === 0 ? 'a' : 'b', clicks: i };
    }
    const type = Types.ROW_NAMED(['user', 'clicks'], [Types.STRING, Types.INT]);
    const stream = tEnv.fromDataStream(events(), type, { batchSize: 2 });
    expect(stream).toBeInstanceOf(StreamingTable);
    const rows = await collect(
      tEnv.toDataStream(stream.filter((row) => row.user === 'a')).executeAndCollect(),
    );
    expect(rows).toEqual([
      ['a', 0],
      ['a', 2],
      ['a', 4],
    ]);
    expect(() => tEnv.fromDataStream(events())).toThrow(/typeInfo.*the row type of the stream/);
  });

  it('gives streams of the stream layer: DataStream operators apply to them', async () => {
    expect(env).toBeInstanceOf(StreamEnvironment);
    const type = Types.ROW_NAMED(['user', 'clicks'], [Types.STRING, Types.INT]);
    const collection = env.fromCollection([{ user: 'a', clicks: 1 }, ['b', 2]], type);
    expect(collection).toBeInstanceOf(DataStream);
    expect(collection.environment).toBe(env);
    expect(await collection.map((row) => row[1]).collect()).toEqual([1, 2]);
    const streaming = tEnv.fromDataStream(
      collection.map((row) => row),
      type,
      { batchSize: 1 },
    );
    expect(streaming).toBeInstanceOf(StreamingTable);
    const back = tEnv.toDataStream(streaming.select('clicks'));
    expect(back).toBeInstanceOf(DataStream);
    expect(back.typeInfo?.names).toEqual(['clicks']);
    expect(await back.collect()).toEqual([[1], [2]]);
  });

  it('reads a DataSet into a table', async () => {
    const dataSet = dataSetEnvironment({ parallelism: 2, workers: false })
      .fromCollection([1, 2, 3, 4])
      .map((i) => ({ id: i, name: `v${i}` }))
      .filter((row) => row.id % 2 === 0);
    const table = await tEnv.fromDataSet(dataSet, Types.ROW_NAMED(['id', 'name'], [Types.INT, Types.STRING]));
    expect(table.orderBy('id').collect()).toEqual([
      [2, 'v2'],
      [4, 'v4'],
    ]);
  });

  it('runs SQL over registered views', async () => {
    const scores = env.fromCollection(
      [
        ['a', 0.5],
        ['b', 0.25],
        ['c', 0.25],
      ],
      Types.ROW_NAMED(['vertex', 'score'], [Types.STRING, Types.DOUBLE]),
    );
    const labels = Table.fromRows([
      { vertex: 'a', team: 'red' },
      { vertex: 'b', team: 'red' },
      { vertex: 'c', team: 'blue' },
    ]);
    tEnv.createTemporaryView('scores', tEnv.fromDataStream(scores));
    tEnv.createTemporaryView('labels', labels);
    expect(tEnv.listTemporaryViews()).toEqual(['scores', 'labels']);
    const result = await tEnv.sqlQuery(
      'SELECT team, SUM(score) AS total FROM scores JOIN labels USING (vertex) GROUP BY team ORDER BY total DESC',
    );
    expect(result.collect()).toEqual([
      ['red', 0.75],
      ['blue', 0.25],
    ]);
    expect(tEnv.dropTemporaryView('labels')).toBe(true);
    await expect(tEnv.sqlQuery('SELECT * FROM labels')).rejects.toThrow(/SQL: Catalog Error/);
  });

  it('runs SQL over a graph result (an Arrow table with dictionary-encoded keys)', async () => {
    const graph = Graph.fromEdges([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['d', 'a'],
      ['e', 'a'],
    ]);
    tEnv.createTemporaryView('degrees', graph.inDegrees().toTable('inDegree'));
    const top = await tEnv.sqlQuery(
      'SELECT vertex, inDegree FROM degrees ORDER BY inDegree DESC, vertex LIMIT 2',
    );
    expect(top.collect()).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
  });

  it('joins PageRank scores with other data in SQL (pageRank(...).toTable())', async () => {
    const graph = Graph.fromEdges([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['d', 'a'],
      ['e', 'a'],
    ]);
    const ranks = pageRank(graph);
    tEnv.createTemporaryView('ranks', ranks.toTable('score'));
    tEnv.createTemporaryView(
      'teams',
      Table.fromRows([
        { vertex: 'a', team: 'red' },
        { vertex: 'b', team: 'red' },
        { vertex: 'c', team: 'blue' },
        { vertex: 'd', team: 'blue' },
        { vertex: 'e', team: 'blue' },
      ]),
    );
    const result = await tEnv.sqlQuery(
      'SELECT team, SUM(score) AS score FROM ranks JOIN teams USING (vertex) GROUP BY team ORDER BY team',
    );
    const score = new Map([...ranks].map(([vertex, value]) => [vertex, value]));
    const rows = result.collect();
    expect(rows.map((row) => row[0])).toEqual(['blue', 'red']);
    expect(rows[0][1]).toBeCloseTo(score.get('c')! + score.get('d')! + score.get('e')!, 12);
    expect(rows[1][1]).toBeCloseTo(score.get('a')! + score.get('b')!, 12);
  });

  it("takes the streaming layer's DataStream as a stream of rows", async () => {
    const stream = DataStream.from(iterableSource([1, 2, 3, 4, 5])).map((i) => [i, Vectors.dense([i, -i])]);
    const table = tEnv.fromDataStream(
      stream,
      Types.ROW_NAMED(['i', 'v'], [Types.INT, Types.DENSE_VECTOR(2)]),
      {
        batchSize: 2,
      },
    );
    const kept = await table.filter((row) => (row.i as number) % 2 === 1).collect();
    expect(kept.toRows().map((row) => String(row.v))).toEqual(['[1.0, -1.0]', '[3.0, -3.0]', '[5.0, -5.0]']);
  });
});
