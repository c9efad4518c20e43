/** Picking the highest values of a score vector without sorting it. */

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
