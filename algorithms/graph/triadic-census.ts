/**
 * Triadic census: how many of the C(n, 3) vertex triples form each of the 16 directed triad
 * types (Holland and Leinhardt's names, "003" .. "300"), on the simple directed view (no
 * self-loops, parallel edges once). Batagelj and Mrvar's subquadratic algorithm: only triples
 * with at least one edge are visited, each once; "003" is what remains.
 */
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';

/** The 16 triad types, in the customary order. */
export const TRIAD_TYPES = [
  '003',
  '012',
  '102',
  '021D',
  '021U',
  '021C',
  '111D',
  '111U',
  '030T',
  '030C',
  '201',
  '120D',
  '120U',
  '120C',
  '210',
  '300',
] as const;

/** A triad type name. */
export type TriadType = (typeof TRIAD_TYPES)[number];

/**
 * Triad type (index into TRIAD_TYPES) of a triple v, u, w by its 6-bit code:
 * v→u 1, u→v 2, v→w 4, w→v 8, u→w 16, w→u 32.
 */
// biome-ignore format: a 64-entry lookup table reads best as rows
const TYPE_OF_CODE = Int8Array.from([
  1, 2, 2, 3, 2, 4, 6, 8, 2, 6, 5, 7, 3, 8, 7, 11, 2, 6, 4, 8, 5, 9, 9, 13, 6, 10, 9, 14, 7, 14, 12, 15,
  2, 5, 6, 7, 6, 9, 10, 14, 4, 9, 9, 12, 8, 13, 14, 15, 3, 7, 8, 11, 7, 12, 14, 15, 8, 14, 13, 15, 11, 15, 15, 16,
], (code) => code - 1);

/** Sorted neighbour lists of the simple directed graph with a direction flag per neighbour. */
interface FlaggedAdjacency {
  offsets: Int32Array;
  neighbors: Int32Array;
  /** 1: v→u, 2: u→v, 3: both. */
  flags: Uint8Array;
}

function flaggedAdjacency(graph: GraphIndex): FlaggedAdjacency {
  const { offsets, targets } = graph.csr;
  const n = graph.csr.vertexCount;
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const u = targets[e];
      if (u === v) continue;
      lists[v].push(u * 4 + 1);
      lists[u].push(v * 4 + 2);
    }
  }
  const resultOffsets = new Int32Array(n + 1);
  const neighbors: number[] = [];
  const flags: number[] = [];
  for (let v = 0; v < n; v++) {
    const list = Float64Array.from(lists[v]).sort();
    for (let i = 0; i < list.length; i++) {
      const u = Math.floor(list[i] / 4);
      const flag = list[i] % 4;
      if (neighbors.length > resultOffsets[v] && neighbors[neighbors.length - 1] === u) {
        flags[flags.length - 1] |= flag;
      } else {
        neighbors.push(u);
        flags.push(flag);
      }
    }
    resultOffsets[v + 1] = neighbors.length;
  }
  return { offsets: resultOffsets, neighbors: Int32Array.from(neighbors), flags: Uint8Array.from(flags) };
}

/** Counts of the 16 triad types (they sum to C(n, 3)). */
export function triadicCensus<K extends VertexKey>(graph: GraphIndex<K>): Record<TriadType, number> {
  const n = graph.csr.vertexCount;
  const { offsets, neighbors, flags } = flaggedAdjacency(graph);
  const counts = new Float64Array(16);
  for (let v = 0; v < n; v++) {
    const vStart = offsets[v];
    const vEnd = offsets[v + 1];
    for (let a = vStart; a < vEnd; a++) {
      const u = neighbors[a];
      if (u <= v) continue;
      const vu = flags[a];
      // Merge N(v) and N(u), without u and v: the third vertices of connected triads.
      let i = vStart;
      let j = offsets[u];
      const uEnd = offsets[u + 1];
      let union = 0;
      while (i < vEnd || j < uEnd) {
        const x = i < vEnd ? neighbors[i] : n;
        const y = j < uEnd ? neighbors[j] : n;
        const w = x < y ? x : y;
        const vw = x === w ? flags[i++] : 0;
        const uw = y === w ? flags[j++] : 0;
        if (w === u || w === v) continue;
        union++;
        // Count each connected triple once: from its smallest edge-joined pair.
        if (u < w || (v < w && w < u && vw === 0)) counts[TYPE_OF_CODE[vu + 4 * vw + 16 * uw]]++;
      }
      counts[vu === 3 ? 2 : 1] += n - union - 2;
    }
  }
  let connected = 0;
  for (let t = 1; t < 16; t++) connected += counts[t];
  // All triples in BigInt: C(n, 3) passes 2^53 near n = 200,000.
  counts[0] = Number((BigInt(n) * BigInt(n - 1) * BigInt(Math.max(0, n - 2))) / 6n - BigInt(connected));
  const census = {} as Record<TriadType, number>;
  TRIAD_TYPES.forEach((name, t) => {
    census[name] = counts[t];
  });
  return census;
}
