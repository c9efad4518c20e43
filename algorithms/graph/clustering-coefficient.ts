/**
 * Clustering coefficients of the undirected simple view, as networkx and Gelly define them:
 * local (triangles through a vertex over the pairs of its neighbours, 0 below degree 2),
 * average (the mean of the local coefficients over all vertices), and global (transitivity:
 * 3 × triangles over connected triplets). The triangles through each vertex come from the
 * degree-ordered listing of triangles.ts (each triangle found once and credited to its three
 * vertices), on this thread or on several through the core driver: the same bits either way.
 */
import type { Progress } from '../../src/core/progress.js';
import { int32Array } from '../../src/core/shared-memory.js';
import type { Threads } from '../../src/core/threads/driver.js';
import type { EdgeOffsets } from '../../src/graph/csr.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { creditTrianglesChunk } from './triangle-kernels.js';
import { equalWorkBounds, orientedAdjacency, TRIANGLE_CHUNKS } from './triangles.js';
import { undirectedAdjacency } from './undirected-adjacency.js';
import { vertexChunksHere, vertexChunksOnThreads } from './vertex-chunks.js';
import { VertexValues } from './vertex-values.js';

/** Local, average and global clustering coefficients. */
export interface ClusteringCoefficients<K extends VertexKey = VertexKey> {
  /** Per vertex: triangles / (degree·(degree−1)/2), 0 when the degree is below 2. */
  readonly local: VertexValues<K>;
  /** The mean of the local coefficients (0 for an empty graph). */
  readonly average: number;
  /** 3 × triangles / connected triplets (0 without triplets). */
  readonly global: number;
  readonly triangleCount: number;
  /** Connected triplets: the sum of degree·(degree−1)/2. */
  readonly tripletCount: number;
}

/** Options of {@link clusteringCoefficients}. */
export interface ClusteringOptions extends Threads {
  /** Told how many vertices' triangles are found, out of the vertex count. */
  progress?: Progress;
}

// Workers load the kernel from the same tree as this module: .js in dist, .ts under tsx.
const creditKernel = {
  module: new URL(`./triangle-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'creditTrianglesChunk',
  local: creditTrianglesChunk,
};

/** All three clustering coefficients, on this thread. */
export function clusteringCoefficients<K extends VertexKey>(
  graph: GraphIndex<K>,
  options?: ClusteringOptions & { parallelism?: undefined },
): ClusteringCoefficients<K>;
/**
 * All three clustering coefficients, the triangles found on this thread and
 * `parallelism - 1` workers: the same coefficients, bit for bit, as on one thread.
 * @example
 * const { average } = await clusteringCoefficients(graph, { parallelism: 2 });
 */
export function clusteringCoefficients<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: ClusteringOptions & { parallelism: number },
): Promise<ClusteringCoefficients<K>>;
export function clusteringCoefficients<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: ClusteringOptions = {},
): ClusteringCoefficients<K> | Promise<ClusteringCoefficients<K>> {
  const n = graph.csr.vertexCount;
  if (options.parallelism === undefined) {
    const { adjacency, args } = triangleCredits(graph, false);
    const counts = vertexChunksHere(creditTrianglesChunk, args, TRIANGLE_CHUNKS, n, options.progress);
    return coefficients(graph, adjacency.offsets, args, counts);
  }
  const { adjacency, args } = triangleCredits(graph, true);
  return vertexChunksOnThreads<number>(creditKernel, args, TRIANGLE_CHUNKS, options).then((counts) =>
    coefficients(graph, adjacency.offsets, args, counts),
  );
}

/** The undirected adjacency and the arguments of creditTrianglesChunk up to `verticesDone`. */
function triangleCredits(graph: GraphIndex, share: boolean) {
  const adjacency = undirectedAdjacency(graph.csr);
  const oriented = orientedAdjacency(adjacency, share);
  const n = graph.csr.vertexCount;
  const bounds = equalWorkBounds(oriented, TRIANGLE_CHUNKS);
  const words = (length: number) => new Uint32Array(int32Array(length, share).buffer);
  const args = [oriented.offsets, oriented.forward, bounds, words(n), words(n)] as const;
  return { adjacency, args };
}

/** The coefficients from the triangles credited to each vertex and the chunks' counts. */
function coefficients<K extends VertexKey>(
  graph: GraphIndex<K>,
  offsets: EdgeOffsets,
  [, , , low, high]: ReturnType<typeof triangleCredits>['args'],
  counts: number[],
): ClusteringCoefficients<K> {
  const n = graph.csr.vertexCount;
  const local = new Float64Array(n);
  let triplets = 0;
  let sum = 0;
  for (let v = 0; v < n; v++) {
    const degree = offsets[v + 1] - offsets[v];
    const pairs = (degree * (degree - 1)) / 2;
    triplets += pairs;
    local[v] = pairs > 0 ? (high[v] * 2 ** 32 + low[v]) / pairs : 0;
    sum += local[v];
  }
  const triangleCount = counts.reduce((total, count) => total + count, 0);
  return {
    local: new VertexValues(graph.dictionary, local, 'clustering'),
    average: n > 0 ? sum / n : 0,
    global: triplets > 0 ? (3 * triangleCount) / triplets : 0,
    triangleCount,
    tripletCount: triplets,
  };
}
