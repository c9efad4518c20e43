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
  const { rank, byRank } = keyOrder(graph.dictionary);
  // Labels are held as key ranks, so "greater label" is a number comparison.
  const start = new Graph<K, number, undefined>(graph.dictionary, csr, Float64Array.from(rank), undefined);
  // The superstep in which each vertex last sent, and this superstep's counts: a label that
  // changed, a vertex that sends next time but did not now, or one that did and will not.
  const sentIn = new Int32Array(n);
  let senders = 0;
  let sendersReceiving = 0;
  let changes = 0;
  const received = new Int32Array(maxInDegree(csr.inEdges().offsets));
  const result = runScatterGatherIteration<K, number, undefined, number>(
    start,
    {
      preSuperstep() {
        senders = 0;
        sendersReceiving = 0;
        changes = 0;
      },
      scatter(vertex, context) {
        sentIn[context.vertexId] = context.superstep;
        senders++;
        context.sendMessageToAllNeighbors(vertex.value);
      },
      gather(vertex, messages, context) {
        if (sentIn[context.vertexId] === context.superstep) sendersReceiving++;
        else changes++;
        const count = messages.copyInto(received);
        const label = mostFrequent(received.subarray(0, count).sort(), vertex.value);
        if (label !== vertex.value) changes++;
        // Gelly sets the value even when it is the same, so the vertex sends again.
        context.setNewVertexValue(label);
      },
      postSuperstep(context) {
        context.aggregate('changes', changes + senders - sendersReceiving);
      },
    },
    {
      name: 'label propagation',
      maxIterations,
      aggregators: { changes: 'sum' },
      convergence: { aggregator: 'changes', criterion: (count) => count === 0 },
    },
  );
  const labels = new Int32Array(n);
  const values = result.graph.numericVertexValues()!;
  for (let v = 0; v < n; v++) labels[v] = byRank[values[v]];
  return new VertexLabels(graph.dictionary, labels, 'label', fixedPointOutcome(result, maxIterations));
}

/**
 * The iterations and convergence Gelly's port reports (its stopping rule counts the superstep
 * that finds labels and senders unchanged): when the model stopped because no vertex received
 * anything, while that superstep still changed the senders, the port runs one more superstep
 * to see nothing change, or stops at maxIterations unconverged.
 */
function fixedPointOutcome(
  result: { iterations: number; converged: boolean; aggregates: Record<string, unknown> },
  maxIterations: number,
): { iterations: number; converged: boolean } {
  const { iterations, converged } = result;
  if (!converged || result.aggregates.changes === 0 || iterations === 0) return { iterations, converged };
  return iterations < maxIterations
    ? { iterations: iterations + 1, converged }
    : { iterations, converged: false };
}

/** The largest in-degree: a bound on the labels one vertex receives in a superstep. */
function maxInDegree(inOffsets: Int32Array): number {
  let maximum = 0;
  for (let v = 0; v + 1 < inOffsets.length; v++) maximum = Math.max(maximum, inOffsets[v + 1] - inOffsets[v]);
  return maximum;
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
