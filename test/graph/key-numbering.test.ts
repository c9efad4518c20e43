import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/core/threads/worker-pool.js';
import { numberIntegerKeysOnThreads } from '../../src/graph/key-numbering.js';
import { numberIntegerKeys } from '../../src/graph/vertex-dictionary.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

/** `values` in shared memory (the parallel path), or a plain copy. */
function int32(values: readonly number[], share: boolean): Int32Array {
  const array = share
    ? new Int32Array(new SharedArrayBuffer(4 * values.length))
    : new Int32Array(values.length);
  array.set(values);
  return array;
}

describe('numberIntegerKeysOnThreads', () => {
  it('numbers keys and rewrites the edges as numberIntegerKeys does, at parallelism 1, 2 and 3, shared or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(300), fc.nat(300)), { maxLength: 200, size: 'large' }),
        // Dense keys (the direct table, split over the threads) and sparse ones (the sort).
        fc.constantFrom(0, 2_000_000_000),
        fc.constantFrom(1, 2, 3),
        fc.boolean(),
        async (pairs, shift, parallelism, share) => {
          const sources = pairs.map(([s]) => s + shift);
          const targets = pairs.map(([, t]) => t + shift);
          const maxKey = Math.max(-1, ...sources, ...targets);
          const expectedSources = Int32Array.from(sources);
          const expectedTargets = Int32Array.from(targets);
          const expected = numberIntegerKeys(expectedSources, expectedTargets, maxKey);
          const actualSources = int32(sources, share);
          const actualTargets = int32(targets, share);
          const threads = { parallelism, pool };
          const actual = await numberIntegerKeysOnThreads(actualSources, actualTargets, maxKey, threads);
          expect(actual.keys()).toEqual(expected.keys());
          expect(actualSources).toEqual(expectedSources);
          expect(actualTargets).toEqual(expectedTargets);
        },
      ),
      { numRuns: 60 },
    );
  });
});
