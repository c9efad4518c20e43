/**
 * The in-edge index built straight from edge arrays, for algorithms that only pull along
 * in-edges (PageRank): one counting sort by target, with no out-edge CSR and no transpose.
 * Reading an edge list and pulling over it this way costs 4 bytes per edge beyond the edge
 * arrays (8 with weights), against 12 for a CSR plus its transposed index.
 *
 * The per-edge arrays are held in segments of consecutive vertices: one for all unless the
 * index is shared with worker threads and larger than the driver's largest segment (8 GiB,
 * 2^31 - 2 edges), when each segment stays below that, or longer than a typed array can
 * be (2^32 elements).
 */
import { float64Array, int32Array } from '../core/shared-memory.js';
import { runChunks } from '../core/threads/driver.js';
import { MAX_SEGMENT_BYTES } from '../core/threads/transfer.js';
import { type EdgeOffsets, edgeOffsets, MAX_TYPED_ARRAY_LENGTH } from './csr.js';
import { type EdgePassThreads, edgePassChunks } from './edge-pass-threads.js';
import { countChunk, countRange, fillChunk, fillRange } from './in-edge-fill.js';
import { arenaEdgeLimit, sourcesInArena } from './iterations/wasm-sum.js';
import { splitByEdges } from './vertex-ranges.js';

/**
 * Per-edge arrays of an index in segments: segment `s` holds the edges of vertices
 * `bounds[s] .. bounds[s + 1] - 1`, from edge position `offsets[bounds[s]]` on.
 */
export interface EdgeSegments<A> {
  /** `segments + 1` vertex bounds, from 0 to the vertex count. */
  readonly bounds: Int32Array;
  /** One array per segment. */
  readonly arrays: readonly A[];
}

/** In-edges by target, plus what pull algorithms need of the out-edges. */
export interface InEdgeIndex {
  readonly vertexCount: number;
  /** Vertex `v`'s in-edges are positions `offsets[v] .. offsets[v + 1] - 1`. */
  readonly offsets: EdgeOffsets;
  /** The source of each in-edge; a vertex's in-edges keep the input order. */
  readonly sources: EdgeSegments<Int32Array>;
  /** The weight of each in-edge (in the segments of `sources`), when weights were given. */
  readonly weights: EdgeSegments<Float64Array> | undefined;
  /** Out-degree of every vertex (edges counted with multiplicity). */
  readonly outDegrees: Int32Array;
  /** Total out-weight of every vertex (summed in input order), when weights were given. */
  readonly outWeights: Float64Array | undefined;
}

/** Options of {@link buildInEdgeIndex}. */
export interface InEdgeIndexOptions {
  /** One weight per input edge. */
  weights?: Float64Array;
  /** Allocate the index in SharedArrayBuffers, for worker threads (default false). */
  shared?: boolean;
  /**
   * With `shared`, the largest segment in bytes (default: the driver's largest segment,
   * 8 GiB); smaller values are for tests.
   */
  segmentBytes?: number;
}

/**
 * `segments + 1` vertex bounds cutting the edges of `offsets` into segments of at most
 * `maxEdges` edges: as few of about equal edge counts as do, or else filled in turn. A vertex
 * with more edges than that alone is a RangeError.
 */
export function segmentBounds(offsets: EdgeOffsets, maxEdges: number): Int32Array {
  const n = offsets.length - 1;
  const fewest = Math.max(1, Math.ceil(offsets[n] / maxEdges));
  for (const parts of [fewest, fewest + 1]) {
    const bounds = splitByEdges(offsets, parts);
    let fits = true;
    for (let s = 0; fits && s < parts; s++) fits = offsets[bounds[s + 1]] - offsets[bounds[s]] <= maxEdges;
    if (fits) return bounds;
  }
  const bounds = [0];
  for (let start = 0; start < n; ) {
    // The last vertex bound whose edges from `start` still fit.
    let low = start;
    let high = n;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (offsets[middle] - offsets[start] <= maxEdges) low = middle;
      else high = middle - 1;
    }
    if (low === start) {
      throw new RangeError(`a vertex has more than ${maxEdges} edges, the most one segment can hold`);
    }
    bounds.push(low);
    start = low;
  }
  return Int32Array.from(bounds);
}

/** The per-edge array of segment `s` for `bounds`, from positions in `offsets`. */
function segmentLength(offsets: EdgeOffsets, bounds: Int32Array, s: number): number {
  return offsets[bounds[s + 1]] - offsets[bounds[s]];
}

/**
 * Builds the in-edge index of the edges `sources[e] → targets[e]` over dense ids
 * `0 .. vertexCount - 1`, in time linear in the edges (one pass more per segment beyond one).
 * @example
 * const edges = await readEdgeList('web.tsv');
 * const index = buildInEdgeIndex(edges.dictionary.size, edges.sources, edges.targets);
 */
export function buildInEdgeIndex(
  vertexCount: number,
  sources: Int32Array,
  targets: Int32Array,
  options: InEdgeIndexOptions = {},
): InEdgeIndex {
  const share = options.shared === true;
  const weights = options.weights;
  const edgeCount = targets.length;
  const offsets = edgeOffsets(vertexCount + 1, targets.length, { share });
  const outDegrees = new Int32Array(vertexCount);
  countRange(offsets, targets, 1, 0, edgeCount);
  countRange(outDegrees, sources, 0, 0, edgeCount);
  for (let v = 0; v < vertexCount; v++) offsets[v + 1] += offsets[v];
  const bytesPerEdge = weights === undefined ? 4 : 8;
  // Without threads, segments as long as a typed array can be.
  const limit = share
    ? Math.min(options.segmentBytes ?? MAX_SEGMENT_BYTES, MAX_SEGMENT_BYTES)
    : bytesPerEdge * MAX_TYPED_ARRAY_LENGTH;
  const bounds = segmentBounds(offsets, Math.floor(limit / bytesPerEdge));
  const parts = bounds.length - 1;
  const cursor = offsets.slice(0, vertexCount);
  const inSources: Int32Array[] = [];
  const inWeights: Float64Array[] = [];
  for (let s = 0; s < parts; s++) {
    inSources.push(int32Array(segmentLength(offsets, bounds, s), share));
    if (weights !== undefined) inWeights.push(float64Array(segmentLength(offsets, bounds, s), share));
  }
  // Positions within the segment: the cursors start at the segment's first edge.
  for (let s = 0; s < parts; s++) {
    const base = offsets[bounds[s]];
    for (let v = bounds[s]; v < bounds[s + 1]; v++) cursor[v] -= base;
  }
  if (parts === 1) {
    fill(inSources[0], inWeights[0], cursor, sources, targets, weights, 0, vertexCount);
  } else {
    for (let s = 0; s < parts; s++) {
      fill(inSources[s], inWeights[s], cursor, sources, targets, weights, bounds[s], bounds[s + 1]);
    }
  }
  let outWeights: Float64Array | undefined;
  if (weights !== undefined) {
    outWeights = new Float64Array(vertexCount);
    for (let e = 0; e < edgeCount; e++) outWeights[sources[e]] += weights[e];
  }
  return {
    vertexCount,
    offsets,
    sources: { bounds, arrays: inSources },
    weights: weights === undefined ? undefined : { bounds, arrays: inWeights },
    outDegrees,
    outWeights,
  };
}

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const fillKernels = new URL(
  `./in-edge-fill${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * {@link buildInEdgeIndex} in shared memory, on this thread and `parallelism - 1` workers: each
 * thread counts an equal range of the edges by target (and by source, for the out-degrees),
 * then places its range's sources from cursors that start after the earlier ranges' edges of
 * each vertex. Every vertex keeps its in-edges in input order: the same in-edges as on one
 * thread. The sources are held in WebAssembly memories, where PageRank's sums run: in one, or
 * in segments of the fewest that hold them (`options.segmentBytes` bounds a segment too).
 * Unweighted edges in shared memory, fewer than 2^31, take this way; any other input is
 * indexed on this thread.
 * @example
 * const edges = await readEdgeList('web.tsv', { parallelism: 2 });
 * const index = await buildInEdgeIndexOnThreads(edges.dictionary.size, edges.sources, edges.targets, { parallelism: 2 });
 */
export async function buildInEdgeIndexOnThreads(
  vertexCount: number,
  sources: Int32Array,
  targets: Int32Array,
  options: EdgePassThreads = {},
): Promise<InEdgeIndex> {
  const edgeCount = targets.length;
  const chunks = edgePassChunks(edgeCount, options);
  const limit = Math.min(options.segmentBytes ?? MAX_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
  const shared = (array: Int32Array) => array.buffer instanceof SharedArrayBuffer;
  // (The cursors are int32s.)
  if (chunks < 2 || !shared(sources) || !shared(targets) || edgeCount > 2 ** 31 - 1) {
    return buildInEdgeIndex(vertexCount, sources, targets, {
      shared: true,
      segmentBytes: options.segmentBytes,
    });
  }
  const perChunk = () => Array.from({ length: chunks }, () => int32Array(vertexCount, true));
  const inCounts = perChunk();
  const outCounts = perChunk();
  const count = { module: fillKernels, exportName: 'countChunk', local: countChunk };
  await runChunks(count, [sources, targets, inCounts, outCounts], chunks, options);
  const outDegrees = outCounts[0];
  for (let c = 1; c < chunks; c++) {
    const counts = outCounts[c];
    for (let v = 0; v < vertexCount; v++) outDegrees[v] += counts[v];
  }
  // Each range's counts become its cursors: a vertex's edges of range c start after those of
  // the ranges before it.
  const offsets = edgeOffsets(vertexCount + 1, edgeCount, { share: true });
  let at = 0;
  for (let v = 0; v < vertexCount; v++) {
    offsets[v] = at;
    for (let c = 0; c < chunks; c++) {
      const counts = inCounts[c];
      const edges = counts[v];
      counts[v] = at;
      at += edges;
    }
  }
  offsets[vertexCount] = at;
  // The sources go where PageRank's sums will run (the one caller): one arena if it holds
  // them, else segments of the fewest arenas that do (each cursor then counts from its
  // segment's first edge), so that the sums need no copy of them.
  const bounds = arenaBounds(offsets, vertexCount, Math.floor(limit / 4));
  const inSources: Int32Array[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const [first, last] = [bounds[s], bounds[s + 1]];
    const base = offsets[first];
    inSources.push(sourcesInArena(vertexCount, last - first, offsets[last] - base));
    if (base === 0) continue;
    for (const cursors of inCounts) for (let v = first; v < last; v++) cursors[v] -= base;
  }
  const fill = { module: fillKernels, exportName: 'fillChunk', local: fillChunk };
  await runChunks(fill, [sources, targets, inSources, bounds, inCounts], chunks, options);
  return {
    vertexCount,
    offsets,
    sources: { bounds, arrays: inSources },
    weights: undefined,
    outDegrees,
    outWeights: undefined,
  };
}

/**
 * Segment bounds of an index whose segments each fit a sum arena, and at most `maxEdges`
 * edges: all vertices in one when they fit. When no cut fits the arenas, segments of
 * `maxEdges` (their sums then run in JavaScript).
 */
function arenaBounds(offsets: EdgeOffsets, vertexCount: number, maxEdges: number): Int32Array {
  const arenaEdges = arenaEdgeLimit(vertexCount);
  const most = arenaEdges > 0 ? Math.min(arenaEdges, maxEdges) : maxEdges;
  if (offsets[vertexCount] <= most) return Int32Array.of(0, vertexCount);
  try {
    return segmentBounds(offsets, most);
  } catch {
    return segmentBounds(offsets, maxEdges);
  }
}

/** Places the edges whose target is in `first .. last - 1` into one segment's arrays. */
function fill(
  inSources: Int32Array,
  inWeights: Float64Array | undefined,
  cursor: EdgeOffsets,
  sources: Int32Array,
  targets: Int32Array,
  weights: Float64Array | undefined,
  first: number,
  last: number,
): void {
  const edgeCount = targets.length;
  const all = first === 0 && last === cursor.length;
  if (weights === undefined || inWeights === undefined) {
    if (all) fillRange(inSources, cursor, sources, targets, 0, edgeCount);
    else {
      for (let e = 0; e < edgeCount; e++) {
        const t = targets[e];
        if (t >= first && t < last) inSources[cursor[t]++] = sources[e];
      }
    }
    return;
  }
  for (let e = 0; e < edgeCount; e++) {
    const t = targets[e];
    if (t < first || t >= last) continue;
    const slot = cursor[t]++;
    inSources[slot] = sources[e];
    inWeights[slot] = weights[e];
  }
}

/**
 * The segments of `segments` (per-edge arrays of the index with `offsets`) in shared memory,
 * each at most `maxEdges` long: the same arrays when they already are, otherwise copies cut
 * at new vertex bounds (what worker threads take of an index built for one thread).
 */
export function sharedSegments<A extends Int32Array | Float64Array>(
  offsets: EdgeOffsets,
  segments: EdgeSegments<A>,
  maxEdges: number,
): EdgeSegments<A> {
  const { arrays } = segments;
  if (arrays.every((array) => array.buffer instanceof SharedArrayBuffer && array.length <= maxEdges)) {
    return segments;
  }
  const bounds = segmentBounds(offsets, maxEdges);
  const copies: A[] = [];
  for (let t = 0; t + 1 < bounds.length; t++) {
    const [first, last] = [offsets[bounds[t]], offsets[bounds[t + 1]]];
    const Constructor = arrays[0].constructor as new (buffer: SharedArrayBuffer) => A;
    const copy = new Constructor(new SharedArrayBuffer((last - first) * arrays[0].BYTES_PER_ELEMENT));
    // Copy the overlap of each old segment with this one.
    for (let s = 0; s < arrays.length; s++) {
      const [from, to] = [offsets[segments.bounds[s]], offsets[segments.bounds[s + 1]]];
      const [start, end] = [Math.max(from, first), Math.min(to, last)];
      if (start < end)
        (copy as Int32Array).set(arrays[s].subarray(start - from, end - from) as Int32Array, start - first);
    }
    copies.push(copy);
  }
  return { bounds, arrays: copies };
}
