/**
 * PageRank with Gelly's semantics: every vertex starts at 1/N; in each round a vertex splits
 * its score over its out-edges (in proportion to edge weight when weighted), the score of
 * sink vertices (no out-edges, or zero out-weight) and the random jump are spread over all
 * vertices (over the personalization set instead, when one is given, as networkx does); the
 * iteration stops when the L1 norm of the change is <= tolerance, or after maxIterations.
 *
 * One entry for a graph and for edge arrays (what `eddy pagerank` reads): it builds the pull
 * index, then runs PageRank's program on the typed gather-sum-apply path (program.ts), on
 * this thread or, with `parallelism`, on workers of the core driver too.
 */
import { ParamError } from '../../../src/core/errors.js';
import type { Threads } from '../../../src/core/threads/driver.js';
import {
  buildInEdgeIndex,
  buildInEdgeIndexOnThreads,
  type InEdgeIndex,
} from '../../../src/graph/in-edge-index.js';
import { typedThreads } from '../../../src/graph/iterations/typed-gather-sum-apply.js';
import type { VertexDictionary, VertexKey } from '../../../src/graph/vertex-dictionary.js';
import type { EdgeArrays } from '../../../src/graph/writers.js';
import type { GraphIndex } from '../graph-index.js';
import { checkEdgeWeights, edgeWeights, vertexId } from '../options.js';
import { VertexValues } from '../vertex-values.js';
import {
  type PageRankRoundOptions,
  type PageRankScores,
  type PullIndex,
  pageRankScores,
  pullIndexOfInEdges,
} from './program.js';

export { PAGERANK_DEFAULTS } from './program.js';

/** Options of {@link pageRank}. */
export interface PageRankOptions<K = unknown> extends PageRankRoundOptions<K>, Threads {
  /**
   * Threads to split each round over: this one and `parallelism - 1` workers of `pool` (the
   * same scores at any value). Given, `pageRank` returns a promise; absent, it runs on this
   * thread and returns the scores.
   */
  parallelism?: number;
  /** Called when the pull index is built (`'index'`), before the rounds: for timings. */
  onPhase?: (phase: 'index') => void;
}

/**
 * What PageRank runs on: a graph, edge arrays over dense ids (what `readEdgeList` gives),
 * whose in-edges are indexed straight from the arrays (no out-edge CSR, no transpose), or an
 * in-edge index as it is (what `readGraphFilePullIndex` loads; unweighted only).
 */
export type PageRankInput<K extends VertexKey = VertexKey> =
  | GraphIndex<K>
  | EdgeArrays<K>
  | { dictionary: VertexDictionary<K>; inEdges: InEdgeIndex };

/**
 * PageRank scores (they sum to 1), with the rounds run and whether the tolerance was reached,
 * on this thread.
 * @example
 * const ranks = pageRank(graph, { dampingFactor: 0.85, tolerance: 1e-9 });
 * ranks.top(10); // [[key, score], ...] highest first
 */
export function pageRank<K extends VertexKey>(
  input: PageRankInput<K>,
  options?: PageRankOptions<K> & { parallelism?: undefined },
): VertexValues<K>;
/**
 * PageRank scores computed by this thread and `parallelism - 1` worker threads: the same
 * values as on one thread.
 * @example
 * const ranks = await pageRank(graph, { parallelism: 2, maxIterations: 20, tolerance: 0 });
 */
export function pageRank<K extends VertexKey>(
  input: PageRankInput<K>,
  options: PageRankOptions<K> & { parallelism: number },
): Promise<VertexValues<K>>;
export function pageRank<K extends VertexKey>(
  input: PageRankInput<K>,
  options: PageRankOptions<K> = {},
): VertexValues<K> | Promise<VertexValues<K>> {
  const weighted = options.weighted === true;
  const values = (result: PageRankScores) =>
    new VertexValues(input.dictionary, result.scores, 'score', result);
  if (options.parallelism === undefined) {
    const jump = jumpDistribution(input, options.personalization);
    const index = pullIndexOf(input, weighted, false);
    options.onPhase?.('index');
    return values(pageRankScores(index, options, { parallelism: undefined }, jump) as PageRankScores);
  }
  return (async () => {
    const jump = jumpDistribution(input, options.personalization);
    const share = typedThreads(edgeCount(input), options) > 1;
    const index =
      share && !weighted && !('inEdges' in input) && !('csr' in input)
        ? await pullIndexOnThreads(input, options)
        : pullIndexOf(input, weighted, share, options.segmentBytes);
    options.onPhase?.('index');
    return values(await pageRankScores(index, options, options, jump));
  })();
}

/** The input's number of edges. */
function edgeCount(input: PageRankInput): number {
  if ('inEdges' in input) return input.inEdges.offsets[input.inEdges.vertexCount];
  return 'csr' in input ? input.csr.targets.length : input.sources.length;
}

/**
 * The pull index: a graph's from its CSR's (cached) in-edge index, edge arrays' straight from
 * the arrays (in shared memory when `share`, for worker threads).
 */
function pullIndexOf(
  input: PageRankInput,
  weighted: boolean,
  share: boolean,
  segmentBytes?: number,
): PullIndex {
  if ('inEdges' in input) {
    if (weighted && input.inEdges.weights === undefined) {
      throw new ParamError('weighted', true, 'an in-edge index with weights (this one has none)');
    }
    return pullIndexOfInEdges(input.inEdges, weighted, share);
  }
  if (!('csr' in input)) {
    const weights = weighted ? checkEdgeWeights(input.weights, 'weighted PageRank') : undefined;
    const index = buildInEdgeIndex(input.dictionary.size, input.sources, input.targets, {
      weights,
      shared: share,
      segmentBytes,
    });
    return pullIndexOfInEdges(index, weighted, share);
  }
  const { csr } = input;
  const { offsets, sources, edgePositions } = csr.inEdges();
  let inWeights: Float64Array | undefined;
  let outWeights: Float64Array | undefined;
  if (weighted) {
    const weights = edgeWeights(input, 'weighted PageRank');
    inWeights = Float64Array.from(edgePositions, (position) => weights[position]);
    outWeights = new Float64Array(csr.vertexCount);
    for (let v = 0; v < csr.vertexCount; v++) {
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) outWeights[v] += weights[e];
    }
  }
  const whole = Int32Array.of(0, csr.vertexCount);
  const index: InEdgeIndex = {
    vertexCount: csr.vertexCount,
    offsets,
    sources: { bounds: whole, arrays: [sources] },
    weights: inWeights === undefined ? undefined : { bounds: whole, arrays: [inWeights] },
    outDegrees: csr.outDegrees(),
    outWeights,
  };
  return pullIndexOfInEdges(index, weighted);
}

/** The unweighted pull index of edge arrays, built on the threads of `threads`. */
async function pullIndexOnThreads(input: EdgeArrays, threads: Threads): Promise<PullIndex> {
  const { dictionary, sources, targets } = input;
  return pullIndexOfInEdges(
    await buildInEdgeIndexOnThreads(dictionary.size, sources, targets, threads),
    false,
    true,
  );
}

/**
 * The personalized jump distribution, one share per vertex (1/|set| on the set, 0 elsewhere);
 * undefined without personalization (every vertex gets 1/N).
 */
function jumpDistribution<K extends VertexKey>(
  input: { dictionary: VertexDictionary<K> },
  personalization: Iterable<K> | undefined,
): Float64Array | undefined {
  if (personalization === undefined) return undefined;
  const ids = new Set<number>();
  for (const key of personalization) ids.add(vertexId(input, 'personalization', key));
  if (ids.size === 0) throw new ParamError('personalization', [], 'at least one vertex key');
  const jump = new Float64Array(input.dictionary.size);
  for (const id of ids) jump[id] = 1 / ids.size;
  return jump;
}
