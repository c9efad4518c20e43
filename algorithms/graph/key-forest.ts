/**
 * A union-find forest indexed by vertex key (canonical integer keys below 2^31, as an edge
 * list writes them), for weak components straight from the text: no dense ids, no edge
 * arrays. `parent[key]` is -1 for a key no edge has named, else a key of the same set with
 * `parent[key] <= key`; a root is the smallest key of its set (a link hangs the larger of two
 * roots under the smaller, and path halving only points a key at an ancestor). One thread owns
 * a forest (plain stores); forests of several threads are merged afterwards.
 */

/** An empty forest with room for keys below `keys`. */
export function emptyKeyForest(keys: number): Int32Array {
  return new Int32Array(keys).fill(-1);
}

/** `forest` with room for keys up to `maxKey`: itself, or a copy (at least twice as large). */
export function keyForestFor(forest: Int32Array, maxKey: number): Int32Array {
  if (maxKey < forest.length) return forest;
  const grown = emptyKeyForest(Math.min(2 ** 31 - 1, Math.max(maxKey + 1, 2 * forest.length)));
  grown.set(forest);
  return grown;
}

/** Links the edges `sources[e] – targets[e]`, `e < count` (the forest must have room for their keys). */
export function linkKeyEdges(
  forest: Int32Array,
  sources: Int32Array,
  targets: Int32Array,
  count: number,
): void {
  for (let e = 0; e < count; e++) {
    const a = sources[e];
    const b = targets[e];
    if (forest[a] < 0) forest[a] = a;
    if (forest[b] < 0) forest[b] = b;
    link(forest, a, b);
  }
}

/** Joins the sets of present keys `a` and `b`, halving their paths. */
function link(forest: Int32Array, a: number, b: number): void {
  while (forest[a] !== a) a = forest[a] = forest[forest[a]];
  while (forest[b] !== b) b = forest[b] = forest[forest[b]];
  if (a < b) forest[b] = a;
  else if (b < a) forest[a] = b;
}

/** Adds the keys and sets of `from` to `into`, which must have room for all of `from`'s keys. */
export function mergeKeyForest(into: Int32Array, from: Int32Array): void {
  for (let key = 0; key < from.length; key++) {
    const other = from[key];
    if (other < 0) continue;
    // In ascending order `other` (<= key, present in `from`) is already present in `into`.
    if (into[key] < 0) into[key] = key;
    if (other !== key) link(into, key, other);
  }
}

/**
 * The keys present, ascending, and for each the index among them of its set's smallest key,
 * in one pass (ascending, a key's parent is done before it). Consumes the forest.
 */
export function keyForestLabels(forest: Int32Array): { keys: Float64Array; labels: Int32Array } {
  let count = 0;
  for (let key = 0; key < forest.length; key++) if (forest[key] >= 0) count++;
  const keys = new Float64Array(count);
  const labels = new Int32Array(count);
  let id = 0;
  for (let key = 0; key < forest.length; key++) {
    const parent = forest[key];
    if (parent < 0) continue;
    // A key done holds -2 - (its label): its parent's label is its own.
    const label = parent === key ? id : -2 - forest[parent];
    keys[id] = key;
    labels[id] = label;
    forest[key] = -2 - label;
    id++;
  }
  return { keys, labels };
}
