/**
 * PageRank with Gelly's semantics: every vertex starts at 1/N; in each round a vertex splits
 * its score over its out-edges (in proportion to edge weight when weighted), the score of
 * sink vertices (no out-edges, or zero out-weight) and the random jump are spread over all
 * vertices (over the personalization set instead, when one is given, as networkx does); the
 * iteration stops when the L1 norm of the change is <= tolerance, or after maxIterations.
 *
 * The kernel pulls over in-edges: each round first turns every score into its per-edge
 * contribution (score / out-degree), then each vertex sums the contributions of its
 * in-neighbours. That reads one Float64Array sequentially per edge, with no writes scattered
 * over memory, and the loops see one array type each (monomorphic).
 */
import { ParamError } from '../../src/core/errors.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { checkCount, checkNonNegative, checkRange, edgeWeights, vertexId } from './options.js';
import { VertexValues } from './vertex-values.js';

/** Options of {@link pageRank}. Names follow Gelly and graphology. */
export interface PageRankOptions<K extends VertexKey = VertexKey> {
  /** Probability of following an edge rather than jumping (default 0.85). */
  dampingFactor?: number;
  /** Upper bound on the rounds (default 100). */
  maxIterations?: number;
  /** Stop when the L1 norm of the change of all scores is <= this (default 1e-6). */
  tolerance?: number;
  /** Split scores over out-edges in proportion to edge weight (default false: evenly). */
  weighted?: boolean;
  /** Personalized PageRank: jumps (and sink mass) go to these vertices only, evenly. */
  personalization?: Iterable<K>;
}

/** Defaults of {@link PageRankOptions}. */
export const PAGERANK_DEFAULTS = {
  dampingFactor: 0.85,
  maxIterations: 100,
  tolerance: 1e-6,
  weighted: false,
};

/**
 * PageRank scores (they sum to 1), with the rounds run and whether the tolerance was reached.
 * @example
 * const ranks = pageRank(graph, { dampingFactor: 0.85, tolerance: 1e-9 });
 * ranks.top(10); // [[key, score], ...] highest first
 */
export function pageRank<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: PageRankOptions<K> = {},
): VertexValues<K> {
  const damping = checkRange('dampingFactor', options.dampingFactor ?? PAGERANK_DEFAULTS.dampingFactor, 0, 1);
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? PAGERANK_DEFAULTS.maxIterations);
  const tolerance = checkNonNegative('tolerance', options.tolerance ?? PAGERANK_DEFAULTS.tolerance);
  const { csr } = graph;
  const n = csr.vertexCount;
  if (n === 0) return new VertexValues(graph.dictionary, new Float64Array(0), 'score');
  const jump = jumpDistribution(graph, options.personalization);
  const inEdges = csr.inEdges();
  // 1 / out-weight of each vertex, 0 for sinks.
  const inverseOut = new Float64Array(n);
  let inWeights: Float64Array | undefined;
  if (options.weighted) {
    const weights = edgeWeights(graph, 'weighted PageRank');
    for (let v = 0; v < n; v++) {
      let total = 0;
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) total += weights[e];
      inverseOut[v] = total > 0 ? 1 / total : 0;
    }
    // The share of its source's score each in-edge carries, computed once.
    inWeights = new Float64Array(csr.edgeCount);
    const positions = inEdges.edgePositions;
    const sources = inEdges.sources;
    for (let e = 0; e < inWeights.length; e++) inWeights[e] = weights[positions[e]] * inverseOut[sources[e]];
  } else {
    for (let v = 0; v < n; v++) {
      const degree = csr.offsets[v + 1] - csr.offsets[v];
      inverseOut[v] = degree > 0 ? 1 / degree : 0;
    }
  }
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const contribution = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const sink =
      inWeights === undefined ? contributions(rank, inverseOut, contribution) : sinkMass(rank, inverseOut);
    // What every vertex gets besides its in-edges: the jump and the sinks' scores.
    const spread = 1 - damping + damping * sink;
    if (inWeights === undefined) {
      pullUniform(inEdges.offsets, inEdges.sources, contribution, next, damping);
    } else {
      pullWeighted(inEdges.offsets, inEdges.sources, inWeights, rank, next, damping);
    }
    const change = addJump(next, rank, jump, spread);
    const swap = rank;
    rank = next;
    next = swap;
    iterations++;
    if (change <= tolerance) {
      converged = true;
      break;
    }
  }
  return new VertexValues(graph.dictionary, rank, 'score', { iterations, converged });
}

/**
 * The jump distribution: a number (every vertex gets this share) or, personalized, one share
 * per vertex (1/|set| on the set, 0 elsewhere).
 */
function jumpDistribution<K extends VertexKey>(
  graph: GraphIndex<K>,
  personalization: Iterable<K> | undefined,
): number | Float64Array {
  const n = graph.csr.vertexCount;
  if (personalization === undefined) return 1 / n;
  const ids = new Set<number>();
  for (const key of personalization) ids.add(vertexId(graph, 'personalization', key));
  if (ids.size === 0) throw new ParamError('personalization', [], 'at least one vertex key');
  const jump = new Float64Array(n);
  for (const id of ids) jump[id] = 1 / ids.size;
  return jump;
}

/** Fills `contribution[v] = rank[v] / outDegree[v]`; returns the total score of sinks. */
function contributions(rank: Float64Array, inverseOut: Float64Array, contribution: Float64Array): number {
  let sink = 0;
  for (let v = 0; v < rank.length; v++) {
    const inverse = inverseOut[v];
    if (inverse === 0) sink += rank[v];
    contribution[v] = rank[v] * inverse;
  }
  return sink;
}

/** The total score of sinks. */
function sinkMass(rank: Float64Array, inverseOut: Float64Array): number {
  let sink = 0;
  for (let v = 0; v < rank.length; v++) if (inverseOut[v] === 0) sink += rank[v];
  return sink;
}

/** `next[v] = damping * sum of contribution[u] over in-edges u -> v`. */
function pullUniform(
  offsets: Int32Array,
  sources: Int32Array,
  contribution: Float64Array,
  next: Float64Array,
  damping: number,
): void {
  const n = next.length;
  let start = offsets[0];
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1];
    let sum = 0;
    for (let e = start; e < end; e++) sum += contribution[sources[e]];
    next[v] = damping * sum;
    start = end;
  }
}

/** `next[v] = damping * sum of rank[u] * share(u -> v)` over in-edges. */
function pullWeighted(
  offsets: Int32Array,
  sources: Int32Array,
  inWeights: Float64Array,
  rank: Float64Array,
  next: Float64Array,
  damping: number,
): void {
  const n = next.length;
  let start = offsets[0];
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1];
    let sum = 0;
    for (let e = start; e < end; e++) sum += rank[sources[e]] * inWeights[e];
    next[v] = damping * sum;
    start = end;
  }
}

/** Adds the jump share to every vertex; returns the L1 norm of `next - rank`. */
function addJump(
  next: Float64Array,
  rank: Float64Array,
  jump: number | Float64Array,
  spread: number,
): number {
  let change = 0;
  if (typeof jump === 'number') {
    const share = spread * jump;
    for (let v = 0; v < next.length; v++) {
      const value = next[v] + share;
      next[v] = value;
      change += Math.abs(value - rank[v]);
    }
  } else {
    for (let v = 0; v < next.length; v++) {
      const value = next[v] + spread * jump[v];
      next[v] = value;
      change += Math.abs(value - rank[v]);
    }
  }
  return change;
}
