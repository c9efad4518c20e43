/**
 * Vertex reordering for locality: a graph's dense ids renumbered so that the vertices an
 * algorithm touches together sit close in memory. `'degree'` puts vertices in descending
 * order of total degree (the hubs, whose scores every pull reads, share cache lines);
 * `'bfs'` numbers vertices in breadth-first order along out-edges, from the unvisited vertex
 * of highest degree each time (neighbours get nearby ids). The keys move with their vertices,
 * so every result is still reported under the keys as read.
 */
import { ParamError } from '../core/errors.js';
import { buildCsr } from './csr.js';
import { VertexDictionary } from './vertex-dictionary.js';

/** The vertex orders {@link vertexOrder} knows. */
export const VERTEX_ORDERS = ['degree', 'bfs'] as const;
/** A vertex order. */
export type VertexOrder = (typeof VERTEX_ORDERS)[number];

/**
 * The new id of every vertex (`newId[old]`) for the order `order` of the graph with edges
 * `sources[e] → targets[e]` over ids `0 .. vertexCount - 1`. Ties keep the old order, so the
 * result is deterministic.
 */
export function vertexOrder(
  order: VertexOrder,
  vertexCount: number,
  sources: Int32Array,
  targets: Int32Array,
): Int32Array {
  if (!VERTEX_ORDERS.includes(order)) throw new ParamError('order', order, VERTEX_ORDERS.join(' or '));
  const degrees = new Int32Array(vertexCount);
  for (let e = 0; e < sources.length; e++) {
    degrees[sources[e]]++;
    degrees[targets[e]]++;
  }
  const byDegree = descendingByDegree(degrees);
  if (order === 'degree') return inverse(byDegree);
  const { offsets, targets: neighbours } = buildCsr(vertexCount, sources, targets).csr;
  const newId = new Int32Array(vertexCount).fill(-1);
  const queue = new Int32Array(vertexCount);
  let next = 0;
  for (const start of byDegree) {
    if (newId[start] !== -1) continue;
    let head = next;
    newId[start] = next;
    queue[next++] = start;
    while (head < next) {
      const v = queue[head++];
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        const u = neighbours[e];
        if (newId[u] === -1) {
          newId[u] = next;
          queue[next++] = u;
        }
      }
    }
  }
  return newId;
}

/** Vertex ids by descending degree, ties by id (a stable counting sort). */
function descendingByDegree(degrees: Int32Array): Int32Array {
  let most = 0;
  for (const degree of degrees) if (degree > most) most = degree;
  const starts = new Float64Array(most + 2);
  for (const degree of degrees) starts[most - degree + 1]++;
  for (let d = 0; d <= most; d++) starts[d + 1] += starts[d];
  const order = new Int32Array(degrees.length);
  for (let v = 0; v < degrees.length; v++) order[starts[most - degrees[v]]++] = v;
  return order;
}

/** `result[permutation[i]] = i`. */
function inverse(permutation: Int32Array): Int32Array {
  const result = new Int32Array(permutation.length);
  for (let i = 0; i < permutation.length; i++) result[permutation[i]] = i;
  return result;
}

/** Rewrites edge ends in place from old ids to `newId[old]`. */
export function renumberEdges(newId: Int32Array, sources: Int32Array, targets: Int32Array): void {
  for (let e = 0; e < sources.length; e++) {
    sources[e] = newId[sources[e]];
    targets[e] = newId[targets[e]];
  }
}

/** The dictionary with every key moved to its vertex's new id. */
export function renumberedDictionary<K extends string | number>(
  dictionary: VertexDictionary<K>,
  newId: Int32Array,
): VertexDictionary<K> {
  const numbers = dictionary.numericKeys();
  if (numbers !== undefined) {
    const keys = new Float64Array(numbers.length);
    for (let v = 0; v < numbers.length; v++) keys[newId[v]] = numbers[v];
    return VertexDictionary.fromNumbersInOrder(keys) as VertexDictionary<K>;
  }
  const texts = dictionary.keys() as string[];
  const keys: string[] = new Array(texts.length);
  for (let v = 0; v < texts.length; v++) keys[newId[v]] = texts[v];
  return VertexDictionary.fromStrings(keys) as VertexDictionary<K>;
}
