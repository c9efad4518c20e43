/**
 * The result type shared by every algorithm that gives one value per vertex (PageRank scores,
 * component labels, distances): iterable as `[key, value]`, looked up by key, the `top(n)`
 * vertices, an Arrow table, and how the iteration that made it ended.
 */
import type { Table } from 'apache-arrow';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';
import { VertexResult } from '../../src/graph/vertex-result.js';

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

/**
 * Ids of the `n` largest values, largest first, ties broken by smaller id, in O(size log n)
 * with a bounded min-heap (sorting a million scores to print ten would dominate `--top`).
 * NaN values rank last.
 */
export function topIds(values: Float64Array, n: number): Int32Array {
  const count = Math.max(0, Math.min(Math.floor(n), values.length));
  const heap = new Int32Array(count);
  // `a` ranks below `b` (belongs nearer the heap's root).
  const below = (a: number, b: number): boolean => {
    const x = values[a];
    const y = values[b];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return Number.isNaN(x) || x < y;
    return a > b;
  };
  const siftDown = (size: number): void => {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && below(heap[right], heap[left]) ? right : left;
      if (!below(heap[child], heap[i])) return;
      const swap = heap[i];
      heap[i] = heap[child];
      heap[child] = swap;
      i = child;
    }
  };
  let size = 0;
  for (let id = 0; id < values.length && count > 0; id++) {
    if (size < count) {
      let i = size++;
      heap[i] = id;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!below(heap[i], heap[parent])) break;
        const swap = heap[i];
        heap[i] = heap[parent];
        heap[parent] = swap;
        i = parent;
      }
    } else if (below(heap[0], id)) {
      heap[0] = id;
      siftDown(size);
    }
  }
  // Pop the smallest to the back: the array ends up largest first.
  for (let end = size - 1; end > 0; end--) {
    const swap = heap[0];
    heap[0] = heap[end];
    heap[end] = swap;
    siftDown(end);
  }
  return heap;
}
