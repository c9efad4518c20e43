/**
 * Triangles of the undirected simple view (edge direction ignored, self-loops and parallel
 * edges dropped): the count, the count per vertex, and the listing. Each triangle is found
 * once by orienting every edge from the lower-ranked end to the higher-ranked one (rank =
 * degree, then id) and intersecting the forward lists, so a hub's large list is never
 * intersected with itself: O(edges^1.5) at worst.
 */
import type { Progress } from '../../src/core/progress.js';
import { int32Array } from '../../src/core/shared-memory.js';
import { runChunks, type Threads } from '../../src/core/threads/driver.js';
import { type EdgeOffsets, edgeOffsets } from '../../src/graph/csr.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { countTrianglesChunk } from './triangle-kernels.js';
import { type UndirectedAdjacency, undirectedAdjacency } from './undirected-adjacency.js';
import { VertexValues } from './vertex-values.js';

/** The triangles of a graph: how many, through each vertex, and (when listed) which. */
export interface Triangles<K extends VertexKey = VertexKey> {
  /** Number of triangles. */
  readonly count: number;
  /** Triangles through each vertex. */
  readonly perVertex: VertexValues<K>;
  /** The undirected simple adjacency the triangles were counted on (degrees, neighbours). */
  readonly adjacency: UndirectedAdjacency;
  /** Every triangle as three dense ids (3 per triangle, smallest id first), when listed. */
  readonly listing: Int32Array | undefined;
  /** The triangles as key triples (requires `list: true`). */
  keys(): [K, K, K][];
}

/** Options of {@link triangles}. */
export interface TriangleOptions {
  /** Also list every triangle (default false: count only). */
  list?: boolean;
  /** Told how many vertices' triangles are found, out of the vertex count. */
  progress?: Progress;
}

/** Each vertex's neighbours of higher rank, sorted by id (CSR layout). */
export interface OrientedAdjacency {
  /** As wide as the undirected view's offsets. */
  readonly offsets: EdgeOffsets;
  readonly forward: Int32Array;
}

/**
 * Orients every edge of `adjacency` from its lower-ranked end to its higher-ranked one (rank:
 * degree, then id), so that each triangle is found once, from its lowest-ranked vertex, and a
 * hub's long list is only ever intersected with the short lists of its neighbours. In shared
 * memory when `share` (for worker threads).
 */
export function orientedAdjacency(adjacency: UndirectedAdjacency, share: boolean): OrientedAdjacency {
  const { offsets, neighbors } = adjacency;
  const n = offsets.length - 1;
  const ranksBefore = (a: number, b: number): boolean => {
    const da = offsets[a + 1] - offsets[a];
    const db = offsets[b + 1] - offsets[b];
    return da < db || (da === db && a < b);
  };
  const forwardOffsets = edgeOffsets(n + 1, neighbors.length, { share, atLeastAs: offsets });
  for (let v = 0; v < n; v++) {
    let count = 0;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) if (ranksBefore(v, neighbors[e])) count++;
    forwardOffsets[v + 1] = forwardOffsets[v] + count;
  }
  const forward = int32Array(forwardOffsets[n], share);
  for (let v = 0, write = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++)
      if (ranksBefore(v, neighbors[e])) forward[write++] = neighbors[e];
  }
  return { offsets: forwardOffsets, forward };
}

/** Options of {@link countTriangles}. */
export interface TriangleCountOptions extends Threads {
  /** Reports the share of the work done, in chunks of {@link TRIANGLE_CHUNKS}. */
  progress?: Progress;
}

/** How many chunks of about equal work a count is cut into (whatever the parallelism). */
export const TRIANGLE_CHUNKS = 64;

// Workers load the kernel from the same tree as this module: .js in dist, .ts under tsx.
const countKernel = {
  module: new URL(`./triangle-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'countTrianglesChunk',
};

/**
 * The number of triangles of the undirected simple view, counted on this thread and
 * `parallelism - 1` workers (the core driver) over the oriented adjacency in shared memory;
 * the same count at any parallelism. {@link triangles} also gives them per vertex and lists them.
 * @example
 * const count = await countTriangles(graph, { parallelism: 2 });
 */
export async function countTriangles<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: TriangleCountOptions = {},
): Promise<number> {
  const oriented = orientedAdjacency(undirectedAdjacency(graph.csr), true);
  const bounds = equalWorkBounds(oriented, TRIANGLE_CHUNKS);
  const progress = options.progress;
  const counts = await runChunks<number>(
    { ...countKernel, local: countTrianglesChunk },
    [oriented.offsets, oriented.forward, bounds],
    bounds.length - 1,
    { ...options, onChunksDone: (done) => progress?.update(done) },
  );
  progress?.finish();
  return counts.reduce((total, count) => total + count, 0);
}

/**
 * `chunks + 1` vertex bounds that cut the count into chunks of about equal work: a vertex v
 * costs the lengths of the forward lists merged for each of its oriented edges.
 */
export function equalWorkBounds({ offsets, forward }: OrientedAdjacency, chunks: number): Int32Array {
  const n = offsets.length - 1;
  const work = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const length = offsets[v + 1] - offsets[v];
    let cost = 1;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const u = forward[e];
      cost += length + offsets[u + 1] - offsets[u];
    }
    work[v] = cost;
  }
  return boundsOfWork(work, chunks);
}

/**
 * `chunks + 1` vertex bounds (in shared memory) that cut vertices `0 .. work.length - 1` into
 * runs of about equal total `work`.
 */
export function boundsOfWork(work: Float64Array, chunks: number): Int32Array {
  const n = work.length;
  let total = 0;
  for (let v = 0; v < n; v++) total += work[v];
  const bounds = new Int32Array(new SharedArrayBuffer(4 * (chunks + 1)));
  let chunk = 1;
  let sum = 0;
  for (let v = 0; v < n && chunk < chunks; v++) {
    sum += work[v];
    while (chunk < chunks && sum >= (total * chunk) / chunks) bounds[chunk++] = v + 1;
  }
  while (chunk <= chunks) bounds[chunk++] = n;
  return bounds;
}

/** Counts (and optionally lists) the triangles of the undirected simple view of the graph. */
export function triangles<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: TriangleOptions = {},
): Triangles<K> {
  const adjacency = undirectedAdjacency(graph.csr);
  const n = graph.csr.vertexCount;
  const { offsets: forwardOffsets, forward } = orientedAdjacency(adjacency, false);
  const perVertex = new Float64Array(n);
  const listed: number[] | undefined = options.list ? [] : undefined;
  let count = 0;
  const progress = options.progress;
  for (let v = 0; v < n; v++) {
    // Every few thousand vertices: the reporter's clock is not free.
    if ((v & 4095) === 0) progress?.update(v);
    const vEnd = forwardOffsets[v + 1];
    for (let e = forwardOffsets[v]; e < vEnd; e++) {
      const u = forward[e];
      // Common forward neighbours of v and u close a triangle v-u-w.
      let i = forwardOffsets[v];
      let j = forwardOffsets[u];
      const uEnd = forwardOffsets[u + 1];
      while (i < vEnd && j < uEnd) {
        const x = forward[i];
        const y = forward[j];
        if (x < y) i++;
        else if (x > y) j++;
        else {
          count++;
          perVertex[v]++;
          perVertex[u]++;
          perVertex[x]++;
          if (listed !== undefined) {
            const [a, b, c] = [v, u, x].sort((p, q) => p - q);
            listed.push(a, b, c);
          }
          i++;
          j++;
        }
      }
    }
  }
  progress?.update(n);
  progress?.finish();
  const listing = listed === undefined ? undefined : Int32Array.from(listed);
  const dictionary = graph.dictionary;
  return {
    count,
    perVertex: new VertexValues(dictionary, perVertex, 'triangles'),
    adjacency,
    listing,
    keys(): [K, K, K][] {
      if (listing === undefined) throw new Error('triangles were counted, not listed: pass { list: true }');
      const triples: [K, K, K][] = [];
      for (let t = 0; t < listing.length; t += 3) {
        triples.push([
          dictionary.key(listing[t]),
          dictionary.key(listing[t + 1]),
          dictionary.key(listing[t + 2]),
        ]);
      }
      return triples;
    },
  };
}
