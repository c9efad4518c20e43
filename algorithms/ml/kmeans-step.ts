import type { DenseMatrix } from '../../src/core/matrix.js';
import { cosine, type DistanceMeasure, manhattan, squaredEuclidean } from './distance.js';

/**
 * The assignment step of k-means over one chunk of rows: assign each row to its nearest centre
 * and add it to that centre's partial sum. It sees only its chunk, the broadcast centres and the
 * chunk's own state, so the same function runs over a whole matrix, over row slices, or inside
 * a DataSet `mapPartition` with the centres broadcast; partial sums of chunks are added up.
 *
 * For Euclidean distance it is Hamerly's algorithm: each row keeps an upper bound on the
 * distance to its centre and a lower bound on the distance to any other; when the bounds show
 * the centre cannot have changed, no distance is computed. The assignments are exactly
 * Lloyd's; only the work is less once clusters settle.
 */

/** The centres every chunk sees in one iteration (the "broadcast set"). */
export interface BroadcastCentres {
  /** k x d centre coordinates, row-major. */
  readonly centres: Float64Array;
  readonly k: number;
  /** How far each centre moved in the last update (0 before the first), for the bounds. */
  readonly drift: Float64Array;
  /** Half the distance from each centre to its nearest other centre (Euclidean only). */
  readonly halfSeparation: Float64Array;
}

/** What one chunk keeps between iterations: its rows' labels and distance bounds. */
export interface ChunkState {
  /** Cluster of each row; -1 before the first assignment. */
  readonly labels: Int32Array;
  /** Upper bound of the distance from each row to its centre. */
  readonly upper: Float64Array;
  /** Lower bound of the distance from each row to every other centre. */
  readonly lower: Float64Array;
}

/** What one chunk returns: per-centre sums and counts, and how many labels changed. */
export interface PartialSums {
  /** k x d coordinate sums of the rows assigned to each centre. */
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  changed: number;
}

/** Fresh state for a chunk of `rows` rows. */
export function createChunkState(rows: number): ChunkState {
  return {
    labels: new Int32Array(rows).fill(-1),
    upper: new Float64Array(rows),
    lower: new Float64Array(rows),
  };
}

/** Zeroed partial sums for k centres of dimension d. */
export function createPartialSums(k: number, d: number): PartialSums {
  return { sums: new Float64Array(k * d), counts: new Float64Array(k), changed: 0 };
}

/** Computes the half-separations of the centres (Hamerly's s(j)). */
export function broadcastCentres(
  centres: Float64Array,
  k: number,
  d: number,
  drift: Float64Array,
): BroadcastCentres {
  const halfSeparation = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const half = 0.5 * Math.sqrt(squaredEuclidean(centres, a * d, centres, b * d, d));
      if (half < halfSeparation[a]) halfSeparation[a] = half;
      if (half < halfSeparation[b]) halfSeparation[b] = half;
    }
  }
  return { centres, k, drift, halfSeparation };
}

/**
 * Assigns the rows of `chunk` (Euclidean, Hamerly's bounds) and adds them into `out`, which
 * the caller zeroes once per iteration and may share between chunks processed in turn.
 */
export function assignEuclidean(
  chunk: DenseMatrix,
  broadcast: BroadcastCentres,
  state: ChunkState,
  out: PartialSums,
): void {
  const { centres, k, drift, halfSeparation } = broadcast;
  const { labels, upper, lower } = state;
  const { sums, counts } = out;
  const x = chunk.data;
  const d = chunk.columns;
  const n = chunk.rows;
  // Bounds on other centres shrink by the largest drift of any other centre.
  let largest = 0;
  let largestAt = -1;
  let second = 0;
  for (let c = 0; c < k; c++) {
    if (drift[c] > largest) {
      second = largest;
      largest = drift[c];
      largestAt = c;
    } else if (drift[c] > second) second = drift[c];
  }
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const offset = i * d;
    let label = labels[i];
    let needSearch = label < 0;
    if (!needSearch) {
      let u = upper[i] + drift[label];
      const l = lower[i] - (label === largestAt ? second : largest);
      lower[i] = l;
      const bound = halfSeparation[label] > l ? halfSeparation[label] : l;
      if (u > bound) {
        u = Math.sqrt(squaredEuclidean(x, offset, centres, label * d, d));
        needSearch = u > bound;
      }
      upper[i] = u;
    }
    if (needSearch) {
      let nearest = Number.POSITIVE_INFINITY;
      let nextNearest = Number.POSITIVE_INFINITY;
      let nearestAt = 0;
      for (let c = 0; c < k; c++) {
        const cOffset = c * d;
        let distance = 0;
        for (let j = 0; j < d; j++) {
          const diff = x[offset + j] - centres[cOffset + j];
          distance += diff * diff;
        }
        if (distance < nearest) {
          nextNearest = nearest;
          nearest = distance;
          nearestAt = c;
        } else if (distance < nextNearest) nextNearest = distance;
      }
      if (nearestAt !== label) changed++;
      label = nearestAt;
      labels[i] = label;
      upper[i] = Math.sqrt(nearest);
      lower[i] = Math.sqrt(nextNearest);
    }
    const sOffset = label * d;
    for (let j = 0; j < d; j++) sums[sOffset + j] += x[offset + j];
    counts[label]++;
  }
  out.changed += changed;
}

/** Assigns the rows of `chunk` by cosine or Manhattan distance (plain Lloyd) into `out`. */
export function assignByMeasure(
  chunk: DenseMatrix,
  broadcast: BroadcastCentres,
  measure: Exclude<DistanceMeasure, 'euclidean'>,
  labels: Int32Array,
  out: PartialSums,
): void {
  const { centres, k } = broadcast;
  const distance = measure === 'cosine' ? cosine : manhattan;
  const x = chunk.data;
  const d = chunk.columns;
  const { sums, counts } = out;
  let changed = 0;
  for (let i = 0; i < chunk.rows; i++) {
    const offset = i * d;
    let nearest = Number.POSITIVE_INFINITY;
    let nearestAt = 0;
    for (let c = 0; c < k; c++) {
      const value = distance(x, offset, centres, c * d, d);
      if (value < nearest) {
        nearest = value;
        nearestAt = c;
      }
    }
    if (nearestAt !== labels[i]) changed++;
    labels[i] = nearestAt;
    for (let j = 0; j < d; j++) sums[nearestAt * d + j] += x[offset + j];
    counts[nearestAt]++;
  }
  out.changed += changed;
}
