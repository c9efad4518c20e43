import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../algorithms/ml/kmeans/batch.js';
import { LinearRegression } from '../../algorithms/ml/linear-regression.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import { env } from '../../src/dataset/environment.js';
import { tableFromDataSet } from '../../src/ml/dataset-input.js';

function blobs(): DenseMatrix {
  const rng = random(5);
  const rows: number[][] = [];
  for (const [x, y] of [
    [0, 0],
    [10, 0],
    [0, 10],
  ]) {
    for (let i = 0; i < 40; i++) rows.push([x + rng.normal(), y + rng.normal()]);
  }
  return DenseMatrix.fromRows(rows);
}

describe('DataSets as estimator input', () => {
  const environment = env({ parallelism: 3, workers: false });

  it('fits k-means on row chunks exactly as on the matrix they came from', async () => {
    const points = blobs();
    const direct = await new KMeans({ k: 3, seed: 1 }).fit(points);
    const fromChunks = await new KMeans({ k: 3, seed: 1 }).fit(
      environment.fromMatrix(points, { chunkRows: 7 }),
    );
    expect(fromChunks.centroids.toRows()).toEqual(direct.centroids.toRows());
    const fromRows = await new KMeans({ k: 3, seed: 1 }).fit(environment.fromCollection(points.toRows()));
    expect(fromRows.centroids.toRows()).toEqual(direct.centroids.toRows());
  });

  it('fits a regression on CSV records read by the DataSet engine', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-ml-dataset-'));
    const path = join(directory, 'data.csv');
    const rows = ['x1,x2,name,y'];
    for (let i = 0; i < 20; i++) rows.push(`${i},${(i * 7) % 5},p${i},${3 * i - 2 * ((i * 7) % 5) + 1}`);
    writeFileSync(path, `${rows.join('\n')}\n`);
    const model = await new LinearRegression({ labelCol: 'y', featuresCol: ['x1', 'x2'] }).fit(
      environment.readCsv(path),
    );
    expect(Array.from(model.coefficients).map((c) => Number(c.toFixed(9)))).toEqual([3, -2]);
    expect(model.intercept).toBeCloseTo(1, 9);
  });

  it('rejects an empty DataSet and records it cannot read', async () => {
    await expect(new KMeans({ k: 2 }).fit(environment.fromCollection([]))).rejects.toThrow(
      '<DataSet>: the DataSet is empty: expected at least one record',
    );
    await expect(new KMeans({ k: 2 }).fit(environment.fromCollection([true, false]))).rejects.toThrow(
      /records of an unknown shape: got "true", expected row chunks/,
    );
  });

  it('puts the typed columns of the partitions columns end to end, in partition order', async () => {
    // Three partitions of records; `tag` is a number in some of them and text in another.
    const records = Array.from({ length: 9 }, (_, i) => ({ x: i * 1.5, tag: i === 7 ? 'seven' : i }));
    const table = await tableFromDataSet(environment.fromCollection(records));
    expect(table.numRows).toBe(9);
    expect(Array.from(table.column('x')!.toArray() as Float64Array)).toEqual(records.map((r) => r.x));
    expect(table.column('tag')!.toArray()).toEqual(records.map((r) => String(r.tag)));
    // Rows of numbers: one feature matrix, rows in order.
    const rows = Array.from({ length: 10 }, (_, i) => [i, -i, i / 4]);
    const matrix = await tableFromDataSet(environment.fromCollection(rows));
    expect(matrix.columns[0]).toMatchObject({ kind: 'vector' });
    expect((matrix.columns[0].values as DenseMatrix).toRows()).toEqual(rows);
    await expect(tableFromDataSet(environment.fromCollection([[1, 2], [3, 4], [5, 6], [7]]))).rejects.toThrow(
      /a row of 1 numbers|length 1/,
    );
  });
});
