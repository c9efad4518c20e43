import { describe, expect, it } from 'vitest';
import { OnlineKMeans, OnlineKMeansModel } from '../../../algorithms/ml/kmeans/online.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';

const batch = (rows: number[][]) => DenseMatrix.fromRows(rows);

function expectRows(actual: number[][], expected: number[][], digits = 12) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    for (let j = 0; j < actual[i].length; j++) expect(actual[i][j]).toBeCloseTo(expected[i][j], digits);
  }
}

/** Points around `centres` with normal noise, in batches. */
function* blobs(
  centres: number[][],
  count: number,
  batchSize: number,
  seed: number,
  noise = 0.5,
  shift?: (b: number) => number[][],
) {
  const rng = random(seed);
  const d = centres[0].length;
  for (let b = 0; b * batchSize < count; b++) {
    const current = shift ? shift(b) : centres;
    const data = new Float64Array(batchSize * d);
    for (let i = 0; i < batchSize; i++) {
      const centre = current[rng.integer(0, current.length)];
      for (let j = 0; j < d; j++) data[i * d + j] = centre[j] + rng.normal(0, noise);
    }
    yield new DenseMatrix(batchSize, d, data);
  }
}

/** Largest distance from each true centre to its nearest centroid. */
function worstMatch(model: OnlineKMeansModel, centres: number[][]): number {
  const rows = model.centroidRows();
  return Math.max(
    ...centres.map((centre) =>
      Math.min(...rows.map((row) => Math.hypot(...row.map((x, j) => x - centre[j])))),
    ),
  );
}

describe('OnlineKMeans update rule (Spark StreamingKMeansModel.update), worked by hand', () => {
  const initial = {
    k: 2,
    initialCentroids: [
      [0, 0],
      [10, 10],
    ],
    initialWeight: [2, 1],
  };
  const points = batch([
    [1, 1],
    [2, 0],
    [9, 11],
  ]);

  it('decays per batch: n = n·a + m, c = (c·n·a + sum) / (n·a + m)', () => {
    const kmeans = new OnlineKMeans({ ...initial, decayFactor: 0.5 });
    const assignments = new Int32Array(3);
    const model = kmeans.partialFit(points, assignments);
    expect(Array.from(assignments)).toEqual([0, 0, 1]);
    // Cluster 0: weight 2·0.5 + 2 = 3, centroid (0·1 + [3, 1]) / 3. Cluster 1: 1·0.5 + 1 = 1.5, ([10,10]·0.5 + [9,11]) / 1.5.
    expectRows(model.centroidRows(), [
      [1, 1 / 3],
      [28 / 3, 32 / 3],
    ]);
    expect(Array.from(model.weights)).toEqual([3, 1.5]);
    expect([model.version, model.recordsSeen]).toEqual([1, 3]);
  });

  it('decays per point: a is raised to the number of points in the batch', () => {
    const model = new OnlineKMeans({ ...initial, decayFactor: 0.5, timeUnit: 'points' }).partialFit(points);
    // a^3 = 1/8: weights 0.25 and 0.125 before the update.
    expectRows(model.centroidRows(), [
      [4 / 3, 4 / 9],
      [82 / 9, 98 / 9],
    ]);
    expect(Array.from(model.weights)).toEqual([2.25, 1.125]);
  });

  it('a half-life of h time units halves the weights every h units', () => {
    const kmeans = new OnlineKMeans({ k: 2, initialCentroids: [[0], [1]], initialWeight: 4, halfLife: 2 });
    expect(kmeans.decayFactor).toBeCloseTo(Math.SQRT1_2, 15);
    const empty = new DenseMatrix(0, 1);
    kmeans.partialFit(empty);
    const model = kmeans.partialFit(empty);
    expect(model.weights[0]).toBeCloseTo(2, 12);
    expect(model.weights[1]).toBeCloseTo(2, 12);
  });

  it('splits the largest cluster when the smallest is dying, as Spark does', () => {
    const kmeans = new OnlineKMeans({
      k: 2,
      initialCentroids: [
        [0, 0],
        [100, 100],
      ],
    });
    const model = kmeans.partialFit(
      batch([
        [1, 2],
        [3, 4],
      ]),
    );
    // Cluster 1 got nothing and weighs 0 < 1e-8 · 2: cluster 0 (centroid [2, 3], weight 2) is split.
    expect(Array.from(model.weights)).toEqual([1, 1]);
    expect(model.centroidRows()).toEqual([
      [2 + 2e-14, 3 + 3e-14],
      [2 - 2e-14, 3 - 3e-14],
    ]);
  });
});

describe('OnlineKMeans on streams', () => {
  const centres = [
    [5, 5, 0, 0],
    [-5, 5, 2, 0],
    [0, -6, -2, 3],
  ];

  it('converges to the centres a stream is drawn from, from random initial centroids', async () => {
    const kmeans = new OnlineKMeans({ k: 3, batchSize: 500, seed: 3 });
    let last = 0;
    for await (const version of kmeans.fit(blobs(centres, 20_000, 250, 11))) {
      expect(version.version).toBe(last + 1);
      last = version.version;
    }
    expect(last).toBe(40);
    expect(kmeans.model!.recordsSeen).toBe(20_000);
    expect(worstMatch(kmeans.model!, centres)).toBeLessThan(0.05);
  });

  it('with decay it follows centres that move; without, it lags behind', async () => {
    const moving = (b: number) => centres.map(([x, ...rest]) => [x + 0.1 * b, ...rest]);
    const run = async (params: { decayFactor?: number; halfLife?: number }) => {
      const kmeans = new OnlineKMeans({
        k: 3,
        batchSize: 200,
        seed: 1,
        initialCentroids: centres,
        ...params,
      });
      for await (const _ of kmeans.fit(blobs(centres, 200 * 100, 200, 5, 0.5, moving))) {
        // drain
      }
      return worstMatch(kmeans.model!, moving(99));
    };
    const forgetting = await run({ halfLife: 3 });
    const remembering = await run({ decayFactor: 1 });
    expect(forgetting).toBeLessThan(0.5);
    expect(remembering).toBeGreaterThan(3);
  });

  it('cuts the stream into batchSize updates whatever the input batches, and the rest at the end', async () => {
    async function* points() {
      yield [0, 1];
      yield batch([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
      yield { points: batch([[5, 5]]), indices: new Float64Array([5]) };
    }
    const kmeans = new OnlineKMeans({ k: 2, batchSize: 4, seed: 2 });
    const versions = [];
    for await (const version of kmeans.fit(points())) versions.push([version.version, version.recordsSeen]);
    expect(versions).toEqual([
      [1, 4],
      [2, 6],
    ]);
  });

  it('transform scores a stream with the latest version', async () => {
    const kmeans = new OnlineKMeans({ k: 2, initialCentroids: [[0], [10]], initialWeight: 1 });
    const model = kmeans.model!;
    async function* stream() {
      yield batch([[4], [6]]);
      kmeans.partialFit(batch([[4.5], [4.5], [4.5], [4.5]])); // cluster 0 moves to (0 + 18) / 5 = 3.6
      yield batch([[4], [6]]);
    }
    const scored = [];
    for await (const labels of model.transform(stream())) scored.push(Array.from(labels));
    expect(scored).toEqual([
      [0, 1],
      [0, 0],
    ]);
  });

  it('saves as the batch k-means JSON shape and restores its state exactly', async () => {
    const first = new OnlineKMeans({ k: 3, batchSize: 100, seed: 4, halfLife: 5, timeUnit: 'points' });
    const data = [...blobs(centres, 1000, 100, 2)];
    for (const points of data.slice(0, 5)) first.partialFit(points);
    const saved = JSON.parse(JSON.stringify(first.snapshotState()));
    expect(Object.keys(saved).slice(0, 5)).toEqual(['type', 'k', 'dimension', 'centroids', 'weights']);
    expect(saved.type).toBe('kmeans');
    const second = new OnlineKMeans({ k: 3, batchSize: 100, seed: 4, halfLife: 5, timeUnit: 'points' });
    second.restoreState(saved);
    for (const points of data.slice(5)) {
      first.partialFit(points);
      second.partialFit(points);
    }
    expect(second.model!.toJSON()).toEqual(first.model!.toJSON());
    const fromBatchModel = OnlineKMeansModel.fromJSON({
      type: 'kmeans',
      centroids: [
        [0, 0],
        [1, 1],
      ],
    });
    expect([fromBatchModel.k, fromBatchModel.dimension, Array.from(fromBatchModel.weights)]).toEqual([
      2,
      2,
      [0, 0],
    ]);
    expect(fromBatchModel.predict([0.9, 0.8])).toBe(1);
  });

  it('validates its parameters and inputs', () => {
    expect(() => new OnlineKMeans({ k: 0 })).toThrow(ParamError);
    expect(() => new OnlineKMeans({ k: 2, decayFactor: 1.5 })).toThrow(/decayFactor/);
    expect(() => new OnlineKMeans({ k: 2, decayFactor: 0.5, halfLife: 2 })).toThrow(/halfLife/);
    expect(() => new OnlineKMeans({ k: 2, initialCentroids: [[1]] })).toThrow(/initialCentroids/);
    const kmeans = new OnlineKMeans({ k: 1, initialCentroids: [[0, 0]] });
    expect(() => kmeans.partialFit(batch([[1, 2, 3]]))).toThrow(/dimension/);
    expect(() => kmeans.partialFit(batch([[1, Number.NaN]]))).toThrow(/finite/);
    expect(() => OnlineKMeansModel.fromJSON({ type: 'pagerank' })).toThrow(/k-means model/);
  });
});
