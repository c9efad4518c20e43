/**
 * The order of vertex keys, for algorithms whose rules compare labels ("the greater label
 * wins a tie"): number keys by value, string keys as strings compare (UTF-16 code units,
 * like Java's String.compareTo). Dense ids already follow the order for number keys.
 */
import type { VertexDictionary } from '../../src/graph/vertex-dictionary.js';

/** `rank[id]`: the position of the key of `id` in key order; and `byRank`, its inverse. */
export interface KeyOrder {
  rank: Int32Array;
  byRank: Int32Array;
}

/** Ranks of the keys of a dictionary in key order. */
export function keyOrder(dictionary: VertexDictionary): KeyOrder {
  const n = dictionary.size;
  const byRank = new Int32Array(n);
  for (let id = 0; id < n; id++) byRank[id] = id;
  if (dictionary.kind === 'string') {
    const keys = dictionary.keys() as string[];
    byRank.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  }
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[byRank[r]] = r;
  return { rank, byRank };
}
