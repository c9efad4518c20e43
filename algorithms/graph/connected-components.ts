/**
 * Weakly connected components (edge direction ignored). Every vertex is labelled with the key
 * of the smallest-id member of its component, as Gelly's minimum-id rule does (ids number
 * integer keys ascending and string keys by first appearance, so for integer keys the label is
 * the smallest key).
 *
 * Two ways with the same answer: {@link connectedComponents} is union-find over the edge
 * arrays (near-linear, no iteration, what the CLI uses by default), and
 * {@link gsaConnectedComponents} is Gelly's gather-sum-apply formulation on the graph layer's
 * iteration model (gather the neighbour's label, sum = min, apply when smaller).
 */
import { Graph } from '../../src/graph/graph.js';
import { runGatherSumApplyIteration } from '../../src/graph/iterations/gather-sum-apply.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { checkCount } from './options.js';
import { VertexLabels } from './vertex-labels.js';

/** Weakly connected components by union-find: label = smallest dense id of the component. */
export function connectedComponents<K extends VertexKey>(graph: GraphIndex<K>): VertexLabels<K> {
  const { csr } = graph;
  const n = csr.vertexCount;
  // parent[v] <= v always: linking the larger root under the smaller keeps every root the
  // smallest id of its set, so the root is the label and no second pass for minima is needed.
  const parent = new Int32Array(n);
  for (let v = 0; v < n; v++) parent[v] = v;
  const { offsets, targets } = csr;
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1];
    for (let e = offsets[v]; e < end; e++) {
      let a = v;
      let b = targets[e];
      // Path halving on both ends until they meet at one root.
      while (parent[a] !== a) a = parent[a] = parent[parent[a]];
      while (parent[b] !== b) b = parent[b] = parent[parent[b]];
      if (a < b) parent[b] = a;
      else if (b < a) parent[a] = b;
    }
  }
  // Ascending order: every parent is already final when its children are visited.
  for (let v = 0; v < n; v++) parent[v] = parent[parent[v]];
  return new VertexLabels(graph.dictionary, parent, 'component');
}

/** Options of {@link gsaConnectedComponents}. */
export interface ComponentsIterationOptions {
  /** Upper bound on supersteps (default: unbounded, i.e. the vertex count). */
  maxIterations?: number;
}

/**
 * Weakly connected components in Gelly's gather-sum-apply form (GSAConnectedComponents), on the
 * graph layer's model: each superstep, the vertices whose label changed offer it across their
 * edges in both directions, the offers are summed by minimum, and a vertex applies a smaller
 * one. Same labels as {@link connectedComponents}.
 */
export function gsaConnectedComponents<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: ComponentsIterationOptions = {},
): VertexLabels<K> {
  const n = graph.csr.vertexCount;
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? Math.max(1, n));
  const start = new Graph<K, number, undefined>(
    graph.dictionary,
    graph.csr,
    Float64Array.from({ length: n }, (_, v) => v),
    undefined,
  );
  const result = runGatherSumApplyIteration<K, number, undefined, number>(
    start,
    {
      gather: (label) => label,
      sum: 'min',
      apply: (offered, current) => (offered < current ? offered : current),
    },
    { name: 'connected components (GSA)', maxIterations, direction: 'all' },
  );
  return new VertexLabels(
    graph.dictionary,
    Int32Array.from(result.graph.numericVertexValues()!),
    'component',
    result,
  );
}
