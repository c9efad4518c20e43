import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isDecimalText,
  lastDecimal,
  parseDecimal,
  parseDecimalText,
  scanDecimal,
} from '../../src/core/decimal.js';

/** The grammar of the decimal parser, as a regular expression. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parse(text: string): number {
  const bytes = Buffer.from(text, 'latin1');
  return parseDecimal(bytes, 0, bytes.length);
}

/** Every digit of a double's exact decimal value (it has one: a double is m * 2^e). */
function exactDecimal(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  const negative = value < 0;
  let scaled = Math.abs(value);
  let shift = 0;
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    shift++;
  }
  // value = scaled / 2^shift = scaled * 5^shift / 10^shift
  const digits = (BigInt(scaled) * 5n ** BigInt(shift)).toString().padStart(shift + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -shift)}.${digits.slice(-shift)}`;
}

/** A double printed in many of the forms a file may hold it in. */
const printedDouble = fc
  .tuple(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(
      'string',
      'exponential',
      'precision',
      'fixed',
      'exact',
      'upper-e',
      'plus',
      'leading-zeros',
      'trailing-zeros',
      'no-integer-part',
    ),
    fc.integer({ min: 0, max: 20 }),
  )
  .map(([value, form, digits]) => {
    const plain = String(value);
    switch (form) {
      case 'exponential':
        return value.toExponential(digits);
      case 'precision':
        return value.toPrecision(digits + 1);
      case 'fixed':
        return Math.abs(value) < 1e21 ? value.toFixed(digits) : plain;
      case 'exact':
        return exactDecimal(value);
      case 'upper-e':
        return value.toExponential(digits).toUpperCase().replace('E+', 'E');
      case 'plus':
        return value >= 0 ? `+${plain}` : plain;
      case 'leading-zeros':
        return value >= 0 && !Object.is(value, -0) ? `000${plain}` : plain;
      case 'trailing-zeros':
        return plain.includes('e') ? plain : `${plain}${plain.includes('.') ? '' : '.'}${'0'.repeat(digits)}`;
      case 'no-integer-part':
        return Math.abs(value) < 1 && !plain.includes('e') ? plain.replace('0.', '.') : plain;
      default:
        return plain;
    }
  });

describe('parseDecimal', () => {
  it('reads the forms of the grammar', () => {
    expect(parse('42')).toBe(42);
    expect(parse('-2.5')).toBe(-2.5);
    expect(parse('+.5')).toBe(0.5);
    expect(parse('5.')).toBe(5);
    expect(parse('1e3')).toBe(1000);
    expect(parse('1.5E-2')).toBe(0.015);
    expect(parse('007.50e+1')).toBe(75);
    expect(Object.is(parse('-0'), -0)).toBe(true);
    expect(Object.is(parse('-0e999'), -0)).toBe(true);
  });

  it('equals Number() where the fast path cannot be exact', () => {
    for (const text of [
      '9007199254740993', // 2^53 + 1: the mantissa is no longer an exact double
      '9007199254740993e-1',
      '9007199254740993e-6', // an accumulated mantissa rounds to 2^53 exactly: not exact
      '9007199254740993e-7',
      '0.1000000000000000055511151231257827021181583404541015625', // the exact value of 0.1
      '2.2250738585072011e-308', // the largest subnormal's neighbourhood
      '4.9e-324',
      '2e-324', // rounds to zero
      '3e-324', // rounds up to the smallest subnormal
      '1.7976931348623157e308',
      '1.7976931348623159e308', // rounds to infinity
      '1e23', // 10^23 is not an exact double
      '123456789012345678901234567890',
      '1e-400',
      '1e400',
      '1e99999999999',
      `1${'0'.repeat(400)}e-400`,
    ]) {
      expect(parse(text), text).toBe(Number(text));
    }
  });

  it('equals Number() on random doubles printed in many forms', () => {
    fc.assert(
      fc.property(printedDouble, (text) => {
        expect(DECIMAL.test(text), text).toBe(true);
        expect(Object.is(parse(text), Number(text)), text).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('equals Number() on short decimals with any exponent (the fast path and its edges)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        fc.integer({ min: -340, max: 330 }),
        fc.boolean(),
        (mantissa, exponent, negative) => {
          const text = `${negative ? '-' : ''}${mantissa}e${exponent}`;
          expect(Object.is(parse(text), Number(text)), text).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on random byte strings: accepts exactly the grammar, with the value Number() gives', () => {
    const byte = fc.constantFrom(...'0123456789+-.eE x,'.split(''));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        const value = parse(text);
        if (DECIMAL.test(text)) expect(Object.is(value, Number(text)), text).toBe(true);
        else expect(value, text).toBeNaN();
      }),
      { numRuns: 5000 },
    );
  });

  it('on arbitrary bytes never accepts what is not a decimal', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 10 }), (bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        const value = parseDecimal(bytes, 0, bytes.length);
        if (DECIMAL.test(text)) expect(Object.is(value, Number(text)), text).toBe(true);
        else expect(value, text).toBeNaN();
      }),
      { numRuns: 3000 },
    );
  });

  it('on any range of random bytes, reads only the range (whatever surrounds it)', () => {
    const byte = fc.constantFrom(...'0123456789+-.eE,\n'.split(''));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 16 }), fc.nat(), fc.nat(), (chars, a, b) => {
        const bytes = Buffer.from(chars.join(''), 'latin1');
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (b % (bytes.length - start + 1));
        const text = bytes.toString('latin1', start, end);
        const value = parseDecimal(bytes, start, end);
        if (DECIMAL.test(text)) expect(Object.is(value, Number(text)), text).toBe(true);
        else expect(value, text).toBeNaN();
      }),
      { numRuns: 5000 },
    );
    expect(parseDecimal(Buffer.from('123'), 2, 2)).toBeNaN();
  });

  it('reads within a range of a larger buffer, in shared memory too', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(64));
    shared.set(Buffer.from('x12345678901234567890.5y'));
    expect(parseDecimal(shared, 1, 23)).toBe(Number('12345678901234567890.5'));
    expect(parseDecimal(shared, 1, 3)).toBe(12);
    expect(parseDecimal(shared, 0, 3)).toBeNaN();
  });
});

describe('scanDecimal', () => {
  it('writes the value, stops at the first byte that cannot continue the number and returns where', () => {
    const bytes = Buffer.from('-12.5e3,7');
    const out = new Float64Array(3);
    expect(scanDecimal(bytes, 0, bytes.length, out, 1)).toBe(7);
    expect(scanDecimal(bytes, 8, bytes.length, out, 2)).toBe(9);
    expect(Array.from(out)).toEqual([0, -12500, 7]);
  });

  it('records what it saw for numbers that leave the fast path, and only for them', () => {
    const bytes = Buffer.from('-12.5e3,7.,12345678901234567890');
    const out = new Float64Array(1);
    lastDecimal.end = -1;
    expect(scanDecimal(bytes, 8, 10, out, 0)).toBe(10);
    expect(lastDecimal.end).toBe(-1);
    expect(scanDecimal(bytes, 0, bytes.length, out, 0)).toBe(7);
    expect(lastDecimal).toEqual({ end: 7, integerDigits: 2, fractionDigits: 1 });
    expect(scanDecimal(bytes, 11, bytes.length, out, 0)).toBe(bytes.length);
    expect(lastDecimal).toEqual({ end: bytes.length, integerDigits: 20, fractionDigits: -1 });
    expect(out[0]).toBe(Number('12345678901234567890'));
  });

  it('fails where the missing digits were expected, writing nothing', () => {
    const out = new Float64Array([5]);
    const noDigits = Buffer.from('-.e5');
    expect(scanDecimal(noDigits, 0, noDigits.length, out, 0)).toBe(-1);
    expect(lastDecimal.end).toBe(1);
    const noExponent = Buffer.from('1.5e+,');
    expect(scanDecimal(noExponent, 0, noExponent.length, out, 0)).toBe(-1);
    expect(lastDecimal.end).toBe(5);
    expect(out[0]).toBe(5);
  });

  it('with json, refuses a point followed by no digit before an exponent or in a long mantissa', () => {
    const out = new Float64Array(1);
    for (const [text, pointEnd] of [
      ['1.e5', 2],
      ['-12345678901234567890.', 22],
    ] as const) {
      const bytes = Buffer.from(text);
      expect(scanDecimal(bytes, 0, bytes.length, out, 0, true), text).toBe(-1);
      expect(lastDecimal.end, text).toBe(pointEnd);
      expect(lastDecimal.fractionDigits, text).toBe(0);
      expect(scanDecimal(bytes, 0, bytes.length, out, 0), text).toBe(bytes.length);
      expect(out[0], text).toBe(Number(text));
    }
  });

  it('never reads past the end of its range', () => {
    const bytes = Buffer.from('12345');
    const out = new Float64Array(1);
    expect(scanDecimal(bytes, 0, 3, out, 0)).toBe(3);
    expect(out[0]).toBe(123);
  });
});

describe('parseDecimalText', () => {
  it('reads a range of a string, and nothing outside ASCII is a digit', () => {
    expect(parseDecimalText('a 1.25e2 b', 2, 8)).toBe(125);
    expect(parseDecimalText('１２')).toBeNaN();
    expect(parseDecimalText('1\u0130')).toBeNaN();
    expect(parseDecimalText('x'.repeat(100))).toBeNaN();
    expect(parseDecimalText('1'.repeat(100))).toBe(Number('1'.repeat(100)));
  });

  it('isDecimalText agrees with the grammar on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), printedDouble, (text, number) => {
        expect(isDecimalText(text), text).toBe(DECIMAL.test(text));
        expect(isDecimalText(number), number).toBe(true);
      }),
    );
  });
});
