import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KMeans, resolveNInit } from '../../../algorithms/ml/kmeans/batch.js';
import { CHUNK_ROWS } from '../../../algorithms/ml/kmeans/chunk-kernels.js';
import { kMeansPlusPlusCentres, kMeansPlusPlusRounds } from '../../../algorithms/ml/kmeans/init.js';
import { kMeansRounds, kMeansRun } from '../../../algorithms/ml/kmeans/lloyd.js';
import { runOnThreads, warmUpThreads } from '../../../algorithms/ml/kmeans/threads.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import { shared, sharedArrays } from '../../../src/core/shared-memory.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';

const pool = new WorkerPool({ size: 2 });
// Workers that have loaded the kernels take chunks from the first round on.
beforeAll(() => warmUpThreads({ parallelism: 3, pool }));
afterAll(() => pool.close());

/** Overlapping blobs, enough rows for several chunks (the last one partial). */
function blobs(seed: number, n: number, d: number, k: number): DenseMatrix {
  const rng = random(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniformIn(-5, 5)));
  const points = new DenseMatrix(n, d);
  for (let i = 0; i < n; i++) {
    const centre = centres[rng.integer(0, k)];
    for (let j = 0; j < d; j++) points.set(i, j, centre[j] + rng.normal(0, 2));
  }
  return points;
}

const points = blobs(4, 3 * CHUNK_ROWS + 123, 5, 6);

describe('k-means over worker threads', () => {
  it('k-means++ gives the same centres on three threads as on this one', async () => {
    // k = 6 draws 3 candidates per centre, k = 8 draws 4 (the kernel's blocks of four).
    for (const k of [6, 8]) {
      const here = kMeansPlusPlusCentres(points, k, random(9));
      const sharedPoints = new DenseMatrix(points.rows, points.columns, shared(points.data));
      const threads = await runOnThreads(kMeansPlusPlusRounds(sharedPoints, k, random(9), sharedArrays), {
        parallelism: 3,
        pool,
      });
      expect(Array.from(threads)).toEqual(Array.from(here));
    }
  });

  it('Lloyd iterations give the same labels, centres and inertia on two threads as on this one', async () => {
    const initial = kMeansPlusPlusCentres(points, 6, random(2));
    const options = { maxIterations: 50, tolerance: 0, distanceMeasure: 'euclidean' as const };
    const here = kMeansRun(points, initial, options);
    const sharedPoints = new DenseMatrix(points.rows, points.columns, shared(points.data));
    const threads = await runOnThreads(kMeansRounds(sharedPoints, initial, options, sharedArrays), {
      parallelism: 2,
      pool,
    });
    expect(threads.iterations).toBe(here.iterations);
    expect(threads.converged).toBe(true);
    expect(Array.from(threads.labels)).toEqual(Array.from(here.labels));
    expect(Array.from(threads.centroids.data)).toEqual(Array.from(here.centroids.data));
    expect(threads.inertia).toBe(here.inertia);
    // The labels handed back are plain memory, not the workers' shared state.
    expect(threads.labels.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('fitMatrixParallel matches fitMatrix at any parallelism, for every init', async () => {
    for (const init of ['k-means++', 'random'] as const) {
      const estimator = new KMeans({ k: 6, seed: 5, init, nInit: 2, maxIterations: 20, tolerance: 0 });
      const here = estimator.fitMatrix(points);
      for (const parallelism of [1, 2, 3]) {
        const threads = await estimator.set('parallelism', parallelism).fitMatrixParallel(points, 'x', pool);
        expect(Array.from(threads.labels)).toEqual(Array.from(here.labels));
        expect(Array.from(threads.centroids.data)).toEqual(Array.from(here.centroids.data));
        expect(threads.inertia).toBe(here.inertia);
      }
    }
  });
});

describe("KMeans nInit: 'auto'", () => {
  it('makes one run from k-means++ and ten from random centres, as scikit-learn 1.4', () => {
    expect(resolveNInit('auto', 'k-means++')).toBe(1);
    expect(resolveNInit('auto', 'random')).toBe(10);
    expect(resolveNInit(3, 'random')).toBe(3);
    expect(new KMeans().get('nInit')).toBe('auto');
    const small = blobs(7, 300, 3, 4);
    const auto = new KMeans({ k: 4, init: 'random', seed: 3 }).fitMatrix(small);
    const ten = new KMeans({ k: 4, init: 'random', seed: 3, nInit: 10 }).fitMatrix(small);
    expect(Array.from(auto.centroids.data)).toEqual(Array.from(ten.centroids.data));
    const one = new KMeans({ k: 4, seed: 3 }).fitMatrix(small);
    const explicitOne = new KMeans({ k: 4, seed: 3, nInit: 1 }).fitMatrix(small);
    expect(Array.from(one.centroids.data)).toEqual(Array.from(explicitOne.centroids.data));
  });

  it('rejects other values, naming the parameter', () => {
    expect(() => new KMeans({ nInit: 0 })).toThrow(ParamError);
    expect(() => new KMeans({ nInit: 'many' as 'auto' })).toThrow(
      `invalid value for parameter 'nInit': "many"; expected an integer >= 1 or 'auto'`,
    );
    expect(() => new KMeans({ parallelism: 0 })).toThrow("invalid value for parameter 'parallelism'");
  });
});
