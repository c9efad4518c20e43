/**
 * PageRank's vertex functions on the typed gather-sum-apply path (they run over a vertex
 * range, on any thread; this module is what the worker threads load). The path sums each
 * vertex's in-edge messages; a message is the sender's score times its share per edge
 * (`scale` = 1 / out-degree unweighted; 1 weighted, when the in-edge weights hold the shares;
 * 0 for sinks either way). Aggregators, in order: the score of sinks, and the L1 change.
 */
import type { TypedVertexRange } from '../../../src/graph/iterations/typed-superstep.js';

/** Index of the sinks' total score among the aggregators. */
export const SINK = 0;
/** Index of the L1 change among the aggregators. */
export const CHANGE = 1;

/**
 * Before the first round: every vertex starts at 1/N (`values`) and sends its share.
 * Arrays: `scale`; parameters: damping factor, N.
 */
export function pageRankScatter(range: TypedVertexRange): void {
  const { start, end, values: rank, messages, arrays, partial } = range;
  const scale = arrays[0];
  let sink = 0;
  for (let v = start; v < end; v++) {
    const factor = scale[v];
    if (factor === 0) sink += rank[v];
    messages[v] = rank[v] * factor;
  }
  partial[SINK] = sink;
  partial[CHANGE] = 0;
}

/**
 * One round: the new score is the damped sum of the in-edge messages plus the vertex's part of
 * the random jump and of the previous round's sink score (evenly, or by the personalization
 * distribution in `arrays[1]`). Arrays: `scale`, optional jump; parameters: damping factor, N.
 */
export function pageRankApply(range: TypedVertexRange): void {
  const { start, end, values: rank, next, messages, arrays, parameters, aggregates, partial } = range;
  const scale = arrays[0];
  const damping = parameters[0];
  // What every vertex gets besides its in-edges: the jump and the sinks' scores.
  const spread = 1 - damping + damping * aggregates[SINK];
  let sink = 0;
  let change = 0;
  if (arrays.length < 2) {
    const share = spread * (1 / parameters[1]);
    for (let v = start; v < end; v++) {
      const value = damping * next[v] + share;
      next[v] = value;
      change += Math.abs(value - rank[v]);
      const factor = scale[v];
      if (factor === 0) sink += value;
      messages[v] = value * factor;
    }
  } else {
    const jump = arrays[1];
    for (let v = start; v < end; v++) {
      const value = damping * next[v] + spread * jump[v];
      next[v] = value;
      change += Math.abs(value - rank[v]);
      const factor = scale[v];
      if (factor === 0) sink += value;
      messages[v] = value * factor;
    }
  }
  partial[SINK] = sink;
  partial[CHANGE] = change;
}
