/** Vertex ranges of equal edge counts, for work that is per edge (pulls, links). */

import type { EdgeOffsets } from './csr.js';

/**
 * Splits vertices `0 .. n - 1` of a CSR layout (`offsets` has n + 1 entries) into `parts`
 * ranges with about equal numbers of edges (each vertex counted as `vertexCost` edges besides,
 * for work that is also per vertex); returns `parts + 1` boundaries.
 */
export function splitByEdges(offsets: EdgeOffsets, parts: number, vertexCost = 0): Int32Array {
  const n = offsets.length - 1;
  const edges = offsets[n] + vertexCost * n;
  const bounds = new Int32Array(parts + 1);
  bounds[parts] = n;
  for (let p = 1; p < parts; p++) {
    const goal = (edges * p) / parts;
    // First vertex whose edges start at or after the goal.
    let low = bounds[p - 1];
    let high = n;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (offsets[middle] + vertexCost * middle < goal) low = middle + 1;
      else high = middle;
    }
    bounds[p] = low;
  }
  return bounds;
}
