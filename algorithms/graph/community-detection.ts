/**
 * Community detection after Leung et al. ("Towards real-time community detection in large
 * networks"), with Gelly's semantics, written as Gelly writes it on the scatter-gather model:
 * the graph is made undirected (messages travel along every edge in both directions, weights
 * kept, 1 when unweighted); every vertex starts with its own key as label and score 1. Each
 * superstep, the vertices updated in the previous one send (label, score × edge weight) over
 * all their edges, as a pair of consecutive messages; a vertex that receives messages sums the
 * scores per label, adopts the label with the highest sum (a tie going to the smaller label, as
 * Gelly's ordered map does), and takes as its new score the highest single score received for
 * that label, less delta / superstep when the label is not its own. Gelly re-sends from every
 * updated vertex, so the iteration runs to maxIterations unless a superstep changes nothing.
 */
import type { Progress } from '../../src/core/progress.js';
import { Graph } from '../../src/graph/graph.js';
import { runScatterGatherIteration } from '../../src/graph/iterations/scatter-gather.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { keyOrder } from './key-order.js';
import { FixedPointTracker, labelsByRank, largestDegree } from './label-iteration.js';
import { checkCount, checkNonNegative, edgeWeights } from './options.js';
import type { VertexLabels } from './vertex-labels.js';

/** Options of {@link communityDetection}. */
export interface CommunityDetectionOptions {
  /** Upper bound on supersteps (default 100). */
  maxIterations?: number;
  /** Told of each superstep as it ends. */
  progress?: Progress;
  /** Hop attenuation: how much a label's score drops per hop (default 0.5). */
  delta?: number;
  /** Multiply scores by the edge weights (default false: weight 1). */
  weighted?: boolean;
}

/** Defaults of {@link CommunityDetectionOptions}. */
export const COMMUNITY_DETECTION_DEFAULTS = { maxIterations: 100, delta: 0.5 };

/** Communities: each vertex labelled with the key its label came from. */
export function communityDetection<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: CommunityDetectionOptions = {},
): VertexLabels<K> {
  const maxIterations = checkCount(
    'maxIterations',
    options.maxIterations ?? COMMUNITY_DETECTION_DEFAULTS.maxIterations,
  );
  const delta = checkNonNegative('delta', options.delta ?? COMMUNITY_DETECTION_DEFAULTS.delta);
  const { csr } = graph;
  const n = csr.vertexCount;
  const weights = options.weighted ? edgeWeights(graph, 'weighted community detection') : undefined;
  const { rank, byRank } = keyOrder(graph.dictionary);
  // The vertex value is Gelly's (label, score): the label (a key rank, so "smaller label" is a
  // number comparison) in the model's values, the score beside it by dense id.
  const start = new Graph<K, number, number | undefined>(
    graph.dictionary,
    csr,
    Float64Array.from(rank),
    weights,
  );
  const score = new Float64Array(n).fill(1);
  const tracker = new FixedPointTracker(n, options.progress);
  // Per receiving vertex: its (label, score) messages, then sort keys label × bound + arrival
  // index: a native sort of numbers orders them by label and, within a label, by arrival (a
  // stable sort without a comparator; exact while n × bound < 2^53).
  const bound = largestDegree(csr.offsets, csr.inEdges().offsets);
  if (n * bound >= 2 ** 53)
    throw new RangeError('community detection: too many vertices and edges for its sort keys');
  const received = new Float64Array(2 * bound);
  const keys = new Float64Array(bound);
  const result = runScatterGatherIteration<K, number, number | undefined, number>(
    start,
    {
      preSuperstep: () => tracker.start(),
      scatter(vertex, context) {
        const v = context.vertexId;
        tracker.sent(v, context.superstep);
        const sent = score[v];
        context.sendMessagePairsAlongEdges(vertex.value, (weight) => sent * (weight ?? 1));
      },
      gather(vertex, messages, context) {
        const v = context.vertexId;
        tracker.received(v, context.superstep);
        const count = messages.copyInto(received) / 2;
        for (let i = 0; i < count; i++) keys[i] = received[2 * i] * bound + i;
        const byLabel = keys.subarray(0, count).sort();
        let bestLabel = vertex.value;
        let bestSum = -Number.MAX_VALUE;
        let bestHighest = 0;
        let first = 0;
        while (first < count) {
          const label = Math.floor(byLabel[first] / bound);
          const labelEnd = (label + 1) * bound;
          let sum = 0;
          let highest = Number.NEGATIVE_INFINITY;
          let end = first;
          // Within a label, scores are added in the order they arrived.
          while (end < count && byLabel[end] < labelEnd) {
            const offered = received[2 * (byLabel[end] - label * bound) + 1];
            sum += offered;
            if (offered > highest) highest = offered;
            end++;
          }
          if (sum > bestSum) {
            bestSum = sum;
            bestLabel = label;
            bestHighest = highest;
          }
          first = end;
        }
        const newScore = bestLabel === vertex.value ? bestHighest : bestHighest - delta / context.superstep;
        if (bestLabel !== vertex.value || newScore !== score[v]) tracker.changed();
        score[v] = newScore;
        // Gelly sets the value even when it is the same, so the vertex sends again.
        context.setNewVertexValue(bestLabel);
      },
      postSuperstep: (context) => tracker.end(context),
    },
    { name: 'community detection', maxIterations, direction: 'all', ...FixedPointTracker.options },
  );
  options.progress?.finish();
  return labelsByRank(graph, result, byRank, 'community', maxIterations);
}
