import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastNumberArrayProblem, parseNumberArray } from '../../src/stream/ndjson.js';

function parse(text: string, limit = 64): number[] | number {
  const bytes = Buffer.from(text);
  const out = new Float64Array(limit);
  const count = parseNumberArray(bytes, 0, bytes.length, out, 0, limit);
  return count < 0 ? count : Array.from(out.subarray(0, Math.min(count, limit)));
}

describe('parseNumberArray', () => {
  it('reads integers, decimals, exponents, negative zero and spaces', () => {
    expect(parse('[1, -2.5,3e2 ,4.25E-1, -0, 0.000123]')).toEqual([1, -2.5, 300, 0.425, -0, 0.000123]);
    expect(Object.is((parse('[-0]') as number[])[0], -0)).toBe(true);
    expect(parse('  [ ]  ')).toEqual([]);
  });

  it('equals JSON.parse on any array of doubles (exact, including 17-digit and huge exponents)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 20 }),
        (values) => {
          const text = JSON.stringify(values);
          expect(parse(text)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('equals JSON.parse on short decimals, the fast path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 16 }),
        fc.integer({ min: 0, max: 9 }),
        (ints, scale) => {
          const text = `[${ints.map((n) => (n / 10 ** scale).toFixed(scale)).join(',')}]`;
          expect(parse(text)).toEqual(JSON.parse(text));
        },
      ),
    );
  });

  it('rejects what is not a JSON array of finite numbers', () => {
    for (const bad of [
      '[1,2',
      '1,2]',
      '[1,,2]',
      '[01]',
      '[1.]',
      '[1e]',
      '[NaN]',
      '[null]',
      '[1e999]',
      '["1"]',
      '[1] x',
      '[.5]',
      '{"a":1}',
    ]) {
      expect(parse(bad), bad).toBe(-1);
    }
  });

  it('names the problem and its column the way JSON does', () => {
    const cases: [string, number, string, string][] = [
      ['[01]', 1, 'bad JSON', 'a number without leading zeros'],
      ['[-01]', 1, 'bad JSON', 'a number without leading zeros'],
      ['[2, 00.5]', 4, 'bad JSON', 'a number without leading zeros'],
      ['[012e3]', 1, 'bad JSON', 'a number without leading zeros'],
      ['[01.]', 1, 'bad JSON', 'a number without leading zeros'],
      ['[0123456789012345678901]', 1, 'bad JSON', 'a number without leading zeros'],
      ['[1.]', 3, 'bad JSON', 'digits after the decimal point'],
      ['[1.e5]', 3, 'bad JSON', 'digits after the decimal point'],
      ['[1.5e]', 5, 'bad JSON', 'digits in the exponent'],
      ['[1e+]', 4, 'bad JSON', 'digits in the exponent'],
      ['[-1e999]', 1, 'not a finite number', 'a number within the range of doubles'],
      ['[+1]', 1, 'bad JSON', 'a number'],
      ['[-.5]', 1, 'bad JSON', 'a number'],
      ['[-Infinity]', 1, 'not a finite number', 'finite JSON numbers (NaN, Infinity and null are not)'],
      ['[1 2]', 3, 'bad JSON', "',' or ']'"],
      ['[1.5.5]', 4, 'bad JSON', "',' or ']'"],
      ['[1e5e5]', 4, 'bad JSON', "',' or ']'"],
    ];
    for (const [text, column, problem, expected] of cases) {
      expect(parse(text), text).toBe(-1);
      expect(lastNumberArrayProblem(), text).toEqual({ column, problem, expected });
    }
    // 2^53 + 1 accumulates to 2^53: the fast path must not take it (it once did).
    expect(parse('[9007199254740993e-6]')).toEqual([9007199254.740993]);
    expect(parse('[0, -0.5, 0e3, 10, 100.25]')).toEqual([0, -0.5, 0, 10, 100.25]);
    expect(parse('[-0.0e-0, 1E+2, 123456789012345678901234567890e-10]')).toEqual([
      -0,
      100,
      Number('123456789012345678901234567890e-10'),
    ]);
  });

  it('counts past the limit without writing', () => {
    const bytes = Buffer.from('[1,2,3,4]');
    const out = new Float64Array(2);
    expect(parseNumberArray(bytes, 0, bytes.length, out, 0, 2)).toBe(4);
    expect(parseNumberArray(Buffer.from('[1,2,1e999]'), 0, 11, out, 0, 2)).toBe(-1);
    expect(Array.from(out)).toEqual([1, 2]);
  });
});
