/**
 * The union-find kernels of weakly connected components, which the core driver runs on every
 * thread over one shared `parent` array (workers import this module by itself, so it only
 * defines functions).
 *
 * `parent[v] <= v` always, and a root is the smallest id of its set: a link hangs the larger
 * of two roots under the smaller one, by a compare-and-swap on the larger root's slot, so two
 * threads never both re-hang one root and a lost race is retried from the new roots. Path
 * halving writes only slots of vertices that are not roots, each time an ancestor of the one
 * there, so it never breaks a tree that another thread is walking. Whatever order the edges
 * are linked in, and on however many threads, every vertex ends under the smallest id of its
 * component: the labels are the same at any parallelism.
 */
import { withTransfer } from '../../src/core/threads/transfer.js';
import type { EdgeOffsets } from '../../src/graph/csr.js';
import type { EdgeListParser, EdgeListSettings } from '../../src/graph/edge-list-parser.js';
import type { EdgeListReadOptions } from '../../src/graph/edge-list-reader.js';
import { scanEdgeRange } from '../../src/graph/edge-range-scan.js';
import { AnchorMarks, emptyKeyForest, keyForestFor, linkKeyEdges, rootOf } from './key-forest.js';

/** Joins the sets of `a` and `b`. */
function link(parent: Int32Array, a: number, b: number): void {
  for (;;) {
    const ra = rootOf(parent, a);
    const rb = rootOf(parent, b);
    if (ra === rb) return;
    const low = ra < rb ? ra : rb;
    const high = ra < rb ? rb : ra;
    if (Atomics.compareExchange(parent, high, high, low) === high) return;
  }
}

/** Links every edge `sources[e] – targets[e]` for `e` in `bounds[chunk] .. bounds[chunk + 1]`. */
export function linkEdgesChunk(
  parent: Int32Array,
  sources: Int32Array,
  targets: Int32Array,
  bounds: Float64Array,
  chunk: number,
): void {
  const end = bounds[chunk + 1];
  for (let e = bounds[chunk]; e < end; e++) {
    const a = sources[e];
    const b = targets[e];
    // Ends under one parent are in one set (sets only ever merge): most edges of a large graph.
    if (parent[a] !== parent[b]) link(parent, a, b);
  }
}

/** Links every out-edge of the CSR's vertices `bounds[chunk] .. bounds[chunk + 1]`. */
export function linkCsrChunk(
  parent: Int32Array,
  offsets: EdgeOffsets,
  targets: Int32Array,
  bounds: Int32Array,
  chunk: number,
): void {
  const last = bounds[chunk + 1];
  for (let v = bounds[chunk]; v < last; v++) {
    const end = offsets[v + 1];
    for (let e = offsets[v]; e < end; e++) link(parent, v, targets[e]);
  }
}

/**
 * After every link: points each vertex of `bounds[chunk] .. bounds[chunk + 1]` straight at its
 * root, its label. In ascending order a parent inside the range is already done, so most
 * walks take one step.
 */
export function labelChunk(parent: Int32Array, bounds: Int32Array, chunk: number): void {
  const last = bounds[chunk + 1];
  for (let v = bounds[chunk]; v < last; v++) {
    let r = parent[v];
    while (parent[r] !== r) r = parent[r];
    parent[v] = r;
  }
}

/**
 * Links the edges of range `chunk` of an edge-list file (bytes `bounds[chunk] ..
 * bounds[chunk + 1]`, integer keys) as they are parsed, into a forest of its own indexed by
 * key ({@link linkKeyEdges}, first sized for `keys` keys), which is moved to the calling
 * thread; undefined when the range needs the one-thread reader, or a key of `maxKeys` or more
 * (keys too sparse for a forest indexed by key).
 */
export function linkKeyRange(
  path: string,
  bounds: readonly number[],
  settings: EdgeListSettings,
  keys: number,
  maxKeys: number,
  chunk: number,
): Promise<Int32Array | undefined> {
  return linkKeyRangeWith(path, bounds, settings, keys, maxKeys, chunk);
}

/** Thrown from a sink to stop a scan whose keys are too sparse for a forest. */
class SparseKeys extends Error {}

/**
 * {@link linkKeyRange} with the parser to use (the first range's, which has seen the header)
 * and the reader's options (progress).
 */
export async function linkKeyRangeWith(
  path: string,
  bounds: readonly number[],
  settings: EdgeListSettings,
  keys: number,
  maxKeys: number,
  chunk: number,
  parser?: EdgeListParser,
  options?: EdgeListReadOptions,
): Promise<Int32Array | undefined> {
  let forest = emptyKeyForest(Math.min(keys, maxKeys));
  const marks = new AnchorMarks(forest.length);
  const sink = (sources: Int32Array, targets: Int32Array, count: number, maxKey: number) => {
    if (maxKey >= maxKeys) throw new SparseKeys();
    forest = keyForestFor(forest, maxKey);
    marks.roomFor(forest);
    linkKeyEdges(forest, sources, targets, count, marks);
  };
  try {
    const linked = await scanEdgeRange(path, bounds, settings, chunk, sink, parser, options);
    return linked ? withTransfer(forest, [forest.buffer as ArrayBuffer]) : undefined;
  } catch (error) {
    if (error instanceof SparseKeys) return undefined;
    throw error;
  }
}
