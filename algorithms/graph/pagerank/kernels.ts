/**
 * The inner loops of PageRank, over a range of vertices so that worker threads can each take
 * one range of a shared array (their ranges split the in-edges evenly). Each vertex's sum is
 * made by one thread in in-edge order, so the scores are the same at every parallelism.
 * This module is also what the worker threads load (see parallel.ts).
 */

/** `next[v] = damping * Σ contribution[u]` over in-edges `u → v`, for `v` in `[start, end)`. */
export function pullUniform(
  offsets: Int32Array,
  sources: Int32Array,
  contribution: Float64Array,
  next: Float64Array,
  damping: number,
  start: number,
  end: number,
): void {
  let first = offsets[start];
  for (let v = start; v < end; v++) {
    const last = offsets[v + 1];
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
  rank: Float64Array,
  next: Float64Array,
  damping: number,
  start: number,
  end: number,
): void {
  let first = offsets[start];
  for (let v = start; v < end; v++) {
    const last = offsets[v + 1];
    let sum = 0;
    for (let e = first; e < last; e++) sum += rank[sources[e]] * shares[e];
    next[v] = damping * sum;
    first = last;
  }
}

/**
 * A driver kernel: the pull over vertex range `chunk` (`bounds[chunk] .. bounds[chunk + 1]`).
 * `shares` is null for unweighted PageRank, when `values` holds the contributions; otherwise
 * `values` holds the ranks.
 */
export function pullChunk(
  offsets: Int32Array,
  sources: Int32Array,
  shares: Float64Array | null,
  values: Float64Array,
  next: Float64Array,
  damping: number,
  bounds: Int32Array,
  chunk: number,
): void {
  const start = bounds[chunk];
  const end = bounds[chunk + 1];
  if (shares === null) pullUniform(offsets, sources, values, next, damping, start, end);
  else pullWeighted(offsets, sources, shares, values, next, damping, start, end);
}

/**
 * Splits vertices `0 .. n - 1` into `parts` ranges with about equal numbers of in-edges
 * (PageRank's work is per edge); returns `parts + 1` boundaries.
 */
export function splitByEdges(offsets: Int32Array, parts: number): Int32Array {
  const n = offsets.length - 1;
  const edges = offsets[n];
  const bounds = new Int32Array(parts + 1);
  bounds[parts] = n;
  for (let p = 1; p < parts; p++) {
    const goal = (edges * p) / parts;
    // First vertex whose in-edges start at or after the goal.
    let low = bounds[p - 1];
    let high = n;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (offsets[middle] < goal) low = middle + 1;
      else high = middle;
    }
    bounds[p] = low;
  }
  return bounds;
}
