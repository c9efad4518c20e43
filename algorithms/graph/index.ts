/** The graph library: Gelly's algorithms (and a few more) on eddy's graph layer. */
export {
  type ClusteringCoefficients,
  type ClusteringOptions,
  clusteringCoefficients,
} from './clustering-coefficient.js';
export {
  COMMUNITY_DETECTION_DEFAULTS,
  type CommunityDetectionOptions,
  communityDetection,
} from './community-detection.js';
export {
  COMPONENT_CHUNKS,
  type ComponentsInput,
  type ComponentsIterationOptions,
  type ComponentsOptions,
  connectedComponents,
  type FileComponentsOptions,
  gsaConnectedComponents,
} from './connected-components.js';
export type { GraphIndex } from './graph-index.js';
export { HITS_DEFAULTS, type HitsOptions, HitsResult, hits } from './hits/index.js';
export {
  LABEL_PROPAGATION_DEFAULTS,
  type LabelPropagationOptions,
  labelPropagation,
} from './label-propagation.js';
export {
  type EdgeMetrics,
  edgeMetrics,
  type MetricsOptions,
  type VertexMetrics,
  vertexMetrics,
} from './metrics.js';
export {
  PAGERANK_DEFAULTS,
  type PageRankInput,
  type PageRankOptions,
  pageRank,
} from './pagerank/index.js';
export { adamicAdar, jaccardIndex, PairScores, type SimilarityOptions } from './similarity.js';
export {
  gsaSingleSourceShortestPaths,
  type ShortestPathsOptions,
  singleSourceShortestPaths,
} from './sssp.js';
export {
  type StronglyConnectedOptions,
  stronglyConnectedComponents,
} from './strongly-connected/index.js';
export { type Summary, type SummaryEdge, type SummaryVertex, summarize } from './summarization.js';
export { topIds } from './top-ids.js';
export { TRIAD_TYPES, type TriadType, triadicCensus } from './triadic-census.js';
export {
  countTriangles,
  TRIANGLE_CHUNKS,
  type TriangleCountOptions,
  type TriangleOptions,
  type Triangles,
  triangles,
} from './triangles.js';
export { VertexLabels } from './vertex-labels.js';
export { type IterationOutcome, VertexValues } from './vertex-values.js';
