/**
 * Whole-graph metrics, after Gelly's VertexMetrics and EdgeMetrics for directed graphs.
 * Degrees count every edge as read (parallel edges and self-loops included); the triplet and
 * pair figures use the simple views (undirected for triplets, directed for pairs).
 */
import type { Progress } from '../../src/core/progress.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { undirectedAdjacency } from './undirected-adjacency.js';

/** Vertex metrics: counts, degrees, triplets. */
export interface VertexMetrics {
  vertexCount: number;
  edgeCount: number;
  /** Edges per vertex (edgeCount / vertexCount; 0 for an empty graph). */
  averageDegree: number;
  /** The largest in-degree plus out-degree of one vertex. */
  maximumDegree: number;
  maximumOutDegree: number;
  maximumInDegree: number;
  /** Vertices with no edges at all (possible in graphs built through the API). */
  isolatedVertexCount: number;
  /** Vertices with no out-edges (PageRank's sinks). */
  sinkCount: number;
  /** Vertices with no in-edges. */
  sourceCount: number;
  /** Connected triplets (paths of length two) in the undirected simple view: Σ d·(d−1)/2. */
  tripletCount: number;
  /** The most triplets centred on one vertex. */
  maximumTriplets: number;
}

/** Edge metrics: self-loops, parallel edges, reciprocity and weights. */
export interface EdgeMetrics {
  edgeCount: number;
  selfLoopCount: number;
  /** Edges repeating an earlier edge with the same source and target. */
  parallelEdgeCount: number;
  /** Distinct ordered (source, target) pairs, self-loops excluded. */
  distinctEdgeCount: number;
  /** Unordered vertex pairs joined in both directions. */
  bidirectionalPairCount: number;
  /** Unordered vertex pairs joined in one direction only. */
  unidirectionalPairCount: number;
  /** Weight statistics, when the graph is weighted. */
  weights?: { minimum: number; maximum: number; mean: number; total: number };
}

/** Options of {@link vertexMetrics} and {@link edgeMetrics}. */
export interface MetricsOptions {
  /**
   * Told how far the passes over the vertices have come: out of the vertex count for
   * {@link vertexMetrics}, twice the vertex count for {@link edgeMetrics} (two passes).
   */
  progress?: Progress;
}

/** Counts and degree figures of the graph. */
export function vertexMetrics<K extends VertexKey>(
  graph: GraphIndex<K>,
  { progress }: MetricsOptions = {},
): VertexMetrics {
  const { csr } = graph;
  const n = csr.vertexCount;
  const inDegrees = csr.inDegrees();
  const { offsets } = undirectedAdjacency(csr);
  let maximumDegree = 0;
  let maximumOutDegree = 0;
  let maximumInDegree = 0;
  let isolated = 0;
  let sinks = 0;
  let sources = 0;
  let triplets = 0;
  let maximumTriplets = 0;
  for (let v = 0; v < n; v++) {
    // Every few thousand vertices: the reporter's clock is not free.
    if ((v & 4095) === 0) progress?.update(v);
    const out = csr.offsets[v + 1] - csr.offsets[v];
    const inDegree = inDegrees[v];
    maximumDegree = Math.max(maximumDegree, out + inDegree);
    maximumOutDegree = Math.max(maximumOutDegree, out);
    maximumInDegree = Math.max(maximumInDegree, inDegree);
    if (out === 0 && inDegree === 0) isolated++;
    if (out === 0) sinks++;
    if (inDegree === 0) sources++;
    const degree = offsets[v + 1] - offsets[v];
    const centred = (degree * (degree - 1)) / 2;
    triplets += centred;
    maximumTriplets = Math.max(maximumTriplets, centred);
  }
  progress?.update(n);
  progress?.finish();
  return {
    vertexCount: n,
    edgeCount: csr.edgeCount,
    averageDegree: n > 0 ? csr.edgeCount / n : 0,
    maximumDegree,
    maximumOutDegree,
    maximumInDegree,
    isolatedVertexCount: isolated,
    sinkCount: sinks,
    sourceCount: sources,
    tripletCount: triplets,
    maximumTriplets,
  };
}

/** Self-loops, parallel edges, reciprocity and weight statistics. */
export function edgeMetrics<K extends VertexKey>(
  graph: GraphIndex<K>,
  { progress }: MetricsOptions = {},
): EdgeMetrics {
  const { csr } = graph;
  const n = csr.vertexCount;
  let selfLoops = 0;
  let parallel = 0;
  let distinct = 0;
  let bidirectional = 0;
  // Targets of v's out-edges, sorted, to find repeats and test reverse edges by binary search.
  const sortedTargets = csr.targets.slice();
  for (let v = 0; v < n; v++) {
    if ((v & 4095) === 0) progress?.update(v);
    sortedTargets.subarray(csr.offsets[v], csr.offsets[v + 1]).sort();
  }
  const hasEdge = (from: number, to: number): boolean => {
    let low = csr.offsets[from];
    let high = csr.offsets[from + 1] - 1;
    while (low <= high) {
      // Positions reach 2^32 - 1: halve the difference, which is below 2^32.
      const middle = low + ((high - low) >>> 1);
      if (sortedTargets[middle] < to) low = middle + 1;
      else if (sortedTargets[middle] > to) high = middle - 1;
      else return true;
    }
    return false;
  };
  for (let v = 0; v < n; v++) {
    if ((v & 4095) === 0) progress?.update(n + v);
    for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) {
      const t = sortedTargets[e];
      if (t === v) {
        selfLoops++;
        continue;
      }
      if (e > csr.offsets[v] && sortedTargets[e - 1] === t) {
        parallel++;
        continue;
      }
      distinct++;
      if (t > v && hasEdge(t, v)) bidirectional++;
    }
  }
  // Parallel self-loops were counted as self-loops; count them as parallel too.
  for (let v = 0; v < n; v++) {
    let loops = 0;
    for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) if (sortedTargets[e] === v) loops++;
    if (loops > 1) parallel += loops - 1;
  }
  progress?.update(2 * n);
  progress?.finish();
  const metrics: EdgeMetrics = {
    edgeCount: csr.edgeCount,
    selfLoopCount: selfLoops,
    parallelEdgeCount: parallel,
    distinctEdgeCount: distinct,
    bidirectionalPairCount: bidirectional,
    unidirectionalPairCount: distinct - 2 * bidirectional,
  };
  const weights = csr.weights;
  if (weights !== undefined && weights.length > 0) {
    let minimum = Number.POSITIVE_INFINITY;
    let maximum = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (let e = 0; e < weights.length; e++) {
      minimum = Math.min(minimum, weights[e]);
      maximum = Math.max(maximum, weights[e]);
      total += weights[e];
    }
    metrics.weights = { minimum, maximum, mean: total / weights.length, total };
  }
  return metrics;
}
