/**
 * Runs the PageRank rounds over threads through the core driver: each round's pull is cut
 * into vertex ranges of equal in-edge counts, one per thread, over arrays in
 * SharedArrayBuffers (the pull index is copied into shared memory unless it was built there;
 * the per-round vectors live there). Every vertex's sum is made by one thread in in-edge
 * order, so the scores are identical to the single-threaded ones at any parallelism.
 */
import { shared, sharedArrays } from '../../../src/core/shared-memory.js';
import { runChunks, type Threads, threadCount } from '../../../src/core/threads/driver.js';
import { pullChunk, splitByEdges } from './kernels.js';
import {
  type PageRankRoundOptions,
  type PageRankScores,
  type PullIndex,
  pageRankHere,
  pageRankRounds,
} from './rounds.js';

/** Graphs with fewer in-edges than this run in this thread: a round is cheaper than a message. */
const PARALLEL_EDGE_MINIMUM = 1 << 16;

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernel = {
  module: new URL(`./kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'pullChunk',
  local: pullChunk,
};

/** How many threads the rounds over `index` use. */
export function pageRankThreads(index: Pick<PullIndex, 'sources'>, threads: Threads): number {
  return index.sources.length < PARALLEL_EDGE_MINIMUM ? 1 : threadCount(threads);
}

/**
 * PageRank scores over a pull index, the rounds split over this thread and
 * `parallelism - 1` workers; the same values at any parallelism.
 */
export async function pageRankOnThreads(
  index: PullIndex,
  options: PageRankRoundOptions,
  threads: Threads,
  jump?: Float64Array,
): Promise<PageRankScores> {
  const count = pageRankThreads(index, threads);
  if (count === 1) return pageRankHere(index, options, jump);
  const offsets = shared(index.offsets);
  const sources = shared(index.sources);
  const shares = index.shares === null ? null : shared(index.shares);
  const bounds = splitByEdges(offsets, count);
  const rounds = pageRankRounds(
    { offsets, sources, shares, inverseOut: index.inverseOut },
    options,
    jump,
    sharedArrays.float64,
  );
  let step = rounds.next();
  while (step.done !== true) {
    const { values, next, damping } = step.value;
    await runChunks(kernel, [offsets, sources, shares, values, next, damping, bounds], count, threads);
    step = rounds.next();
  }
  return step.value;
}
