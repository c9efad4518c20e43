/**
 * Runs the PageRank rounds over threads through the core driver: each round's pull is cut
 * into vertex ranges of equal in-edge counts, at least one per thread and none across two
 * segments of the in-edge arrays, over arrays in SharedArrayBuffers (the pull index is copied
 * into shared memory, in segments a worker can take, unless it was built that way; the
 * per-round vectors live there). Every vertex's sum is made by one thread in in-edge order,
 * so the scores are identical to the single-threaded ones at any parallelism.
 */
import { shared, sharedArrays } from '../../../src/core/shared-memory.js';
import { runChunks, segmentBytes, type Threads, threadCount } from '../../../src/core/threads/driver.js';
import { splitByEdges } from '../../../src/graph/csr.js';
import { sharedSegments } from '../../../src/graph/in-edge-index.js';
import { pullChunk } from './kernels.js';
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

/** How many threads the rounds over `edgeCount` in-edges use. */
export function pageRankThreads(edgeCount: number, threads: Threads): number {
  return edgeCount < PARALLEL_EDGE_MINIMUM ? 1 : threadCount(threads);
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
  const n = index.inverseOut.length;
  const count = pageRankThreads(index.offsets[n], threads);
  if (count === 1) return pageRankHere(index, options, jump);
  const offsets = shared(index.offsets);
  const maxEdges = Math.floor(segmentBytes(threads) / (index.shares === null ? 4 : 8));
  const sources = sharedSegments(offsets, index.sources, maxEdges);
  const shares = index.shares === null ? null : sharedSegments(offsets, index.shares, maxEdges);
  const { bounds, segmentOf } = chunksWithin(offsets, sources.bounds, count);
  const rounds = pageRankRounds(
    { offsets, sources, shares, inverseOut: index.inverseOut },
    options,
    jump,
    sharedArrays.float64,
  );
  const segmentArrays = sources.arrays;
  const shareArrays = shares === null ? null : shares.arrays;
  let step = rounds.next();
  while (step.done !== true) {
    const { values, next, damping } = step.value;
    const args = [
      offsets,
      segmentArrays,
      shareArrays,
      values,
      next,
      damping,
      bounds,
      segmentOf,
      sources.bounds,
    ];
    await runChunks(kernel, args, bounds.length - 1, threads);
    step = rounds.next();
  }
  return step.value;
}

/**
 * Vertex ranges of about equal in-edge counts, `parts` of them cut further at the segment
 * bounds, and the segment each lies in.
 */
function chunksWithin(
  offsets: Int32Array,
  segmentStarts: Int32Array,
  parts: number,
): { bounds: Int32Array; segmentOf: Int32Array } {
  const cuts = [...new Set([...splitByEdges(offsets, parts), ...segmentStarts])].sort((a, b) => a - b);
  const segmentOf = new Int32Array(cuts.length - 1);
  let segment = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    while (segmentStarts[segment + 1] <= cuts[c] && segment + 2 < segmentStarts.length) segment++;
    segmentOf[c] = segment;
  }
  return { bounds: Int32Array.from(cuts), segmentOf };
}
