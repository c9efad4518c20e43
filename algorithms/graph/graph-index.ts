/**
 * What a library algorithm reads: the vertex dictionary (keys as written) and the CSR
 * adjacency over dense ids. A graph layer `Graph` satisfies it, and so does the pair an
 * edge-list file loads into, so algorithms run without copying either.
 */
import type { Csr } from '../../src/graph/csr.js';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';

/** A directed graph as algorithms see it: dense ids, CSR out-edges, keys as written. */
export interface GraphIndex<K extends VertexKey = VertexKey> {
  readonly dictionary: VertexDictionary<K>;
  readonly csr: Csr;
}
