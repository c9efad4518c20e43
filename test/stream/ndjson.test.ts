import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumberArray } from '../../src/stream/ndjson.js';

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

  it('counts past the limit without writing', () => {
    const bytes = Buffer.from('[1,2,3,4]');
    const out = new Float64Array(2);
    expect(parseNumberArray(bytes, 0, bytes.length, out, 0, 2)).toBe(4);
    expect(Array.from(out)).toEqual([1, 2]);
  });
});
