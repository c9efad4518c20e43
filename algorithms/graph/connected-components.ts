/**
 * Weakly connected components (edge direction ignored). Every vertex is labelled with the key
 * of the smallest-id member of its component, as Gelly's minimum-id rule does (ids number
 * integer keys ascending and string keys by first appearance, so for integer keys the label is
 * the smallest key).
 *
 * Two ways with the same answer: {@link connectedComponents} is union-find over the edge
 * arrays (near-linear, no iteration, what the CLI uses), and {@link gsaConnectedComponents} is
 * Gelly's gather-sum-apply formulation (gather the neighbour's label, sum = min, apply when
 * smaller), iterated over the changed vertices until nothing changes.
 */
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
 * Weakly connected components in Gelly's gather-sum-apply form: each superstep, every vertex
 * next to a vertex that changed gathers its neighbours' labels, keeps the minimum (sum), and
 * applies it when smaller than its own. Same labels as {@link connectedComponents}.
 */
export function gsaConnectedComponents<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: ComponentsIterationOptions = {},
): VertexLabels<K> {
  const { csr } = graph;
  const n = csr.vertexCount;
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? Math.max(1, n));
  const inEdges = csr.inEdges();
  const label = new Int32Array(n);
  for (let v = 0; v < n; v++) label[v] = v;
  // Vertices whose label changed in the last superstep; all of them before the first.
  let changed = new Uint8Array(n).fill(1);
  let nextChanged = new Uint8Array(n);
  let iterations = 0;
  let active = n;
  while (active > 0 && iterations < maxIterations) {
    iterations++;
    active = 0;
    nextChanged.fill(0);
    // Gather along both directions (undirected), reading the labels of the previous superstep:
    // a vertex only updates when some neighbour changed, which is what the workset tracks.
    const previous = label.slice();
    for (let v = 0; v < n; v++) {
      let minimum = previous[v];
      let touched = false;
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) {
        const u = csr.targets[e];
        if (changed[u] === 1) {
          touched = true;
          if (previous[u] < minimum) minimum = previous[u];
        }
      }
      for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) {
        const u = inEdges.sources[e];
        if (changed[u] === 1) {
          touched = true;
          if (previous[u] < minimum) minimum = previous[u];
        }
      }
      if (touched && minimum < label[v]) {
        label[v] = minimum;
        nextChanged[v] = 1;
        active++;
      }
    }
    const swap = changed;
    changed = nextChanged;
    nextChanged = swap;
  }
  return new VertexLabels(graph.dictionary, label, 'component', { iterations, converged: active === 0 });
}
