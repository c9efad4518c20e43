/**
 * Summarization, after Gelly's Summarization: vertices with the same value become one
 * summary vertex (keyed by its representative, the member with the smallest id, and counting
 * its members), and the edges between two groups one summary edge counting them. Typical use:
 * summarize by component or community labels to see how groups connect.
 */

import { ParamError } from '../../src/core/errors.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';

/** A group of vertices that share a value. */
export interface SummaryVertex<K extends VertexKey, V> {
  /** The key of the group's member with the smallest id. */
  representative: K;
  /** The value the members share. */
  value: V;
  /** Number of members. */
  count: number;
}

/** All edges from one group to another (or within one). */
export interface SummaryEdge<K extends VertexKey> {
  source: K;
  target: K;
  /** Number of edges. */
  count: number;
}

/** The summary graph. */
export interface Summary<K extends VertexKey, V> {
  vertices: SummaryVertex<K, V>[];
  edges: SummaryEdge<K>[];
}

/**
 * Groups vertices by `values` (one per dense id; numbers or strings) and counts the edges
 * between groups. Groups are listed by representative id, edges by (source, target) group.
 */
export function summarize<K extends VertexKey, V extends number | string>(
  graph: GraphIndex<K>,
  values: ArrayLike<V>,
): Summary<K, V> {
  const n = graph.csr.vertexCount;
  if (values.length !== n) throw new ParamError('values', `${values.length} values`, `${n} (one per vertex)`);
  const groupOf = new Int32Array(n);
  const groupIndex = new Map<V, number>();
  const vertices: SummaryVertex<K, V>[] = [];
  for (let v = 0; v < n; v++) {
    let group = groupIndex.get(values[v]);
    if (group === undefined) {
      group = vertices.length;
      groupIndex.set(values[v], group);
      vertices.push({ representative: graph.dictionary.key(v), value: values[v], count: 0 });
    }
    vertices[group].count++;
    groupOf[v] = group;
  }
  const groups = vertices.length;
  const counts = new Map<number, number>();
  const { offsets, targets } = graph.csr;
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const pair = groupOf[v] * groups + groupOf[targets[e]];
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  const edges = [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([pair, count]) => ({
      source: vertices[Math.floor(pair / groups)].representative,
      target: vertices[pair % groups].representative,
      count,
    }));
  return { vertices, edges };
}
