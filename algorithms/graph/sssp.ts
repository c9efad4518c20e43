/**
 * Single-source shortest paths along edge directions, as Gelly's SingleSourceShortestPaths:
 * distances start at Infinity (0 at the source) and each superstep the vertices whose
 * distance dropped offer `distance + weight` to their out-neighbours, which keep the minimum.
 * Weights come from the graph's weight column when `weighted`, else every edge weighs 1.
 * Unreachable vertices keep Infinity. With negative weights this is Bellman-Ford; a negative
 * cycle reachable from the source ends at maxIterations with `converged: false`.
 *
 * {@link singleSourceShortestPaths} is the scatter-gather form (push along out-edges of the
 * changed vertices, min-combined); {@link gsaSingleSourceShortestPaths} is the gather-sum-apply
 * form (each vertex with a changed in-neighbour gathers `distance + weight` over its in-edges,
 * sum = min, apply when smaller). Both give the same distances.
 */
import { ParamError } from '../../src/core/errors.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { checkCount, vertexId } from './options.js';
import { VertexValues } from './vertex-values.js';

/** Options of {@link singleSourceShortestPaths}. */
export interface ShortestPathsOptions {
  /** Use the edge weights (default false: every edge weighs 1). */
  weighted?: boolean;
  /** Upper bound on supersteps (default: the vertex count, enough without negative cycles). */
  maxIterations?: number;
}

function setUp<K extends VertexKey>(graph: GraphIndex<K>, source: K, options: ShortestPathsOptions) {
  const n = graph.csr.vertexCount;
  const sourceId = vertexId(graph, 'source', source);
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? Math.max(1, n));
  let weights: Float64Array | undefined;
  if (options.weighted) {
    weights = graph.csr.weights;
    if (weights === undefined) {
      throw new ParamError('weighted', true, 'a graph with edge weights (the third column)');
    }
    for (let e = 0; e < weights.length; e++) {
      if (Number.isNaN(weights[e])) throw new ParamError('edge weight', weights[e], 'numbers');
    }
  }
  const distance = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  distance[sourceId] = 0;
  return { n, sourceId, maxIterations, weights, distance };
}

/** Shortest distances from `source` (scatter-gather form). */
export function singleSourceShortestPaths<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions = {},
): VertexValues<K> {
  const { n, sourceId, maxIterations, weights, distance } = setUp(graph, source, options);
  const { offsets, targets } = graph.csr;
  // The frontier: vertices whose distance dropped in the last superstep.
  let frontier = new Int32Array(n);
  let next = new Int32Array(n);
  const queued = new Uint8Array(n);
  frontier[0] = sourceId;
  let frontierSize = 1;
  let iterations = 0;
  while (frontierSize > 0 && iterations < maxIterations) {
    iterations++;
    let nextSize = 0;
    // Messages are min-combined straight into the distances of the receivers; a receiver
    // reads only distances fixed before this superstep because senders are snapshot below.
    const offered = new Float64Array(frontierSize);
    for (let i = 0; i < frontierSize; i++) offered[i] = distance[frontier[i]];
    for (let i = 0; i < frontierSize; i++) {
      const v = frontier[i];
      const base = offered[i];
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        const t = targets[e];
        const candidate = base + (weights === undefined ? 1 : weights[e]);
        if (candidate < distance[t]) {
          distance[t] = candidate;
          if (queued[t] === 0) {
            queued[t] = 1;
            next[nextSize++] = t;
          }
        }
      }
    }
    for (let i = 0; i < nextSize; i++) queued[next[i]] = 0;
    const swap = frontier;
    frontier = next;
    next = swap;
    frontierSize = nextSize;
  }
  return new VertexValues(graph.dictionary, distance, 'distance', {
    iterations,
    converged: frontierSize === 0,
  });
}

/** Shortest distances from `source` (gather-sum-apply form, over in-edges). */
export function gsaSingleSourceShortestPaths<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions = {},
): VertexValues<K> {
  const { n, maxIterations, weights, distance, sourceId } = setUp(graph, source, options);
  const inEdges = graph.csr.inEdges();
  let changed = new Uint8Array(n);
  let nextChanged = new Uint8Array(n);
  changed[sourceId] = 1;
  let active = 1;
  let iterations = 0;
  while (active > 0 && iterations < maxIterations) {
    iterations++;
    active = 0;
    nextChanged.fill(0);
    const previous = distance.slice();
    for (let v = 0; v < n; v++) {
      let best = Number.POSITIVE_INFINITY;
      for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) {
        const u = inEdges.sources[e];
        if (changed[u] === 0) continue;
        const candidate = previous[u] + (weights === undefined ? 1 : weights[inEdges.edgePositions[e]]);
        if (candidate < best) best = candidate;
      }
      if (best < distance[v]) {
        distance[v] = best;
        nextChanged[v] = 1;
        active++;
      }
    }
    const swap = changed;
    changed = nextChanged;
    nextChanged = swap;
  }
  return new VertexValues(graph.dictionary, distance, 'distance', { iterations, converged: active === 0 });
}
