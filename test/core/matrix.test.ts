import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix, SHARED_MATRIX_VALUES } from '../../src/core/matrix.js';

const rowsArbitrary = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 }))
  .chain(([rows, columns]) =>
    fc.array(fc.array(fc.double({ noNaN: true }), { minLength: columns, maxLength: columns }), {
      minLength: rows,
      maxLength: rows,
    }),
  );

describe('DenseMatrix', () => {
  it('allocates large matrices in shared memory and small ones in plain memory', () => {
    const columns = 16;
    const large = new DenseMatrix(SHARED_MATRIX_VALUES / columns, columns);
    const small = new DenseMatrix(SHARED_MATRIX_VALUES / columns - 1, columns);
    expect(large.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(small.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(large.data.subarray(0, 3))).toEqual([0, 0, 0]);
    const rows = Array.from({ length: SHARED_MATRIX_VALUES / 2 }, (_, i) => [i, -i]);
    const copied = DenseMatrix.fromRows(rows);
    expect(copied.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(copied.get(SHARED_MATRIX_VALUES / 2 - 1, 1)).toBe(1 - SHARED_MATRIX_VALUES / 2);
    // Data the caller wraps stays where it is.
    const plain = new Float64Array(SHARED_MATRIX_VALUES);
    expect(new DenseMatrix(SHARED_MATRIX_VALUES, 1, plain).data).toBe(plain);
  });

  it('stores rows row-major and reads them back', () => {
    const m = DenseMatrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.get(1, 0)).toBe(4);
    m.set(0, 2, 9);
    expect(m.toRows()).toEqual([
      [1, 2, 9],
      [4, 5, 6],
    ]);
  });

  it('gives zero-copy row views and row slices', () => {
    const m = DenseMatrix.fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    m.row(1)[0] = 30;
    expect(m.get(1, 0)).toBe(30);
    const tail = m.sliceRows(1, 3);
    tail.set(1, 1, 60);
    expect(m.get(2, 1)).toBe(60);
    expect(tail.data.buffer).toBe(m.data.buffer);
  });

  it('round-trips through ml-matrix', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const m = DenseMatrix.fromRows(rows);
        const back = DenseMatrix.fromMlMatrix(m.toMlMatrix());
        expect(back.rows).toBe(m.rows);
        expect(Array.from(back.data)).toEqual(Array.from(m.data));
      }),
    );
    const solved = DenseMatrix.fromMlMatrix(
      new Matrix([
        [2, 0],
        [0, 4],
      ]).mmul(new Matrix([[1], [1]])),
    );
    expect(Array.from(solved.data)).toEqual([2, 4]);
  });

  it('shares storage with its ndarray view, both ways', () => {
    const m = DenseMatrix.fromRows([
      [1, 2],
      [3, 4],
    ]);
    const view = m.toNdArray();
    view.set(1, 1, 40);
    expect(m.get(1, 1)).toBe(40);
    const wrapped = DenseMatrix.fromNdArray(view);
    wrapped.set(0, 0, 10);
    expect(m.get(0, 0)).toBe(10);
    const transposed = DenseMatrix.fromNdArray(view.transpose(1, 0));
    expect(transposed.toRows()).toEqual([
      [10, 3],
      [2, 40],
    ]);
    expect(
      DenseMatrix.fromNdArray(ndarray(new Float64Array([0, 1, 2, 3, 4, 5]), [2, 2], [2, 1], 2)).toRows(),
    ).toEqual([
      [2, 3],
      [4, 5],
    ]);
  });

  it('rejects ragged rows and storage of the wrong size', () => {
    expect(() => DenseMatrix.fromRows([[1, 2], [3]])).toThrow(ParamError);
    expect(() => new DenseMatrix(2, 2, new Float64Array(3))).toThrow(/4 values/);
  });
});
