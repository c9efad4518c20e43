import { Table, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  columnAsFloat64,
  columnAsTypedArray,
  matrixToTable,
  tableFromColumns,
  tableToMatrix,
} from '../../src/core/arrow.js';
import { InputError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';

describe('Arrow helpers', () => {
  it('builds tables over typed arrays without copying', () => {
    const scores = new Float64Array([0.5, 0.25, 0.25]);
    const ids = new Int32Array([7, 8, 9]);
    const table = tableFromColumns({ id: ids, score: scores });
    expect(table.numRows).toBe(3);
    const back = columnAsTypedArray(table, 'score');
    expect(back).toBeInstanceOf(Float64Array);
    expect(back.buffer).toBe(scores.buffer);
    expect(columnAsTypedArray(table, 'id').buffer).toBe(ids.buffer);
  });

  it('round-trips typed arrays through Arrow IPC', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double(), { maxLength: 50 }),
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 50 }),
        (doubles, ints) => {
          const table = tableFromColumns({ d: Float64Array.from(doubles) });
          const decoded = tableFromIPC(tableToIPC(table));
          expect(Array.from(columnAsFloat64(decoded, 'd'))).toEqual(Array.from(Float64Array.from(doubles)));
          const intTable = tableFromColumns({ i: Int32Array.from(ints) });
          expect(
            Array.from(columnAsTypedArray(tableFromIPC(tableToIPC(intTable)), 'i') as Int32Array),
          ).toEqual(ints);
        },
      ),
    );
  });

  it('concatenates columns of several chunks', () => {
    const a = tableFromArrays({ x: new Float64Array([1, 2]) });
    const b = tableFromArrays({ x: new Float64Array([3]) });
    const both = new Table([...a.batches, ...b.batches]);
    expect(both.getChild('x')?.data.length).toBe(2);
    expect(Array.from(columnAsFloat64(both, 'x'))).toEqual([1, 2, 3]);
  });

  it('converts other numeric types to Float64 on request', () => {
    const table = tableFromColumns({ i: new Int32Array([1, -2]) });
    expect(Array.from(columnAsFloat64(table, 'i'))).toEqual([1, -2]);
  });

  it('converts matrices to tables and back', () => {
    const m = DenseMatrix.fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const table = matrixToTable(m, ['a', 'b']);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    expect(tableToMatrix(table, ['a', 'b']).toRows()).toEqual(m.toRows());
    expect(tableToMatrix(matrixToTable(m), ['x1']).toRows()).toEqual([[2], [4], [6]]);
  });

  it('names the missing column and the non-numeric column', () => {
    const table = tableFromArrays({ name: ['a', 'b'], x: new Float64Array([1, 2]) });
    expect(() => columnAsTypedArray(table, 'y', { source: 'points.arrow' })).toThrow(
      /points\.arrow: no column 'y'.*expected one of name, x/,
    );
    expect(() => columnAsTypedArray(table, 'name')).toThrow(InputError);
  });

  it('refuses nulls unless asked to read them as NaN', () => {
    const table = tableFromArrays({ x: [1, null, 3] as unknown as number[] });
    expect(() => columnAsFloat64(table, 'x')).toThrow(/1 null values/);
    const withNaN = columnAsFloat64(table, 'x', { nulls: 'nan' });
    expect(withNaN[0]).toBe(1);
    expect(withNaN[1]).toBeNaN();
    expect(withNaN[2]).toBe(3);
  });
});
