/**
 * HITS's vertex functions on the typed gather-sum-apply path (they run over a vertex range, on
 * any thread; this module is what the worker threads load). A round is two steps: authorities
 * sum the hub messages of their in-edges, hubs the authority messages of their out-edges. Each
 * step's apply adds up the squares of its raw scores; its finish, once that sum is known for
 * every range, L2-normalises the scores, sends them on and adds up their L1 change.
 */
import type { TypedVertexRange } from '../../../src/graph/iterations/typed-superstep.js';

/** Index of the authorities' sum of squares among the aggregators. */
export const AUTHORITY_SQUARES = 0;
/** Index of the hubs' sum of squares among the aggregators. */
export const HUB_SQUARES = 1;
/** Index of the L1 change of both score vectors among the aggregators. */
export const CHANGE = 2;

/** Authorities: the sums of in-neighbours' hubs, their squares aggregated. */
export function authorityApply(range: TypedVertexRange): void {
  range.partial[AUTHORITY_SQUARES] = squares(range);
}

/** Authorities L2-normalised, sent to the hub step, their change aggregated. */
export function authorityFinish(range: TypedVertexRange): void {
  range.partial[CHANGE] += normalise(range, range.aggregates[AUTHORITY_SQUARES]);
}

/** Hubs: the sums of out-neighbours' (new) authorities, their squares aggregated. */
export function hubApply(range: TypedVertexRange): void {
  range.partial[HUB_SQUARES] = squares(range);
}

/** Hubs L2-normalised, sent to the next round's authority step, their change aggregated. */
export function hubFinish(range: TypedVertexRange): void {
  range.partial[CHANGE] += normalise(range, range.aggregates[HUB_SQUARES]);
}

/** The sum of the squares of the range's new (raw) scores. */
function squares({ start, end, next }: TypedVertexRange): number {
  let sum = 0;
  for (let v = start; v < end; v++) sum += next[v] * next[v];
  return sum;
}

/**
 * Scales the range's new scores to a unit L2 norm over all vertices (`total` squares; all zero
 * stays zero), sends them, and returns their L1 change.
 */
function normalise({ start, end, values, next, messages }: TypedVertexRange, total: number): number {
  const scale = total === 0 ? 1 : 1 / Math.sqrt(total);
  let change = 0;
  for (let v = start; v < end; v++) {
    const score = next[v] * scale;
    next[v] = score;
    messages[v] = score;
    change += Math.abs(score - values[v]);
  }
  return change;
}
