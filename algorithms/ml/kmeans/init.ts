import type { DenseMatrix } from '../../../src/core/matrix.js';
import type { RandomSource } from '../../../src/core/random.js';
import { type ArrayAllocator, plainArrays } from '../../../src/core/shared-memory.js';
import {
  type ModelIteration,
  rowChunks,
  runModelIterationHere,
} from '../../../src/dataset/model-iteration.js';
import { squaredEuclidean } from '../distance.js';
import {
  type PlusPlusArrays,
  type PlusPlusBroadcast,
  type PlusPlusChunk,
  type PlusPlusPartial,
  plusPlusKernel,
} from './chunk-kernels.js';

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

/** The model of the k-means++ iteration: the centres chosen so far and this round's candidates. */
export interface PlusPlusModel extends PlusPlusBroadcast {
  /** How many centres are chosen (the first `chosen` rows of `centres`). */
  readonly chosen: number;
  readonly centres: Float64Array;
}

/**
 * k-means++ (Arthur and Vassilvitskii) with greedy local trials, as scikit-learn does it: each
 * new centre is the best of `2 + floor(ln k)` candidates drawn with probability proportional to
 * the squared distance to the nearest centre so far, "best" meaning the lowest resulting
 * potential (sum of squared distances). The first centre is drawn before the iteration; each
 * superstep chooses one more: the candidates' distances to every row are computed chunk by
 * chunk (`plusPlusTrials`), their potentials added in chunk order, so the centres do not
 * depend on the parallelism. Returns undefined for k = 1 (no iteration; `first` is the centre).
 * `points.data` must be shared when `allocate` is `sharedArrays`.
 */
export function kMeansPlusPlusIteration(
  points: DenseMatrix,
  k: number,
  rng: RandomSource,
  allocate: ArrayAllocator,
): { first: Float64Array; iteration?: ModelIteration<PlusPlusChunk, PlusPlusModel, PlusPlusPartial> } {
  const n = points.rows;
  const d = points.columns;
  const x = points.data;
  const trials = 2 + Math.floor(Math.log(k));
  const closest = allocate.float64(n);
  const candidates = allocate.float64(trials * n);
  // Which chosen centre each row is nearest to, for the triangle-inequality skip.
  const nearestCentre = allocate.int32(n);
  const norms = allocate.float64(n);
  const cumulative = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += x[i * d + j] * x[i * d + j];
    norms[i] = norm;
  }
  const firstCentres = new Float64Array(k * d);
  const first = rng.integer(0, n);
  firstCentres.set(points.row(first), 0);
  if (k === 1) return { first: firstCentres };
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredEuclidean(x, i * d, x, first * d, d);
    cumulative[i] = potential += closest[i];
  }
  // Draws the candidates for centre number `chosen` (rng calls in the order of scikit-learn's loop).
  const withCandidates = (centres: Float64Array, chosen: number): PlusPlusModel => {
    const candidateRows = new Int32Array(trials);
    const candidateToCentre = new Float64Array(trials * k);
    for (let t = 0; t < trials; t++) {
      const row = searchSorted(cumulative, rng.uniform() * potential);
      candidateRows[t] = row;
      for (let c = 0; c < chosen; c++) {
        candidateToCentre[t * k + c] = squaredEuclidean(x, row * d, centres, c * d, d);
      }
    }
    return { k, chosen, centres, candidateRows, candidateToCentre };
  };
  const update = (model: PlusPlusModel, partials: readonly PlusPlusPartial[]): PlusPlusModel => {
    let bestPotential = Number.POSITIVE_INFINITY;
    let best = 0;
    for (let t = 0; t < trials; t++) {
      let trialPotential = 0;
      for (const partial of partials) trialPotential += partial.potentials[t];
      if (trialPotential < bestPotential) {
        bestPotential = trialPotential;
        best = t;
      }
    }
    const c = model.chosen;
    const centres = model.centres.slice();
    centres.set(points.row(model.candidateRows[best]), c * d);
    potential = 0;
    const at = best * n;
    for (let i = 0; i < n; i++) {
      const distance = candidates[at + i];
      if (distance < closest[i]) nearestCentre[i] = c;
      closest[i] = distance;
      cumulative[i] = potential += distance;
    }
    return c + 1 < k ? withCandidates(centres, c + 1) : { ...model, chosen: c + 1, centres };
  };
  const arrays: PlusPlusArrays = { points: x, columns: d, norms, closest, nearestCentre, candidates };
  const chunks = rowChunks(n).map(([start, end], chunk): PlusPlusChunk => ({ chunk, start, end, arrays }));
  return {
    first: firstCentres,
    iteration: {
      name: 'k-means++',
      chunks,
      initial: withCandidates(firstCentres, 1),
      maxIterations: k - 1,
      kernel: plusPlusKernel,
      update,
      done: (model) => model.chosen === k,
    },
  };
}

/** {@link kMeansPlusPlusIteration} on the calling thread: the k initial centres. */
export function kMeansPlusPlusCentres(points: DenseMatrix, k: number, rng: RandomSource): Float64Array {
  const { first, iteration } = kMeansPlusPlusIteration(points, k, rng, plainArrays);
  return iteration ? runModelIterationHere(iteration).centres : first;
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
