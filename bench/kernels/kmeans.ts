/**
 * The k-means arithmetic shared by the plain loop and the DataSet program of the
 * dataset-kmeans bench, so both do exactly the same work. Worker threads import this
 * module by itself: it only defines functions.
 */
import type { MatrixChunk, RuntimeContext } from '../../src/dataset/index.js';

/**
 * Adds each of `rows` points (row-major in `data`, `columns` wide) to the sum and count of
 * its nearest centroid: `sums` holds k * columns coordinate sums, then k counts.
 */
export function accumulateNearest(
  data: Float64Array,
  rows: number,
  columns: number,
  centroids: Float64Array,
  k: number,
  sums: Float64Array,
): void {
  const countOffset = k * columns;
  for (let i = 0; i < rows; i++) {
    const row = i * columns;
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const centre = c * columns;
      let distance = 0;
      for (let j = 0; j < columns; j++) {
        const difference = data[row + j] - centroids[centre + j];
        distance += difference * difference;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    const target = best * columns;
    for (let j = 0; j < columns; j++) sums[target + j] += data[row + j];
    sums[countOffset + best] += 1;
  }
}

/** New centroids from sums and counts; a centroid with no points keeps its place. */
export function centroidsFromSums(sums: Float64Array, previous: Float64Array, columns: number): Float64Array {
  const k = previous.length / columns;
  const next = new Float64Array(previous.length);
  for (let c = 0; c < k; c++) {
    const count = sums[k * columns + c];
    for (let j = 0; j < columns; j++) {
      next[c * columns + j] = count > 0 ? sums[c * columns + j] / count : previous[c * columns + j];
    }
  }
  return next;
}

/** mapPartition: one partial sum array per partition, from the broadcast centroids. */
export function partialSums(chunks: readonly MatrixChunk[], context: RuntimeContext): Float64Array[] {
  const centroids = context.broadcast<Float64Array>('centroids')[0];
  const columns = chunks.length > 0 ? chunks[0].columns : 0;
  const k = centroids.length / Math.max(columns, 1);
  const sums = new Float64Array(k * columns + k);
  for (const chunk of chunks) accumulateNearest(chunk.data, chunk.rows, chunk.columns, centroids, k, sums);
  return [sums];
}

/** reduce: adds two partial sum arrays (into the first, which is a fresh partial). */
export function addSums(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
}
