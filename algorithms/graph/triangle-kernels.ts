/**
 * The triangle-counting kernel the core driver runs on every thread. Workers import this
 * module by itself, so it only defines functions.
 */

/**
 * Counts the triangles whose lowest-ranked vertex lies in `bounds[chunk] .. bounds[chunk + 1]`
 * of the oriented adjacency (`forward[offsets[v] .. offsets[v + 1]]`: v's neighbours of
 * higher rank, sorted by id): for each oriented edge v→u, the common elements of the two
 * forward lists, by a sorted merge.
 */
export function countTrianglesChunk(
  offsets: Int32Array,
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
