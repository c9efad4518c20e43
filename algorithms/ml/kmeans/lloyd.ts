/**
 * Lloyd's iterations of k-means from given centres, written as chunk rounds (kmeans-threads.ts)
 * so that the same code runs on the calling thread ({@link kMeansRun}) or over worker threads,
 * with the same result.
 */
import { DenseMatrix } from '../../../src/core/matrix.js';
import { type ArrayAllocator, plainArrays } from '../../../src/core/shared-memory.js';
import { type DistanceMeasure, distanceFunction, squaredEuclidean } from '../distance.js';
import { chunkCount, packBroadcast, packedBroadcastLength } from './chunk-kernels.js';
import { assignByMeasure, broadcastCentres, createPartialSums } from './step.js';
import { type ChunkRound, type ChunkRounds, runHere } from './threads.js';

/** The outcome of one k-means run over a matrix. */
export interface KMeansResult {
  /** k x d centres, row-major. */
  centroids: DenseMatrix;
  /** The cluster of every row. */
  labels: Int32Array;
  /** Sum of squared Euclidean distances to the assigned centre (of distances, for the other measures). */
  inertia: number;
  iterations: number;
  /** Whether it stopped by the tolerance or stable labels rather than by maxIterations. */
  converged: boolean;
}

/** Options of {@link kMeansRun}: the k-means parameters that shape one run. */
export interface KMeansRunOptions {
  maxIterations: number;
  /** Absolute threshold on the sum of squared centre movements. */
  tolerance: number;
  distanceMeasure: DistanceMeasure;
}

/**
 * Moves each empty cluster's centre onto the row farthest from its own centre, as scikit-learn
 * does, so no centre is ever NaN. Returns whether any centre moved this way.
 */
function reseedEmptyClusters(
  points: DenseMatrix,
  centres: Float64Array,
  counts: Float64Array,
  labels: Int32Array,
  measure: DistanceMeasure,
): boolean {
  const empty: number[] = [];
  counts.forEach((count, c) => {
    if (count === 0) empty.push(c);
  });
  if (empty.length === 0) return false;
  const d = points.columns;
  const distance = distanceFunction(measure);
  const far = Array.from({ length: points.rows }, (_, i) => i)
    .map((i) => ({ i, distance: distance(points.data, i * d, centres, labels[i] * d, d) }))
    .sort((a, b) => b.distance - a.distance || a.i - b.i);
  empty.forEach((c, index) => {
    centres.set(points.row(far[index % far.length].i), c * d);
  });
  return true;
}

/**
 * One k-means run from the given centres on the calling thread (Lloyd's algorithm; Hamerly's
 * bounds for Euclidean distance). Each iteration assigns every row, then moves each centre to
 * the mean of its rows. It stops when no label changes, when the centres move less than the
 * tolerance, or after `maxIterations`; then the rows are assigned once more so labels match
 * the final centres.
 */
export function kMeansRun(
  points: DenseMatrix,
  initialCentres: Float64Array,
  options: KMeansRunOptions,
): KMeansResult {
  return runHere(kMeansRounds(points, initialCentres, options, plainArrays));
}

/**
 * {@link kMeansRun} as chunk rounds. For Euclidean distance each assignment is a round of
 * assignChunks, every chunk keeping its rows' bounds and its own sums, added in chunk order;
 * the other measures assign on the calling thread. `points.data` must be shared when
 * `allocate` is `sharedArrays`.
 */
export function* kMeansRounds(
  points: DenseMatrix,
  initialCentres: Float64Array,
  options: KMeansRunOptions,
  allocate: ArrayAllocator,
): ChunkRounds<KMeansResult> {
  const n = points.rows;
  const d = points.columns;
  const k = initialCentres.length / d;
  const measure = options.distanceMeasure;
  const chunks = chunkCount(n);
  let centres = initialCentres.slice();
  const labels = allocate.int32(n).fill(-1);
  const upper = allocate.float64(n);
  const lower = allocate.float64(n);
  const chunkSums = allocate.float64(chunks * k * d);
  const chunkCounts = allocate.float64(chunks * k);
  const packed = allocate.float64(packedBroadcastLength(k, d));
  const nextChunk = allocate.int32(1);
  const partial = createPartialSums(k, d);
  const drift = new Float64Array(k);
  // Assigns every row to the current centres and leaves the totals in `partial`.
  const assign = function* (): Generator<ChunkRound, void, number> {
    partial.sums.fill(0);
    partial.counts.fill(0);
    partial.changed = 0;
    const broadcast = broadcastCentres(centres, k, d, drift);
    if (measure !== 'euclidean') {
      assignByMeasure(points, broadcast, measure, labels, partial);
      return;
    }
    packBroadcast(broadcast, d, packed);
    partial.changed = yield {
      kernel: 'assignChunks',
      args: [points.data, d, k, labels, upper, lower, chunkSums, chunkCounts, packed, nextChunk],
      nextChunk,
    };
    for (let chunk = 0; chunk < chunks; chunk++) {
      const sumsAt = chunk * k * d;
      for (let at = 0; at < k * d; at++) partial.sums[at] += chunkSums[sumsAt + at];
      for (let c = 0; c < k; c++) partial.counts[c] += chunkCounts[chunk * k + c];
    }
  };
  let iterations = 0;
  let converged = false;
  // Labels match the centres only when the loop ends right after an assignment.
  let labelsCurrent = false;
  while (iterations < options.maxIterations) {
    yield* assign();
    iterations++;
    if (iterations > 1 && partial.changed === 0) {
      converged = labelsCurrent = true;
      break;
    }
    const next = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      const count = partial.counts[c];
      if (count === 0) continue;
      for (let j = 0; j < d; j++) next[c * d + j] = partial.sums[c * d + j] / count;
    }
    reseedEmptyClusters(points, next, partial.counts, labels, measure);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const moved = squaredEuclidean(next, c * d, centres, c * d, d);
      drift[c] = Math.sqrt(moved);
      shift += moved;
    }
    centres = next;
    if (shift <= options.tolerance) {
      converged = true;
      break;
    }
  }
  if (!labelsCurrent) yield* assign();
  const distance = distanceFunction(measure);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const value = distance(points.data, i * d, centres, labels[i] * d, d);
    inertia += measure === 'euclidean' ? value * value : value;
  }
  // Plain memory for the caller: some APIs (transfer lists, TextDecoder) refuse shared buffers.
  return {
    centroids: new DenseMatrix(k, d, centres),
    labels: labels.buffer instanceof SharedArrayBuffer ? labels.slice() : labels,
    inertia,
    iterations,
    converged,
  };
}
