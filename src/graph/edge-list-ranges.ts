/**
 * Reading one large edge-list file on several threads: the file is cut into ranges of whole
 * lines; this thread parses the first (where the header and the format are), worker threads
 * the others, each into its own typed arrays, which are then appended in file order and
 * numbered as one. The edges, their order and the ids are those one thread gives. Only files
 * of integer ids take this path: string ids are numbered in order of first appearance, which
 * needs one pass in file order, and a malformed line must be reported with its line number,
 * which a worker in the middle of the file does not know; both go back to one thread.
 */
import { statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { fileChunks } from '../core/file-chunks.js';
import { float64Array, int32Array } from '../core/shared-memory.js';
import { segmentBytes, settleChunks, threadCount, valuesOrFirstError } from '../core/threads/driver.js';
import { lineRanges, readSlice } from '../core/threads/file-ranges.js';
import { withTransfer } from '../core/threads/transfer.js';
import { allocating } from './csr.js';
import {
  CHUNK_BYTES,
  EdgeListParser,
  type EdgeListSettings,
  feedChunks,
  type IntegerEdges,
} from './edge-list-parser.js';
import type { EdgeList, EdgeListReadOptions } from './edge-list-reader.js';

/** Files smaller than this are read by one thread: starting a worker costs more than it saves. */
export const PARALLEL_READ_MINIMUM_BYTES = 8 << 20;

// Workers load this module from the same tree: .js in dist, .ts under tsx.
const rangeKernel = {
  module: new URL(`./edge-list-ranges${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'parseEdgeRange',
};

/**
 * A worker starts (a fresh isolate, its modules, cold code) in about the time this thread
 * parses a sixth of the file, so this thread's range is that much larger than the others.
 */
const FIRST_RANGE_WEIGHT = 1.3;

/** At most this many ranges however large the file (each range is a chunk of the driver). */
const MAX_RANGES = 4096;

/**
 * Where each range parses to. When all of them fit in buffers a worker can take, they are
 * regions of one shared array each (appended in place afterwards). Otherwise this thread
 * parses the first range into plain arrays sized for the whole file, and every other range
 * has shared arrays of its own (each below the size a worker can take), copied after it.
 */
interface Regions {
  /** Range r parses into `sources[r]`, `targets[r]`, `weights[r]`, whose length is its room. */
  sources: Int32Array[];
  targets: Int32Array[];
  weights: (Float64Array | undefined)[];
  /** The arrays every region lies in (one shared array), or the first range's plain ones. */
  whole: [Int32Array, Int32Array, Float64Array | undefined];
  /** For a range with no region (empty arrays), the edges its parser sizes its own arrays for. */
  rooms: number[];
}

/**
 * What a worker sends back for its range: how many edges it wrote into its region, and the
 * edges themselves only when they outgrew the region; or that the range needs one thread.
 */
type RangeResult = { ok: true; count: number; maxKey: number; edges?: IntegerEdges } | { ok: false };

/**
 * Reads `path` on `parallelism` threads; undefined when the file must be read by one thread
 * (too small, a byte order mark, string ids, a line to skip or report).
 */
export async function readEdgeListInRanges(
  path: string,
  file: string,
  parallelism: number,
  options: EdgeListReadOptions,
): Promise<EdgeList | undefined> {
  const size = statSync(path).size;
  const threads = { parallelism, pool: options.pool };
  if (size < PARALLEL_READ_MINIMUM_BYTES || threadCount(threads) === 1) return undefined;
  const parser = new EdgeListParser(file, 'error');
  const head = readSlice(path, 0, CHUNK_BYTES);
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return undefined;
  if (!parser.configure(head, head.length, false, options)) return undefined;
  const limit = segmentBytes(options);
  const weighted = parser.settings.weighted;
  const lineBytes = headLineBytes(head);
  const { bounds, regions } = planRanges(path, size, parallelism, lineBytes, weighted, limit);
  const { sources, targets, weights } = regions;
  const parts = bounds.length - 1;
  // This thread parses the first range (the header, the format, true line numbers) with its
  // own parser; any thread parses the others, each into its region.
  const parseFirst = async (): Promise<RangeResult> => {
    parser.useArrays(sources[0], targets[0], weights[0]);
    await feedChunks(parser, fileChunks(path, { end: bounds[1], chunkBytes: CHUNK_BYTES }), 0, options);
    return { ok: true, count: parser.count, maxKey: 0 };
  };
  const kernel = {
    ...rangeKernel,
    local: (...args: Parameters<typeof parseEdgeRange>) =>
      args[7] === 0 ? parseFirst() : parseEdgeRange(...args),
  };
  // The first range's arrays stay here (plain ones could not be shared): workers get empty ones.
  const away = <A extends Int32Array | Float64Array | undefined>(arrays: A[], empty: A) => [
    empty,
    ...arrays.slice(1),
  ];
  const args = [
    path,
    bounds,
    parser.settings,
    away(sources, new Int32Array(0)),
    away(targets, new Int32Array(0)),
    away(weights, weighted ? new Float64Array(0) : undefined),
    regions.rooms,
  ];
  const outcomes = await settleChunks<RangeResult>(kernel, args, parts, {
    ...threads,
    firstHere: true,
  });
  const first = outcomes[0];
  // A malformed line of the first range already carries its true line number.
  if (!first.ok && first.error instanceof InputError && options.onInvalid === 'skip') return undefined;
  const results = valuesOrFirstError(outcomes);
  if (parser.integerEdges() === undefined) return undefined;
  parser.widenTo(...regions.whole);
  for (let r = 1; r < parts; r++) {
    const result = results[r];
    if (!result.ok) return undefined;
    parser.appendIntegerEdges(
      result.edges ?? {
        sources: sources[r].subarray(0, result.count),
        targets: targets[r].subarray(0, result.count),
        weights: weights[r]?.subarray(0, result.count),
        maxKey: result.maxKey,
      },
    );
  }
  options.progress?.update(parser.count);
  options.progress?.finish();
  return parser.finishOnThreads(threads);
}

/**
 * A driver kernel: parses range `chunk` of `path` (bytes `bounds[chunk] .. bounds[chunk + 1]`,
 * whole lines) in the format `settings` describes, into its region (`sources[chunk]` ...), or
 * when that is empty into arrays of its own for `rooms[chunk]` edges. Edges that are not in the
 * region (it had none, or they outgrew it) are moved, not copied, to the calling thread.
 */
export async function parseEdgeRange(
  path: string,
  bounds: readonly number[],
  settings: EdgeListSettings,
  sources: readonly Int32Array[],
  targets: readonly Int32Array[],
  weights: readonly (Float64Array | undefined)[],
  rooms: readonly number[],
  chunk: number,
): Promise<RangeResult> {
  const parser = new EdgeListParser(path, 'error');
  parser.configureAs(settings);
  if (sources[chunk].length > 0) parser.useArrays(sources[chunk], targets[chunk], weights[chunk]);
  else parser.reserve(rooms[chunk]);
  try {
    const range = { start: bounds[chunk], end: bounds[chunk + 1], chunkBytes: CHUNK_BYTES };
    await feedChunks(parser, fileChunks(path, range), 0, {});
  } catch (error) {
    if (error instanceof InputError) return { ok: false };
    throw error;
  }
  const edges = parser.integerEdges();
  if (edges === undefined) return { ok: false };
  if (edges.sources.buffer === sources[chunk].buffer) {
    return { ok: true, count: parser.count, maxKey: edges.maxKey };
  }
  // The region was too small and the parser moved to arrays of its own: move them over.
  const buffers = [edges.sources.buffer, edges.targets.buffer];
  if (edges.weights !== undefined) buffers.push(edges.weights.buffer);
  return withTransfer(
    { ok: true, count: parser.count, maxKey: edges.maxKey, edges },
    buffers as ArrayBuffer[],
  );
}

/** Bytes per line of the file's head: what the rooms of the regions are estimated from. */
function headLineBytes(head: Buffer): number {
  let lines = 0;
  for (let i = head.indexOf(10); i >= 0; i = head.indexOf(10, i + 1)) lines++;
  return Math.max(4, head.length / Math.max(1, lines));
}

/** Edges range `r` of `parts` (bytes `bounds[r] .. bounds[r + 1]`) has room for. */
function room(bounds: readonly number[], r: number, lineBytes: number, lastByBytes: boolean): number {
  const bytes = bounds[r + 1] - bounds[r];
  // The last range of one shared array may take as many lines as its bytes can hold (its
  // pages cost nothing until written); other ranges a tenth more than the head suggests.
  if (lastByBytes && r === bounds.length - 2) return Math.floor(bytes / 4) + 2;
  return Math.ceil((bytes / lineBytes) * 1.1) + 4096;
}

/**
 * The ranges of the file and where each parses to. A range that outgrows its region still
 * works (its parser moves to arrays of its own, which are then copied). When one shared array
 * for all would be larger than `limit` bytes (what a worker can take), the file is cut into
 * enough ranges that each worker's region stays below it, and the first range's plain arrays
 * are sized for the whole file, so that the others are appended into them.
 */
function planRanges(
  path: string,
  size: number,
  parallelism: number,
  lineBytes: number,
  weighted: boolean,
  limit: number,
): { bounds: number[]; regions: Regions } {
  const edgeBytes = weighted ? 8 : 4;
  const cut = (parts: number) => lineRanges(path, parts, { end: size, firstWeight: FIRST_RANGE_WEIGHT });
  let bounds = cut(parallelism);
  const rooms = (lastByBytes: boolean) =>
    bounds.slice(1).map((_, r) => room(bounds, r, lineBytes, lastByBytes));
  let sizes = rooms(false);
  let total = sizes.reduce((sum, edges) => sum + edges, 0);
  if (total * edgeBytes <= limit) {
    // The last range may take as many lines as its bytes can hold, as far as the limit allows
    // (the rooms of the head's estimate decide whether one shared array will do, not this).
    const last = sizes.length - 1;
    const others = total - sizes[last];
    sizes[last] = Math.max(sizes[last], Math.min(rooms(true)[last], Math.floor(limit / edgeBytes) - others));
    total = others + sizes[last];
    const shared = [
      int32Array(total, true),
      int32Array(total, true),
      float64Array(weighted ? total : 0, true),
    ];
    const [sources, targets, weights] = shared as [Int32Array, Int32Array, Float64Array];
    const regions: Regions = {
      sources: [],
      targets: [],
      weights: [],
      whole: [sources, targets, undefined],
      rooms: [],
    };
    if (weighted) regions.whole[2] = weights;
    let start = 0;
    for (const edges of sizes) {
      regions.sources.push(sources.subarray(start, start + edges));
      regions.targets.push(targets.subarray(start, start + edges));
      regions.weights.push(weighted ? weights.subarray(start, start + edges) : undefined);
      start += edges;
    }
    return { bounds, regions };
  }
  for (let parts = parallelism; ; parts++) {
    bounds = cut(parts);
    sizes = rooms(false);
    if (Math.max(...sizes.slice(1)) * edgeBytes <= limit || parts >= MAX_RANGES) break;
  }
  total = sizes.reduce((sum, edges) => sum + edges, 0);
  const whole: Regions['whole'] = allocating(
    `the edge arrays of about ${total} edges`,
    (weighted ? 16 : 8) * total,
    () => [new Int32Array(total), new Int32Array(total), weighted ? new Float64Array(total) : undefined],
  );
  const regions: Regions = {
    sources: [whole[0]],
    targets: [whole[1]],
    weights: [whole[2]],
    whole,
    rooms: [0],
  };
  for (let r = 1; r < sizes.length; r++) {
    // Parsed into the worker's own arrays, moved here when done: nothing stays shared with
    // the worker (whose collector would free a shared buffer only when it next runs).
    regions.sources.push(new Int32Array(0));
    regions.targets.push(new Int32Array(0));
    regions.weights.push(undefined);
    regions.rooms[r] = Math.min(sizes[r], Math.floor(limit / edgeBytes));
  }
  return { bounds, regions };
}
