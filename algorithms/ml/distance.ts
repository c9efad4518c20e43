/**
 * Distance measures between rows of row-major Float64Arrays, by offset, so kernels compare a
 * point with a centre without making views. Names follow Flink ML's `distanceMeasure`.
 */

/** The distance measures k-means and its models accept. */
export const DISTANCE_MEASURES = ['euclidean', 'cosine', 'manhattan'] as const;

/** One of {@link DISTANCE_MEASURES}. */
export type DistanceMeasure = (typeof DISTANCE_MEASURES)[number];

/** Squared Euclidean distance between `a[aOffset..aOffset+d)` and `b[bOffset..bOffset+d)`. */
export function squaredEuclidean(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  d: number,
): number {
  let sum = 0;
  for (let j = 0; j < d; j++) {
    const diff = a[aOffset + j] - b[bOffset + j];
    sum += diff * diff;
  }
  return sum;
}

/** Manhattan (L1) distance. */
export function manhattan(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  d: number,
): number {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += Math.abs(a[aOffset + j] - b[bOffset + j]);
  return sum;
}

/** Cosine distance, 1 - cos(angle); a zero vector is at distance 1 from everything. */
export function cosine(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  d: number,
): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let j = 0; j < d; j++) {
    const x = a[aOffset + j];
    const y = b[bOffset + j];
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 1 : 1 - dot / Math.sqrt(normA * normB);
}

/** The distance function of a measure; Euclidean is the true (not squared) distance. */
export function distanceFunction(
  measure: DistanceMeasure,
): (a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, d: number) => number {
  if (measure === 'cosine') return cosine;
  if (measure === 'manhattan') return manhattan;
  return (a, aOffset, b, bOffset, d) => Math.sqrt(squaredEuclidean(a, aOffset, b, bOffset, d));
}
