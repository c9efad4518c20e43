/**
 * Runs the PageRank rounds over threads: each round's pull is split into ranges of equal
 * in-edge counts, one for this thread and one for each of `parallelism - 1` workers, over
 * arrays in SharedArrayBuffers (the pull index is copied into shared memory unless it was
 * built there; the per-round vectors live there). Every vertex's sum is made by one thread in
 * in-edge order, so the scores are identical to the single-threaded ones at any parallelism.
 */
import { availableParallelism } from 'node:os';
import { shared, sharedArrays } from '../../../src/core/shared-memory.js';
import { sharedWorkerPool, type WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { checkCount } from '../options.js';
import { pullTask, splitByEdges } from './kernels.js';
import {
  type PageRankOptions,
  type PageRankScores,
  type PullIndex,
  pageRankHere,
  pageRankRounds,
} from './rounds.js';

/** How many threads run the rounds, and on which pool. */
export interface PageRankThreads {
  /**
   * Threads to split each round over: this one and `parallelism - 1` workers (default: the
   * number of cores; 1 runs in this thread only).
   */
  parallelism?: number;
  /** The pool to run on (default: the process-wide pool). */
  pool?: WorkerPool;
}

/** Graphs with fewer in-edges than this run in this thread: a round is cheaper than a message. */
const PARALLEL_EDGE_MINIMUM = 1 << 16;

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const kernels = {
  module: new URL(`./kernels${extension}`, import.meta.url),
  exportName: 'pullTask',
};

/**
 * PageRank scores over a pull index, the rounds split over `parallelism` worker threads;
 * the same values at any parallelism.
 */
export async function pageRankScores(
  index: PullIndex,
  options: PageRankOptions & PageRankThreads,
  jump?: Float64Array,
): Promise<PageRankScores> {
  const parallelism = checkCount('parallelism', options.parallelism ?? availableParallelism());
  if (parallelism === 1 || index.sources.length < PARALLEL_EDGE_MINIMUM) {
    return pageRankHere(index, options, jump);
  }
  const offsets = shared(index.offsets);
  const sources = shared(index.sources);
  const shares = index.shares === null ? null : shared(index.shares);
  const bounds = splitByEdges(offsets, parallelism);
  const pool = options.pool ?? sharedWorkerPool();
  const rounds = pageRankRounds(
    { offsets, sources, shares, inverseOut: index.inverseOut },
    options,
    jump,
    sharedArrays.float64,
  );
  let step = rounds.next();
  while (step.done !== true) {
    const { values, next, damping } = step.value;
    const parts: Promise<void>[] = [];
    for (let p = 1; p < parallelism; p++) {
      if (bounds[p] === bounds[p + 1]) continue;
      parts.push(
        pool.run<void>(kernels, [offsets, sources, shares, values, next, damping, bounds[p], bounds[p + 1]]),
      );
    }
    // This thread takes the first range while the workers run the others.
    pullTask(offsets, sources, shares, values, next, damping, bounds[0], bounds[1]);
    await Promise.all(parts);
    step = rounds.next();
  }
  return step.value;
}
