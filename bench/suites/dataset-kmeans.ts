/**
 * What the DataSet engine costs: k-means (200,000 x 16 points, k = 16, 30 supersteps)
 * written with the DataSet API (mapPartition over row chunks + broadcast centroids +
 * reduce, inside a bulk iteration) against the same arithmetic as one plain loop. The
 * engine at parallelism 1 shows its overhead; parallelism 2 adds worker threads.
 */

import { availableParallelism } from 'node:os';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import { env, exported } from '../../src/dataset/index.js';
import { accumulateNearest, addSums, centroidsFromSums, partialSums } from '../kernels/kmeans.js';
import { machineDescription, median, timeRuns } from '../timing.js';

const ROWS = 200_000;
const COLUMNS = 16;
const K = 16;
const SUPERSTEPS = 30;
// Workers load the kernels by URL: the .ts source under tsx, the compiled .js otherwise.
const kernels = new URL(`../kernels/kmeans.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url)
  .href;

function points(): { matrix: DenseMatrix; initial: Float64Array } {
  const rng = random(2024);
  const centres = Array.from({ length: K }, () =>
    Array.from({ length: COLUMNS }, () => rng.uniformIn(-20, 20)),
  );
  const matrix = new DenseMatrix(ROWS, COLUMNS);
  for (let i = 0; i < ROWS; i++) {
    const centre = centres[rng.integer(0, K)];
    for (let j = 0; j < COLUMNS; j++) matrix.data[i * COLUMNS + j] = centre[j] + rng.normal(0, 3);
  }
  return { matrix, initial: matrix.data.slice(0, K * COLUMNS) };
}

function plainLoop(matrix: DenseMatrix, initial: Float64Array): Float64Array {
  let centroids = initial;
  const sums = new Float64Array(K * COLUMNS + K);
  for (let step = 0; step < SUPERSTEPS; step++) {
    sums.fill(0);
    accumulateNearest(matrix.data, matrix.rows, COLUMNS, centroids, K, sums);
    centroids = centroidsFromSums(sums, centroids, COLUMNS);
  }
  return centroids;
}

async function dataSetProgram(
  matrix: DenseMatrix,
  initial: Float64Array,
  parallelism: number,
): Promise<Float64Array> {
  const environment = env({ parallelism });
  const chunks = environment.fromMatrix(matrix);
  const iteration = environment.fromCollection([initial]).iterate(SUPERSTEPS, { name: 'kmeans' });
  const next = chunks
    .mapPartition(exported(partialSums, kernels))
    .withBroadcastSet(iteration, 'centroids')
    .reduce(exported(addSums, kernels))
    .map((sums, context) => centroidsFromSums(sums, context.broadcast<Float64Array>('centroids')[0], COLUMNS))
    .withBroadcastSet(iteration, 'centroids');
  const [centroids] = await iteration.closeWith(next).collect();
  return centroids;
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

export async function run(): Promise<void> {
  const { matrix, initial } = points();
  const runs = 5;
  const parallelisms = [1, 2, 4, 8].filter((p) => p === 1 || p <= availableParallelism());
  const plainTimes: number[] = [];
  const engineTimes = parallelisms.map(() => [] as number[]);
  let plainResult: Float64Array = new Float64Array();
  const results: Float64Array[] = parallelisms.map(() => new Float64Array());
  await dataSetProgram(matrix, initial, Math.max(...parallelisms)); // starts the worker threads
  // Rounds interleave the variants, so load from other processes falls on each alike.
  for (let round = 0; round <= runs; round++) {
    const warmup = round === 0;
    const plain = await timeRuns(() => (plainResult = plainLoop(matrix, initial)), 1, 0);
    if (!warmup) plainTimes.push(...plain);
    for (let v = 0; v < parallelisms.length; v++) {
      const time = await timeRuns(
        async () => (results[v] = await dataSetProgram(matrix, initial, parallelisms[v])),
        1,
        0,
      );
      if (!warmup) engineTimes[v].push(...time);
    }
  }
  const plain = median(plainTimes);
  console.log(machineDescription());
  console.log(
    `k-means ${ROWS} x ${COLUMNS}, k = ${K}, ${SUPERSTEPS} supersteps, median of ${runs} runs (after one warm-up round)`,
  );
  console.log(`| variant | median ms | vs plain loop | max abs centroid difference vs plain |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  console.log(`| plain loop (one call over all rows) | ${plain.toFixed(0)} | 1.000x | 0 |`);
  parallelisms.forEach((parallelism, v) => {
    const time = median(engineTimes[v]);
    const where = parallelism === 1 ? 'calling thread' : `${parallelism} worker threads`;
    console.log(
      `| DataSet, parallelism ${parallelism} (${where}) | ${time.toFixed(0)} | ${(time / plain).toFixed(3)}x | ${maxDifference(results[v], plainResult).toExponential(1)} |`,
    );
  });
}
