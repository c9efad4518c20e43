/** The graph layer: vertex dictionary, CSR, edge-list I/O, generators, Graph and its iteration models. */
export type { OutputTarget } from './byte-writer.js';
export { buildCsr, Csr, type CsrBuildOptions, type CsrWithOrder, type InEdges } from './csr.js';
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
  cycleGraph,
  echoGraph,
  emptyGraph,
  type GeneratedGraph,
  type GridDimension,
  gridGraph,
  hypercubeGraph,
  pathGraph,
  RMAT_BLOCK_EDGES,
  type RmatOptions,
  rmatGraph,
  singletonEdgeGraph,
  starGraph,
} from './generators.js';
export { numberIntegerKeys, VertexDictionary, type VertexKey } from './vertex-dictionary.js';
export {
  type EdgeArrays,
  type EdgeListWriteOptions,
  formatForPath,
  type OutputFormat,
  type ValueColumn,
  type VertexTableWriteOptions,
  writeEdgeList,
  writeVertexTable,
} from './writers.js';
