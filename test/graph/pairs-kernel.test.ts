import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in JavaScript, without declarations
import { compileParsePairs } from '../../scripts/wat.mjs';
import { parsePairs } from '../../src/graph/pairs-kernel.js';
import { PARSE_PAIRS_WASM } from '../../src/graph/parse-pairs-module.js';

const [NEWLINE, CR, ZERO, NINE] = [10, 13, 48, 57];

/**
 * The fast path as the parser ran it in JavaScript before the kernel (the reference): lines
 * `id SEP id` (LF or CRLF, or an ignored third column) with canonical ids of at most 9 digits.
 */
function reference(
  bytes: Uint8Array,
  start: number,
  end: number,
  separator: number,
  ignoreThird: boolean,
  limit: number,
) {
  const sources: number[] = [];
  const targets: number[] = [];
  let maxKey = -1;
  let pos = start;
  let lineStart = start;
  const id = (): number | undefined => {
    const first = pos;
    let value = 0;
    while (bytes[pos] >= ZERO && bytes[pos] <= NINE) value = value * 10 + bytes[pos++] - ZERO;
    const digits = pos - first;
    return digits === 0 || digits > 9 || (digits > 1 && bytes[first] === ZERO) ? undefined : value;
  };
  while (pos < end && sources.length < limit) {
    lineStart = pos;
    const source = id();
    if (source === undefined || bytes[pos] !== separator) break;
    pos++;
    const target = id();
    if (target === undefined) break;
    if (bytes[pos] === separator && ignoreThird) {
      let probe = pos + 1;
      while (bytes[probe] !== NEWLINE && bytes[probe] !== separator) probe++;
      if (bytes[probe] !== NEWLINE) break;
      pos = probe;
    } else if (bytes[pos] === CR) pos++;
    if (bytes[pos] !== NEWLINE) break;
    pos++;
    sources.push(source);
    targets.push(target);
    maxKey = Math.max(maxKey, source, target);
    lineStart = pos;
  }
  return { next: lineStart, sources, targets, maxKey };
}

const lines = fc.array(
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(fc.nat(999_999_999), fc.nat(999_999_999)).map(([a, b]) => `${a}\t${b}`),
    },
    fc.tuple(fc.nat(99), fc.nat(99)).map(([a, b]) => `${a}\t${b}\r`),
    fc
      .tuple(fc.nat(99), fc.nat(99), fc.string({ maxLength: 6 }))
      .map(([a, b, c]) => `${a}\t${b}\t${c.replace(/\n/g, '')}`),
    fc.constantFrom(
      '# comment',
      '',
      '07\t1',
      '1\t007',
      '1234567890\t1',
      '1 2',
      'a\tb',
      '1\t2\t3\t4',
      '5\t6 ',
    ),
  ),
  { maxLength: 60 },
);

describe('the WebAssembly pairs parser', () => {
  it('parses what the JavaScript fast path parsed, and stops where it stopped', () => {
    fc.assert(
      fc.property(lines, fc.boolean(), fc.integer({ min: 0, max: 80 }), (text, ignoreThird, limit) => {
        const bytes = Buffer.from(`${text.join('\n')}\n`);
        const expected = reference(bytes, 0, bytes.length, 9, ignoreThird, limit);
        const sources = new Int32Array(limit + 3).fill(-7);
        const targets = new Int32Array(limit + 3).fill(-7);
        const got = parsePairs(
          bytes,
          0,
          bytes.length,
          { separator: 9, ignoreThird, sources, targets },
          3,
          limit,
          -1,
        );
        expect(got.next).toBe(expected.next);
        expect(got.pairs).toBe(expected.sources.length);
        expect(got.maxKey).toBe(expected.maxKey);
        expect(Array.from(sources.subarray(3, 3 + got.pairs))).toEqual(expected.sources);
        expect(Array.from(targets.subarray(3, 3 + got.pairs))).toEqual(expected.targets);
        expect(Array.from(sources.subarray(0, 3))).toEqual([-7, -7, -7]);
      }),
      { numRuns: 300 },
    );
  });

  it('parses more than one piece (1 MiB) at a time, and leaves a line longer than a piece to the general parser', () => {
    const head = Array.from({ length: 150_000 }, (_, i) => `${i}\t${(i * 7919) % 1_000_003}`).join('\n');
    const long = `5\t6\t${'x'.repeat(1.5 * 2 ** 20)}`;
    const bytes = Buffer.from(`${head}\n${long}\n1\t2\n`);
    const count = 150_002;
    const [sources, targets] = [new Int32Array(count), new Int32Array(count)];
    const into = { separator: 9, ignoreThird: true, sources, targets };
    const got = parsePairs(bytes, 0, bytes.length, into, 0, count, -1);
    expect(bytes.length).toBeGreaterThan(3 * 2 ** 20);
    expect(got.pairs).toBe(150_000);
    expect(got.next).toBe(head.length + 1);
    expect(sources[149_999]).toBe(149_999);
    expect(targets[123_456]).toBe((123_456 * 7919) % 1_000_003);
    const rest = parsePairs(bytes, got.next + long.length + 1, bytes.length, into, 150_000, 2, got.maxKey);
    expect([rest.pairs, rest.next, sources[150_000], targets[150_000]]).toEqual([1, bytes.length, 1, 2]);
  });

  it('runs the module compiled from parse-pairs.wat as committed', async () => {
    const source = readFileSync(new URL('../../src/graph/parse-pairs.wat', import.meta.url), 'utf8');
    expect((await compileParsePairs(source)).toString('base64')).toBe(PARSE_PAIRS_WASM);
  });
});
