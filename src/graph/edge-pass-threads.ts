/**
 * How a pass over the edges of a graph (the in-edge index, the numbering of integer keys) is cut
 * for the core driver's threads: into equal ranges of the edges, one a thread, each of at least
 * `edgesPerThread` edges.
 */
import { type Threads, threadCount } from '../core/threads/driver.js';

/** The threads of a pass over the edges. */
export type EdgePassThreads = Threads & {
  /** The fewest edges for each thread (default 2^20: a worker's start costs more); smaller values are for tests. */
  edgesPerThread?: number;
};

const EDGES_PER_THREAD = 1 << 20;

/** How many equal ranges (threads) a pass over `edgeCount` edges takes. */
export function edgePassChunks(edgeCount: number, threads: EdgePassThreads): number {
  return threadCount(threads, Math.ceil(edgeCount / (threads.edgesPerThread ?? EDGES_PER_THREAD)));
}
