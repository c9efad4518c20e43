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
import { withTransfer } from '../dataset/runtime/transfer.js';
import { sharedWorkerPool } from '../dataset/runtime/worker-pool.js';
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

/** What a worker sends back for its range: the edges, or that the range needs one thread. */
type RangeResult = { ok: true; edges: IntegerEdges } | { ok: false };

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
  const head = readBytes(path, 0, CHUNK_BYTES);
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return undefined;
  if (!parser.configure(head, head.length, false, options)) return undefined;
  const bounds = lineBounds(path, size, parallelism);
  const pool = options.pool ?? sharedWorkerPool();
  const ranges: Promise<RangeResult>[] = [];
  for (let r = 1; r < parallelism; r++) {
    if (bounds[r] < bounds[r + 1]) {
      ranges.push(pool.run<RangeResult>(rangeTask, [path, bounds[r], bounds[r + 1], parser.settings]));
    }
  }
  try {
    // Sized for the whole file: the other ranges are appended to these arrays.
    const chunks = fileChunks(path, { end: bounds[1], chunkBytes: CHUNK_BYTES });
    await feedChunks(parser, chunks, size, options);
  } catch (error) {
    await Promise.allSettled(ranges);
    // A malformed line of the first range already carries its true line number.
    if (error instanceof InputError && options.onInvalid === 'skip') return undefined;
    throw error;
  }
  const results = await Promise.all(ranges);
  if (parser.integerEdges() === undefined) return undefined;
  for (const result of results) {
    if (!result.ok) return undefined;
    parser.appendIntegerEdges(result.edges);
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
): Promise<RangeResult> {
  const parser = new EdgeListParser(path, 'error');
  parser.configureAs(settings);
  try {
    const chunks = fileChunks(path, { start, end, chunkBytes: CHUNK_BYTES });
    await feedChunks(parser, chunks, end - start, {});
  } catch (error) {
    if (error instanceof InputError) return { ok: false };
    throw error;
  }
  const edges = parser.integerEdges();
  if (edges === undefined) return { ok: false };
  const buffers = [edges.sources.buffer, edges.targets.buffer];
  if (edges.weights !== undefined) buffers.push(edges.weights.buffer);
  return withTransfer({ ok: true, edges }, buffers as ArrayBuffer[]);
}

/** `parts + 1` offsets cutting the file into about equal ranges, each starting a line. */
function lineBounds(path: string, size: number, parts: number): number[] {
  const bounds = [0];
  for (let p = 1; p < parts; p++) {
    // The first line that starts at or after the even cut (and after the previous bound).
    let position = Math.max(bounds[p - 1], Math.floor((size * p) / parts) - 1);
    let bound = size;
    while (position < size) {
      const window = readBytes(path, position, 1 << 16);
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

function readBytes(path: string, position: number, length: number): Buffer {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    const read = readSync(descriptor, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(descriptor);
  }
}
