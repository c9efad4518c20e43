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

/** `forest` with room for keys up to `maxKey`: itself, or a copy (at least half as large again). */
export function keyForestFor(forest: Int32Array, maxKey: number): Int32Array {
  if (maxKey < forest.length) return forest;
  const grown = emptyKeyForest(Math.min(2 ** 31 - 1, Math.max(maxKey + 1, Math.ceil(1.5 * forest.length))));
  grown.set(forest);
  return grown;
}

/**
 * Bits of the keys known to be in one set, the anchor's: an edge between two of them needs no
 * look at the forest. The forest of a large graph spreads the keys of its giant component over
 * megabytes, so the two parents an edge reads are mostly cache misses; the bits of a million
 * keys (128 KiB) stay in the core's cache. A key is marked when an edge shows it in the
 * anchor's set; sets only merge, so it stays there. One thread owns the marks of its forest.
 */
export class AnchorMarks {
  /** Bit `key & 31` of word `key >>> 5`: whether `key` is known to be in the anchor's set. */
  bits: Int32Array;
  /** A key of the set the marks are for (-1 until {@link linkKeyEdges} chose one). */
  anchor = -1;

  /** Marks with room for keys below `keys`. */
  constructor(keys: number) {
    this.bits = new Int32Array(Math.ceil(keys / 32));
  }

  /** Room for the keys of `forest` (a copy of the bits when it has grown). */
  roomFor(forest: Int32Array): void {
    const words = Math.ceil(forest.length / 32);
    if (words <= this.bits.length) return;
    const grown = new Int32Array(words);
    grown.set(this.bits);
    this.bits = grown;
  }
}

/** Edges sampled to choose the anchor: the set most of them are in (the giant component, if any). */
const ANCHOR_SAMPLES = 64;

/**
 * Links the edges `sources[e] – targets[e]`, `e < count` (the forest and `marks` must have room
 * for their keys), marking the keys it sees in the anchor's set; the first call chooses the
 * anchor, a key of the set most of its edges are in.
 */
export function linkKeyEdges(
  forest: Int32Array,
  sources: Int32Array,
  targets: Int32Array,
  count: number,
  marks: AnchorMarks,
): void {
  const bits = marks.bits;
  // The anchor's root (-1 before there is an anchor: nothing is marked).
  let root = marks.anchor < 0 ? -1 : rootOf(forest, marks.anchor);
  for (let e = 0; e < count; e++) {
    const a = sources[e];
    const b = targets[e];
    if (((bits[a >>> 5] >>> (a & 31)) & (bits[b >>> 5] >>> (b & 31)) & 1) !== 0) continue;
    let parentA = forest[a];
    if (parentA < 0) forest[a] = parentA = a;
    let parentB = forest[b];
    if (parentB < 0) forest[b] = parentB = b;
    // Most other edges join two keys already under one parent: no walk, no store.
    if (parentA !== parentB) {
      link(forest, a, b);
      parentA = rootOf(forest, a);
      if (root >= 0) root = rootOf(forest, root);
    }
    if (parentA === root) {
      bits[a >>> 5] |= 1 << (a & 31);
      bits[b >>> 5] |= 1 << (b & 31);
    }
  }
  if (marks.anchor < 0 && count > 0) marks.anchor = commonRoot(forest, sources, count);
}

/** The root most of `ANCHOR_SAMPLES` keys spread over `keys[0 .. count - 1]` have. */
function commonRoot(forest: Int32Array, keys: Int32Array, count: number): number {
  const votes = new Map<number, number>();
  let best = -1;
  let bestVotes = 0;
  for (let i = 0; i < ANCHOR_SAMPLES; i++) {
    const root = rootOf(forest, keys[Math.floor((i * (count - 1)) / (ANCHOR_SAMPLES - 1))]);
    const tally = (votes.get(root) ?? 0) + 1;
    votes.set(root, tally);
    if (tally > bestVotes) {
      bestVotes = tally;
      best = root;
    }
  }
  return best;
}

/** Joins the sets of present keys `a` and `b`. */
function link(forest: Int32Array, a: number, b: number): void {
  const rootA = rootOf(forest, a);
  const rootB = rootOf(forest, b);
  if (rootA < rootB) forest[rootB] = rootA;
  else if (rootB < rootA) forest[rootA] = rootB;
}

/**
 * The root of present key `key` in a forest where a root is its own parent (this one, or the
 * shared parent array of the component kernels), halving the path on the way. A key whose
 * parent is the root is not written: a store of the same value would still dirty its cache
 * line, for every thread that reads it. Halving only points a key at an ancestor, so it never
 * breaks a tree that another thread is walking.
 */
export function rootOf(forest: Int32Array, key: number): number {
  let at = key;
  let parent = forest[at];
  while (parent !== at) {
    const grandparent = forest[parent];
    if (grandparent === parent) return parent;
    forest[at] = grandparent;
    at = grandparent;
    parent = forest[at];
  }
  return at;
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
