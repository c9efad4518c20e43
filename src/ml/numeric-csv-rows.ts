/**
 * The inner loop of the all-numeric CSV reader (numeric-csv.ts): bytes to doubles, for one
 * range of whole lines. It has no imports, so a worker thread that parses part of a file loads
 * nothing else.
 */

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

/**
 * Parses the lines in `bytes[start, end)` (whole lines of `width` plain decimal numbers split
 * by `delimiter`, each ending in `\n` or `\r\n`, the last one also at the end of the bytes)
 * into `data[firstCell ..]`, row-major. Returns false as soon as something else turns up
 * (text, an empty cell, a space, a ragged line, a non-finite number), or when the range holds
 * more or fewer than `cells` numbers. Every value is the double `Number()` gives for its text.
 */
export function parseNumericRows(
  bytes: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
  width: number,
  data: Float64Array,
  firstCell: number,
  cells: number,
): boolean {
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
    if (digits === 0) return false;
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
      if (i === exponentStart) return false;
      scale += exponentNegative ? -exponent : exponent;
    }
    let value: number;
    if (digits <= 15 && scale >= -22 && scale <= 22) {
      // Clinger's fast path: an exact integer times or over an exact power of ten rounds once.
      value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
    } else {
      value = Number(ascii(bytes, numberStart, i));
      if (!Number.isFinite(value)) return false;
    }
    data[cell] = negative ? -value : value;
    cell++;
    // After a number: the delimiter inside a line, the line end after its last cell.
    if (++column < width) {
      if (c !== delimiter) return false;
      i++;
    } else {
      if (c === RETURN) c = bytes[++i];
      if (c !== NEWLINE && i < end) return false;
      i++;
      column = 0;
    }
  }
  return cell === lastCell && i >= end;
}
