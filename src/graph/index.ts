/** The graph layer: vertex dictionary, CSR, edge-list I/O, generators, Graph and its iteration models. */

export { vertexKeyVector } from './arrow-writer.js';
export type { OutputTarget } from './byte-writer.js';
export {
  type ArrowGraphOptions,
  fromGraphology,
  type GraphologyOptions,
  type GraphologyReadable,
  type GraphologyWritable,
  graphFromArrow,
  readGraph,
  toGraphology,
} from './conversions.js';
export {
  buildCsr,
  Csr,
  type CsrBuildOptions,
  type CsrWithOrder,
  type EdgeOffsets,
  type InEdges,
} from './csr.js';
export { type Collectable, edgesAsDataSet, graphFromDataSets, verticesAsDataSet } from './datasets.js';
export {
  type EdgeList,
  type EdgeListInput,
  type EdgeListReadOptions,
  type EdgeListSeparator,
  readEdgeList,
} from './edge-list-reader.js';
export {
  circulantGraph,
  completeGraph,
  completeGraphBlocks,
  cycleGraph,
  echoGraph,
  emptyGraph,
  type GeneratedGraph,
  type GridDimension,
  gridGraph,
  hypercubeGraph,
  pathGraph,
  RMAT_BLOCK_EDGES,
  RMAT_DEFAULTS,
  type RmatOptions,
  rmatGraph,
  singletonEdgeGraph,
  starGraph,
} from './generators.js';
export {
  type Edge,
  EdgeDirection,
  type EdgeInput,
  Graph,
  type GraphFromEdgesOptions,
  type Triplet,
  type Vertex,
  type VertexInput,
} from './graph.js';
export {
  GRAPH_FILE_MAGIC,
  GRAPH_FILE_VERSION,
  type GraphFileContents,
  type GraphFileEdgeStream,
  type GraphFilePullOptions,
  type GraphFileReadOptions,
  type GraphFileWriteOptions,
  isGraphFile,
  readGraphFile,
  readGraphFilePullIndex,
  streamGraphFileEdges,
  writeGraphFile,
} from './graph-file.js';
export {
  buildInEdgeIndex,
  type EdgeSegments,
  type InEdgeIndex,
  type InEdgeIndexOptions,
  segmentBounds,
} from './in-edge-index.js';
export {
  GraphCheckpoints,
  type GraphIterationIdentity,
  graphFingerprint,
  type IterationState,
} from './iterations/checkpoint.js';
export { MessagingContext, SuperstepContext } from './iterations/context.js';
export { type GatherSumApplyProgram, runGatherSumApplyIteration } from './iterations/gather-sum-apply.js';
export { GeneralInbox, type Inbox, MessageIterator, TypedInbox } from './iterations/messages.js';
export {
  type AggregatorSpec,
  Aggregators,
  type Combiner,
  type GraphCheckpointOptions,
  type IterationOptions as GraphIterationOptions,
  type IterationResult,
} from './iterations/options.js';
export {
  GatherContext,
  runScatterGatherIteration,
  type ScatterContext,
  type ScatterGatherOptions,
  type ScatterGatherProgram,
} from './iterations/scatter-gather.js';
export {
  runTypedGatherSumApply,
  runTypedGatherSumApplyIteration,
  type TypedCombiner,
  type TypedGatherSumApplyOptions,
  type TypedGatherSumApplyProgram,
  type TypedInEdges,
  type TypedIterationResult,
  type TypedStep,
  type TypedVertexFunction,
  type TypedVertexRange,
} from './iterations/typed-gather-sum-apply.js';
export {
  ComputeContext,
  type ComputeFunction,
  runVertexCentricIteration,
  type VertexCentricOptions,
} from './iterations/vertex-centric.js';
export {
  renumberEdges,
  renumberedDictionary,
  VERTEX_ORDERS,
  type VertexOrder,
  vertexOrder,
} from './reorder.js';
export { storeValues, type ValueStore, valueAt } from './values.js';
export { numberIntegerKeys, VertexDictionary, type VertexKey } from './vertex-dictionary.js';
export { VertexResult, type VertexValueArray } from './vertex-result.js';
export {
  type EdgeArrays,
  type EdgeBlocks,
  type EdgeListWriteOptions,
  formatForPath,
  type OutputFormat,
  type ValueColumn,
  type VertexTableWriteOptions,
  writeEdgeList,
  writeVertexRows,
  writeVertexTable,
} from './writers.js';
