/**
 * Clustering coefficients of the undirected simple view, as networkx and Gelly define them:
 * local (triangles through a vertex over the pairs of its neighbours, 0 below degree 2),
 * average (the mean of the local coefficients over all vertices), and global (transitivity:
 * 3 × triangles over connected triplets).
 */
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { type TriangleOptions, triangles } from './triangles.js';
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

/** All three clustering coefficients in one pass over the triangles. */
export function clusteringCoefficients<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: Pick<TriangleOptions, 'progress'> = {},
): ClusteringCoefficients<K> {
  const found = triangles(graph, { progress: options.progress });
  const { offsets } = found.adjacency;
  const n = graph.csr.vertexCount;
  const local = new Float64Array(n);
  let triplets = 0;
  let sum = 0;
  for (let v = 0; v < n; v++) {
    const degree = offsets[v + 1] - offsets[v];
    const pairs = (degree * (degree - 1)) / 2;
    triplets += pairs;
    local[v] = pairs > 0 ? found.perVertex.values[v] / pairs : 0;
    sum += local[v];
  }
  return {
    local: new VertexValues(graph.dictionary, local, 'clustering'),
    average: n > 0 ? sum / n : 0,
    global: triplets > 0 ? (3 * found.count) / triplets : 0,
    triangleCount: found.count,
    tripletCount: triplets,
  };
}
