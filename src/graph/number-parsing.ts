/**
 * Number parsing straight from bytes, for the edge-list reader: no string is made for the
 * common cases, and results equal `Number(text)` exactly.
 */

/** Powers of ten that are exact doubles (10^0 .. 10^22). */
const EXACT_POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * Parses a decimal number (`[+-]digits[.digits][e[+-]digits]`, also `.5` and `5.`) from
 * `bytes[start, end)`. Returns NaN when the text is not such a number. Values with at most 15
 * significant digits and a small exponent are computed exactly in one correctly rounded
 * operation (Clinger's fast path); anything else goes through `Number()` on the text, so the
 * result is always the double nearest to the decimal value.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  let pos = start;
  let negative = false;
  let c = bytes[pos];
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    pos++;
  }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let fractionDigits = 0;
  while (pos < end) {
    c = bytes[pos];
    if (c < DIGIT_0 || c > DIGIT_9) break;
    mantissa = mantissa * 10 + (c - DIGIT_0);
    if (mantissa !== 0) significant++;
    digits++;
    pos++;
  }
  if (pos < end && bytes[pos] === DOT) {
    pos++;
    while (pos < end) {
      c = bytes[pos];
      if (c < DIGIT_0 || c > DIGIT_9) break;
      mantissa = mantissa * 10 + (c - DIGIT_0);
      if (mantissa !== 0) significant++;
      digits++;
      fractionDigits++;
      pos++;
    }
  }
  if (digits === 0) return Number.NaN;
  let exponent = 0;
  if (pos < end && (bytes[pos] === LOWER_E || bytes[pos] === UPPER_E)) {
    pos++;
    let exponentNegative = false;
    if (pos < end && (bytes[pos] === MINUS || bytes[pos] === PLUS)) {
      exponentNegative = bytes[pos] === MINUS;
      pos++;
    }
    let exponentDigits = 0;
    while (pos < end) {
      c = bytes[pos];
      if (c < DIGIT_0 || c > DIGIT_9) break;
      if (exponent < 100_000) exponent = exponent * 10 + (c - DIGIT_0);
      exponentDigits++;
      pos++;
    }
    if (exponentDigits === 0) return Number.NaN;
    if (exponentNegative) exponent = -exponent;
  }
  if (pos !== end) return Number.NaN;
  const scale = exponent - fractionDigits;
  let value: number;
  if (significant <= 15 && scale >= -22 && scale <= 22) {
    value = scale >= 0 ? mantissa * EXACT_POWERS_OF_TEN[scale] : mantissa / EXACT_POWERS_OF_TEN[-scale];
  } else {
    value = Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'));
    return value;
  }
  return negative ? -value : value;
}

/**
 * Whether a string is a decimal number in the same grammar as {@link parseDecimal}
 * (used on a few header lines, where speed does not matter).
 */
export function isDecimalText(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
}
