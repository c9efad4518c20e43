/**
 * Scanning an edge-list file once without keeping its edges: the file is cut into ranges of
 * whole lines, each parsed by one thread (this one takes the first, where the header is), and
 * every batch of parsed edges (integer keys as written) goes to a sink that folds it into
 * something smaller than the edge list, such as a union-find forest. Only files of canonical
 * integer ids take this path; anything else (string ids, a malformed line to report with its
 * line number, a byte order mark) is for {@link readEdgeList} on one thread. This module plans
 * the scan on the calling thread; {@link scanEdgeRange} (in a module of its own, light for the
 * workers to import) parses a range.
 */
import { statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { threadCount } from '../core/threads/driver.js';
import { lineRanges, readSlice } from '../core/threads/file-ranges.js';
import { CHUNK_BYTES, EdgeListParser, type EdgeListSettings } from './edge-list-parser.js';
import { PARALLEL_READ_MINIMUM_BYTES } from './edge-list-ranges.js';
import { checkReadOptions, type EdgeListReadOptions } from './edge-list-reader.js';

/**
 * This thread parses the first range while the workers start (a fresh isolate, 45 ms; the
 * range kernel's modules, 8 ms; cold code), so its range is this much larger than the others.
 * (At R-MAT scale 20 on 2 cores, with 1.3 the worker finished its range 40-700 ms before this
 * thread, the more so the busier the machine.)
 */
const FIRST_RANGE_WEIGHT = 1.15;

/** A file cut into ranges, and the parser of its first range, configured from its head. */
export interface EdgeListScan {
  /** `bounds[r] .. bounds[r + 1]` are the bytes of range r. */
  readonly bounds: readonly number[];
  /** The format, for the parsers of the other ranges. */
  readonly settings: EdgeListSettings;
  /** The first range's parser (it has seen the header, if any). */
  readonly first: EdgeListParser;
  /** The largest key in the head of the file (-1 if none): a guess at the largest of all. */
  readonly headMaxKey: number;
  /** The edges of the file, guessed from those of its head. */
  readonly estimatedEdges: number;
}

/**
 * Plans a scan of `path` (a regular file) on `options.parallelism` threads (one for files
 * below {@link PARALLEL_READ_MINIMUM_BYTES}); undefined when the file is not for a scan: a
 * byte order mark, or a head whose lines are not all edges of integer ids (or a comment).
 */
export function planEdgeListScan(path: string, options: EdgeListReadOptions = {}): EdgeListScan | undefined {
  checkReadOptions(options);
  const size = statSync(path).size;
  const file = options.fileName ?? path;
  const head = readSlice(path, 0, CHUNK_BYTES);
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return undefined;
  const final = head.length === size;
  const first = new EdgeListParser(file, 'error');
  if (!first.configure(head, head.length, final, options)) return undefined;
  // A file of string ids shows them in its first lines: trying its head costs far less than
  // every thread parsing its range before the scan gives up.
  const probe = new EdgeListParser(file, 'error');
  probe.configure(head, head.length, final, options);
  const end = head.lastIndexOf(10) + 1;
  try {
    probe.parse(head, 0, end);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
  const probed = probe.integerEdges();
  if (probed === undefined) return undefined;
  const parts =
    size < PARALLEL_READ_MINIMUM_BYTES
      ? 1
      : threadCount({ parallelism: options.parallelism ?? 1, pool: options.pool });
  const bounds = lineRanges(path, parts, { end: size, firstWeight: FIRST_RANGE_WEIGHT });
  const estimatedEdges = Math.ceil((probe.edgesRead / Math.max(1, end)) * size);
  return { bounds, settings: first.settings, first, headMaxKey: probed.maxKey, estimatedEdges };
}
