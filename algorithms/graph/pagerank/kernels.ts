/**
 * The inner loops of PageRank, over a range of vertices so that worker threads can each take
 * one range of a shared array (their ranges split the in-edges evenly). Each vertex's sum is
 * made by one thread in in-edge order, so the scores are the same at every parallelism.
 * The in-edge arrays come in segments of consecutive vertices (one unless the index is larger
 * than a buffer workers can take): a range lies in one segment, whose first in-edge is at
 * position `base` of the offsets. This module is also what the worker threads load (see
 * parallel.ts).
 */

/** `next[v] = damping * Σ contribution[u]` over in-edges `u → v`, for `v` in `[start, end)`. */
export function pullUniform(
  offsets: Int32Array,
  sources: Int32Array,
  base: number,
  contribution: Float64Array,
  next: Float64Array,
  damping: number,
  start: number,
  end: number,
): void {
  let first = offsets[start] - base;
  for (let v = start; v < end; v++) {
    const last = offsets[v + 1] - base;
    let sum = 0;
    for (let e = first; e < last; e++) sum += contribution[sources[e]];
    next[v] = damping * sum;
    first = last;
  }
}

/** `next[v] = damping * Σ rank[u] · share(u → v)` over in-edges, for `v` in `[start, end)`. */
export function pullWeighted(
  offsets: Int32Array,
  sources: Int32Array,
  shares: Float64Array,
  base: number,
  rank: Float64Array,
  next: Float64Array,
  damping: number,
  start: number,
  end: number,
): void {
  let first = offsets[start] - base;
  for (let v = start; v < end; v++) {
    const last = offsets[v + 1] - base;
    let sum = 0;
    for (let e = first; e < last; e++) sum += rank[sources[e]] * shares[e];
    next[v] = damping * sum;
    first = last;
  }
}

/**
 * A driver kernel: the pull over vertex range `chunk` (`bounds[chunk] .. bounds[chunk + 1]`),
 * which lies in segment `segmentOf[chunk]` (vertices from `segmentStarts[segment]`).
 * `shares` is null for unweighted PageRank, when `values` holds the contributions; otherwise
 * `values` holds the ranks.
 */
export function pullChunk(
  offsets: Int32Array,
  sources: readonly Int32Array[],
  shares: readonly Float64Array[] | null,
  values: Float64Array,
  next: Float64Array,
  damping: number,
  bounds: Int32Array,
  segmentOf: Int32Array,
  segmentStarts: Int32Array,
  chunk: number,
): void {
  const start = bounds[chunk];
  const end = bounds[chunk + 1];
  const segment = segmentOf[chunk];
  const base = offsets[segmentStarts[segment]];
  if (shares === null) pullUniform(offsets, sources[segment], base, values, next, damping, start, end);
  else pullWeighted(offsets, sources[segment], shares[segment], base, values, next, damping, start, end);
}
