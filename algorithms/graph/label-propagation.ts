/**
 * Label propagation (Raghavan, Albert and Kumara) with Gelly's semantics: every vertex starts
 * with its own key as label. Scatter-gather supersteps: the vertices updated in the previous
 * superstep (all of them in the first) send their label along their out-edges; each vertex
 * that receives labels adopts the most frequent one, a tie going to the greater label (key
 * order), and when every label came once it keeps its own unless a received one is greater.
 * Gelly counts a vertex as updated whenever it received labels, so the same vertices send
 * again; the iteration stops when a superstep changes no label and no sender, or at
 * maxIterations. There is no randomness: Gelly's tie rule is deterministic.
 */
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { keyOrder } from './key-order.js';
import { checkCount } from './options.js';
import { VertexLabels } from './vertex-labels.js';

/** The defaults of {@link LabelPropagationOptions}. */
export const LABEL_PROPAGATION_DEFAULTS = { maxIterations: 100 };

/** Options of {@link labelPropagation}. */
export interface LabelPropagationOptions {
  /** Upper bound on supersteps (default 100). */
  maxIterations?: number;
}

/** Communities by label propagation: each vertex labelled with the key its label came from. */
export function labelPropagation<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: LabelPropagationOptions = {},
): VertexLabels<K> {
  const maxIterations = checkCount(
    'maxIterations',
    options.maxIterations ?? LABEL_PROPAGATION_DEFAULTS.maxIterations,
  );
  const { csr } = graph;
  const n = csr.vertexCount;
  const inEdges = csr.inEdges();
  const { rank, byRank } = keyOrder(graph.dictionary);
  // Labels are held as key ranks, so "greater label" is a number comparison.
  let label = Int32Array.from(rank);
  let next = new Int32Array(n);
  let sending = new Uint8Array(n).fill(1);
  let nextSending = new Uint8Array(n);
  const received = new Int32Array(csr.edgeCount);
  let iterations = 0;
  let converged = n === 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    let changed = false;
    for (let v = 0; v < n; v++) {
      let count = 0;
      for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) {
        const u = inEdges.sources[e];
        if (sending[u] === 1) received[count++] = label[u];
      }
      nextSending[v] = count > 0 ? 1 : 0;
      next[v] = count > 0 ? mostFrequent(received.subarray(0, count).sort(), label[v]) : label[v];
      if (next[v] !== label[v]) changed = true;
      if (nextSending[v] !== sending[v]) changed = true;
    }
    [label, next] = [next, label];
    [sending, nextSending] = [nextSending, sending];
    converged = !changed;
  }
  const labels = new Int32Array(n);
  for (let v = 0; v < n; v++) labels[v] = byRank[label[v]];
  return new VertexLabels(graph.dictionary, labels, 'label', { iterations, converged });
}

/** Gelly's choice among sorted labels: highest frequency, ties to the greater; `own` joins ties at 1. */
function mostFrequent(sorted: Int32Array, own: number): number {
  let best = own;
  let bestCount = 1;
  let start = 0;
  while (start < sorted.length) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    const count = end - start;
    // Ascending order: a later label with the same count is the greater one.
    if (count > bestCount || (count === bestCount && sorted[start] > best)) {
      best = sorted[start];
      bestCount = count;
    }
    start = end;
  }
  return best;
}
