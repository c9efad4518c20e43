import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { SparseRows } from '../../src/core/sparse-rows.js';

const dense = (rows: SparseRows) => Array.from({ length: rows.rows }, (_, i) => Array.from(rows.denseRow(i)));

describe('SparseRows', () => {
  it('builds CSR from entries: sorted columns, repeats added, zeros dropped', () => {
    const rows = SparseRows.fromEntries(4, [
      [
        [3, 1],
        [0, 2],
        [3, 4],
      ],
      [],
      [[1, 0]],
    ]);
    expect(Array.from(rows.offsets)).toEqual([0, 2, 2, 2]);
    expect(Array.from(rows.indices)).toEqual([0, 3]);
    expect(Array.from(rows.values)).toEqual([2, 5]);
    expect(rows.total()).toBe(7);
    expect(() => SparseRows.fromEntries(2, [[[2, 1]]])).toThrow(ParamError);
    expect(() => new SparseRows(2, Int32Array.of(0, 2), Int32Array.of(0), Float64Array.of(1))).toThrow(
      ParamError,
    );
  });

  it('slices and concatenates back to the same rows; shares its arrays for workers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 5, maxLength: 5 }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.nat(),
        (values, cut) => {
          const rows = SparseRows.fromDense(values);
          const at = cut % (rows.rows + 1);
          const joined = SparseRows.concat([rows.sliceRows(0, at), rows.sliceRows(at, rows.rows)]);
          expect(dense(joined)).toEqual(values.map((row) => row.map((v) => v + 0)));
          expect(Array.from(joined.offsets)).toEqual(Array.from(rows.offsets));
        },
      ),
    );
    const rows = SparseRows.fromDense([[1, 0, 2]]);
    const shared = rows.shared();
    expect(shared.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.shared()).toBe(shared);
    expect(dense(shared)).toEqual([[1, 0, 2]]);
  });
});
