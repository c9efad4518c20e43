/**
 * The edge-list reader: text edge lists (SNAP, Matrix Market-style comments, CSV) parsed from
 * bytes in chunks, straight into typed arrays, without making a string per line. Integer ids
 * take a fast path (digits accumulated from bytes, numbered through a direct table); any other
 * id switches the whole file to string keys, kept exactly as written.
 */
import { statSync } from 'node:fs';
import type { InputError } from '../core/errors.js';
import { ParamError } from '../core/errors.js';
import { fileChunks } from '../core/file-chunks.js';
import { gunzipIfCompressed, inputKind, streamedChunks } from '../core/input-bytes.js';
import type { Progress } from '../core/progress.js';
import type { WorkerPool } from '../core/threads/worker-pool.js';
import { CHUNK_BYTES, EdgeListParser, feedChunks } from './edge-list-parser.js';
import { readEdgeListInRanges } from './edge-list-ranges.js';
import { graphFileEdges, isGraphFile } from './graph-file.js';
import type { VertexDictionary, VertexKey } from './vertex-dictionary.js';

/** How fields are separated: a tab, a comma, or runs of spaces and tabs. */
export type EdgeListSeparator = 'tab' | 'comma' | 'whitespace';

/** Options of {@link readEdgeList}. */
export interface EdgeListReadOptions {
  /** Field separator; `'auto'` (default) takes tab, else comma, else whitespace, from the first line. */
  separator?: EdgeListSeparator | 'auto';
  /**
   * Any other one-character field separator (`';'`, `'|'`, a single `' '`); overrides
   * `separator`. Not a digit, a letter, `.`, `-`, `+` or a line end, which would be read
   * into ids or weights.
   */
  delimiter?: string;
  /**
   * Whether the first non-comment line names the columns. `'auto'` (default) takes it as a
   * header when none of its fields is a number and the next line has one.
   */
  header?: boolean | 'auto';
  /**
   * Whether the third column is an edge weight. `'auto'` (default): when the first edge line has
   * three fields. `false` ignores a third column; `true` requires it.
   */
  weighted?: boolean | 'auto';
  /**
   * The 1-based columns of the source, the target and (optionally) the weight, for files with
   * more columns (SNAP's `FromNodeId ToNodeId ...`); the others are ignored. Default: 1, 2 and,
   * when present, 3. Read by the general parser, slower than the default columns.
   */
  columns?: readonly number[];
  /** A malformed line is an error (default), or is skipped and counted in `skippedLines`. */
  onInvalid?: 'error' | 'skip';
  /** The name used in error messages (default: the path, or `<stdin>` for streams). */
  fileName?: string;
  /** Reports the number of edges read so far. */
  progress?: Progress;
  /** Called with the error of every skipped line (with `onInvalid: 'skip'`), e.g. to warn about each. */
  onSkip?: (error: InputError) => void;
  /**
   * Threads that parse a file (default 1): a large file of integer ids is split into ranges of
   * whole lines, parsed at once by this thread and `parallelism - 1` workers. The result is the
   * same as with one thread; files it cannot split that way (string ids, a malformed line to
   * report with its line number) are read by one thread.
   */
  parallelism?: number;
  /** The worker pool for `parallelism` (default: the process-wide pool). */
  pool?: WorkerPool;
  /**
   * The largest buffer a worker parses into (default: the driver's largest segment, 8 GiB); a
   * file with more edges is cut into more ranges. Smaller values are for tests.
   */
  segmentBytes?: number;
}

/** An edge list read into dense ids: the input of a CSR build. */
export interface EdgeList<K extends VertexKey = VertexKey> {
  /** The vertex keys, exactly as written, and their dense ids. */
  dictionary: VertexDictionary<K>;
  /** Dense source id of every edge, in file order. */
  sources: Int32Array;
  /** Dense target id of every edge, in file order. */
  targets: Int32Array;
  /** Weight of every edge, when the file has a weight column. */
  weights: Float64Array | undefined;
  /** Column names, when the file has a header line. */
  header: string[] | undefined;
  /** Lines skipped as malformed (only with `onInvalid: 'skip'`). */
  skippedLines: number;
  /** The error of the first skipped line, to show the user what was wrong. */
  firstSkipped: InputError | undefined;
}

/** Checks the options of {@link readEdgeList} that the parser does not: a ParamError names the first wrong one. */
export function checkReadOptions(options: EdgeListReadOptions): void {
  const onInvalid = options.onInvalid ?? 'error';
  if (onInvalid !== 'error' && onInvalid !== 'skip') {
    throw new ParamError('onInvalid', onInvalid, "'error' or 'skip'");
  }
  const columns = options.columns;
  if (
    columns !== undefined &&
    ((columns.length !== 2 && columns.length !== 3) ||
      !columns.every((column) => Number.isInteger(column) && column >= 1 && column <= 1024) ||
      new Set(columns).size !== columns.length)
  ) {
    throw new ParamError(
      'columns',
      columns,
      '2 or 3 different column numbers from 1 (source, target[, weight])',
    );
  }
  const delimiter = options.delimiter;
  if (delimiter !== undefined && !/^[^\p{L}\p{N}.+\-\r\n]$/u.test(delimiter)) {
    throw new ParamError(
      'delimiter',
      delimiter,
      'one character that is not a letter, a digit, ".", "-", "+" or a line end',
    );
  }
  if (delimiter !== undefined && delimiter.charCodeAt(0) > 127) {
    throw new ParamError('delimiter', delimiter, 'an ASCII character (a single byte)');
  }
}

/**
 * Where edge-list text comes from: a file path (a regular file, a named pipe, `/dev/stdin`, or
 * gzip, known by a `.gz` name or its magic bytes), a readable stream, or bytes in memory
 * (both also gzip when they start with its magic bytes).
 */
export type EdgeListInput = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array> | Uint8Array;

function isByteStream(input: unknown): input is AsyncIterable<Uint8Array> {
  return typeof input === 'object' && input !== null && Symbol.asyncIterator in input;
}

/**
 * Reads an edge list into dense ids and typed arrays: a file path, a stream (stdin) or bytes.
 * A binary graph file ({@link writeGraphFile}, `eddy convert`) is read too, in CSR edge order.
 * Lines are `source SEP target [SEP weight]`; `#` and `%` lines and blank lines are skipped.
 * A malformed line throws an {@link InputError} naming file, line, column and text, unless
 * `onInvalid: 'skip'`. Memory: 8 bytes per edge (16 with weights) plus the dictionary.
 * @example
 * const edges = await readEdgeList('web-Google.txt');
 * const { csr } = buildCsr(edges.dictionary.size, edges.sources, edges.targets);
 */
export async function readEdgeList(
  input: EdgeListInput,
  options: EdgeListReadOptions = {},
): Promise<EdgeList> {
  checkReadOptions(options);
  const onInvalid = options.onInvalid ?? 'error';
  const file = options.fileName ?? (typeof input === 'string' ? input : '<stdin>');
  const parallelism = options.parallelism ?? 1;
  const kind = typeof input === 'string' ? inputKind(input) : undefined;
  if (typeof input === 'string' && kind === 'regular' && isGraphFile(input)) {
    return graphFileEdges(input, { weighted: options.weighted, fileName: options.fileName });
  }
  if (typeof input === 'string' && kind === 'regular' && parallelism > 1) {
    const read = await readEdgeListInRanges(input, file, parallelism, options);
    if (read !== undefined) return read;
  }
  const parser = new EdgeListParser(file, onInvalid, options.onSkip);
  let fileBytes = 0;
  let chunks: AsyncIterable<Uint8Array>;
  if (typeof input === 'string') {
    if (kind === 'regular') {
      fileBytes = statSync(input).size;
      chunks = fileChunks(input, { chunkBytes: CHUNK_BYTES });
    } else {
      // A pipe or device cannot seek, and a gzip file is read through zlib.
      chunks = streamedChunks(input, file, CHUNK_BYTES);
    }
  } else if (input instanceof Uint8Array) {
    chunks = gunzipIfCompressed(
      (async function* () {
        yield input;
      })(),
      file,
    );
  } else if (isByteStream(input)) {
    chunks = gunzipIfCompressed(input as AsyncIterable<Uint8Array>, file);
  } else {
    throw new ParamError('input', input, 'a file path, a readable stream or a Uint8Array');
  }

  await feedChunks(parser, chunks, fileBytes, options);
  options.progress?.finish();
  return parser.finish();
}
