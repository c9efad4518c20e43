import { describe, expect, it } from 'vitest';
import { KMeans } from '../../algorithms/ml/kmeans/batch.js';
import {
  DenseVector,
  DenseVectorTypeInfo,
  StreamExecutionEnvironment,
  StreamTableEnvironment,
  Table,
  Types,
  Vectors,
} from '../../src/index.js';

/**
 * Flink ML's KMeans example (PyFlink), line for line but for TypeScript syntax: `await` on
 * fit, transform and the collected rows, `new` on the type info, camelCase names.
 */
async function flinkKMeansExample(print: (line: string) => void): Promise<void> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const tEnv = StreamTableEnvironment.create(env);
  const inputData = tEnv.fromDataStream(
    env.fromCollection(
      [
        [Vectors.dense([0.0, 0.0])],
        [Vectors.dense([0.0, 0.3])],
        [Vectors.dense([0.3, 3.0])],
        [Vectors.dense([9.0, 0.0])],
        [Vectors.dense([9.0, 0.6])],
        [Vectors.dense([9.6, 0.0])],
      ],
      Types.ROW_NAMED(['features'], [new DenseVectorTypeInfo()]),
    ),
  );
  const kmeans = new KMeans().setK(2).setSeed(1);
  const model = await kmeans.fit(inputData);
  const output = await model.transform(inputData);
  const fieldNames = output.getSchema().getFieldNames();
  for await (const result of tEnv.toDataStream(output).executeAndCollect()) {
    const features = result[fieldNames.indexOf(kmeans.getFeaturesCol() as string)];
    const clusterId = result[fieldNames.indexOf(kmeans.getPredictionCol())];
    print('Features: ' + String(features) + ' \tCluster Id: ' + String(clusterId));
  }
}

describe("Flink ML's KMeans example", () => {
  it('runs as written and puts the points near the origin and those near (9, 0) in two clusters', async () => {
    const lines: string[] = [];
    await flinkKMeansExample((line) => lines.push(line));
    expect(lines).toHaveLength(6);
    const parsed = lines.map((line) => /^Features: (\[.*\]) \tCluster Id: (\d+)$/.exec(line));
    expect(parsed.every((match) => match !== null)).toBe(true);
    expect(parsed.map((match) => match![1])).toEqual([
      '[0.0, 0.0]',
      '[0.0, 0.3]',
      '[0.3, 3.0]',
      '[9.0, 0.0]',
      '[9.0, 0.6]',
      '[9.6, 0.0]',
    ]);
    const clusters = parsed.map((match) => Number(match![2]));
    expect(new Set(clusters.slice(0, 3)).size).toBe(1);
    expect(new Set(clusters.slice(3)).size).toBe(1);
    expect(clusters[0]).not.toBe(clusters[3]);
  });

  it('has fluent setters and getters next to the options object, validated as the options are', () => {
    const kmeans = new KMeans({ k: 3 }).setSeed(7).setMaxIterations(5);
    expect([kmeans.getK(), kmeans.getSeed(), kmeans.getMaxIterations()]).toEqual([3, 7, 5]);
    expect(kmeans.getFeaturesCol()).toBe('features');
    expect(kmeans.getPredictionCol()).toBe('prediction');
    expect(() => kmeans.setK(0)).toThrow(/invalid value for parameter 'k'/);
  });

  it('takes the feature and prediction columns of a Table by name, also from sliced tables', async () => {
    const points = Table.fromRows([
      { id: 0, xy: Vectors.dense([100, 100]) },
      { id: 1, xy: Vectors.dense([0, 0]) },
      { id: 2, xy: Vectors.dense([0, 1]) },
      { id: 3, xy: Vectors.dense([10, 10]) },
      { id: 4, xy: Vectors.dense([10, 11]) },
    ]).limit(4, 1); // an Arrow slice: the vectors start one row into the buffer
    const kmeans = new KMeans().setK(2).setSeed(3).setFeaturesCol('xy').setPredictionCol('cluster');
    const out = await (await kmeans.fit(points)).transform(points);
    expect(out.getSchema().getFieldNames()).toEqual(['id', 'xy', 'cluster']);
    const rows = out.toRows();
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4]);
    expect(rows[0].xy).toBeInstanceOf(DenseVector);
    expect(rows[0].cluster).toBe(rows[1].cluster);
    expect(rows[2].cluster).toBe(rows[3].cluster);
    expect(rows[0].cluster).not.toBe(rows[2].cluster);
    await expect(new KMeans().setK(2).fit(points)).rejects.toThrow(/feature column 'xy' holds vectors/);
  });
});
