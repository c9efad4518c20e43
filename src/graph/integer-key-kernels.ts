/**
 * The two edge passes of numbering non-negative integer keys through a direct table (see
 * numberIntegerKeys in vertex-dictionary.ts): marking the keys present, then rewriting each
 * endpoint from its key to its dense id. The one-thread numbering runs them over every edge; the
 * numbering on threads runs them as chunk kernels over equal ranges of the edges (worker threads
 * load this module, so it only defines functions).
 */
import { edgeRange } from './in-edge-fill.js';

/** {@link integerKeyPass}: set `table[key]` to 1 for both endpoints (threads marking a key write the same value). */
export const MARK = 0;
/** {@link integerKeyPass}: rewrite both endpoints from `key` to `table[key] - 1`. */
export const RENUMBER = 1;

/** Chunk kernel: pass `pass` ({@link MARK} or {@link RENUMBER}) over chunk `chunk` of `chunks` equal ranges of the edges. */
export function integerKeyPass(
  sources: Int32Array,
  targets: Int32Array,
  table: Int32Array,
  pass: number,
  chunks: number,
  chunk: number,
): number {
  const [from, to] = edgeRange(sources.length, chunks, chunk);
  if (pass === MARK) {
    for (let e = from; e < to; e++) {
      table[sources[e]] = 1;
      table[targets[e]] = 1;
    }
  } else {
    for (let e = from; e < to; e++) {
      sources[e] = table[sources[e]] - 1;
      targets[e] = table[targets[e]] - 1;
    }
  }
  return 0;
}
