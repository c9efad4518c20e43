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
import { pullUniform, pullWeighted } from './pagerank-kernels.js';
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
 * Single-threaded; {@link parallelPageRank} splits the same rounds over worker threads.
 * @example
 * const ranks = pageRank(graph, { dampingFactor: 0.85, tolerance: 1e-9 });
 * ranks.top(10); // [[key, score], ...] highest first
 */
export function pageRank<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: PageRankOptions<K> = {},
): VertexValues<K> {
  const rounds = pageRankRounds(graph, options);
  let step = rounds.next();
  while (step.done !== true) {
    const { offsets, sources, shares, values, next, damping } = step.value;
    if (shares === null) pullUniform(offsets, sources, values, next, damping, 0, next.length);
    else pullWeighted(offsets, sources, shares, values, next, damping, 0, next.length);
    step = rounds.next();
  }
  return step.value;
}

/**
 * One pull the PageRank rounds need done: `next[v] = damping × Σ` over in-edges, from the
 * contributions in `values` (unweighted, `shares` null) or from the ranks in `values` times
 * each in-edge's share of its source's score.
 */
export interface PullRequest {
  offsets: Int32Array;
  sources: Int32Array;
  shares: Float64Array | null;
  values: Float64Array;
  next: Float64Array;
  damping: number;
}

/** Allocates a Float64Array for the per-round vectors (shared memory for worker threads). */
export type VectorAllocator = (length: number) => Float64Array;

/**
 * The PageRank iteration as a generator: it yields one {@link PullRequest} per round (the
 * caller runs it, on this thread or split over workers) and returns the result. Everything
 * else (validation, sinks, the jump, the stopping test) is here once for both drivers.
 */
export function* pageRankRounds<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: PageRankOptions<K>,
  allocate: VectorAllocator = (length) => new Float64Array(length),
  inEdgeArrays?: { offsets: Int32Array; sources: Int32Array; shares: Float64Array | null },
): Generator<PullRequest, VertexValues<K>, void> {
  const damping = checkRange('dampingFactor', options.dampingFactor ?? PAGERANK_DEFAULTS.dampingFactor, 0, 1);
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? PAGERANK_DEFAULTS.maxIterations);
  const tolerance = checkNonNegative('tolerance', options.tolerance ?? PAGERANK_DEFAULTS.tolerance);
  const { csr } = graph;
  const n = csr.vertexCount;
  if (n === 0) return new VertexValues(graph.dictionary, new Float64Array(0), 'score');
  const jump = jumpDistribution(graph, options.personalization);
  const weighted = options.weighted === true;
  const inverseOut = inverseOutWeights(graph, weighted);
  let pull = inEdgeArrays;
  if (pull === undefined) {
    const inEdges = csr.inEdges();
    pull = {
      offsets: inEdges.offsets,
      sources: inEdges.sources,
      shares: weighted ? inEdgeShares(graph, inverseOut) : null,
    };
  }
  let rank = allocate(n).fill(1 / n);
  let next = allocate(n);
  const contribution = allocate(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const sink = weighted ? sinkMass(rank, inverseOut) : contributions(rank, inverseOut, contribution);
    // What every vertex gets besides its in-edges: the jump and the sinks' scores.
    const spread = 1 - damping + damping * sink;
    yield { ...pull, values: weighted ? rank : contribution, next, damping };
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

/** 1 / out-degree (or 1 / out-weight when weighted) of every vertex; 0 for sinks. */
export function inverseOutWeights(graph: GraphIndex, weighted: boolean): Float64Array {
  const { csr } = graph;
  const inverse = new Float64Array(csr.vertexCount);
  const weights = weighted ? edgeWeights(graph, 'weighted PageRank') : undefined;
  for (let v = 0; v < csr.vertexCount; v++) {
    let total = csr.offsets[v + 1] - csr.offsets[v];
    if (weights !== undefined) {
      total = 0;
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) total += weights[e];
    }
    inverse[v] = total > 0 ? 1 / total : 0;
  }
  return inverse;
}

/** For each in-edge, the share of its source's score it carries: weight / source's out-weight. */
export function inEdgeShares(graph: GraphIndex, inverseOut: Float64Array): Float64Array {
  const weights = edgeWeights(graph, 'weighted PageRank');
  const { edgePositions, sources } = graph.csr.inEdges();
  const shares = new Float64Array(graph.csr.edgeCount);
  for (let e = 0; e < shares.length; e++) shares[e] = weights[edgePositions[e]] * inverseOut[sources[e]];
  return shares;
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
