/**
 * The one decimal parser: numbers straight from bytes, for every reader that parses numbers
 * (edge lists, numeric CSV, NDJSON arrays, CSV cells). No string is made for the common
 * cases, and every value is the double `Number(text)` gives for the same text.
 *
 * Grammar: `[+-] digits [. digits] [(e|E) [+-] digits]` with at least one mantissa digit, so
 * `.5` and `5.` are numbers. Readers with a stricter grammar (JSON) check the facts left in
 * {@link lastDecimal}.
 */

/** Powers of ten that are exact doubles (10^0 .. 10^22). */
const EXACT_POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Integers below this are exact doubles, and so is every partial mantissa on the way to one. */
const EXACT_MANTISSA_LIMIT = 2 ** 53;
/** Exponents are clamped here: far past any double's range, far from overflowing an int. */
const EXPONENT_CLAMP = 100_000;

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * What {@link scanDecimal} saw in the last number it failed on (it is also written by other
 * numbers off the fast path; plain short decimals leave it untouched, as a store per number
 * costs the hot loops measurably).
 */
export interface DecimalScan {
  /** Where the number ended; on failure, where the missing digits were expected. */
  end: number;
  /** Digits before the decimal point. */
  integerDigits: number;
  /** Digits after the decimal point; -1 when there is no point. */
  fractionDigits: number;
}

/** The facts of the last number {@link scanDecimal} failed on. */
export const lastDecimal: DecimalScan = { end: 0, integerDigits: 0, fractionDigits: -1 };

// Node's native byte-to-string decoder, which accepts any Uint8Array (shared memory too,
// which TextDecoder refuses): the slow path's only allocation.
const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }
).latin1Slice;

/**
 * Parses the decimal number that starts at `bytes[start]` and ends at the first byte that
 * cannot continue it (or at `end`), writes its value to `out[index]` and returns where it
 * ended. Returns -1 when there is no number there (no mantissa digit, or an exponent mark
 * without digits); {@link lastDecimal} then tells what was seen and where digits were
 * expected. The value goes to an array, not back as the result, so that a hot loop allocates
 * nothing per number. With `json`, an integer part of several digits must not start with 0,
 * and a point must also be followed by a digit when an exponent or a long mantissa follows (a
 * caller checks a trailing point itself: `bytes[end - 1]`). Checking these here, inside the
 * loop that has the digit counts, costs the JSON reader's hot loop less than a check of its own.
 *
 * A mantissa below 2^53 with a power of ten that is an exact double is one correctly rounded
 * product or quotient (Clinger's fast path); any other number goes through `Number()` on its
 * text, which rounds correctly however long the mantissa or large the exponent.
 */
export function scanDecimal(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  index: number,
  json = false,
): number {
  // This function handles plain decimals and stays small enough for V8 to inline it into
  // the readers' loops; exponents, failures and long mantissas go to scanExponentOrSlow.
  // Its loops read without checking `end`: they stop by themselves at a byte that ends every
  // number, so one at end - 1 or at end (or the end of the bytes) keeps them in range.
  if (
    !(
      start < end &&
      (end >= bytes.length || ENDS_NUMBER[bytes[end]] === 1 || ENDS_NUMBER[bytes[end - 1]] === 1)
    )
  )
    return scanCopy(bytes, start, end, out, index, json);
  let i = start;
  let c = bytes[i];
  const negative = c === MINUS;
  if (negative || c === PLUS) c = bytes[++i];
  const unsignedStart = i;
  let mantissa = 0;
  while (c >= DIGIT_0 && c <= DIGIT_9) {
    mantissa = mantissa * 10 + (c - DIGIT_0);
    c = bytes[++i];
  }
  const integerDigits = i - unsignedStart;
  let fractionDigits = -1;
  if (c === DOT) {
    const fractionStart = ++i;
    c = bytes[i];
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      mantissa = mantissa * 10 + (c - DIGIT_0);
      c = bytes[++i];
    }
    fractionDigits = i - fractionStart;
  }
  if (
    c === LOWER_E ||
    c === UPPER_E ||
    mantissa >= EXACT_MANTISSA_LIMIT ||
    fractionDigits > 22 ||
    (integerDigits === 0 && fractionDigits <= 0) ||
    (json && integerDigits > 1 && bytes[unsignedStart] === DIGIT_0)
  ) {
    return scanExponentOrSlow(
      bytes,
      unsignedStart,
      integerDigits,
      fractionDigits,
      end,
      mantissa,
      negative,
      out,
      index,
      json,
    );
  }
  // Clinger's fast path without an exponent: an exact integer over an exact power of ten.
  const value = fractionDigits > 0 ? mantissa / EXACT_POWERS_OF_TEN[fractionDigits] : mantissa;
  out[index] = negative ? -value : value;
  return i;
}

/** Bytes that end every number: anything but digits, '.', 'e', 'E', '+' and '-'. */
const ENDS_NUMBER = Uint8Array.from({ length: 256 }, (_, c) =>
  /[0-9.eE+-]/.test(String.fromCharCode(c)) ? 0 : 1,
);

/** Scratch bytes for {@link scanCopy}, grown on demand. */
let copyBytes = new Uint8Array(64);

/**
 * {@link scanDecimal} over a copy of `bytes[start, end)` followed by a byte that ends every
 * number, for a range that ends inside what could be a number. Readers pass ranges that end
 * at a line break or a delimiter, so this is rare; it is also where empty ranges fail.
 */
function scanCopy(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  index: number,
  json: boolean,
): number {
  const length = Math.max(end - start, 0);
  if (length + 1 > copyBytes.length) copyBytes = new Uint8Array(Math.max(length + 1, copyBytes.length * 2));
  const copy = copyBytes;
  copy.set(bytes.subarray(start, start + length));
  copy[length] = 0;
  const scanned = length === 0 ? -1 : scanDecimal(copy, 0, length, out, index, json);
  if (scanned >= 0) return start + scanned;
  if (length === 0) {
    lastDecimal.end = start;
    lastDecimal.integerDigits = 0;
    lastDecimal.fractionDigits = -1;
  } else lastDecimal.end += start;
  return -1;
}

/**
 * The rest of {@link scanDecimal} for a mantissa (`integerDigits` from `unsignedStart`, then
 * `fractionDigits` after a point, -1 without one) that is missing, is followed by an
 * exponent, or is too long for the fast path; it records what it saw in {@link lastDecimal}.
 */
function scanExponentOrSlow(
  bytes: Uint8Array,
  unsignedStart: number,
  integerDigits: number,
  fractionDigits: number,
  end: number,
  mantissa: number,
  negative: boolean,
  out: Float64Array,
  index: number,
  json: boolean,
): number {
  const scan = lastDecimal;
  scan.integerDigits = integerDigits;
  scan.fractionDigits = fractionDigits;
  if (integerDigits === 0 && fractionDigits <= 0) {
    scan.end = unsignedStart;
    return -1;
  }
  if (json && integerDigits > 1 && bytes[unsignedStart] === DIGIT_0) {
    scan.end = unsignedStart;
    return -1;
  }
  if (json && fractionDigits === 0) {
    scan.end = unsignedStart + integerDigits + 1;
    return -1;
  }
  let i = unsignedStart + integerDigits + (fractionDigits >= 0 ? fractionDigits + 1 : 0);
  let scale = fractionDigits > 0 ? -fractionDigits : 0;
  let c = i < end ? bytes[i] : 0;
  if (c === LOWER_E || c === UPPER_E) {
    c = ++i < end ? bytes[i] : 0;
    let exponentNegative = false;
    if (c === MINUS || c === PLUS) {
      exponentNegative = c === MINUS;
      c = ++i < end ? bytes[i] : 0;
    }
    const exponentStart = i;
    let exponent = 0;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      if (exponent < EXPONENT_CLAMP) exponent = exponent * 10 + (c - DIGIT_0);
      c = ++i < end ? bytes[i] : 0;
    }
    if (i === exponentStart) {
      scan.end = i;
      return -1;
    }
    scale += exponentNegative ? -exponent : exponent;
  }
  scan.end = i;
  let value: number;
  if (mantissa < EXACT_MANTISSA_LIMIT && scale >= -22 && scale <= 22) {
    value = scale < 0 ? mantissa / EXACT_POWERS_OF_TEN[-scale] : mantissa * EXACT_POWERS_OF_TEN[scale];
  } else {
    value = Number(latin1Slice.call(bytes, unsignedStart, i));
  }
  out[index] = negative ? -value : value;
  return i;
}

/** Where {@link parseDecimal} takes its value from {@link scanDecimal}. */
const parsed = new Float64Array(1);

/**
 * Parses `bytes[start, end)` as one decimal number (see {@link scanDecimal}); NaN when the
 * range holds anything else.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  return scanDecimal(bytes, start, end, parsed, 0) === end ? parsed[0] : Number.NaN;
}

/** Scratch bytes for {@link parseDecimalText}, grown on demand. */
let textBytes = new Uint8Array(64);

/**
 * Parses `text[start, end)` as one decimal number in the grammar of {@link scanDecimal}; NaN
 * when it is anything else. For text already decoded (CSV cells, header fields).
 */
export function parseDecimalText(text: string, start = 0, end = text.length): number {
  const length = end - start;
  if (length + 1 > textBytes.length) textBytes = new Uint8Array(Math.max(length + 1, textBytes.length * 2));
  const bytes = textBytes;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(start + i);
    // No character outside ASCII belongs to a number; 0 stops the scan just as well.
    bytes[i] = c < 128 ? c : 0;
  }
  bytes[length] = 0;
  return parseDecimal(bytes, 0, length);
}

/** Whether `text` is one decimal number in the grammar of {@link scanDecimal}. */
export function isDecimalText(text: string): boolean {
  return !Number.isNaN(parseDecimalText(text));
}
