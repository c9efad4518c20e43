/**
 * Lloyd's iterations of k-means from given centres, as a bulk iteration of the DataSet engine
 * (model-iteration.ts): the centres are the broadcast model, `assignChunks` the per-chunk
 * kernel, and the chunks' sums, added in chunk order, give the next centres. The same result
 * at every parallelism, and on the calling thread ({@link kMeansRun}).
 */
import { DenseMatrix } from '../../../src/core/matrix.js';
import { type ArrayAllocator, plainArrays } from '../../../src/core/shared-memory.js';
import {
  type ModelIteration,
  rowChunks,
  runModelIterationHere,
} from '../../../src/dataset/model-iteration.js';
import { type DistanceMeasure, distanceFunction, squaredEuclidean } from '../distance.js';
import {
  assignKernel,
  type LloydArrays,
  type LloydBroadcast,
  type LloydChunk,
  type LloydPartial,
  packBroadcast,
} from './chunk-kernels.js';
import { broadcastCentres } from './step.js';

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

/** The model of Lloyd's iteration: the centres to assign to, and how the run stands. */
export interface LloydModel extends LloydBroadcast {
  /** k x d centres. */
  readonly centres: Float64Array;
  /** Rounds that moved (or kept) the centres so far. */
  readonly iterations: number;
  readonly converged: boolean;
  /** The next round only assigns the rows to the final centres. */
  readonly finalAssignment: boolean;
  readonly done: boolean;
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

/** A run of Lloyd's iterations, ready to run, and how to read its result. */
export interface LloydRun {
  readonly iteration: ModelIteration<LloydChunk, LloydModel, LloydPartial>;
  /** The run's result from the iteration's last model. */
  result(model: LloydModel): KMeansResult;
}

/**
 * Lloyd's algorithm (Hamerly's bounds for Euclidean distance) from `initialCentres`: each
 * superstep assigns every row, then moves each centre to the mean of its rows. It stops when no
 * label changes, when the centres move less than the tolerance, or after `maxIterations`; then
 * one more superstep assigns the rows so labels match the final centres. `points.data` must be
 * shared when `allocate` is `sharedArrays` (the kernel runs on worker threads).
 */
export function lloydRun(
  points: DenseMatrix,
  initialCentres: Float64Array,
  options: KMeansRunOptions,
  allocate: ArrayAllocator,
): LloydRun {
  const n = points.rows;
  const d = points.columns;
  const k = initialCentres.length / d;
  const measure = options.distanceMeasure;
  const labels = allocate.int32(n).fill(-1);
  const upper = allocate.float64(n);
  const lower = allocate.float64(n);
  const ranges = rowChunks(n);
  const chunkSums = allocate.float64(ranges.length * k * d);
  const chunkCounts = allocate.float64(ranges.length * k);
  const arrays: LloydArrays = {
    points: points.data,
    columns: d,
    k,
    labels,
    upper,
    lower,
    sums: chunkSums,
    counts: chunkCounts,
  };
  const chunks = ranges.map(([start, end], chunk): LloydChunk => ({ chunk, start, end, arrays }));
  const model = (
    centres: Float64Array,
    drift: Float64Array,
    state: Pick<LloydModel, 'iterations' | 'converged' | 'finalAssignment' | 'done'>,
  ): LloydModel => ({
    k,
    measure,
    centres,
    packed: packBroadcast(broadcastCentres(centres, k, d, drift), d),
    ...state,
  });
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const update = (current: LloydModel, partials: readonly LloydPartial[]): LloydModel => {
    if (current.finalAssignment) return { ...current, finalAssignment: false, done: true };
    const iterations = current.iterations + 1;
    sums.fill(0);
    counts.fill(0);
    let changed = 0;
    for (const { chunk, changed: chunkChanged } of partials) {
      const sumsAt = chunk * k * d;
      for (let at = 0; at < k * d; at++) sums[at] += chunkSums[sumsAt + at];
      for (let c = 0; c < k; c++) counts[c] += chunkCounts[chunk * k + c];
      changed += chunkChanged;
    }
    // Stable labels: they already match the centres.
    if (iterations > 1 && changed === 0) {
      return { ...current, iterations, converged: true, done: true };
    }
    const next = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      const count = counts[c];
      if (count === 0) continue;
      for (let j = 0; j < d; j++) next[c * d + j] = sums[c * d + j] / count;
    }
    reseedEmptyClusters(points, next, counts, labels, measure);
    const drift = new Float64Array(k);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const moved = squaredEuclidean(next, c * d, current.centres, c * d, d);
      drift[c] = Math.sqrt(moved);
      shift += moved;
    }
    const converged = shift <= options.tolerance;
    const finalAssignment = converged || iterations >= options.maxIterations;
    return model(next, drift, { iterations, converged, finalAssignment, done: false });
  };
  const iteration: ModelIteration<LloydChunk, LloydModel, LloydPartial> = {
    name: 'k-means Lloyd',
    chunks,
    initial: model(initialCentres.slice(), new Float64Array(k), {
      iterations: 0,
      converged: false,
      finalAssignment: false,
      done: false,
    }),
    // Every round assigns, and the last one only assigns.
    maxIterations: options.maxIterations + 1,
    kernel: assignKernel,
    update,
    done: (current) => current.done,
  };
  const result = (last: LloydModel): KMeansResult => {
    const distance = distanceFunction(measure);
    const centres = last.centres;
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
      iterations: last.iterations,
      converged: last.converged,
    };
  };
  return { iteration, result };
}

/** One k-means run from the given centres on the calling thread (see {@link lloydRun}). */
export function kMeansRun(
  points: DenseMatrix,
  initialCentres: Float64Array,
  options: KMeansRunOptions,
): KMeansResult {
  const run = lloydRun(points, initialCentres, options, plainArrays);
  return run.result(runModelIterationHere(run.iteration));
}
