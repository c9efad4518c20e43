/**
 * The passes of the in-edge index over a range of edges: counting them by an endpoint, and
 * placing their sources at their targets' cursors. The one-thread build runs them over every
 * edge; the build on threads runs them as chunk kernels over equal ranges of the edges (worker
 * threads load this module, so it only defines functions).
 */

/** Offsets, counts or cursors, one per vertex (the index's positions fit the type). */
type Positions = Int32Array | Uint32Array | Float64Array;

/**
 * Adds one to `counts[ids[e] + shift]` for every edge `from <= e < to`: one array a pass (two
 * random streams at once cost more than two passes), four edges a step (fewer loop checks);
 * about half the time of the fused one-at-a-time loop at R-MAT scale 20 (bench/RESULTS.md).
 */
export function countRange(
  counts: Positions,
  ids: Int32Array,
  shift: number,
  from: number,
  to: number,
): void {
  let e = from;
  for (const stop = to - 3; e < stop; e += 4) {
    counts[ids[e] + shift]++;
    counts[ids[e + 1] + shift]++;
    counts[ids[e + 2] + shift]++;
    counts[ids[e + 3] + shift]++;
  }
  for (; e < to; e++) counts[ids[e] + shift]++;
}

/** Places the sources of edges `from <= e < to` at their targets' cursors (which advance). */
export function fillRange(
  inSources: Int32Array,
  cursor: Positions,
  sources: Int32Array,
  targets: Int32Array,
  from: number,
  to: number,
): void {
  let e = from;
  for (const stop = to - 3; e < stop; e += 4) {
    inSources[cursor[targets[e]]++] = sources[e];
    inSources[cursor[targets[e + 1]]++] = sources[e + 1];
    inSources[cursor[targets[e + 2]]++] = sources[e + 2];
    inSources[cursor[targets[e + 3]]++] = sources[e + 3];
  }
  for (; e < to; e++) inSources[cursor[targets[e]]++] = sources[e];
}

/** The edges of chunk `chunk` of `chunks` equal ranges of `edgeCount` edges: [from, to). */
export function edgeRange(edgeCount: number, chunks: number, chunk: number): [number, number] {
  return [Math.floor((edgeCount * chunk) / chunks), Math.floor((edgeCount * (chunk + 1)) / chunks)];
}

/**
 * Chunk kernel: counts chunk `chunk`'s edges by target into `inCounts[chunk]` and by source
 * into `outCounts[chunk]`.
 */
export function countChunk(
  sources: Int32Array,
  targets: Int32Array,
  inCounts: readonly Int32Array[],
  outCounts: readonly Int32Array[],
  chunk: number,
): number {
  const [from, to] = edgeRange(targets.length, inCounts.length, chunk);
  countRange(inCounts[chunk], targets, 0, from, to);
  countRange(outCounts[chunk], sources, 0, from, to);
  return 0;
}

/**
 * Chunk kernel: places chunk `chunk`'s edges at its cursors `cursors[chunk]`, in the segments
 * of `inSources`: segment `s` holds the in-edges of vertices `starts[s] .. starts[s + 1] - 1`,
 * its cursors counting from its first edge (one segment: `starts` is `[0, vertexCount]`).
 */
export function fillChunk(
  sources: Int32Array,
  targets: Int32Array,
  inSources: readonly Int32Array[],
  starts: Int32Array,
  cursors: readonly Int32Array[],
  chunk: number,
): number {
  const [from, to] = edgeRange(targets.length, cursors.length, chunk);
  const cursor = cursors[chunk];
  if (inSources.length === 1) fillRange(inSources[0], cursor, sources, targets, from, to);
  else if (inSources.length === 2) {
    // Two (R-MAT scale 26 in two sum arenas): a choice of segment with no inner loop costs the
    // random writes less of their overlap than a loop over the bounds (a sixth less time at
    // scale 20 cut in two).
    const [low, high] = inSources;
    const split = starts[1];
    for (let e = from; e < to; e++) {
      const t = targets[e];
      (t < split ? low : high)[cursor[t]++] = sources[e];
    }
  } else {
    // More (small segments in tests): a pass per segment over the range.
    inSources.forEach((segment, s) => {
      const [first, last] = [starts[s], starts[s + 1]];
      for (let e = from; e < to; e++) {
        if (targets[e] >= first && targets[e] < last) segment[cursor[targets[e]]++] = sources[e];
      }
    });
  }
  return 0;
}
