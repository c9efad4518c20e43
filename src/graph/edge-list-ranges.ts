/**
 * Reading one large edge-list file on several threads: the file is cut into ranges of whole
 * lines; this thread parses the first (where the header and the format are), worker threads
 * the others, each into its own typed arrays, which are then appended in file order and
 * numbered as one. The edges, their order and the ids are those one thread gives. Only files
 * of integer ids take this path: string ids are numbered in order of first appearance, which
 * needs one pass in file order, and a malformed line must be reported with its line number,
 * which a worker in the middle of the file does not know; both go back to one thread.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { fileChunks } from '../core/file-chunks.js';
import { float64Array, int32Array } from '../core/shared-memory.js';
import { withTransfer } from '../core/threads/transfer.js';
import { sharedWorkerPool } from '../core/threads/worker-pool.js';
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
const rangeTask = {
  module: new URL(`./edge-list-ranges${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'parseEdgeRange',
};

/** Each range's region of the shared edge arrays. */
interface Regions {
  sources: Int32Array;
  targets: Int32Array;
  weights: Float64Array | undefined;
  /** `parts + 1` offsets: range r parses into positions `starts[r] .. starts[r + 1] - 1`. */
  starts: number[];
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
  if (size < PARALLEL_READ_MINIMUM_BYTES) return undefined;
  const parser = new EdgeListParser(file, 'error');
  const head = readSlice(path, 0, CHUNK_BYTES);
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return undefined;
  if (!parser.configure(head, head.length, false, options)) return undefined;
  const bounds = lineBounds(path, size, parallelism);
  const regions = sharedRegions(bounds, head, parser.settings.weighted);
  const region = (r: number, length: number): [Int32Array, Int32Array, Float64Array | undefined] => {
    const start = regions.starts[r];
    return [
      regions.sources.subarray(start, start + length),
      regions.targets.subarray(start, start + length),
      regions.weights?.subarray(start, start + length),
    ];
  };
  const capacity = (r: number) => regions.starts[r + 1] - regions.starts[r];
  const pool = options.pool ?? sharedWorkerPool();
  const ranges: Promise<RangeResult>[] = [];
  for (let r = 1; r < parallelism; r++) {
    const task = [path, bounds[r], bounds[r + 1], parser.settings, ...region(r, capacity(r))];
    ranges.push(pool.run<RangeResult>(rangeTask, task));
  }
  try {
    parser.useArrays(...region(0, capacity(0)));
    await feedChunks(parser, fileChunks(path, { end: bounds[1], chunkBytes: CHUNK_BYTES }), 0, options);
  } catch (error) {
    await Promise.allSettled(ranges);
    // A malformed line of the first range already carries its true line number.
    if (error instanceof InputError && options.onInvalid === 'skip') return undefined;
    throw error;
  }
  const results = await Promise.all(ranges);
  if (parser.integerEdges() === undefined) return undefined;
  parser.widenTo(regions.sources, regions.targets, regions.weights);
  for (let r = 1; r < parallelism; r++) {
    const result = results[r - 1];
    if (!result.ok) return undefined;
    const [sources, targets, weights] = region(r, result.count);
    parser.appendIntegerEdges(result.edges ?? { sources, targets, weights, maxKey: result.maxKey });
  }
  options.progress?.update(parser.count);
  options.progress?.finish();
  return parser.finish();
}

/**
 * A worker's task: parses bytes `[start, end)` of `path` (whole lines) in the format `settings`
 * describes. The arrays are moved, not copied, to the calling thread.
 */
export async function parseEdgeRange(
  path: string,
  start: number,
  end: number,
  settings: EdgeListSettings,
  sources: Int32Array,
  targets: Int32Array,
  weights: Float64Array | undefined,
): Promise<RangeResult> {
  const parser = new EdgeListParser(path, 'error');
  parser.configureAs(settings);
  parser.useArrays(sources, targets, weights);
  try {
    await feedChunks(parser, fileChunks(path, { start, end, chunkBytes: CHUNK_BYTES }), 0, {});
  } catch (error) {
    if (error instanceof InputError) return { ok: false };
    throw error;
  }
  const edges = parser.integerEdges();
  if (edges === undefined) return { ok: false };
  if (edges.sources.buffer === sources.buffer) return { ok: true, count: parser.count, maxKey: edges.maxKey };
  // The region was too small and the parser moved to arrays of its own: move them over.
  const buffers = [edges.sources.buffer, edges.targets.buffer];
  if (edges.weights !== undefined) buffers.push(edges.weights.buffer);
  return withTransfer(
    { ok: true, count: parser.count, maxKey: edges.maxKey, edges },
    buffers as ArrayBuffer[],
  );
}

/**
 * Regions of shared edge arrays, one per range: from the line length of the file's head, a
 * tenth more than the range should need, and for the last range as many lines as its bytes
 * can hold. Pages never written cost nothing, and a range that outgrows its region still
 * works (its parser moves to arrays of its own, which are then copied).
 */
function sharedRegions(bounds: number[], head: Buffer, weighted: boolean): Regions {
  let lines = 0;
  for (let i = head.indexOf(10); i >= 0; i = head.indexOf(10, i + 1)) lines++;
  const lineBytes = Math.max(4, head.length / Math.max(1, lines));
  const starts = [0];
  const parts = bounds.length - 1;
  for (let r = 0; r < parts; r++) {
    const bytes = bounds[r + 1] - bounds[r];
    const room = r < parts - 1 ? Math.ceil((bytes / lineBytes) * 1.1) + 4096 : Math.floor(bytes / 4) + 2;
    starts.push(starts[r] + room);
  }
  const total = starts[parts];
  return {
    sources: int32Array(total, true),
    targets: int32Array(total, true),
    weights: weighted ? float64Array(total, true) : undefined,
    starts,
  };
}

/**
 * A worker starts (a fresh isolate, its modules, cold code) in about the time this thread
 * parses a sixth of the file, so this thread's range is that much larger than the others.
 */
const FIRST_RANGE_WEIGHT = 1.3;

/** `parts + 1` offsets cutting the file into ranges (the first one larger), each starting a line. */
function lineBounds(path: string, size: number, parts: number): number[] {
  const bounds = [0];
  const share = size / (FIRST_RANGE_WEIGHT + parts - 1);
  for (let p = 1; p < parts; p++) {
    // The first line that starts at or after the cut (and after the previous bound).
    let position = Math.max(bounds[p - 1], Math.floor(share * (FIRST_RANGE_WEIGHT + p - 1)) - 1);
    let bound = size;
    while (position < size) {
      const window = readSlice(path, position, 1 << 16);
      const newline = window.indexOf(10);
      if (newline >= 0) {
        bound = position + newline + 1;
        break;
      }
      position += window.length;
    }
    bounds.push(bound);
  }
  bounds.push(size);
  return bounds;
}

function readSlice(path: string, position: number, length: number): Buffer {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    const read = readSync(descriptor, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(descriptor);
  }
}
