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
import { settleChunks, threadCount, valuesOrFirstError } from '../core/threads/driver.js';
import { lineRanges, readSlice } from '../core/threads/file-ranges.js';
import { MAX_BUFFER_BYTES_BETWEEN_THREADS, withTransfer } from '../core/threads/transfer.js';
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

/** Each range's region of the shared edge arrays. */
interface Regions {
  sources: Int32Array;
  targets: Int32Array;
  weights: Float64Array | undefined;
  /** `parts + 1` offsets: range r parses into positions `starts[r] .. starts[r + 1] - 1`. */
  starts: readonly number[];
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
  const bounds = lineRanges(path, parallelism, { end: size, firstWeight: FIRST_RANGE_WEIGHT });
  const regions = sharedRegions(bounds, head, parser.settings.weighted);
  if (regions === undefined) return undefined;
  const { sources, targets, weights, starts } = regions;
  // This thread parses the first range (the header, the format, true line numbers) with its
  // own parser; any thread parses the others, each into its region of the shared arrays.
  const parseFirst = async (): Promise<RangeResult> => {
    parser.useArrays(...region(regions, 0, starts[1]));
    await feedChunks(parser, fileChunks(path, { end: bounds[1], chunkBytes: CHUNK_BYTES }), 0, options);
    return { ok: true, count: parser.count, maxKey: 0 };
  };
  const kernel = {
    ...rangeKernel,
    local: (...args: Parameters<typeof parseEdgeRange>) =>
      args[7] === 0 ? parseFirst() : parseEdgeRange(...args),
  };
  const args = [path, bounds, parser.settings, sources, targets, weights, starts];
  const outcomes = await settleChunks<RangeResult>(kernel, args, parallelism, {
    ...threads,
    firstHere: true,
  });
  const first = outcomes[0];
  // A malformed line of the first range already carries its true line number.
  if (!first.ok && first.error instanceof InputError && options.onInvalid === 'skip') return undefined;
  const results = valuesOrFirstError(outcomes);
  if (parser.integerEdges() === undefined) return undefined;
  parser.widenTo(sources, targets, weights);
  for (let r = 1; r < parallelism; r++) {
    const result = results[r];
    if (!result.ok) return undefined;
    const [rangeSources, rangeTargets, rangeWeights] = region(regions, r, result.count);
    parser.appendIntegerEdges(
      result.edges ?? {
        sources: rangeSources,
        targets: rangeTargets,
        weights: rangeWeights,
        maxKey: result.maxKey,
      },
    );
  }
  options.progress?.update(parser.count);
  options.progress?.finish();
  return parser.finish();
}

/** The first `length` positions of range `r`'s region. */
function region(
  { sources, targets, weights, starts }: Regions,
  r: number,
  length: number,
): [Int32Array, Int32Array, Float64Array | undefined] {
  const start = starts[r];
  return [
    sources.subarray(start, start + length),
    targets.subarray(start, start + length),
    weights?.subarray(start, start + length),
  ];
}

/**
 * A driver kernel: parses range `chunk` of `path` (bytes `bounds[chunk] .. bounds[chunk + 1]`,
 * whole lines) in the format `settings` describes, into its region of the shared arrays. Edges
 * that outgrow the region are moved, not copied, to the calling thread.
 */
export async function parseEdgeRange(
  path: string,
  bounds: readonly number[],
  settings: EdgeListSettings,
  sources: Int32Array,
  targets: Int32Array,
  weights: Float64Array | undefined,
  starts: readonly number[],
  chunk: number,
): Promise<RangeResult> {
  const parser = new EdgeListParser(path, 'error');
  parser.configureAs(settings);
  parser.useArrays(
    ...region({ sources, targets, weights, starts }, chunk, starts[chunk + 1] - starts[chunk]),
  );
  try {
    const range = { start: bounds[chunk], end: bounds[chunk + 1], chunkBytes: CHUNK_BYTES };
    await feedChunks(parser, fileChunks(path, range), 0, {});
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
 * works (its parser moves to arrays of its own, which are then copied). Undefined when one of
 * them would be too large to share with workers.
 */
function sharedRegions(bounds: number[], head: Buffer, weighted: boolean): Regions | undefined {
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
  // Workers would get larger buffers truncated (Node passes at most 4 GiB intact): one thread.
  if (total * (weighted ? 8 : 4) > MAX_BUFFER_BYTES_BETWEEN_THREADS) return undefined;
  return {
    sources: int32Array(total, true),
    targets: int32Array(total, true),
    weights: weighted ? float64Array(total, true) : undefined,
    starts,
  };
}
