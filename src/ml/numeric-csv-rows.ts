/**
 * The inner loop of the all-numeric CSV reader (numeric-csv.ts): bytes to doubles, for one
 * range of whole lines. It imports only the chunked file reader, so a worker thread that
 * parses part of a file loads little else.
 */
import { CarryBytes } from '../core/carry-bytes.js';
import { fileChunks } from '../core/file-chunks.js';

const NEWLINE = 10;
const RETURN = 13;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const EXPONENT = 101;
const EXPONENT_UPPER = 69;

const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** The text of a few ASCII bytes (shared memory included, which TextDecoder refuses). */
function ascii(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let at = start; at < end; at++) text += String.fromCharCode(bytes[at]);
  return text;
}

/** Where parsed lines go: at most `cells` numbers, `width` to a line, into `data[firstCell ..]`, row-major. */
export interface RowsTarget {
  delimiter: number;
  width: number;
  data: Float64Array;
  firstCell: number;
  cells: number;
}

/**
 * Parses the lines in `bytes[start, end)` (whole lines of `width` plain decimal numbers split
 * by `delimiter`, each ending in `\n` or `\r\n`, the last one also at the end of the bytes)
 * into `data[firstCell ..]`, row-major, and returns how many numbers it wrote. Returns -1 as
 * soon as something else turns up (text, an empty cell, a space, a ragged line, a non-finite
 * number), or when the range holds more than `cells` numbers. Every value is the double
 * `Number()` gives for its text.
 */
export function parseNumericRows(bytes: Uint8Array, start: number, end: number, target: RowsTarget): number {
  const { delimiter, width, data, firstCell, cells } = target;
  let i = start;
  let cell = firstCell;
  const lastCell = firstCell + cells;
  let column = 0;
  while (i < end && cell < lastCell) {
    // One number: [sign] digits [. digits] [e [sign] digits]
    let negative = false;
    let c = bytes[i];
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      c = bytes[++i];
    }
    const numberStart = i;
    // Every digit goes into the mantissa: with at most 15 digits it is an exact integer.
    let mantissa = 0;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      c = bytes[++i];
    }
    let digits = i - numberStart;
    let scale = 0;
    if (c === DOT) {
      c = bytes[++i];
      const fractionStart = i;
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        c = bytes[++i];
      }
      scale = fractionStart - i;
      digits -= scale;
    }
    if (digits === 0) return -1;
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
      if (i === exponentStart) return -1;
      scale += exponentNegative ? -exponent : exponent;
    }
    let value: number;
    if (digits <= 15 && scale >= -22 && scale <= 22) {
      // Clinger's fast path: an exact integer times or over an exact power of ten rounds once.
      value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
    } else {
      value = Number(ascii(bytes, numberStart, i));
      if (!Number.isFinite(value)) return -1;
    }
    data[cell] = negative ? -value : value;
    cell++;
    // After a number: the delimiter inside a line, the line end after its last cell.
    if (++column < width) {
      if (c !== delimiter) return -1;
      i++;
    } else {
      if (c === RETURN) c = bytes[++i];
      if (c !== NEWLINE && i < end) return -1;
      i++;
      column = 0;
    }
  }
  return i >= end ? cell - firstCell : -1;
}

/** Line ends in `bytes[start, end)`, counted with Buffer's native search. */
export function countLineEnds(bytes: Buffer, start: number, end: number): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE, start); at >= 0 && at < end; at = bytes.indexOf(NEWLINE, at + 1))
    count++;
  return count;
}

/**
 * {@link parseNumericRows} over bytes `[start, end)` of a file (whole lines), read chunk by
 * chunk through one reused buffer: a whole-file buffer would be fresh memory the size of the
 * file, which is slow to touch. Only a line split across chunks is copied.
 */
export async function parseNumericFileRange(
  path: string,
  start: number,
  end: number,
  target: RowsTarget,
): Promise<boolean> {
  const lastCell = target.firstCell + target.cells;
  let cell = target.firstCell;
  const carry = new CarryBytes();
  const rows = (bytes: Uint8Array, from: number, to: number): boolean => {
    const written = parseNumericRows(bytes, from, to, { ...target, firstCell: cell, cells: lastCell - cell });
    cell += written;
    return written >= 0;
  };
  for await (const chunk of fileChunks(path, { start, end })) {
    let from = 0;
    if (carry.length > 0) {
      const lineEnd = chunk.indexOf(NEWLINE);
      if (lineEnd < 0) {
        carry.append(chunk, 0, chunk.length);
        continue;
      }
      carry.append(chunk, 0, lineEnd + 1);
      if (!rows(carry.bytes, 0, carry.length)) return false;
      carry.length = 0;
      from = lineEnd + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from && !rows(chunk, from, last + 1)) return false;
    carry.append(chunk, Math.max(from, last + 1), chunk.length);
  }
  // A last line without a line end.
  if (carry.length > 0 && !rows(carry.bytes, 0, carry.length)) return false;
  return cell === lastCell;
}
