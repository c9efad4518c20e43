/**
 * The PageRank iteration itself, over a pull index (in-edges, and each source's share of its
 * score), apart from graphs and results: `pageRank` builds the index from a graph's CSR, or
 * straight from edge arrays (what `eddy pagerank` reads). Each round
 * first turns every score into its per-edge contribution (score / out-degree), then each
 * vertex sums the contributions of its in-neighbours: one Float64Array read per edge, no
 * scattered writes, one array type per loop (monomorphic).
 */
import { float64Array } from '../../../src/core/shared-memory.js';
import type { EdgeSegments, InEdgeIndex } from '../../../src/graph/in-edge-index.js';
import { checkCount, checkNonNegative, checkRange } from '../options.js';
import { pullUniform, pullWeighted } from './kernels.js';

/** What the PageRank rounds take. Names follow Gelly and graphology. */
export interface PageRankRoundOptions<K = unknown> {
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

/** Defaults of the PageRank options (dampingFactor, maxIterations, tolerance, ...). */
export const PAGERANK_DEFAULTS = {
  dampingFactor: 0.85,
  maxIterations: 100,
  tolerance: 1e-6,
  weighted: false,
};

/** What the rounds pull over. */
export interface PullIndex {
  /** Vertex `v`'s in-edges are positions `offsets[v] .. offsets[v + 1] - 1`. */
  readonly offsets: Int32Array;
  /** The source of each in-edge, in segments of consecutive vertices. */
  readonly sources: EdgeSegments<Int32Array>;
  /**
   * Weighted: each in-edge's share of its source's score (weight / out-weight), in the
   * segments of `sources`; else null.
   */
  readonly shares: EdgeSegments<Float64Array> | null;
  /** 1 / out-degree (1 / out-weight when weighted) of every vertex; 0 for sinks. */
  readonly inverseOut: Float64Array;
}

/** The pull index of an {@link InEdgeIndex}; shares in shared memory when `share` is true. */
export function pullIndexOfInEdges(index: InEdgeIndex, weighted: boolean, share = false): PullIndex {
  const totals = weighted ? index.outWeights : index.outDegrees;
  if (totals === undefined) throw new Error('weighted PageRank needs an in-edge index built with weights');
  const inverseOut = new Float64Array(index.vertexCount);
  for (let v = 0; v < inverseOut.length; v++) inverseOut[v] = totals[v] > 0 ? 1 / totals[v] : 0;
  let shares: EdgeSegments<Float64Array> | null = null;
  if (weighted) {
    const { bounds, arrays } = index.weights!;
    shares = {
      bounds,
      arrays: arrays.map((weights, s) => {
        const sources = index.sources.arrays[s];
        const segmentShares = float64Array(weights.length, share);
        for (let e = 0; e < weights.length; e++) segmentShares[e] = weights[e] * inverseOut[sources[e]];
        return segmentShares;
      }),
    };
  }
  return { offsets: index.offsets, sources: index.sources, shares, inverseOut };
}

/**
 * One pull the PageRank rounds need done: `next[v] = damping × Σ` over in-edges, from the
 * contributions in `values` (unweighted, `shares` null) or from the ranks in `values` times
 * each in-edge's share of its source's score.
 */
export interface PullRequest {
  offsets: Int32Array;
  sources: EdgeSegments<Int32Array>;
  shares: EdgeSegments<Float64Array> | null;
  values: Float64Array;
  next: Float64Array;
  damping: number;
}

/** Allocates a Float64Array for the per-round vectors (shared memory for worker threads). */
export type VectorAllocator = (length: number) => Float64Array;

/** PageRank scores by dense id, with the rounds run and whether the tolerance was reached. */
export interface PageRankScores {
  readonly scores: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * The PageRank iteration as a generator: it yields one {@link PullRequest} per round (the
 * caller runs it, on this thread or split over workers) and returns the scores. Everything
 * else (validation, sinks, the jump, the stopping test) is here once for every driver.
 * `jump` is the personalized jump distribution; without it every vertex gets 1/N.
 */
export function* pageRankRounds(
  index: PullIndex,
  options: PageRankRoundOptions,
  jump: Float64Array | undefined,
  allocate: VectorAllocator = (length) => new Float64Array(length),
): Generator<PullRequest, PageRankScores, void> {
  const damping = checkRange('dampingFactor', options.dampingFactor ?? PAGERANK_DEFAULTS.dampingFactor, 0, 1);
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? PAGERANK_DEFAULTS.maxIterations);
  const tolerance = checkNonNegative('tolerance', options.tolerance ?? PAGERANK_DEFAULTS.tolerance);
  const n = index.inverseOut.length;
  if (n === 0) return { scores: new Float64Array(0), iterations: 0, converged: true };
  const { offsets, sources, shares, inverseOut } = index;
  let rank = allocate(n).fill(1 / n);
  let next = allocate(n);
  const contribution = allocate(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const sink = shares !== null ? sinkMass(rank, inverseOut) : contributions(rank, inverseOut, contribution);
    // What every vertex gets besides its in-edges: the jump and the sinks' scores.
    const spread = 1 - damping + damping * sink;
    yield { offsets, sources, shares, values: shares !== null ? rank : contribution, next, damping };
    const change = addJump(next, rank, jump ?? 1 / n, spread);
    const swap = rank;
    rank = next;
    next = swap;
    iterations++;
    if (change <= tolerance) {
      converged = true;
      break;
    }
  }
  return { scores: rank, iterations, converged };
}

/** Runs the rounds on this thread. */
export function pageRankHere(
  index: PullIndex,
  options: PageRankRoundOptions,
  jump?: Float64Array,
): PageRankScores {
  const rounds = pageRankRounds(index, options, jump);
  let step = rounds.next();
  while (step.done !== true) {
    const { offsets, sources, shares, values, next, damping } = step.value;
    const { bounds, arrays } = sources;
    for (let s = 0; s + 1 < bounds.length; s++) {
      const [start, end, base] = [bounds[s], bounds[s + 1], offsets[bounds[s]]];
      if (shares === null) pullUniform(offsets, arrays[s], base, values, next, damping, start, end);
      else pullWeighted(offsets, arrays[s], shares.arrays[s], base, values, next, damping, start, end);
    }
    step = rounds.next();
  }
  return step.value;
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
