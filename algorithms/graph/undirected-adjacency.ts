/**
 * The simple undirected view of a directed multigraph that triangle, clustering and
 * similarity measures are defined on: `u` and `v` are neighbours when an edge joins them in
 * either direction; self-loops and parallel edges count once or not at all. Neighbour lists
 * are sorted by dense id, so set intersections are linear merges.
 */
import { allocating, type Csr, type EdgeOffsets, edgeOffsets, offsetsLike } from '../../src/graph/csr.js';

/** Sorted, duplicate-free neighbour lists over dense ids (CSR layout). */
export interface UndirectedAdjacency {
  /**
   * Vertex `v`'s neighbours are `neighbors[offsets[v] .. offsets[v + 1] - 1]`; int32 offsets
   * while each edge listed from both ends stays below 2^31 entries, wider beyond (csr.ts).
   */
  readonly offsets: EdgeOffsets;
  readonly neighbors: Int32Array;
}

/** Builds the simple undirected adjacency of `csr` in O(edges log degree). */
export function undirectedAdjacency(csr: Csr): UndirectedAdjacency {
  const n = csr.vertexCount;
  const { offsets, targets } = csr;
  // Each edge is listed from both ends: offsets as wide as that many entries need, and at
  // least as wide as the graph's.
  const counts = edgeOffsets(n + 1, 2 * targets.length, { atLeastAs: offsets });
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const t = targets[e];
      if (t === v) continue;
      counts[v + 1]++;
      counts[t + 1]++;
    }
  }
  for (let v = 0; v < n; v++) counts[v + 1] += counts[v];
  const entries = counts[n];
  const cursor = counts.slice(0, n);
  const all = allocating(
    `the undirected view of ${targets.length} edges (${entries} entries, each edge from both ends)`,
    4 * entries,
    () => new Int32Array(entries),
  );
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const t = targets[e];
      if (t === v) continue;
      all[cursor[v]++] = t;
      all[cursor[t]++] = v;
    }
  }
  // Sort each list and squeeze out repeats, compacting in place.
  const simpleOffsets = offsetsLike(counts, n + 1);
  let write = 0;
  for (let v = 0; v < n; v++) {
    const list = all.subarray(counts[v], counts[v + 1]).sort();
    for (let i = 0; i < list.length; i++) {
      if (i === 0 || list[i] !== list[i - 1]) all[write++] = list[i];
    }
    simpleOffsets[v + 1] = write;
  }
  // A view, not a copy: at a billion edges a copy would add its gigabytes to the peak, where the
  // repeats left behind are a small share.
  return { offsets: simpleOffsets, neighbors: all.subarray(0, write) };
}

/** Number of common elements of two sorted id lists. */
export function countCommon(
  a: Int32Array,
  aStart: number,
  aEnd: number,
  b: Int32Array,
  bStart: number,
  bEnd: number,
): number {
  let i = aStart;
  let j = bStart;
  let common = 0;
  while (i < aEnd && j < bEnd) {
    const x = a[i];
    const y = b[j];
    if (x < y) i++;
    else if (x > y) j++;
    else {
      common++;
      i++;
      j++;
    }
  }
  return common;
}
