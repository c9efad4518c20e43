/**
 * Label propagation (Raghavan, Albert and Kumara) with Gelly's semantics: every vertex starts
 * with its own key as label. Written, as Gelly writes it, on the graph layer's scatter-gather
 * model: the vertices updated in the previous superstep (all of them in the first) send their
 * label along their out-edges; each vertex that receives labels adopts the most frequent one, a
 * tie going to the greater label (key order), and when every label came once it keeps its own
 * unless a received one is greater. Gelly counts a vertex as updated whenever it received
 * labels, so the same vertices send again; the iteration stops when a superstep changes no
 * label and no sender (a convergence criterion over a count of changes), or at maxIterations.
 * There is no randomness: Gelly's tie rule is deterministic.
 */
import { Graph } from '../../src/graph/graph.js';
import { runScatterGatherIteration } from '../../src/graph/iterations/scatter-gather.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { keyOrder } from './key-order.js';
import { FixedPointTracker, labelsByRank, largestDegree } from './label-iteration.js';
import { checkCount } from './options.js';
import type { VertexLabels } from './vertex-labels.js';

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
  const { rank, byRank } = keyOrder(graph.dictionary);
  // Labels are held as key ranks, so "greater label" is a number comparison.
  const start = new Graph<K, number, undefined>(graph.dictionary, csr, Float64Array.from(rank), undefined);
  const tracker = new FixedPointTracker(n);
  const received = new Int32Array(largestDegree(csr.inEdges().offsets));
  const result = runScatterGatherIteration<K, number, undefined, number>(
    start,
    {
      preSuperstep: () => tracker.start(),
      scatter(vertex, context) {
        tracker.sent(context.vertexId, context.superstep);
        context.sendMessageToAllNeighbors(vertex.value);
      },
      gather(vertex, messages, context) {
        tracker.received(context.vertexId, context.superstep);
        const count = messages.copyInto(received);
        const label = mostFrequent(received.subarray(0, count).sort(), vertex.value);
        if (label !== vertex.value) tracker.changed();
        // Gelly sets the value even when it is the same, so the vertex sends again.
        context.setNewVertexValue(label);
      },
      postSuperstep: (context) => tracker.end(context),
    },
    { name: 'label propagation', maxIterations, ...FixedPointTracker.options },
  );
  return labelsByRank(graph, result, byRank, 'label', maxIterations);
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
