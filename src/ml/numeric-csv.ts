import { DenseMatrix } from '../core/matrix.js';

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
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const EXPONENT = 101;
const EXPONENT_UPPER = 69;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
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

  let i = headerEnd;
  let cell = 0;
  let column = 0;
  const cells = rows * width;
  while (i < length && cell < cells) {
    // One number: [sign] digits [. digits] [e [sign] digits]
    let negative = false;
    let c = bytes[i];
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      c = bytes[++i];
    }
    const start = i;
    let mantissa = 0;
    let significant = 0;
    let scale = 0;
    while (c >= ZERO && c <= NINE) {
      if (significant < 16) mantissa = mantissa * 10 + (c - ZERO);
      else scale++;
      if (mantissa !== 0) significant++;
      c = bytes[++i];
    }
    let digits = i - start;
    if (c === DOT) {
      c = bytes[++i];
      const fractionStart = i;
      while (c >= ZERO && c <= NINE) {
        if (significant < 16) {
          mantissa = mantissa * 10 + (c - ZERO);
          scale--;
          if (mantissa !== 0) significant++;
        }
        c = bytes[++i];
      }
      digits += i - fractionStart;
    }
    if (digits === 0) return undefined;
    if (c === EXPONENT || c === EXPONENT_UPPER) {
      c = bytes[++i];
      let exponentNegative = false;
      if (c === MINUS || c === PLUS) {
        exponentNegative = c === MINUS;
        c = bytes[++i];
      }
      const exponentStart = i;
      let exponent = 0;
      while (c >= ZERO && c <= NINE && exponent < 100_000) {
        exponent = exponent * 10 + (c - ZERO);
        c = bytes[++i];
      }
      if (i === exponentStart) return undefined;
      scale += exponentNegative ? -exponent : exponent;
    }
    let value: number;
    if (significant <= 15 && scale >= -22 && scale <= 22) {
      // Clinger's fast path: an exact integer times or over an exact power of ten rounds once.
      value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
    } else {
      value = Number(decoder.decode(bytes.subarray(start, i)));
      if (!Number.isFinite(value)) return undefined;
    }
    data[cell] = negative ? -value : value;
    cell++;
    // After a number: the delimiter inside a row, the line end after its last cell.
    if (++column < width) {
      if (c !== delimiter) return undefined;
      i++;
    } else {
      if (c === RETURN) c = bytes[++i];
      if (c !== NEWLINE && i < length) return undefined;
      i++;
      column = 0;
    }
  }
  if (cell !== cells || i < length) return undefined;
  const columns = names.map((_, j) => {
    const values = new Float64Array(rows);
    for (let r = 0; r < rows; r++) values[r] = data[r * width + j];
    return values;
  });
  const lines = new Int32Array(rows);
  for (let r = 0; r < rows; r++) lines[r] = r + 2;
  return { names, matrix: new DenseMatrix(rows, width, data), columns, lines };
}
