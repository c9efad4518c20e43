/**
 * Community detection after Leung et al. ("Towards real-time community detection in large
 * networks"), with Gelly's semantics: the graph is made undirected (every edge also reversed,
 * weights kept, 1 when unweighted); every vertex starts with its own key as label and score 1.
 * Each scatter-gather superstep, the vertices updated in the previous one send (label, score ×
 * edge weight) over all their edges; a vertex that receives messages sums the scores per label,
 * adopts the label with the highest sum (a tie going to the smaller label, as Gelly's ordered
 * map does), and takes as its new score the highest single score received for that label,
 * less delta / superstep when the label is not its own. Gelly re-sends from every updated
 * vertex, so the iteration runs to maxIterations unless a superstep changes nothing.
 */
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { keyOrder } from './key-order.js';
import { checkCount, checkNonNegative, edgeWeights } from './options.js';
import { VertexLabels } from './vertex-labels.js';

/** Options of {@link communityDetection}. */
export interface CommunityDetectionOptions {
  /** Upper bound on supersteps (default 100). */
  maxIterations?: number;
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
  const inEdges = csr.inEdges();
  const { rank, byRank } = keyOrder(graph.dictionary);
  let label = Int32Array.from(rank);
  let score = new Float64Array(n).fill(1);
  let nextLabel = new Int32Array(n);
  let nextScore = new Float64Array(n);
  let sending = new Uint8Array(n).fill(1);
  let nextSending = new Uint8Array(n);
  // Per receiving vertex: the messages' labels and scores, then grouped by label.
  const degreeBound = maxUndirectedDegree(csr.offsets, inEdges.offsets);
  const messageLabels = new Int32Array(degreeBound);
  const messageScores = new Float64Array(degreeBound);
  const order = new Int32Array(degreeBound);
  let iterations = 0;
  let converged = n === 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    let changed = false;
    for (let v = 0; v < n; v++) {
      let count = 0;
      // Messages over the undirected graph: from out-neighbours (the reversed edges) and in-neighbours.
      for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) {
        const u = csr.targets[e];
        if (sending[u] === 0) continue;
        messageLabels[count] = label[u];
        messageScores[count++] = score[u] * (weights === undefined ? 1 : weights[e]);
      }
      for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) {
        const u = inEdges.sources[e];
        if (sending[u] === 0) continue;
        messageLabels[count] = label[u];
        messageScores[count++] = score[u] * (weights === undefined ? 1 : weights[inEdges.edgePositions[e]]);
      }
      nextSending[v] = count > 0 ? 1 : 0;
      if (count === 0) {
        nextLabel[v] = label[v];
        nextScore[v] = score[v];
      } else {
        for (let i = 0; i < count; i++) order[i] = i;
        const byLabel = order.subarray(0, count).sort((a, b) => messageLabels[a] - messageLabels[b]);
        let bestLabel = label[v];
        let bestSum = -Number.MAX_VALUE;
        let bestHighest = 0;
        let start = 0;
        while (start < count) {
          const current = messageLabels[byLabel[start]];
          let sum = 0;
          let highest = Number.NEGATIVE_INFINITY;
          let end = start;
          // Sum in arrival order within a label, as the messages would be added up.
          while (end < count && messageLabels[byLabel[end]] === current) {
            const s = messageScores[byLabel[end]];
            sum += s;
            if (s > highest) highest = s;
            end++;
          }
          if (sum > bestSum) {
            bestSum = sum;
            bestLabel = current;
            bestHighest = highest;
          }
          start = end;
        }
        nextLabel[v] = bestLabel;
        nextScore[v] = bestLabel === label[v] ? bestHighest : bestHighest - delta / iterations;
      }
      if (nextLabel[v] !== label[v] || nextScore[v] !== score[v] || nextSending[v] !== sending[v]) {
        changed = true;
      }
    }
    [label, nextLabel] = [nextLabel, label];
    [score, nextScore] = [nextScore, score];
    [sending, nextSending] = [nextSending, sending];
    converged = !changed;
  }
  const labels = new Int32Array(n);
  for (let v = 0; v < n; v++) labels[v] = byRank[label[v]];
  return new VertexLabels(graph.dictionary, labels, 'community', { iterations, converged });
}

function maxUndirectedDegree(outOffsets: Int32Array, inOffsets: Int32Array): number {
  let maximum = 0;
  for (let v = 0; v + 1 < outOffsets.length; v++) {
    const degree = outOffsets[v + 1] - outOffsets[v] + inOffsets[v + 1] - inOffsets[v];
    if (degree > maximum) maximum = degree;
  }
  return maximum;
}
