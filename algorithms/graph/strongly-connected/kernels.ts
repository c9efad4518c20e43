/**
 * The vertex functions of strongly connected components by colouring (coloring.ts), on the
 * typed gather-sum-apply path; this module is what worker threads would load. Aggregator 0 of
 * both programs counts the vertices that changed in a superstep.
 *
 * Forward (min over in-edges): every live vertex takes the smallest colour among itself and its
 * live in-neighbours, so its colour ends as the smallest id that reaches it. `arrays[0]` is 1
 * for live vertices, 0 for those already labelled (they send +Infinity, which never wins).
 *
 * Backward (max over out-edges): a vertex is reached (its value becomes its colour, else it is
 * -Infinity) when an out-neighbour of the same colour is. Colours never rise along an edge, so
 * the largest colour among reached out-neighbours equals a vertex's own exactly when one of
 * them has the same colour. `arrays[0]` holds colours, -1 for vertices already labelled.
 */
import type { TypedVertexRange } from '../../../src/graph/iterations/typed-superstep.js';

/** Before the forward pass: live vertices send their id (their first colour), others +Infinity. */
export function colourScatter(range: TypedVertexRange): void {
  const { start, end, values, messages, arrays } = range;
  const live = arrays[0];
  for (let v = start; v < end; v++) messages[v] = live[v] === 1 ? values[v] : Number.POSITIVE_INFINITY;
}

/** A forward superstep: the smallest colour offered, on live vertices. */
export function colourApply(range: TypedVertexRange): void {
  const { start, end, values, next, messages, arrays, partial } = range;
  const live = arrays[0];
  let changes = 0;
  for (let v = start; v < end; v++) {
    const colour = values[v];
    if (live[v] !== 1) {
      next[v] = colour;
      messages[v] = Number.POSITIVE_INFINITY;
    } else if (next[v] < colour) {
      changes++;
      messages[v] = next[v];
    } else {
      next[v] = colour;
      messages[v] = colour;
    }
  }
  partial[0] = changes;
}

/** A backward superstep: unreached vertices that an out-neighbour of their colour reaches. */
export function reachApply(range: TypedVertexRange): void {
  const { start, end, values, next, messages, arrays, partial } = range;
  const colours = arrays[0];
  let changes = 0;
  for (let v = start; v < end; v++) {
    let value = values[v];
    if (value === Number.NEGATIVE_INFINITY && next[v] === colours[v]) {
      value = colours[v];
      changes++;
    }
    next[v] = value;
    messages[v] = value;
  }
  partial[0] = changes;
}
