/**
 * The triangle-counting kernel the core driver runs on every thread. Workers import this
 * module by itself, so it only defines functions.
 */
import type { EdgeOffsets } from '../../src/graph/csr.js';

/**
 * Counts the triangles whose lowest-ranked vertex lies in `bounds[chunk] .. bounds[chunk + 1]`
 * of the oriented adjacency (`forward[offsets[v] .. offsets[v + 1]]`: v's neighbours of
 * higher rank, sorted by id): for each oriented edge v→u, the common elements of the two
 * forward lists, by a sorted merge.
 */
export function countTrianglesChunk(
  offsets: EdgeOffsets,
  forward: Int32Array,
  bounds: Int32Array,
  chunk: number,
): number {
  let count = 0;
  const last = bounds[chunk + 1];
  for (let v = bounds[chunk]; v < last; v++) {
    const vStart = offsets[v];
    const vEnd = offsets[v + 1];
    for (let e = vStart; e < vEnd; e++) {
      const u = forward[e];
      let i = vStart;
      let j = offsets[u];
      const uEnd = offsets[u + 1];
      if (i >= vEnd || j >= uEnd) continue;
      let x = forward[i];
      let y = forward[j];
      for (;;) {
        if (x < y) {
          if (++i === vEnd) break;
          x = forward[i];
        } else if (x > y) {
          if (++j === uEnd) break;
          y = forward[j];
        } else {
          count++;
          if (++i === vEnd || ++j === uEnd) break;
          x = forward[i];
          y = forward[j];
        }
      }
    }
  }
  return count;
}

/**
 * {@link countTrianglesChunk}, also crediting every triangle to its three vertices: vertex x's
 * count is `high[x] * 2^32 + low[x]`, added to with atomic integer adds (so the counts are the
 * same whichever thread finds a triangle first). The chunk's lowest-ranked vertices are credited
 * once per vertex, their forward neighbours once per oriented edge, and only the third vertex
 * once per triangle. Adds the chunk's vertex count to `verticesDone[0]`; returns the chunk's
 * triangle count.
 */
export function creditTrianglesChunk(
  offsets: EdgeOffsets,
  forward: Int32Array,
  bounds: Int32Array,
  low: Uint32Array,
  high: Uint32Array,
  verticesDone: Int32Array,
  chunk: number,
): number {
  let count = 0;
  const first = bounds[chunk];
  const last = bounds[chunk + 1];
  for (let v = first; v < last; v++) {
    const vStart = offsets[v];
    const vEnd = offsets[v + 1];
    let throughV = 0;
    for (let e = vStart; e < vEnd; e++) {
      const u = forward[e];
      let i = vStart;
      let j = offsets[u];
      const uEnd = offsets[u + 1];
      if (i >= vEnd || j >= uEnd) continue;
      let throughEdge = 0;
      let x = forward[i];
      let y = forward[j];
      for (;;) {
        if (x < y) {
          if (++i === vEnd) break;
          x = forward[i];
        } else if (x > y) {
          if (++j === uEnd) break;
          y = forward[j];
        } else {
          throughEdge++;
          credit(low, high, x, 1);
          if (++i === vEnd || ++j === uEnd) break;
          x = forward[i];
          y = forward[j];
        }
      }
      if (throughEdge > 0) {
        credit(low, high, u, throughEdge);
        throughV += throughEdge;
      }
    }
    if (throughV > 0) credit(low, high, v, throughV);
    count += throughV;
  }
  Atomics.add(verticesDone, 0, last - first);
  return count;
}

const TWO_TO_32 = 2 ** 32;

/** Adds `amount` (an integer below 2^53) to the 64-bit count split over `high` and `low`. */
function credit(low: Uint32Array, high: Uint32Array, vertex: number, amount: number): void {
  const lowPart = amount % TWO_TO_32;
  const before = Atomics.add(low, vertex, lowPart);
  const carry = before + lowPart >= TWO_TO_32 ? 1 : 0;
  const highPart = (amount - lowPart) / TWO_TO_32 + carry;
  if (highPart > 0) Atomics.add(high, vertex, highPart);
}
