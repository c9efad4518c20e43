import type { DenseMatrix } from '../../src/core/matrix.js';
import type { RandomSource } from '../../src/core/random.js';
import { squaredEuclidean } from './distance.js';

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
 * potential (sum of squared distances).
 */
export function kMeansPlusPlusCentres(points: DenseMatrix, k: number, rng: RandomSource): Float64Array {
  const n = points.rows;
  const d = points.columns;
  const x = points.data;
  const centres = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  let closest = new Float64Array(n);
  let candidate = new Float64Array(n);
  let best = new Float64Array(n);
  const cumulative = new Float64Array(n);

  const first = rng.integer(0, n);
  centres.set(points.row(first), 0);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredEuclidean(x, i * d, x, first * d, d);
    potential += closest[i];
  }
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i];
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestRow = 0;
    for (let t = 0; t < trials; t++) {
      const row = searchSorted(cumulative, rng.uniform() * potential);
      const offset = row * d;
      let trialPotential = 0;
      for (let i = 0; i < n; i++) {
        const distance = squaredEuclidean(x, i * d, x, offset, d);
        const nearest = distance < closest[i] ? distance : closest[i];
        candidate[i] = nearest;
        trialPotential += nearest;
      }
      if (trialPotential < bestPotential) {
        bestPotential = trialPotential;
        bestRow = row;
        [best, candidate] = [candidate, best];
      }
    }
    centres.set(points.row(bestRow), c * d);
    potential = bestPotential;
    [closest, best] = [best, closest];
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
