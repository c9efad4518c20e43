import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topIds } from '../../../algorithms/graph/top-ids.js';

describe('topIds', () => {
  it('equals a full sort (value descending, then id ascending) cut at n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 70 }),
        (numbers, n) => {
          const values = Float64Array.from(numbers);
          const expected = Array.from(values.keys())
            .sort((a, b) => values[b] - values[a] || a - b)
            .slice(0, n);
          expect(Array.from(topIds(values, n))).toEqual(expected);
        },
      ),
    );
  });

  it('ranks NaN last', () => {
    expect(Array.from(topIds(Float64Array.from([Number.NaN, 1, 2]), 3))).toEqual([2, 1, 0]);
  });
});
