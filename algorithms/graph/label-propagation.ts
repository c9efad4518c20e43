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
import type { Progress } from '../../src/core/progress.js';
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
  /** Told of each superstep as it ends. */
  progress?: Progress;
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
  const tracker = new FixedPointTracker(n, options.progress);
  const received = new Int32Array(largestDegree(csr.inEdges().offsets));
  // How often each label came to the vertex being gathered (zero between vertices).
  const frequency = new Int32Array(n);
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
        const label = mostFrequent(received, count, frequency, vertex.value);
        if (label !== vertex.value) tracker.changed();
        // Gelly sets the value even when it is the same, so the vertex sends again.
        context.setNewVertexValue(label);
      },
      postSuperstep: (context) => tracker.end(context),
    },
    { name: 'label propagation', maxIterations, ...FixedPointTracker.options },
  );
  options.progress?.finish();
  return labelsByRank(graph, result, byRank, 'label', maxIterations);
}

/**
 * Gelly's choice among the `count` labels in `labels`: the highest frequency, ties to the
 * greater label; `own` joins the ties at frequency 1. Counted in `frequency` (all zero before
 * and after), so no sort is needed.
 */
function mostFrequent(labels: Int32Array, count: number, frequency: Int32Array, own: number): number {
  for (let i = 0; i < count; i++) frequency[labels[i]]++;
  let best = own;
  let bestCount = 1;
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    const seen = frequency[label];
    if (seen > bestCount || (seen === bestCount && label > best)) {
      best = label;
      bestCount = seen;
    }
  }
  for (let i = 0; i < count; i++) frequency[labels[i]] = 0;
  return best;
}
