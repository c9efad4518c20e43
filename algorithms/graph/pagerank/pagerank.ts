/**
 * PageRank with Gelly's semantics: every vertex starts at 1/N; in each round a vertex splits
 * its score over its out-edges (in proportion to edge weight when weighted), the score of
 * sink vertices (no out-edges, or zero out-weight) and the random jump are spread over all
 * vertices (over the personalization set instead, when one is given, as networkx does); the
 * iteration stops when the L1 norm of the change is <= tolerance, or after maxIterations.
 *
 * The rounds themselves are in pagerank-rounds.ts (shared with `eddy pagerank`, which pulls
 * over an index built straight from the edge list), their threads in parallel-pagerank.ts.
 */
import { ParamError } from '../../../src/core/errors.js';
import type { InEdgeIndex } from '../../../src/graph/in-edge-index.js';
import type { VertexKey } from '../../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from '../graph-index.js';
import { edgeWeights, vertexId } from '../options.js';
import { VertexValues } from '../vertex-values.js';
import { type PageRankThreads, pageRankScores } from './parallel.js';
import {
  type PageRankOptions,
  type PageRankScores,
  type PullIndex,
  pageRankHere,
  pullIndexOfInEdges,
} from './rounds.js';

export { PAGERANK_DEFAULTS, type PageRankOptions } from './rounds.js';

/** Options of {@link parallelPageRank}: PageRank's, plus how many threads. */
export interface ParallelPageRankOptions<K extends VertexKey = VertexKey>
  extends PageRankOptions<K>,
    PageRankThreads {}

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
  const jump = jumpDistribution(graph, options.personalization);
  return vertexValues(graph, pageRankHere(pullIndexOfGraph(graph, options.weighted === true), options, jump));
}

/**
 * PageRank scores computed by `parallelism` worker threads; the same values as
 * {@link pageRank} gives.
 * @example
 * const ranks = await parallelPageRank(graph, { parallelism: 2, maxIterations: 20, tolerance: 0 });
 */
export async function parallelPageRank<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: ParallelPageRankOptions<K> = {},
): Promise<VertexValues<K>> {
  const jump = jumpDistribution(graph, options.personalization);
  const index = pullIndexOfGraph(graph, options.weighted === true);
  return vertexValues(graph, await pageRankScores(index, options, jump));
}

function vertexValues<K extends VertexKey>(graph: GraphIndex<K>, result: PageRankScores): VertexValues<K> {
  return new VertexValues(graph.dictionary, result.scores, 'score', result);
}

/** The pull index of a graph: its CSR's (cached) in-edge index, seen as an {@link InEdgeIndex}. */
function pullIndexOfGraph(graph: GraphIndex, weighted: boolean): PullIndex {
  const { csr } = graph;
  const { offsets, sources, edgePositions } = csr.inEdges();
  let inWeights: Float64Array | undefined;
  let outWeights: Float64Array | undefined;
  if (weighted) {
    const weights = edgeWeights(graph, 'weighted PageRank');
    inWeights = Float64Array.from(edgePositions, (position) => weights[position]);
    outWeights = new Float64Array(csr.vertexCount);
    for (let v = 0; v < csr.vertexCount; v++) {
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) outWeights[v] += weights[e];
    }
  }
  const index: InEdgeIndex = {
    vertexCount: csr.vertexCount,
    offsets,
    sources,
    weights: inWeights,
    outDegrees: csr.outDegrees(),
    outWeights,
  };
  return pullIndexOfInEdges(index, weighted);
}

/**
 * The personalized jump distribution, one share per vertex (1/|set| on the set, 0 elsewhere);
 * undefined without personalization (every vertex gets 1/N).
 */
function jumpDistribution<K extends VertexKey>(
  graph: GraphIndex<K>,
  personalization: Iterable<K> | undefined,
): Float64Array | undefined {
  const n = graph.csr.vertexCount;
  if (personalization === undefined) return undefined;
  const ids = new Set<number>();
  for (const key of personalization) ids.add(vertexId(graph, 'personalization', key));
  if (ids.size === 0) throw new ParamError('personalization', [], 'at least one vertex key');
  const jump = new Float64Array(n);
  for (const id of ids) jump[id] = 1 / ids.size;
  return jump;
}
