import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { DenseMatrix } from '../core/matrix.js';
import { sharedWorkerPool, type WorkerPool } from '../dataset/runtime/worker-pool.js';
import { parseNumericRows } from './numeric-csv-rows.js';

/**
 * The fast path for the common ML input, a CSV of plain numbers: the bytes are parsed straight
 * into one row-major matrix (the layout the estimators use) and into columns, with no UTF-8
 * decoding and no string per cell. Anything unusual (quotes, text, empty cells, spaces, blank
 * lines, NaN, infinities, a ragged row) makes it give up, and the general CSV reader of
 * src/core/csv.ts reads the file instead, with its error messages.
 */

/** An all-numeric CSV, parsed. */
export interface NumericCsv {
  names: string[];
  /** rows x names.length, row-major. */
  matrix: DenseMatrix;
  /** Each column, contiguous (copied from the matrix when first read). */
  readonly columns: Float64Array[];
  /** The 1-based line of each row. */
  lines: Int32Array;
}

const COMMA = 44;
const TAB = 9;
const SEMICOLON = 59;
const NEWLINE = 10;
const RETURN = 13;

const decoder = new TextDecoder();

/** Where the parts of a file are: its header, and its lines cut in two at a line end. */
interface CsvLayout {
  names: string[];
  delimiter: number;
  width: number;
  /** Where the first data line starts. */
  firstLine: number;
  rows: number;
  /** Where the second part starts (just after a line end), and how many rows come before it. */
  split: number;
  rowsBeforeSplit: number;
}

function layout(view: Uint8Array): CsvLayout | undefined {
  // Buffer's indexOf is native: 10x faster than Uint8Array's (measured, on shared memory).
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const length = bytes.length;
  const headerEnd = bytes.indexOf(NEWLINE);
  if (headerEnd < 0) return undefined;
  const header = decoder.decode(bytes.slice(0, bytes[headerEnd - 1] === RETURN ? headerEnd - 1 : headerEnd));
  if (header.includes('"') || header.charCodeAt(0) === 0xfeff) return undefined;
  const counts = [COMMA, TAB, SEMICOLON].map((c) => header.split(String.fromCharCode(c)).length - 1);
  const delimiterIndex = counts.indexOf(Math.max(...counts));
  const delimiter = [COMMA, TAB, SEMICOLON][delimiterIndex];
  const names = header.split(String.fromCharCode(delimiter)).map((name) => name.trim());
  if (names.some((name) => name === '') || new Set(names).size !== names.length) return undefined;
  const firstLine = headerEnd + 1;
  const middle = bytes.indexOf(NEWLINE, firstLine + Math.floor((length - firstLine) / 2));
  const split = middle < 0 ? length : middle + 1;
  let rows = 0;
  let rowsBeforeSplit = 0;
  for (let at = bytes.indexOf(NEWLINE, firstLine); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) {
    rows++;
    if (at < split) rowsBeforeSplit++;
  }
  if (length > firstLine && bytes[length - 1] !== NEWLINE) rows++;
  if (split === length) rowsBeforeSplit = rows;
  return { names, delimiter, width: names.length, firstLine, rows, split, rowsBeforeSplit };
}

function assemble({ names, rows, width }: CsvLayout, data: Float64Array): NumericCsv {
  const lines = new Int32Array(rows);
  for (let r = 0; r < rows; r++) lines[r] = r + 2;
  let columns: Float64Array[] | undefined;
  return {
    names,
    matrix: new DenseMatrix(rows, width, data),
    lines,
    // Made on first use: estimators read the matrix, and fresh memory costs time to touch.
    // Row by row: the matrix is read in order and each column written in order (a column at
    // a time strides through the matrix, several times slower).
    get columns() {
      if (columns === undefined) {
        const made = names.map(() => new Float64Array(rows));
        for (let r = 0, at = 0; r < rows; r++) for (let j = 0; j < width; j++) made[j][r] = data[at++];
        columns = made;
      }
      return columns;
    },
  };
}

/** Parses `bytes` when every cell is a plain decimal number; undefined when it is not. */
export function parseNumericCsv(bytes: Uint8Array): NumericCsv | undefined {
  const parts = layout(bytes);
  if (parts === undefined) return undefined;
  const { firstLine, delimiter, width, rows } = parts;
  const data = new Float64Array(rows * width);
  if (!parseNumericRows(bytes, firstLine, bytes.length, delimiter, width, data, 0, rows * width)) {
    return undefined;
  }
  return assemble(parts, data);
}

/** Files smaller than this are parsed on the calling thread: a worker's message costs more. */
const PARALLEL_MINIMUM_BYTES = 1 << 20;

// Workers load the row parser from the same tree as this module: .js in dist, .ts under tsx.
const rowParser = {
  module: new URL(`./numeric-csv-rows${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'parseNumericRows',
};

/**
 * {@link parseNumericCsv} with the second half of the lines parsed by a worker thread of
 * `pool` (the process-wide pool by default) while this thread parses the first: the same
 * numbers, about twice as fast on two free cores. Bytes in a SharedArrayBuffer are used as
 * they are (see {@link readFileShared}), others copied there. The matrix is in shared memory,
 * ready for estimators that run on worker threads (KMeans). Small inputs, and `parallelism`
 * 1, are parsed on this thread.
 */
export async function parseNumericCsvOnThreads(
  bytes: Uint8Array,
  { parallelism = availableParallelism(), pool }: { parallelism?: number; pool?: WorkerPool } = {},
): Promise<NumericCsv | undefined> {
  if (parallelism < 2 || bytes.length < PARALLEL_MINIMUM_BYTES) return parseNumericCsv(bytes);
  const parts = layout(bytes);
  if (parts === undefined) return undefined;
  const { firstLine, split, delimiter, width, rows, rowsBeforeSplit } = parts;
  let shared = bytes;
  if (!(bytes.buffer instanceof SharedArrayBuffer)) {
    shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
  }
  const data = new Float64Array(new SharedArrayBuffer(rows * width * 8));
  const firstCells = rowsBeforeSplit * width;
  const second = (pool ?? sharedWorkerPool()).run<boolean>(rowParser, [
    shared,
    split,
    shared.length,
    delimiter,
    width,
    data,
    firstCells,
    (rows - rowsBeforeSplit) * width,
  ]);
  const first = parseNumericRows(shared, firstLine, split, delimiter, width, data, 0, firstCells);
  return first && (await second) ? assemble(parts, data) : undefined;
}

/**
 * The bytes of a file, in a SharedArrayBuffer when it is large enough to be parsed on several
 * threads (fresh memory is costly to touch: reading straight into shared memory saves a copy
 * of the whole file).
 */
export async function readFileShared(path: string): Promise<Uint8Array> {
  const handle = await open(path);
  try {
    const { size } = await handle.stat();
    if (size < PARALLEL_MINIMUM_BYTES) return await handle.readFile();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) return bytes.subarray(0, filled);
      filled += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
