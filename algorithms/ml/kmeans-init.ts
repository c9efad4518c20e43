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

  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += x[i * d + j] * x[i * d + j];
    norms[i] = norm;
  }
  // Which chosen centre each row is nearest to: a candidate at least twice as far from that
  // centre as the row is cannot come nearer (triangle inequality), so its distance is skipped.
  const nearestCentre = new Int32Array(n);
  const candidateToCentre = new Float64Array(k);
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
      const candidateNorm = norms[row];
      for (let chosen = 0; chosen < c; chosen++) {
        candidateToCentre[chosen] = squaredEuclidean(x, offset, centres, chosen * d, d);
      }
      let trialPotential = 0;
      for (let i = 0; i < n; i++) {
        if (candidateToCentre[nearestCentre[i]] >= 4 * closest[i]) {
          candidate[i] = closest[i];
          trialPotential += closest[i];
          continue;
        }
        // |x - c|^2 = |x|^2 + |c|^2 - 2 x.c, with four independent multiply-add chains.
        const rowOffset = i * d;
        let dot0 = 0;
        let dot1 = 0;
        let dot2 = 0;
        let dot3 = 0;
        let j = 0;
        for (; j + 3 < d; j += 4) {
          dot0 += x[rowOffset + j] * x[offset + j];
          dot1 += x[rowOffset + j + 1] * x[offset + j + 1];
          dot2 += x[rowOffset + j + 2] * x[offset + j + 2];
          dot3 += x[rowOffset + j + 3] * x[offset + j + 3];
        }
        for (; j < d; j++) dot0 += x[rowOffset + j] * x[offset + j];
        let distance = norms[i] + candidateNorm - 2 * (dot0 + dot1 + dot2 + dot3);
        if (distance < 0) distance = 0;
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
    for (let i = 0; i < n; i++) if (best[i] < closest[i]) nearestCentre[i] = c;
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
