/**
 * Aggregators: values that every function of an iteration's superstep can add to, and that
 * the next superstep (and a convergence criterion) can read. An aggregator is a monoid: a
 * `zero` and an associative, commutative `add`, so partial values from partitions and
 * worker threads can be combined in any grouping.
 */

/** A value aggregated over one superstep. */
export interface Aggregator<V> {
  /** Short description shown by `explain()`. */
  readonly description: string;
  /** The value before anything was added. */
  zero(): V;
  /** Combines two values (associative and commutative). */
  add(accumulated: V, value: V): V;
  /**
   * For built-in aggregators, how a worker thread rebuilds this aggregator to pre-combine
   * its partition's values; custom aggregators leave it out and workers send raw values.
   */
  readonly builtin?: BuiltinAggregatorKind;
}

/** The aggregators a worker thread can rebuild from their name alone. */
export type BuiltinAggregatorKind = 'sum' | 'min' | 'max' | 'count';

/** Decides, after a superstep, whether the iteration has converged. */
export type ConvergenceCriterion<V> = (value: V, superstep: number) => boolean;

/** Sum of numbers (e.g. the L1 norm of the change of a PageRank vector). */
export function sumAggregator(): Aggregator<number> {
  return builtinAggregator('sum');
}

/** Minimum of numbers (Infinity when nothing was added). */
export function minAggregator(): Aggregator<number> {
  return builtinAggregator('min');
}

/** Maximum of numbers (-Infinity when nothing was added). */
export function maxAggregator(): Aggregator<number> {
  return builtinAggregator('max');
}

/** Number of values added (each `aggregate(name, n)` adds n, usually 1). */
export function countAggregator(): Aggregator<number> {
  return builtinAggregator('count');
}

/** Rebuilds a built-in aggregator from its kind (what worker threads do). */
export function builtinAggregator(kind: BuiltinAggregatorKind): Aggregator<number> {
  switch (kind) {
    case 'sum':
    case 'count':
      return { description: kind, builtin: kind, zero: () => 0, add: (a, b) => a + b };
    case 'min':
      return { description: 'min', builtin: 'min', zero: () => Number.POSITIVE_INFINITY, add: Math.min };
    case 'max':
      return { description: 'max', builtin: 'max', zero: () => Number.NEGATIVE_INFINITY, add: Math.max };
  }
}

/**
 * A custom aggregator from a zero and an associative, commutative `add`.
 * @example
 * const changed = customAggregator('changed vertices', () => new Set<number>(), (a, b) => new Set([...a, ...b]));
 */
export function customAggregator<V>(
  description: string,
  zero: () => V,
  add: (a: V, b: V) => V,
): Aggregator<V> {
  return { description, zero, add };
}
