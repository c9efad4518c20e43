import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { int32Array } from '../../src/core/shared-memory.js';
import {
  numberIntegerKeys,
  numberIntegerKeysOnThreads,
  VertexDictionary,
} from '../../src/graph/vertex-dictionary.js';

describe('VertexDictionary', () => {
  it('numbers number keys ascending and string keys by first appearance', () => {
    const numbers = VertexDictionary.fromKeys([30, -2, 7.5, 30]);
    expect(numbers.kind).toBe('number');
    expect(numbers.keys()).toEqual([-2, 7.5, 30]);
    expect(numbers.id(7.5)).toBe(1);
    expect(numbers.id(8)).toBe(-1);
    expect(numbers.keyText(0)).toBe('-2');
    const strings = VertexDictionary.fromKeys(['b', 'a', 'b', 'c']);
    expect(strings.keys()).toEqual(['b', 'a', 'c']);
    expect(strings.id('c')).toBe(2);
    expect(strings.has('z')).toBe(false);
    expect(strings.id(1 as unknown as string)).toBe(-1);
  });

  it('refuses mixed, non-finite or duplicate keys', () => {
    expect(() => VertexDictionary.fromKeys<string | number>([1, 'a'])).toThrow(/all numbers or all strings/);
    expect(() => VertexDictionary.fromKeys([Number.NaN])).toThrow(ParamError);
    expect(() => VertexDictionary.fromStrings(['a', 'a'])).toThrow(/distinct/);
    expect(() => VertexDictionary.fromSortedNumbers(Float64Array.from([2, 1]))).toThrow(/sorted/);
  });

  it('maps integer keys to dense ids the same way through the table and the sort', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { maxLength: 40 }),
        fc.constantFrom(0, 1_000_000, 2_000_000_000),
        (pairs, shift) => {
          const sources = Int32Array.from(pairs, ([s]) => s + shift);
          const targets = Int32Array.from(pairs, ([, t]) => t + shift);
          const originalSources = sources.slice();
          const originalTargets = targets.slice();
          const max = Math.max(-1, ...sources, ...targets);
          const dictionary = numberIntegerKeys(sources, targets, max);
          const expectedKeys = [...new Set([...originalSources, ...originalTargets])].sort((a, b) => a - b);
          expect(dictionary.keys()).toEqual(expectedKeys);
          for (let e = 0; e < pairs.length; e++) {
            expect(dictionary.key(sources[e])).toBe(originalSources[e]);
            expect(dictionary.key(targets[e])).toBe(originalTargets[e]);
          }
        },
      ),
    );
  });

  it('numbers integer keys on the driver threads with the ids of the calling thread', async () => {
    // Shared edges over 1-3 threads and chunks of a few edges; a table the sort path would take
    // (sparse keys) and plain arrays fall back to this thread, with the same ids.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(300), fc.nat(300)), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(0, 2_000_000_000),
        fc.boolean(),
        async (pairs, parallelism, edgesPerThread, shift, share) => {
          const make = (at: 0 | 1) => {
            const array = share ? int32Array(pairs.length, true) : new Int32Array(pairs.length);
            pairs.forEach((pair, e) => {
              array[e] = pair[at] + shift;
            });
            return array;
          };
          const [sources, targets] = [make(0), make(1)];
          const [hereSources, hereTargets] = [sources.slice(), targets.slice()];
          const max = Math.max(...sources, ...targets);
          const here = numberIntegerKeys(hereSources, hereTargets, max);
          const there = await numberIntegerKeysOnThreads(sources, targets, max, {
            parallelism,
            edgesPerThread,
          });
          expect(there.keys()).toEqual(here.keys());
          expect(Array.from(sources)).toEqual(Array.from(hereSources));
          expect(Array.from(targets)).toEqual(Array.from(hereTargets));
        },
      ),
      { numRuns: 40 },
    );
  });
});
