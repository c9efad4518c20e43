/**
 * Triangles of the undirected simple view (edge direction ignored, self-loops and parallel
 * edges dropped): the count, the count per vertex, and the listing. Each triangle is found
 * once by orienting every edge from the lower-ranked end to the higher-ranked one (rank =
 * degree, then id) and intersecting the forward lists, so a hub's large list is never
 * intersected with itself: O(edges^1.5) at worst.
 */
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
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
}

/** Counts (and optionally lists) the triangles of the undirected simple view of the graph. */
export function triangles<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: TriangleOptions = {},
): Triangles<K> {
  const adjacency = undirectedAdjacency(graph.csr);
  const { offsets, neighbors } = adjacency;
  const n = graph.csr.vertexCount;
  const ranksBefore = (a: number, b: number): boolean => {
    const da = offsets[a + 1] - offsets[a];
    const db = offsets[b + 1] - offsets[b];
    return da < db || (da === db && a < b);
  };
  // Forward lists: neighbours of higher rank, still sorted by id.
  const forwardOffsets = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    let count = 0;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) if (ranksBefore(v, neighbors[e])) count++;
    forwardOffsets[v + 1] = forwardOffsets[v] + count;
  }
  const forward = new Int32Array(forwardOffsets[n]);
  for (let v = 0, write = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++)
      if (ranksBefore(v, neighbors[e])) forward[write++] = neighbors[e];
  }
  const perVertex = new Float64Array(n);
  const listed: number[] | undefined = options.list ? [] : undefined;
  let count = 0;
  for (let v = 0; v < n; v++) {
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
