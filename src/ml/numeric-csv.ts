import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DenseMatrix } from '../core/matrix.js';
import { float64Array } from '../core/shared-memory.js';
import { runChunks, threadCount } from '../core/threads/driver.js';
import { lineEndsInRange, lineRanges, readSlice } from '../core/threads/file-ranges.js';
import type { WorkerPool } from '../core/threads/worker-pool.js';
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

/** Options of the all-numeric readers. */
export interface NumericCsvOptions {
  /**
   * Whether the first line names the columns (default true). Without a header, the first line
   * is data and the columns are named by their 1-based position: "1", "2", ...
   */
  header?: boolean;
}

/** Where the parts of a CSV are: its header, where its data starts, how many rows it has. */
interface CsvLayout {
  names: string[];
  delimiter: number;
  width: number;
  /** Where the first data line starts. */
  firstLine: number;
  /** The 1-based line number of the first data line. */
  firstLineNumber: number;
  rows: number;
}

/** The names of columns that have no header: their 1-based positions, "1", "2", ... */
export function positionalNames(width: number): string[] {
  return Array.from({ length: width }, (_, j) => String(j + 1));
}

/**
 * The head of a CSV whose first line end is in `bytes`: names (the header's, or positions
 * without one), the delimiter guessed from the first line, and where data starts.
 */
function headerOf(bytes: Buffer, hasHeader: boolean): Omit<CsvLayout, 'rows'> | undefined {
  const headerEnd = bytes.indexOf(NEWLINE);
  if (headerEnd < 0) return undefined;
  const header = decoder.decode(bytes.slice(0, bytes[headerEnd - 1] === RETURN ? headerEnd - 1 : headerEnd));
  if (header.includes('"') || header.charCodeAt(0) === 0xfeff) return undefined;
  const counts = [COMMA, TAB, SEMICOLON].map((c) => header.split(String.fromCharCode(c)).length - 1);
  const delimiterIndex = counts.indexOf(Math.max(...counts));
  const delimiter = [COMMA, TAB, SEMICOLON][delimiterIndex];
  const fields = header.split(String.fromCharCode(delimiter));
  if (!hasHeader) {
    const names = positionalNames(fields.length);
    return { names, delimiter, width: names.length, firstLine: 0, firstLineNumber: 1 };
  }
  const names = fields.map((name) => name.trim());
  if (names.some((name) => name === '') || new Set(names).size !== names.length) return undefined;
  return { names, delimiter, width: names.length, firstLine: headerEnd + 1, firstLineNumber: 2 };
}

function layout(view: Uint8Array, hasHeader: boolean): CsvLayout | undefined {
  // Buffer's indexOf is native: 10x faster than Uint8Array's (measured, on shared memory).
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const header = headerOf(bytes, hasHeader);
  if (header === undefined) return undefined;
  const length = bytes.length;
  const rows =
    countLineEnds(bytes, header.firstLine, length) +
    (length > header.firstLine && bytes[length - 1] !== NEWLINE ? 1 : 0);
  return { ...header, rows };
}

function assemble(
  { names, rows, width }: Pick<CsvLayout, 'names' | 'rows' | 'width'>,
  data: Float64Array,
  lines: Int32Array,
): NumericCsv {
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

/** Line numbers `first`, `first + 1`, ... of `rows` rows. */
function lineNumbers(rows: number, first: number): Int32Array {
  const lines = new Int32Array(rows);
  for (let r = 0; r < rows; r++) lines[r] = r + first;
  return lines;
}

/**
 * Columns `indices` (0-based, in that order, a column may come twice) of an all-numeric CSV,
 * named `names`: a new row-major matrix, so that estimators still read one without transposing.
 */
export function chooseNumericColumns(
  numeric: NumericCsv,
  indices: readonly number[],
  names: string[],
): NumericCsv {
  const { rows, columns: width, data: source } = numeric.matrix;
  const chosen = indices.length;
  const data = new Float64Array(rows * chosen);
  for (let r = 0, at = 0; r < rows; r++) {
    const row = r * width;
    for (let j = 0; j < chosen; j++) data[at++] = source[row + indices[j]];
  }
  return assemble({ names, rows, width: chosen }, data, numeric.lines);
}

/** Parses `bytes` when every cell is a plain decimal number; undefined when it is not. */
export function parseNumericCsv(
  bytes: Uint8Array,
  { header = true }: NumericCsvOptions = {},
): NumericCsv | undefined {
  const parts = layout(bytes, header);
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
  return written === cells ? assemble(parts, data, lineNumbers(rows, parts.firstLineNumber)) : undefined;
}

/** Files smaller than this are parsed on the calling thread: a worker's start costs more. */
const PARALLEL_MINIMUM_BYTES = 1 << 20;

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const rangeParser = {
  module: new URL(`./numeric-csv${extension}`, import.meta.url),
  exportName: 'parseCsvRange',
};
const lineCounter = {
  module: new URL(`../core/threads/file-ranges${extension}`, import.meta.url),
  exportName: 'lineEndsInRange',
  local: lineEndsInRange,
};

/**
 * A driver kernel: parses range `chunk` of `path` (bytes `bounds[chunk] .. bounds[chunk + 1]`,
 * whole lines) into rows `firstRows[chunk] .. firstRows[chunk + 1] - 1` of `data`; false
 * when the range is not all plain numbers.
 */
export function parseCsvRange(
  path: string,
  bounds: readonly number[],
  firstRows: readonly number[],
  delimiter: number,
  width: number,
  data: Float64Array,
  chunk: number,
): Promise<boolean> {
  const firstCell = firstRows[chunk] * width;
  const cells = firstRows[chunk + 1] * width - firstCell;
  return parseNumericFileRange(path, bounds[chunk], bounds[chunk + 1], {
    delimiter,
    width,
    data,
    firstCell,
    cells,
  });
}

/**
 * Reads an all-numeric CSV file into a matrix, its lines cut into ranges that this thread and
 * `parallelism - 1` workers of `pool` (the process-wide pool by default) count and then parse
 * at once: the same numbers as {@link parseNumericCsv}, with the file never held whole (each
 * thread reads its ranges through one reused buffer). The matrix is in shared memory when
 * workers took part, ready for estimators that run on worker threads. Undefined when the file
 * is not plain numbers.
 */
export async function readNumericCsvFile(
  path: string,
  {
    parallelism = availableParallelism(),
    pool,
    header: hasHeader = true,
  }: NumericCsvOptions & { parallelism?: number; pool?: WorkerPool } = {},
): Promise<NumericCsv | undefined> {
  // The first line must end in the first MiB: anything else is not plain numbers.
  const header = headerOf(readSlice(path, 0, 1 << 20), hasHeader);
  if (header === undefined) return undefined;
  const { firstLine, delimiter, width } = header;
  const size = statSync(path).size;
  const threads = { parallelism, pool };
  const parts = size - firstLine >= PARALLEL_MINIMUM_BYTES ? threadCount(threads) : 1;
  const bounds = lineRanges(path, parts, { start: firstLine, end: size });
  const lineEnds = await runChunks<number>(lineCounter, [path, bounds], parts, threads);
  const firstRows = [0];
  for (let r = 0; r < parts; r++) firstRows.push(firstRows[r] + lineEnds[r]);
  // A last line without a line end.
  if (size > firstLine && readSlice(path, size - 1, 1)[0] !== NEWLINE) firstRows[parts]++;
  const rows = firstRows[parts];
  const data = float64Array(rows * width, parts > 1);
  const args = [path, bounds, firstRows, delimiter, width, data];
  const parsed = await runChunks<boolean>({ ...rangeParser, local: parseCsvRange }, args, parts, threads);
  return parsed.every(Boolean)
    ? assemble({ ...header, rows }, data, lineNumbers(rows, header.firstLineNumber))
    : undefined;
}
