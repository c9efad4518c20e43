/**
 * The result type shared by every algorithm that gives one value per vertex (PageRank scores,
 * component labels, distances): iterable as `[key, value]`, looked up by key, the `top(n)`
 * vertices, an Arrow table, and how the iteration that made it ended.
 */
import type { Table } from 'apache-arrow';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';
import { VertexResult } from '../../src/graph/vertex-result.js';
import { topIds } from './top-ids.js';

/** How an iterative algorithm ended. */
export interface IterationOutcome {
  /** Supersteps (or rounds) run. */
  readonly iterations: number;
  /** Whether the stopping criterion was met before the iteration limit. */
  readonly converged: boolean;
}

/**
 * One number per vertex, by dense id, with the keys they belong to: the graph layer's
 * {@link VertexResult} plus `top(n)` and how the iteration ended.
 * @example
 * const ranks = pageRank(graph);
 * ranks.get('Valjean'); // 0.0716...
 * for (const [key, score] of ranks.top(3)) console.log(key, score);
 */
export class VertexValues<K extends VertexKey = VertexKey>
  extends VertexResult<K, number>
  implements IterationOutcome
{
  /** The value of every vertex, indexed by dense id. */
  declare readonly values: Float64Array;
  /** Column name of the values in {@link toTable} and in files (`score`, `distance`, ...). */
  readonly name: string;
  readonly iterations: number;
  readonly converged: boolean;

  constructor(
    dictionary: VertexDictionary<K>,
    values: Float64Array,
    name: string,
    outcome: IterationOutcome = { iterations: 0, converged: true },
  ) {
    super(dictionary, values);
    this.name = name;
    this.iterations = outcome.iterations;
    this.converged = outcome.converged;
  }

  /** Dense ids of the `n` highest values, highest first (ties: smaller id first). */
  topIds(n: number): Int32Array {
    return topIds(this.values, n);
  }

  /** The `n` vertices with the highest values, highest first, as `[key, value]` pairs. */
  top(n: number): [K, number][] {
    return Array.from(this.topIds(n), (id) => [this.dictionary.key(id), this.values[id]]);
  }

  /** An Arrow table with columns `vertex` (keys) and the values (named {@link name} by default). */
  override toTable(valueName = this.name, keyName = 'vertex'): Table {
    return super.toTable(valueName, keyName);
  }
}
