/**
 * Validation of the options graph algorithms share (iteration limits, tolerances, vertex keys),
 * so every algorithm reports a bad value the same way: a ParamError naming the option.
 */
import { ParamError } from '../../src/core/errors.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';

/** A whole number at least `min` (default 1). */
export function checkCount(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) throw new ParamError(name, value, `an integer >= ${min}`);
  return value;
}

/** A finite number in `[min, max]`. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (!(typeof value === 'number' && value >= min && value <= max)) {
    throw new ParamError(name, value, `a number from ${min} to ${max}`);
  }
  return value;
}

/** A finite number at least 0. */
export function checkNonNegative(name: string, value: number): number {
  if (!(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
    throw new ParamError(name, value, 'a finite number >= 0');
  }
  return value;
}

/** The dense id of a vertex key the caller named, or a ParamError saying it is not a vertex. */
export function vertexId<K extends VertexKey>(
  graph: Pick<GraphIndex<K>, 'dictionary'>,
  name: string,
  key: K,
): number {
  const id = graph.dictionary.id(key);
  if (id < 0) throw new ParamError(name, key, 'the key of a vertex of the graph');
  return id;
}

/** The edge weights, which a weighted algorithm needs (finite and >= 0). */
export function edgeWeights(graph: GraphIndex, algorithm: string): Float64Array {
  return checkEdgeWeights(graph.csr.weights, algorithm);
}

/** {@link edgeWeights} of edge arrays: there, finite and >= 0. */
export function checkEdgeWeights(weights: Float64Array | undefined, algorithm: string): Float64Array {
  if (weights === undefined) {
    throw new ParamError('weighted', true, `a graph with edge weights (${algorithm} reads the third column)`);
  }
  for (let e = 0; e < weights.length; e++) {
    if (!(weights[e] >= 0 && weights[e] < Number.POSITIVE_INFINITY)) {
      throw new ParamError('edge weight', weights[e], 'finite weights >= 0');
    }
  }
  return weights;
}
