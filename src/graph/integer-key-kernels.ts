/**
 * The two edge passes of numbering non-negative integer keys through a direct table (see
 * numberIntegerKeys in vertex-dictionary.ts): marking the keys present, then rewriting each
 * endpoint from its key to its dense id. The one-thread numbering runs them over every edge; the
 * numbering on threads runs them as chunk kernels over equal ranges of the edges (worker threads
 * load this module, so it only defines functions).
 */
import { edgeRange } from './in-edge-fill.js';

/**
 * Chunk kernel: sets `table[key]` to 1 for both endpoints of chunk `chunk` of `chunks` equal
 * ranges of the edges. Threads marking the same key write the same value.
 */
export function markKeyChunk(
  sources: Int32Array,
  targets: Int32Array,
  table: Int32Array,
  chunks: number,
  chunk: number,
): number {
  const [from, to] = edgeRange(sources.length, chunks, chunk);
  for (let e = from; e < to; e++) {
    table[sources[e]] = 1;
    table[targets[e]] = 1;
  }
  return 0;
}

/** Chunk kernel: rewrites both endpoints of chunk `chunk`'s edges from key to `table[key] - 1`. */
export function renumberKeyChunk(
  sources: Int32Array,
  targets: Int32Array,
  table: Int32Array,
  chunks: number,
  chunk: number,
): number {
  const [from, to] = edgeRange(sources.length, chunks, chunk);
  for (let e = from; e < to; e++) {
    sources[e] = table[sources[e]] - 1;
    targets[e] = table[targets[e]] - 1;
  }
  return 0;
}
