/**
 * Single-source shortest paths along edge directions, as Gelly's SingleSourceShortestPaths:
 * distances start at Infinity (0 at the source) and each superstep the vertices whose
 * distance dropped offer `distance + weight` to their out-neighbours, which keep the minimum.
 * Weights come from the graph's weight column when `weighted`, else every edge weighs 1.
 * Unreachable vertices keep Infinity. With negative weights this is Bellman-Ford; a negative
 * cycle reachable from the source is a {@link ConvergenceError} when the iterations were
 * enough for every shortest path (the default), else the result has `converged: false`.
 *
 * Both are written on the graph layer's iteration models as Gelly writes them:
 * {@link singleSourceShortestPaths} on scatter-gather (changed vertices send `distance + length`
 * along their out-edges, min-combined; a vertex takes a smaller offer) and
 * {@link gsaSingleSourceShortestPaths} on gather-sum-apply (gather `distance + length`, sum =
 * min, apply when smaller). Both give the same distances.
 */
import { ConvergenceError, ParamError } from '../../src/core/errors.js';
import type { Progress } from '../../src/core/progress.js';
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
  /** Told of each superstep as it ends. */
  progress?: Progress;
}

/** Where the iterations start, and the edge lengths they add. */
interface StartGraph<K extends VertexKey> {
  start: Graph<K, number, number>;
  lengths: Float64Array;
  maxIterations: number;
}

/** The graph with distances as vertex values (0 at the source) and edge lengths as edge values. */
function startGraph<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions,
): StartGraph<K> {
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
  return { start: new Graph(graph.dictionary, graph.csr, distance, lengths), lengths, maxIterations };
}

/**
 * The distances, after checking for a negative cycle: once `maxIterations` supersteps covered
 * every path of up to n - 1 edges, an edge that still shortens a distance lies on or after a
 * cycle of negative length, along which no shortest distance exists.
 */
function distances<K extends VertexKey>(
  graph: GraphIndex<K>,
  result: IterationResult<K, number, number>,
  { lengths, maxIterations }: StartGraph<K>,
  name: string,
  progress: Progress | undefined,
): VertexValues<K> {
  progress?.finish();
  const values = result.graph.numericVertexValues()!;
  const { offsets, targets, vertexCount } = graph.csr;
  if (!result.converged && maxIterations >= vertexCount - 1) {
    for (let v = 0; v < vertexCount; v++) {
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        if (values[v] + lengths[e] < values[targets[e]]) {
          throw new ConvergenceError(
            name,
            result.iterations,
            `a cycle of negative length is reachable from the source (the edge ${graph.dictionary.keyText(v)} -> ${graph.dictionary.keyText(targets[e])} lies on or after it), so shortest distances do not exist`,
          );
        }
      }
    }
  }
  return new VertexValues(graph.dictionary, values, 'distance', result);
}

/** Shortest distances from `source` (Gelly's scatter-gather SingleSourceShortestPaths). */
export function singleSourceShortestPaths<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions = {},
): VertexValues<K> {
  const started = startGraph(graph, source, options);
  const { start, maxIterations } = started;
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
      postSuperstep: (context) => options.progress?.update(context.superstep),
    },
    { name: 'single-source shortest paths', maxIterations, combiner: 'min' },
  );
  return distances(graph, result, started, 'single-source shortest paths', options.progress);
}

/** Shortest distances from `source` (Gelly's GSASingleSourceShortestPaths). */
export function gsaSingleSourceShortestPaths<K extends VertexKey>(
  graph: GraphIndex<K>,
  source: K,
  options: ShortestPathsOptions = {},
): VertexValues<K> {
  const started = startGraph(graph, source, options);
  const { start, maxIterations } = started;
  const result = runGatherSumApplyIteration<K, number, number, number>(
    start,
    {
      gather: (distance, length) => distance + length,
      sum: 'min',
      apply: (offered, current) => (offered < current ? offered : current),
      postSuperstep: (context) => options.progress?.update(context.superstep),
    },
    { name: 'single-source shortest paths (GSA)', maxIterations },
  );
  return distances(graph, result, started, 'single-source shortest paths (GSA)', options.progress);
}
