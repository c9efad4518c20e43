/** PageRank with Gelly's semantics: one iteration over a pull index, on this thread or every core. */
export {
  PAGERANK_DEFAULTS,
  type PageRankOptions,
  type ParallelPageRankOptions,
  pageRank,
  parallelPageRank,
} from './pagerank.js';
