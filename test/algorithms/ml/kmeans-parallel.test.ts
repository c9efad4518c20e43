import { afterAll, describe, expect, it } from 'vitest';
import { KMeans, resolveNInit } from '../../../algorithms/ml/kmeans/batch.js';
import { CHUNK_ROWS } from '../../../algorithms/ml/kmeans/chunk-kernels.js';
import { kMeansPlusPlusCentres, kMeansPlusPlusIteration } from '../../../algorithms/ml/kmeans/init.js';
import { kMeansRun, lloydRun } from '../../../algorithms/ml/kmeans/lloyd.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import { shared, sharedArrays } from '../../../src/core/shared-memory.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { env } from '../../../src/dataset/environment.js';
import { modelIterationPlan } from '../../../src/dataset/model-iteration.js';

const pool = new WorkerPool({ size: 3 });
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
const sharedPoints = new DenseMatrix(points.rows, points.columns, shared(points.data));

describe('k-means as DataSet bulk iterations', () => {
  it('k-means++ gives the same centres on three partitions (worker threads) as on this thread', async () => {
    // k = 6 draws 3 candidates per centre, k = 8 draws 4 (the kernel's blocks of four).
    for (const k of [6, 8]) {
      const here = kMeansPlusPlusCentres(points, k, random(9));
      const { iteration } = kMeansPlusPlusIteration(sharedPoints, k, random(9), sharedArrays);
      const [last] = await modelIterationPlan(env({ parallelism: 3, pool }), iteration!).collect();
      expect(Array.from(last.centres)).toEqual(Array.from(here));
    }
  });

  it('Lloyd iterations give the same labels, centres and inertia on two partitions as on this thread', async () => {
    const initial = kMeansPlusPlusCentres(points, 6, random(2));
    const options = { maxIterations: 50, tolerance: 0, distanceMeasure: 'euclidean' as const };
    const here = kMeansRun(points, initial, options);
    const run = lloydRun(sharedPoints, initial, options, sharedArrays);
    const [last] = await modelIterationPlan(env({ parallelism: 2, pool }), run.iteration).collect();
    const threads = run.result(last);
    expect(threads.iterations).toBe(here.iterations);
    expect(threads.converged).toBe(true);
    expect(Array.from(threads.labels)).toEqual(Array.from(here.labels));
    expect(Array.from(threads.centroids.data)).toEqual(Array.from(here.centroids.data));
    expect(threads.inertia).toBe(here.inertia);
    // The labels handed back are plain memory, not the workers' shared state.
    expect(threads.labels.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('fitMatrixParallel matches fitMatrix at parallelism 1, 2 and 3, for every init and measure', async () => {
    for (const init of ['k-means++', 'random'] as const) {
      for (const distanceMeasure of ['euclidean', 'manhattan'] as const) {
        const estimator = new KMeans({
          k: 6,
          seed: 5,
          init,
          nInit: 2,
          maxIterations: 20,
          tolerance: 0,
          distanceMeasure,
        });
        const here = estimator.fitMatrix(points);
        for (const parallelism of [1, 2, 3]) {
          const threads = await estimator
            .set('parallelism', parallelism)
            .fitMatrixParallel(points, 'x', { pool });
          expect(Array.from(threads.labels)).toEqual(Array.from(here.labels));
          expect(Array.from(threads.centroids.data)).toEqual(Array.from(here.centroids.data));
          expect(threads.inertia).toBe(here.inertia);
          expect(threads.iterations).toBe(here.iterations);
        }
      }
    }
  });

  it('warmUp has the workers load the kernels; a module that cannot load is an error', async () => {
    await expect(new KMeans({ parallelism: 3 }).warmUp(pool)).resolves.toBeUndefined();
    const missing = {
      fn: () => 0,
      module: new URL('./no-such-kernels.ts', import.meta.url).href,
      exportName: 'none',
    };
    await expect(env({ parallelism: 2, pool }).warmUp([missing])).rejects.toThrow(/no-such-kernels/);
  });

  it('fit gives a bit-identical model at parallelism 1, 2 and 3', async () => {
    const rows = points.toRows();
    const models = [];
    for (const parallelism of [1, 2, 3]) {
      models.push((await new KMeans({ k: 5, seed: 11, parallelism }).fit(rows)).toJSON());
    }
    expect(models[1]).toEqual(models[0]);
    expect(models[2]).toEqual(models[0]);
    // Bit for bit: the centres' doubles print the same.
    expect(JSON.stringify(models[2])).toBe(JSON.stringify(models[0]));
  });

  it("the fit's plans: k-means++ and Lloyd as bulk iterations with a mapPartition kernel and the model broadcast", async () => {
    const plans = await new KMeans({ k: 4, seed: 1, parallelism: 2 }).explainFit(points.toRows());
    expect(plans).toHaveLength(2);
    const [plusPlus, lloyd] = plans;
    expect(plusPlus).toMatch(/bulk iteration 'k-means\+\+' begins \(maxIterations 3\)/);
    expect(plusPlus).toMatch(
      /mapPartition 'plusPlusTrials' <- #\d+ {2}\[parallelism 2, broadcast 'model' <- #\d+\]/,
    );
    expect(lloyd).toMatch(/bulk iteration 'k-means Lloyd' begins \(maxIterations 301\)/);
    expect(lloyd).toMatch(/fromCollection\(4 records\) '4 row chunks' {2}\[parallelism 2\]/);
    expect(lloyd).toMatch(
      /mapPartition 'assignChunks' <- #\d+ {2}\[parallelism 2, broadcast 'model' <- #\d+\]/,
    );
    expect(lloyd).toMatch(
      /reduceGroup 'combine in chunk order' <- #\d+ {2}\[parallelism 1, broadcast 'model' <- #\d+\]/,
    );
    expect(lloyd).toMatch(/bulk iteration 'k-means Lloyd' ends \(next #\d+, terminates when #\d+ is empty\)/);
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
