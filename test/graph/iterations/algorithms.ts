/**
 * Known-answer algorithms written on each iteration model, shared by the model tests:
 * single-source shortest paths, connected components (minimum key) and PageRank.
 */
import type { Graph } from '../../../src/graph/graph.js';
import { runGatherSumApplyIteration } from '../../../src/graph/iterations/gather-sum-apply.js';
import type { IterationOptions } from '../../../src/graph/iterations/options.js';
import { runScatterGatherIteration } from '../../../src/graph/iterations/scatter-gather.js';
import { runVertexCentricIteration } from '../../../src/graph/iterations/vertex-centric.js';

export type NumberGraph = Graph<number, undefined, number | undefined>;
type Extra = Partial<IterationOptions>;

const DAMPING = 0.85;

/** Shortest distances from `source` (edge values are the lengths). */
export function ssspVertexCentric(graph: NumberGraph, source: number, extra: Extra = {}) {
  const start = graph.mapVertices((v) => (v.id === source ? 0 : Number.POSITIVE_INFINITY));
  return runVertexCentricIteration<number, number, number | undefined, number>(
    start,
    (vertex, messages, context) => {
      let best = vertex.value;
      let improved = context.getSuperstepNumber() === 1 && best === 0;
      for (const message of messages) {
        if (message < best) {
          best = message;
          improved = true;
        }
      }
      if (improved) {
        context.setNewVertexValue(best);
        context.sendMessagesAlongEdges((length) => best + (length as number));
      }
    },
    { maxIterations: 100, combiner: 'min', ...extra },
  );
}

export function ssspScatterGather(graph: NumberGraph, source: number, extra: Extra = {}) {
  const start = graph.mapVertices((v) => (v.id === source ? 0 : Number.POSITIVE_INFINITY));
  return runScatterGatherIteration<number, number, number | undefined, number>(
    start,
    {
      scatter(vertex, context) {
        if (vertex.value < Number.POSITIVE_INFINITY) {
          const distance = vertex.value;
          context.sendMessagesAlongEdges((length) => distance + (length as number));
        }
      },
      gather(vertex, messages, context) {
        let best = vertex.value;
        for (const message of messages) best = Math.min(best, message);
        if (best < vertex.value) context.setNewVertexValue(best);
      },
    },
    { maxIterations: 100, combiner: 'min', ...extra },
  );
}

export function ssspGatherSumApply(graph: NumberGraph, source: number, extra: Extra = {}) {
  const start = graph.mapVertices((v) => (v.id === source ? 0 : Number.POSITIVE_INFINITY));
  return runGatherSumApplyIteration<number, number, number | undefined, number>(
    start,
    {
      gather: (distance, length) => distance + (length as number),
      sum: 'min',
      apply: (candidate, current) => Math.min(candidate, current),
    },
    { maxIterations: 100, ...extra },
  );
}

/** Weakly connected components, each labelled by its smallest key. */
export function componentsVertexCentric(graph: NumberGraph, extra: Extra = {}) {
  return runVertexCentricIteration<number, number, number | undefined, number>(
    graph.mapVertices((v) => v.id),
    (vertex, messages, context) => {
      let smallest = vertex.value;
      for (const message of messages) smallest = Math.min(smallest, message);
      if (context.getSuperstepNumber() === 1 || smallest < vertex.value) {
        context.setNewVertexValue(smallest);
        context.sendMessageToAllNeighbors(smallest);
      }
    },
    { maxIterations: 100, combiner: 'min', direction: 'all', ...extra },
  );
}

export function componentsScatterGather(graph: NumberGraph, extra: Extra = {}) {
  return runScatterGatherIteration<number, number, number | undefined, number>(
    graph.mapVertices((v) => v.id),
    {
      scatter: (vertex, context) => context.sendMessageToAllNeighbors(vertex.value),
      gather(vertex, messages, context) {
        let smallest = vertex.value;
        for (const message of messages) smallest = Math.min(smallest, message);
        if (smallest < vertex.value) context.setNewVertexValue(smallest);
      },
    },
    { maxIterations: 100, combiner: 'min', direction: 'all', ...extra },
  );
}

export function componentsGatherSumApply(graph: NumberGraph, extra: Extra = {}) {
  return runGatherSumApplyIteration<number, number, number | undefined, number>(
    graph.mapVertices((v) => v.id),
    { gather: (label) => label, sum: 'min', apply: (candidate, current) => Math.min(candidate, current) },
    { maxIterations: 100, direction: 'all', ...extra },
  );
}

/**
 * PageRank with dangling vertices (Gelly's semantics): the rank of vertices without out-edges
 * is collected by an aggregator and spread evenly in the next superstep. Every vertex messages
 * itself so that all vertices compute every superstep.
 */
export function pageRankVertexCentric(graph: NumberGraph, iterations: number, extra: Extra = {}) {
  const n = graph.numberOfVertices();
  return runVertexCentricIteration<number, number, number | undefined, number>(
    graph.mapVertices(() => 1 / n),
    (vertex, messages, context) => {
      let rank = vertex.value;
      if (context.getSuperstepNumber() > 1) {
        let sum = 0;
        for (const message of messages) sum += message;
        const dangling = context.getPreviousIterationAggregate<number>('dangling');
        rank = (1 - DAMPING) / n + DAMPING * (sum + dangling / n);
        context.setNewVertexValue(rank);
      }
      const degree = context.getOutDegree();
      if (degree > 0) context.sendMessageToAllNeighbors(rank / degree);
      else context.aggregate('dangling', rank);
      context.sendMessageTo(vertex.id, 0);
    },
    { maxIterations: iterations, combiner: 'sum', aggregators: { dangling: 'sum' }, degrees: true, ...extra },
  );
}

/** PageRank on a graph without dangling vertices, by scatter-gather. */
export function pageRankScatterGather(graph: NumberGraph, iterations: number, extra: Extra = {}) {
  const n = graph.numberOfVertices();
  return runScatterGatherIteration<number, number, number | undefined, number>(
    graph.mapVertices(() => 1 / n),
    {
      scatter: (vertex, context) => context.sendMessageToAllNeighbors(vertex.value / context.getOutDegree()),
      gather(_vertex, messages, context) {
        let sum = 0;
        for (const message of messages) sum += message;
        context.setNewVertexValue((1 - DAMPING) / n + DAMPING * sum);
      },
    },
    { maxIterations: iterations, combiner: 'sum', degrees: true, ...extra },
  );
}

/** PageRank on a graph without dangling vertices, by GSA: edge values are 1 / out-degree of the source. */
export function pageRankGatherSumApply(graph: NumberGraph, iterations: number, extra: Extra = {}) {
  const n = graph.numberOfVertices();
  const degrees = graph.outDegrees();
  const weighted = graph
    .mapEdges(() => 0)
    .joinWithEdgesOnSource([...degrees], (_value, degree: number) => 1 / degree)
    .mapVertices(() => 1 / n);
  return runGatherSumApplyIteration<number, number, number, number>(
    weighted,
    {
      gather: (rank, share) => rank * share,
      sum: 'sum',
      apply: (sum) => (1 - DAMPING) / n + DAMPING * sum,
    },
    { maxIterations: iterations, ...extra },
  );
}
