/** PageRank with Gelly's semantics, over a graph or edge arrays, on this thread or every core. */
export {
  PAGERANK_DEFAULTS,
  type PageRankInput,
  type PageRankOptions,
  pageRank,
} from './pagerank.js';
