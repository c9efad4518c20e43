/**
 * Single-source shortest paths along edge directions, as Gelly's SingleSourceShortestPaths:
 * distances start at Infinity (0 at the source) and each superstep the vertices whose
 * distance dropped offer `distance + weight` to their out-neighbours, which keep the minimum.
 * Weights come from the graph's weight column when `weighted`, else every edge weighs 1.
 * Unreachable vertices keep Infinity. With negative weights this is Bellman-Ford; a negative
 * cycle reachable from the source ends at maxIterations with `converged: false`.
 *
 * Both are written on the graph layer's iteration models as Gelly writes them:
 * {@link singleSourceShortestPaths} on scatter-gather (changed vertices send `distance + length`
 * along their out-edges, min-combined; a vertex takes a smaller offer) and
 * {@link gsaSingleSourceShortestPaths} on gather-sum-apply (gather `distance + length`, sum =
 * min, apply when smaller). Both give the same distances.
 */
import { ParamError } from '../../src/core/errors.js';
import { Graph } from '../../src/graph/graph.js';
import { runGatherSumApplyIteration } from '../../src/graph/iterations/gather-sum-apply.js';
import type { IterationResult } from '../../src/graph/iterations/options.js';
import { runScatterGatherIteration } from '../../src/graph/iterations/scatter-gather.js';
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

/** The graph with distances as vertex values (0 at the source) and edge lengths as edge values. */
function startGraph<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions,
): { start: Graph<K, number, number>; maxIterations: number } {
  const n = graph.csr.vertexCount;
  const sourceId = vertexId(graph, 'source', source);
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? Math.max(1, n));
  let lengths: Float64Array;
  if (options.weighted) {
    const weights = graph.csr.weights;
    if (weights === undefined) {
      throw new ParamError('weighted', true, 'a graph with edge weights (the third column)');
    }
    for (let e = 0; e < weights.length; e++) {
      if (Number.isNaN(weights[e])) throw new ParamError('edge weight', weights[e], 'numbers');
    }
    lengths = weights;
  } else {
    lengths = new Float64Array(graph.csr.edgeCount).fill(1);
  }
  const distance = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  distance[sourceId] = 0;
  return { start: new Graph(graph.dictionary, graph.csr, distance, lengths), maxIterations };
}

function distances<K extends VertexKey>(
  graph: GraphIndex<K>,
  result: IterationResult<K, number, number>,
): VertexValues<K> {
  return new VertexValues(graph.dictionary, result.graph.numericVertexValues()!, 'distance', result);
}

/** Shortest distances from `source` (Gelly's scatter-gather SingleSourceShortestPaths). */
export function singleSourceShortestPaths<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions = {},
): VertexValues<K> {
  const { start, maxIterations } = startGraph(graph, source, options);
  const result = runScatterGatherIteration<K, number, number, number>(
    start,
    {
      scatter(vertex, context) {
        const distance = vertex.value;
        if (distance < Number.POSITIVE_INFINITY)
          context.sendMessagesAlongEdges((length) => distance + length);
      },
      gather(vertex, messages, context) {
        let best = vertex.value;
        for (const offered of messages) if (offered < best) best = offered;
        if (best < vertex.value) context.setNewVertexValue(best);
      },
    },
    { name: 'single-source shortest paths', maxIterations, combiner: 'min' },
  );
  return distances(graph, result);
}

/** Shortest distances from `source` (Gelly's GSASingleSourceShortestPaths). */
export function gsaSingleSourceShortestPaths<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions = {},
): VertexValues<K> {
  const { start, maxIterations } = startGraph(graph, source, options);
  const result = runGatherSumApplyIteration<K, number, number, number>(
    start,
    {
      gather: (distance, length) => distance + length,
      sum: 'min',
      apply: (offered, current) => (offered < current ? offered : current),
    },
    { name: 'single-source shortest paths (GSA)', maxIterations },
  );
  return distances(graph, result);
}
