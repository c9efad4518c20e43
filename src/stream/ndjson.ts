/**
 * NDJSON parsing from bytes. The throughput path is a line holding a JSON array of numbers:
 * it is parsed straight from the Buffer into a Float64Array, without a string per line or a
 * JS array per point. Objects (and anything else) go through JSON.parse.
 */
import { lastDecimal, scanDecimal } from '../core/decimal.js';
import { InputError } from '../core/errors.js';
import type { InvalidRecordOptions } from './sources.js';

/** Why a numeric line did not parse (set by {@link parseNumberArray} when it returns -1). */
export interface NumberArrayProblem {
  /** 0-based byte column of the problem in the line. */
  column: number;
  problem: string;
  expected: string;
}

/** Where numbers past a call's limit are parsed to, only to be checked and counted. */
const overflow = new Float64Array(1);

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
 * such an array (`lastNumberArrayProblem()` in this module says why). Numbers are JSON's
 * (stricter than core's decimal parser, which computes them) and equal what JSON.parse gives.
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
      const digitStart = bytes[i] === 45 ? i + 1 : i;
      const c = bytes[digitStart];
      // JSON is stricter than the decimal parser: no '+', no leading '.', no '5.' (and no
      // leading zeros, which the decimal parser checks in JSON mode).
      if (!(c >= 48 && c <= 57)) {
        if (c === 78 || c === 73 || (c === 110 && bytes[digitStart + 1] === 117)) {
          return fail(
            numberStart - start,
            'not a finite number',
            'finite JSON numbers (NaN, Infinity and null are not)',
          );
        }
        return fail(numberStart - start, 'bad JSON', 'a number');
      }
      // Past the limit the numbers are only counted: they go to a scratch cell.
      const inside = count < limit;
      const numberEnd = inside
        ? scanDecimal(bytes, numberStart, end, out, offset + count, true)
        : scanDecimal(bytes, numberStart, end, overflow, 0, true);
      if (numberEnd < 0) {
        if (lastDecimal.integerDigits > 1 && c === 48)
          return fail(numberStart - start, 'bad JSON', 'a number without leading zeros');
        const fractionEnd = digitStart + lastDecimal.integerDigits + 1;
        return lastDecimal.fractionDigits === 0
          ? fail(fractionEnd - start, 'bad JSON', 'digits after the decimal point')
          : fail(lastDecimal.end - start, 'bad JSON', 'digits in the exponent');
      }
      if (bytes[numberEnd - 1] === 46)
        return fail(numberEnd - start, 'bad JSON', 'digits after the decimal point');
      if (!Number.isFinite(inside ? out[offset + count] : overflow[0]))
        return fail(numberStart - start, 'not a finite number', 'a number within the range of doubles');
      i = numberEnd;
      count++;
      while (i < end && isSpace(bytes[i])) i++;
      const after = bytes[i];
      if (after === 44) {
        i++;
        while (i < end && isSpace(bytes[i])) i++;
        continue;
      }
      if (after === 93) {
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

/**
 * Parses one NDJSON line (not blank) and appends its value to `records`. A line that is not
 * JSON throws its InputError, or, with `options.skipInvalid`, goes to `options.onInvalid` and
 * is left out: then the result is false.
 */
export function pushJsonLine(
  records: unknown[],
  text: string,
  file: string,
  line: number,
  options: InvalidRecordOptions,
): boolean {
  try {
    records.push(parseJsonLine(text, file, line));
    return true;
  } catch (error) {
    if (!options.skipInvalid || !(error instanceof InputError)) throw error;
    options.onInvalid?.(error);
    return false;
  }
}
