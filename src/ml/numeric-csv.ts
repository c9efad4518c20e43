import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileChunks } from '../core/file-chunks.js';
import { DenseMatrix } from '../core/matrix.js';
import { float64Array } from '../core/shared-memory.js';
import { sharedWorkerPool, type WorkerPool } from '../core/threads/worker-pool.js';
import { countLineEnds, parseNumericFileRange, parseNumericRows } from './numeric-csv-rows.js';

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

/** The header of a CSV whose first line end is in `bytes`: names, delimiter, where data starts. */
function headerOf(bytes: Buffer): Pick<CsvLayout, 'names' | 'delimiter' | 'width' | 'firstLine'> | undefined {
  const headerEnd = bytes.indexOf(NEWLINE);
  if (headerEnd < 0) return undefined;
  const header = decoder.decode(bytes.slice(0, bytes[headerEnd - 1] === RETURN ? headerEnd - 1 : headerEnd));
  if (header.includes('"') || header.charCodeAt(0) === 0xfeff) return undefined;
  const counts = [COMMA, TAB, SEMICOLON].map((c) => header.split(String.fromCharCode(c)).length - 1);
  const delimiterIndex = counts.indexOf(Math.max(...counts));
  const delimiter = [COMMA, TAB, SEMICOLON][delimiterIndex];
  const names = header.split(String.fromCharCode(delimiter)).map((name) => name.trim());
  if (names.some((name) => name === '') || new Set(names).size !== names.length) return undefined;
  return { names, delimiter, width: names.length, firstLine: headerEnd + 1 };
}

function layout(view: Uint8Array): CsvLayout | undefined {
  // Buffer's indexOf is native: 10x faster than Uint8Array's (measured, on shared memory).
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const header = headerOf(bytes);
  if (header === undefined) return undefined;
  const length = bytes.length;
  const rows =
    countLineEnds(bytes, header.firstLine, length) +
    (length > header.firstLine && bytes[length - 1] !== NEWLINE ? 1 : 0);
  return { ...header, rows, split: length, rowsBeforeSplit: rows };
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
  const cells = rows * width;
  const written = parseNumericRows(bytes, firstLine, bytes.length, {
    delimiter,
    width,
    data,
    firstCell: 0,
    cells,
  });
  return written === cells ? assemble(parts, data) : undefined;
}

/** Files smaller than this are parsed on the calling thread: a worker's start costs more. */
const PARALLEL_MINIMUM_BYTES = 1 << 20;

// Workers load the row parser from the same tree as this module: .js in dist, .ts under tsx.
const rangeParser = {
  module: new URL(`./numeric-csv-rows${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'parseNumericFileRange',
};

/**
 * The layout of a CSV file, from one pass that counts line ends through a reused buffer: its
 * header, its rows, and the line end nearest its middle, where a second thread starts.
 */
async function fileLayout(path: string): Promise<CsvLayout | undefined> {
  let header: ReturnType<typeof headerOf>;
  let offset = 0;
  let rows = 0;
  let split = -1;
  let rowsBeforeSplit = 0;
  let size = 0;
  let lastByte = NEWLINE;
  for await (const chunk of fileChunks(path)) {
    if (header === undefined) {
      // The header line must end in the first chunk (1 MiB): anything else is not plain numbers.
      header = headerOf(chunk);
      if (header === undefined) return undefined;
      size = (await stat(path)).size;
    }
    const from = Math.max(0, header.firstLine - offset);
    const middle = header.firstLine + Math.floor((size - header.firstLine) / 2);
    for (let at = chunk.indexOf(NEWLINE, from); at >= 0; at = chunk.indexOf(NEWLINE, at + 1)) {
      rows++;
      if (split < 0 && offset + at >= middle) {
        split = offset + at + 1;
        rowsBeforeSplit = rows;
      }
    }
    offset += chunk.length;
    lastByte = chunk[chunk.length - 1];
  }
  if (header === undefined) return undefined;
  if (offset > header.firstLine && lastByte !== NEWLINE) rows++;
  if (split < 0 || split >= offset) {
    split = offset;
    rowsBeforeSplit = rows;
  }
  return { ...header, rows, split, rowsBeforeSplit };
}

/**
 * Reads an all-numeric CSV file into a matrix, the lines after its middle parsed by a worker
 * thread of `pool` (the process-wide pool by default) while this thread parses the others:
 * the same numbers as {@link parseNumericCsv}, with the file never held whole (each thread
 * reads its part through one reused buffer). The matrix is in shared memory, ready for
 * estimators that run on worker threads (KMeans). Undefined when the file is not plain numbers.
 */
export async function readNumericCsvFile(
  path: string,
  { parallelism = availableParallelism(), pool }: { parallelism?: number; pool?: WorkerPool } = {},
): Promise<NumericCsv | undefined> {
  const parts = await fileLayout(path);
  if (parts === undefined) return undefined;
  const { firstLine, split, delimiter, width, rows, rowsBeforeSplit } = parts;
  const threads = parallelism > 1 && split - firstLine >= PARALLEL_MINIMUM_BYTES / 2;
  const data = float64Array(rows * width, threads);
  const first = { delimiter, width, data, firstCell: 0, cells: rowsBeforeSplit * width };
  const second = { ...first, firstCell: first.cells, cells: (rows - rowsBeforeSplit) * width };
  const end = Number.POSITIVE_INFINITY;
  const secondParsed =
    second.cells > 0 && threads
      ? (pool ?? sharedWorkerPool()).run<boolean>(rangeParser, [path, split, end, second])
      : undefined;
  const firstOk = await parseNumericFileRange(path, firstLine, split, first);
  const rest = secondParsed ?? (second.cells === 0 ? true : parseNumericFileRange(path, split, end, second));
  return (await rest) && firstOk ? assemble(parts, data) : undefined;
}
