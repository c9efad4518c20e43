/**
 * PageRank over worker threads: the same rounds as {@link pageRank} (pageRankRounds), with
 * each round's pull split into ranges of equal in-edge counts, one per worker, over arrays in
 * SharedArrayBuffers (the in-edge index is copied into shared memory once; the per-round
 * vectors live there). Every vertex's sum is made by one worker in in-edge order, so the
 * scores are identical to the single-threaded ones at any parallelism.
 */
import { availableParallelism } from 'node:os';
import { sharedWorkerPool, type WorkerPool } from '../../src/dataset/runtime/worker-pool.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { checkCount } from './options.js';
import {
  inEdgeShares,
  inverseOutWeights,
  type PageRankOptions,
  pageRank,
  pageRankRounds,
} from './pagerank.js';
import { splitByEdges } from './pagerank-kernels.js';
import type { VertexValues } from './vertex-values.js';

/** Options of {@link parallelPageRank}: PageRank's, plus how many threads. */
export interface ParallelPageRankOptions<K extends VertexKey = VertexKey> extends PageRankOptions<K> {
  /** Worker threads to split each round over (default: the number of cores; 1 runs in this thread). */
  parallelism?: number;
  /** The pool to run on (default: the process-wide pool). */
  pool?: WorkerPool;
}

/** Graphs with fewer in-edges than this run in this thread: a round is cheaper than a message. */
const PARALLEL_EDGE_MINIMUM = 1 << 16;

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const kernels = {
  module: new URL(`./pagerank-kernels${extension}`, import.meta.url),
  exportName: 'pullTask',
};

function shared<T extends Int32Array | Float64Array>(array: T): T {
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(
    new SharedArrayBuffer(array.byteLength),
  );
  copy.set(array as never);
  return copy;
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
  const parallelism = checkCount('parallelism', options.parallelism ?? availableParallelism());
  const { csr } = graph;
  if (parallelism === 1 || csr.edgeCount < PARALLEL_EDGE_MINIMUM) return pageRank(graph, options);
  const inEdges = csr.inEdges();
  const offsets = shared(inEdges.offsets);
  const sources = shared(inEdges.sources);
  const shares = options.weighted ? shared(inEdgeShares(graph, inverseOutWeights(graph, true))) : null;
  const bounds = splitByEdges(offsets, parallelism);
  const pool = options.pool ?? sharedWorkerPool();
  const allocate = (length: number) => new Float64Array(new SharedArrayBuffer(length * 8));
  const rounds = pageRankRounds(graph, options, allocate, { offsets, sources, shares });
  let step = rounds.next();
  while (step.done !== true) {
    const { values, next, damping } = step.value;
    const parts: Promise<void>[] = [];
    for (let p = 0; p < parallelism; p++) {
      if (bounds[p] === bounds[p + 1]) continue;
      parts.push(
        pool.run<void>(kernels, [offsets, sources, shares, values, next, damping, bounds[p], bounds[p + 1]]),
      );
    }
    await Promise.all(parts);
    step = rounds.next();
  }
  return step.value;
}
