/**
 * NDJSON parsing from bytes. The throughput path is a line holding a JSON array of numbers:
 * it is parsed straight from the Buffer into a Float64Array, without a string per line or a
 * JS array per point. Objects (and anything else) go through JSON.parse.
 */
import { InputError } from '../core/errors.js';

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const EXACT_MANTISSA = 2 ** 53;

/** Why a numeric line did not parse (set by {@link parseNumberArray} when it returns -1). */
export interface NumberArrayProblem {
  /** 0-based byte column of the problem in the line. */
  column: number;
  problem: string;
  expected: string;
}

// Node's native byte-to-string decoder, which accepts any Uint8Array: the slow path's only allocation.
const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }
).latin1Slice;

const problem: NumberArrayProblem = { column: 0, problem: '', expected: '' };

function fail(column: number, what: string, expected: string): number {
  problem.column = column;
  problem.problem = what;
  problem.expected = expected;
  return -1;
}

/** The problem of the last failed {@link parseNumberArray} call. */
export function lastNumberArrayProblem(): NumberArrayProblem {
  return { ...problem };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/**
 * Parses the JSON array of numbers in bytes[start, end) into `out` from `offset`, writing at
 * most `limit` values. Returns how many numbers the array holds (more than `limit` means
 * the line is too long; the extra ones are counted, not written), or -1 when the line is not
 * such an array (`lastNumberArrayProblem()` in this module says why). Numbers whose digits fit
 * in 2^53 and whose exponent is within ±22 are computed exactly as one correctly rounded
 * division or product (Clinger's fast path); the rest go through Number().
 */
export function parseNumberArray(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  offset: number,
  limit: number,
): number {
  let i = start;
  while (i < end && isSpace(bytes[i])) i++;
  if (bytes[i] !== 91) return fail(i - start, 'not a JSON array', 'a JSON array of numbers');
  i++;
  while (i < end && isSpace(bytes[i])) i++;
  let count = 0;
  if (bytes[i] === 93) {
    i++;
  } else {
    for (;;) {
      const numberStart = i;
      let negative = false;
      let c = bytes[i];
      if (c === 45) {
        negative = true;
        c = bytes[++i];
      }
      let mantissa = 0;
      let digits = 0;
      let scale = 0;
      const integerStart = i;
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        c = bytes[++i];
      }
      digits = i - integerStart;
      if (digits === 0) {
        if (c === 78 || c === 73 || (c === 110 && bytes[i + 1] === 117)) {
          return fail(
            numberStart - start,
            'not a finite number',
            'finite JSON numbers (NaN, Infinity and null are not)',
          );
        }
        return fail(numberStart - start, 'bad JSON', 'a number');
      }
      if (digits > 1 && bytes[integerStart] === 48)
        return fail(numberStart - start, 'bad JSON', 'a number without leading zeros');
      if (c === 46) {
        c = bytes[++i];
        const fractionStart = i;
        while (c >= 48 && c <= 57) {
          mantissa = mantissa * 10 + (c - 48);
          c = bytes[++i];
        }
        scale = i - fractionStart;
        if (scale === 0) return fail(i - start, 'bad JSON', 'digits after the decimal point');
      }
      let exponent = 0;
      if (c === 101 || c === 69) {
        c = bytes[++i];
        let exponentNegative = false;
        if (c === 43 || c === 45) {
          exponentNegative = c === 45;
          c = bytes[++i];
        }
        const exponentStart = i;
        while (c >= 48 && c <= 57) {
          exponent = exponent * 10 + (c - 48);
          c = bytes[++i];
        }
        if (i === exponentStart) return fail(i - start, 'bad JSON', 'digits in the exponent');
        if (exponentNegative) exponent = -exponent;
      }
      let value: number;
      const power = exponent - scale;
      if (mantissa <= EXACT_MANTISSA && power >= -22 && power <= 22) {
        value = power < 0 ? mantissa / POWERS_OF_TEN[-power] : mantissa * POWERS_OF_TEN[power];
        if (negative) value = -value;
      } else {
        value = Number(latin1Slice.call(bytes, numberStart, i));
        if (!Number.isFinite(value)) {
          return fail(numberStart - start, 'not a finite number', 'a number within the range of doubles');
        }
      }
      if (count < limit) out[offset + count] = value;
      count++;
      while (i < end && isSpace(bytes[i])) i++;
      c = bytes[i];
      if (c === 44) {
        i++;
        while (i < end && isSpace(bytes[i])) i++;
        continue;
      }
      if (c === 93) {
        i++;
        break;
      }
      return fail(i - start, 'bad JSON', "',' or ']'");
    }
  }
  while (i < end && isSpace(bytes[i])) i++;
  if (i < end) return fail(i - start, 'bad JSON', 'the end of the line after the array');
  return count;
}

/** The text of a line for an error message. */
export function lineText(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
    .toString('utf8')
    .replace(/\r$/, '');
}

/**
 * Parses one NDJSON line as JSON, reporting a syntax error as an InputError at its line.
 */
export function parseJsonLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    const column = /position (\d+)/.exec(detail);
    throw new InputError('bad JSON', {
      file,
      line,
      column: column ? Number(column[1]) + 1 : undefined,
      text,
      expected: 'one JSON value per line',
    });
  }
}
