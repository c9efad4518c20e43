import type { DenseMatrix } from '../../../src/core/matrix.js';
import type { RandomSource } from '../../../src/core/random.js';
import { type ArrayAllocator, plainArrays } from '../../../src/core/shared-memory.js';
import { squaredEuclidean } from '../distance.js';
import { chunkCount } from './chunk-kernels.js';
import { type ChunkRounds, runHere } from './threads.js';

/**
 * Initial centres for k-means. Both return a new k x d row-major array of centre coordinates.
 */

/** `k` distinct rows chosen uniformly at random. */
export function randomCentres(points: DenseMatrix, k: number, rng: RandomSource): Float64Array {
  const d = points.columns;
  const centres = new Float64Array(k * d);
  const rows = rng.sample(
    Array.from({ length: points.rows }, (_, i) => i),
    k,
  );
  rows.forEach((row, c) => {
    centres.set(points.row(row), c * d);
  });
  return centres;
}

/**
 * k-means++ (Arthur and Vassilvitskii) with greedy local trials, as scikit-learn does it: each
 * new centre is the best of `2 + floor(ln k)` candidates drawn with probability proportional to
 * the squared distance to the nearest centre so far, "best" meaning the lowest resulting
 * potential (sum of squared distances). Runs on the calling thread; see
 * {@link kMeansPlusPlusRounds} for the same centres computed over several threads.
 */
export function kMeansPlusPlusCentres(points: DenseMatrix, k: number, rng: RandomSource): Float64Array {
  return runHere(kMeansPlusPlusRounds(points, k, rng, plainArrays));
}

/**
 * {@link kMeansPlusPlusCentres} as chunk rounds: the candidates' distances to every row are
 * computed chunk by chunk (plusPlusTrials), their potentials added in chunk order, so the
 * centres do not depend on how many threads run the rounds. `points.data` must be shared when
 * `allocate` is {@link sharedArrays}.
 */
export function* kMeansPlusPlusRounds(
  points: DenseMatrix,
  k: number,
  rng: RandomSource,
  allocate: ArrayAllocator,
): ChunkRounds<Float64Array> {
  const n = points.rows;
  const d = points.columns;
  const x = points.data;
  const chunks = chunkCount(n);
  const centres = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const closest = allocate.float64(n);
  const candidates = allocate.float64(trials * n);
  const chunkPotential = allocate.float64(trials * chunks);
  // Which chosen centre each row is nearest to, for the triangle-inequality skip.
  const nearestCentre = allocate.int32(n);
  const norms = allocate.float64(n);
  const nextChunk = allocate.int32(1);
  const cumulative = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += x[i * d + j] * x[i * d + j];
    norms[i] = norm;
  }
  const first = rng.integer(0, n);
  centres.set(points.row(first), 0);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredEuclidean(x, i * d, x, first * d, d);
    cumulative[i] = potential += closest[i];
  }
  for (let c = 1; c < k; c++) {
    const candidateRows = new Int32Array(trials);
    const candidateToCentre = new Float64Array(trials * k);
    for (let t = 0; t < trials; t++) {
      const row = searchSorted(cumulative, rng.uniform() * potential);
      candidateRows[t] = row;
      for (let chosen = 0; chosen < c; chosen++) {
        candidateToCentre[t * k + chosen] = squaredEuclidean(x, row * d, centres, chosen * d, d);
      }
    }
    yield {
      kernel: 'plusPlusTrials',
      args: [
        x,
        d,
        norms,
        closest,
        nearestCentre,
        candidates,
        candidateRows,
        candidateToCentre,
        k,
        chunkPotential,
        nextChunk,
      ],
      nextChunk,
    };
    let bestPotential = Number.POSITIVE_INFINITY;
    let best = 0;
    for (let t = 0; t < trials; t++) {
      let trialPotential = 0;
      for (let chunk = 0; chunk < chunks; chunk++) trialPotential += chunkPotential[t * chunks + chunk];
      if (trialPotential < bestPotential) {
        bestPotential = trialPotential;
        best = t;
      }
    }
    centres.set(points.row(candidateRows[best]), c * d);
    potential = 0;
    const chosen = best * n;
    for (let i = 0; i < n; i++) {
      const distance = candidates[chosen + i];
      if (distance < closest[i]) nearestCentre[i] = c;
      closest[i] = distance;
      cumulative[i] = potential += distance;
    }
  }
  return centres;
}

/** The first index whose cumulative value exceeds `target` (clipped to the last index). */
function searchSorted(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle] <= target) low = middle + 1;
    else high = middle;
  }
  return low;
}
