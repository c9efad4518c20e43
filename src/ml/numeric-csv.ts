import { DenseMatrix } from '../core/matrix.js';
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
  /** Each column, contiguous. */
  columns: Float64Array[];
  /** The 1-based line of each row. */
  lines: Int32Array;
}

const COMMA = 44;
const TAB = 9;
const SEMICOLON = 59;
const NEWLINE = 10;
const RETURN = 13;

const decoder = new TextDecoder();

/** Parses `bytes` when every cell is a plain decimal number; undefined when it is not. */
export function parseNumericCsv(bytes: Uint8Array): NumericCsv | undefined {
  const length = bytes.length;
  let headerEnd = bytes.indexOf(NEWLINE);
  if (headerEnd < 0) return undefined;
  const header = decoder.decode(
    bytes.subarray(0, bytes[headerEnd - 1] === RETURN ? headerEnd - 1 : headerEnd),
  );
  if (header.includes('"') || header.charCodeAt(0) === 0xfeff) return undefined;
  const counts = [COMMA, TAB, SEMICOLON].map((c) => header.split(String.fromCharCode(c)).length - 1);
  const delimiterIndex = counts.indexOf(Math.max(...counts));
  const delimiter = [COMMA, TAB, SEMICOLON][delimiterIndex];
  const names = header.split(String.fromCharCode(delimiter)).map((name) => name.trim());
  if (names.some((name) => name === '') || new Set(names).size !== names.length) return undefined;
  const width = names.length;
  headerEnd++;

  let rows = 0;
  for (let at = bytes.indexOf(NEWLINE, headerEnd); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) rows++;
  if (length > headerEnd && bytes[length - 1] !== NEWLINE) rows++;
  const data = new Float64Array(rows * width);

  if (!parseNumericRows(bytes, headerEnd, length, delimiter, width, data, 0, rows * width)) return undefined;
  // Row by row: the matrix is read in order and each column written in order (a column at a
  // time strides through the matrix, several times slower).
  const columns = names.map(() => new Float64Array(rows));
  for (let r = 0, at = 0; r < rows; r++) for (let j = 0; j < width; j++) columns[j][r] = data[at++];
  const lines = new Int32Array(rows);
  for (let r = 0; r < rows; r++) lines[r] = r + 2;
  return { names, matrix: new DenseMatrix(rows, width, data), columns, lines };
}
