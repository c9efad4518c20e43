/**
 * PageRank as a program on the graph layer's typed gather-sum-apply path, over a pull index
 * (in-edges, and each source's share of its score), apart from graphs and results: `pageRank`
 * builds the index from a graph's CSR, or straight from edge arrays (what `eddy pagerank`
 * reads). Each round every vertex sums the messages of its in-neighbours (score / out-degree,
 * or score × share per in-edge when weighted): one Float64Array read per edge, no scattered
 * writes; the vertex functions are in kernels.ts.
 */

import type { Progress } from '../../../src/core/progress.js';
import { float64Array } from '../../../src/core/shared-memory.js';
import type { Threads } from '../../../src/core/threads/driver.js';
import type { EdgeOffsets } from '../../../src/graph/csr.js';
import type { EdgeSegments, InEdgeIndex } from '../../../src/graph/in-edge-index.js';
import {
  runTypedGatherSumApply,
  type TypedGatherSumApplyOptions,
  type TypedGatherSumApplyProgram,
} from '../../../src/graph/iterations/typed-gather-sum-apply.js';
import { checkCount, checkNonNegative, checkRange } from '../options.js';
import { pageRankApply, pageRankScatter } from './kernels.js';

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
  /** Told the rounds done after each round (counts never go backwards). */
  progress?: Progress;
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
  readonly offsets: EdgeOffsets;
  /** The source of each in-edge, in segments of consecutive vertices. */
  readonly sources: EdgeSegments<Int32Array>;
  /**
   * Weighted: each in-edge's share of its source's score (weight / out-weight), in the
   * segments of `sources`; else null.
   */
  readonly shares: EdgeSegments<Float64Array> | null;
  /**
   * What a vertex's score is multiplied by to make its message: 1 / out-degree unweighted,
   * 1 weighted (the shares do the rest); 0 for sinks (no out-edges, or zero out-weight).
   */
  readonly scale: Float64Array;
}

/** The pull index of an {@link InEdgeIndex}; shares in shared memory when `share` is true. */
export function pullIndexOfInEdges(index: InEdgeIndex, weighted: boolean, share = false): PullIndex {
  const totals = weighted ? index.outWeights : index.outDegrees;
  if (totals === undefined) throw new Error('weighted PageRank needs an in-edge index built with weights');
  // In shared memory when the rounds run on threads: they would copy it otherwise (262 MB at
  // R-MAT scale 26).
  const scale = float64Array(index.vertexCount, share);
  for (let v = 0; v < scale.length; v++) scale[v] = totals[v] > 0 ? (weighted ? 1 : 1 / totals[v]) : 0;
  let shares: EdgeSegments<Float64Array> | null = null;
  if (weighted) {
    const { bounds, arrays } = index.weights!;
    shares = {
      bounds,
      arrays: arrays.map((weights, s) => {
        const sources = index.sources.arrays[s];
        const segmentShares = float64Array(weights.length, share);
        for (let e = 0; e < weights.length; e++) {
          const total = totals[sources[e]];
          segmentShares[e] = weights[e] * (total > 0 ? 1 / total : 0);
        }
        return segmentShares;
      }),
    };
  }
  return { offsets: index.offsets, sources: index.sources, shares, scale };
}

/** PageRank scores by dense id, with the rounds run and whether the tolerance was reached. */
export interface PageRankScores {
  readonly scores: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

// Workers load the vertex functions from the same tree as this module: .js in dist, .ts under tsx.
const kernels = new URL(`./kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/** PageRank on the typed path: sum of messages, then pageRankApply; scatter before round 1. */
const program: TypedGatherSumApplyProgram = {
  combiner: 'sum',
  scatter: { fn: pageRankScatter, module: kernels, exportName: 'pageRankScatter' },
  apply: { fn: pageRankApply, module: kernels, exportName: 'pageRankApply' },
  aggregators: { sink: 'sum', change: 'sum' },
};

/**
 * Runs the PageRank rounds over `index`: on this thread when `threads.parallelism` is absent,
 * else (a promise) on this thread and `parallelism - 1` workers, with the same scores.
 * `jump` is the personalized jump distribution; without it every vertex gets 1/N.
 */
export function pageRankScores(
  index: PullIndex,
  options: PageRankRoundOptions,
  threads: Threads,
  jump?: Float64Array,
): PageRankScores | Promise<PageRankScores> {
  const damping = checkRange('dampingFactor', options.dampingFactor ?? PAGERANK_DEFAULTS.dampingFactor, 0, 1);
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? PAGERANK_DEFAULTS.maxIterations);
  const tolerance = checkNonNegative('tolerance', options.tolerance ?? PAGERANK_DEFAULTS.tolerance);
  const n = index.scale.length;
  const empty = { scores: new Float64Array(0), iterations: 0, converged: true };
  if (n === 0) return threads.parallelism === undefined ? empty : Promise.resolve(empty);
  const run: TypedGatherSumApplyOptions = {
    pool: threads.pool,
    name: 'PageRank',
    maxIterations,
    convergence: { aggregator: 'change', criterion: (change) => change <= tolerance },
    arrays: jump === undefined ? [index.scale] : [index.scale, jump],
    parameters: [damping, n],
    progress: options.progress,
  };
  const inEdges = { offsets: index.offsets, sources: index.sources, weights: index.shares };
  const initial = new Float64Array(n).fill(1 / n);
  const scores = (result: { values: Float64Array; iterations: number; converged: boolean }) => ({
    scores: result.values,
    iterations: result.iterations,
    converged: result.converged,
  });
  if (threads.parallelism === undefined) {
    return scores(runTypedGatherSumApply(inEdges, initial, program, { ...run, parallelism: undefined }));
  }
  return runTypedGatherSumApply(inEdges, initial, program, { ...run, parallelism: threads.parallelism }).then(
    scores,
  );
}
