import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KMeans, KMeansModel, kMeansRun } from '../../../algorithms/ml/kmeans/batch.js';
import { kMeansPlusPlusCentres } from '../../../algorithms/ml/kmeans/init.js';
import {
  assignEuclidean,
  broadcastCentres,
  createChunkState,
  createPartialSums,
} from '../../../algorithms/ml/kmeans/step.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import { extractFeatures } from '../../../src/ml/data.js';
import { inertia } from '../../../src/ml/evaluation.js';
import { loadModel } from '../../../src/ml/persistence.js';
import { readTabularFile } from '../../../src/ml/tabular-file.js';
import { expected, mlFixturePath } from '../../helpers/ml-fixtures.js';

/** Plain Lloyd assignment, the reference Hamerly's bounds must reproduce. */
function nearestCentres(points: DenseMatrix, centres: DenseMatrix): Int32Array {
  const labels = new Int32Array(points.rows);
  for (let i = 0; i < points.rows; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let c = 0; c < centres.rows; c++) {
      let distance = 0;
      for (let j = 0; j < points.columns; j++) distance += (points.get(i, j) - centres.get(c, j)) ** 2;
      if (distance < best) {
        best = distance;
        labels[i] = c;
      }
    }
  }
  return labels;
}

function blobs(seed: number, n: number, d: number, k: number, spread: number): DenseMatrix {
  const rng = random(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniformIn(-10, 10)));
  const points = new DenseMatrix(n, d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) points.set(i, j, centres[i % k][j] + rng.normal(0, spread));
  return points;
}

describe('KMeans against scikit-learn (best of 10 inits, test/fixtures/ml/make_fixtures.py)', () => {
  for (const name of ['iris', 'wine', 'breast-cancer', 'digits', 'diabetes']) {
    it(`${name}: inertia within 1% of scikit-learn's`, async () => {
      const { k, inertia: reference } = expected.kmeans[name];
      const frame = await readTabularFile(mlFixturePath(`${name}.csv`));
      const label = frame.names[frame.names.length - 1];
      const { matrix } = extractFeatures(frame, 'features', [label]);
      const result = new KMeans({ k, nInit: 10, seed: 1 }).fitMatrix(matrix);
      expect(result.inertia).toBeLessThanOrEqual(reference * 1.01);
      // The reported inertia is the objective of the returned centres and labels.
      expect(inertia(matrix, result.centroids, result.labels)).toBeCloseTo(result.inertia, 6);
      expect(Array.from(result.labels)).toEqual(Array.from(nearestCentres(matrix, result.centroids)));
    });
  }
});

describe('k-means assignment step', () => {
  it("Hamerly's bounds give exactly Lloyd's assignments at every iteration", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 6 }), (seed, k) => {
        const points = blobs(seed, 120, 3, k, 4);
        const rng = random(seed);
        let centres = kMeansPlusPlusCentres(points, k, rng);
        const state = createChunkState(points.rows, k, 3);
        let drift = new Float64Array(k);
        for (let iteration = 0; iteration < 6; iteration++) {
          const partial = createPartialSums(k, 3);
          assignEuclidean(points, broadcastCentres(centres, k, 3, drift), state, partial);
          expect(Array.from(state.labels)).toEqual(
            Array.from(nearestCentres(points, new DenseMatrix(k, 3, centres))),
          );
          const next = centres.slice();
          for (let c = 0; c < k; c++) {
            if (partial.counts[c] > 0)
              for (let j = 0; j < 3; j++) next[c * 3 + j] = partial.sums[c * 3 + j] / partial.counts[c];
          }
          drift = Float64Array.from({ length: k }, (_, c) =>
            Math.hypot(
              next[c * 3] - centres[c * 3],
              next[c * 3 + 1] - centres[c * 3 + 1],
              next[c * 3 + 2] - centres[c * 3 + 2],
            ),
          );
          centres = next;
        }
      }),
      { numRuns: 40 },
    );
  });

  it('partial sums of row chunks add up to the sums of the whole matrix', () => {
    const points = blobs(3, 200, 4, 5, 3);
    const centres = kMeansPlusPlusCentres(points, 5, random(3));
    const broadcast = broadcastCentres(centres, 5, 4, new Float64Array(5));
    const whole = createPartialSums(5, 4);
    assignEuclidean(points, broadcast, createChunkState(200, 5, 4), whole);
    const chunked = createPartialSums(5, 4);
    for (const [start, end] of [
      [0, 70],
      [70, 71],
      [71, 200],
    ]) {
      assignEuclidean(points.sliceRows(start, end), broadcast, createChunkState(end - start, 5, 4), chunked);
    }
    expect(Array.from(chunked.counts)).toEqual(Array.from(whole.counts));
    chunked.sums.forEach((value, i) => {
      expect(value).toBeCloseTo(whole.sums[i], 9);
    });
  });
});

describe('KMeans', () => {
  it('finds well-separated clusters and is deterministic for a seed', async () => {
    const points = blobs(11, 300, 2, 3, 0.5);
    const first = await new KMeans({ k: 3, seed: 7 }).fit(points);
    const second = await new KMeans({ k: 3, seed: 7 }).fit(points);
    expect(first.centroids.data).toEqual(second.centroids.data);
    const labels = first.predictMatrix(points);
    // Rows i, i+3, i+6, ... come from the same centre and must share a cluster.
    for (let i = 3; i < 300; i++) expect(labels[i]).toBe(labels[i - 3]);
    expect(new Set(labels).size).toBe(3);
    expect(first.iterations).toBeGreaterThan(0);
  });

  it('re-seeds empty clusters instead of producing NaN centres', () => {
    // Four copies of two points and three centres: one centre must go empty and be moved.
    const points = DenseMatrix.fromRows([
      [0, 0],
      [0, 0],
      [0, 0],
      [10, 10],
      [10, 10],
      [10, 10],
      [5, 5],
    ]);
    const start = new Float64Array([0, 0, 10, 10, 100, 100]);
    const result = kMeansRun(points, start, {
      maxIterations: 10,
      tolerance: 0,
      distanceMeasure: 'euclidean',
    });
    expect(result.centroids.data.every(Number.isFinite)).toBe(true);
    expect(new Set(result.labels).size).toBe(3);
    expect(result.inertia).toBe(0);
  });

  it('supports random init, several runs, and the cosine and manhattan measures', async () => {
    const points = blobs(5, 200, 3, 4, 1);
    const single = new KMeans({ k: 4, init: 'random', seed: 2, nInit: 1 }).fitMatrix(points);
    const best = new KMeans({ k: 4, init: 'random', seed: 2, nInit: 5 }).fitMatrix(points);
    expect(best.inertia).toBeLessThanOrEqual(single.inertia);
    for (const distanceMeasure of ['cosine', 'manhattan'] as const) {
      const model = await new KMeans({ k: 4, seed: 1, distanceMeasure }).fit(points);
      expect(model.centroids.data.every(Number.isFinite)).toBe(true);
      const labels = model.predictMatrix(points);
      for (let i = 0; i < points.rows; i++) expect(labels[i]).toBe(model.predict(points.row(i)));
    }
  });

  it('rejects k larger than the number of rows, and bad parameters, naming them', async () => {
    await expect(new KMeans({ k: 5 }).fit([[1], [2]])).rejects.toThrow(
      "invalid value for parameter 'k': 5; expected at most the number of rows (2) of <table>",
    );
    expect(() => new KMeans({ k: 0 })).toThrow(ParamError);
    expect(() => new KMeans({ init: 'kmeans||' as 'random' })).toThrow(
      "expected one of 'k-means++', 'random'",
    );
    expect(() => new KMeans({ kk: 3 } as never)).toThrow("invalid value for parameter 'kk'");
  });

  it('saves and loads the documented JSON format', async () => {
    const model = await new KMeans({ k: 2, seed: 1 }).fit([
      [0, 0],
      [0, 1],
      [9, 9],
      [9, 8],
    ]);
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.type).toBe('kmeans');
    expect(json.centroids).toHaveLength(2);
    const directory = mkdtempSync(join(tmpdir(), 'eddy-kmeans-'));
    await model.save(join(directory, 'model.json'));
    const loaded = await KMeansModel.load(join(directory, 'model.json'));
    expect(loaded.centroids.data).toEqual(model.centroids.data);
    expect(loaded.predict([8, 8])).toBe(model.predict([8, 8]));
    expect((await loadModel(join(directory, 'model.json'))).type).toBe('kmeans');
    // The minimal form other writers (OnlineKMeans) may use: type and centroids only.
    const minimal = KMeansModel.fromJSON({ type: 'kmeans', centroids: [[0], [10]] });
    expect(minimal.predict([7])).toBe(1);
    writeFileSync(join(directory, 'wrong.json'), JSON.stringify({ type: 'linear-regression', params: {} }));
    await expect(KMeansModel.load(join(directory, 'wrong.json'))).rejects.toThrow(
      "wrong.json: wrong model type 'linear-regression': expected a 'kmeans' model",
    );
  });
});
