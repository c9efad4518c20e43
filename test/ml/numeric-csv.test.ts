import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/csv.js';
import { parseNumericCsv } from '../../src/ml/numeric-csv.js';
import { frameFromCsvBytes } from '../../src/ml/tabular-file.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('all-numeric CSV fast path', () => {
  it('reads exactly what the general CSV reader reads, row-major', () => {
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((v) => String(v)),
      fc.integer({ min: -99999, max: 99999 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v.toExponential(8)),
      fc.constantFrom('0.1', '-0.000123', '.5', '5.', '1e-320', '123456789012345678', '0.30000000000000004'),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(number, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom(',', '\t'),
        fc.constantFrom('\n', '\r\n'),
        (width, table, delimiter, newline) => {
          const names = Array.from({ length: width }, (_, j) => `c${j}`);
          const text = `${names.join(delimiter)}${newline}${table.map((row) => row.slice(0, width).join(delimiter)).join(newline)}${newline}`;
          const fast = parseNumericCsv(bytes(text));
          const general = parseCsv(text);
          expect(fast).toBeDefined();
          expect(fast!.names).toEqual(general.names);
          expect(Array.from(fast!.lines)).toEqual(Array.from(general.lines));
          general.columns.forEach((column, j) => {
            expect(Array.from(fast!.columns[j])).toEqual(Array.from(column.values as Float64Array));
            for (let i = 0; i < general.rowCount; i++)
              expect(fast!.matrix.get(i, j)).toBe((column.values as Float64Array)[i]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves anything unusual to the general reader, which reports it', () => {
    for (const text of [
      'a,b\n1,x\n',
      'a,b\n1,\n',
      'a,b\n"1",2\n',
      'a,b\n1,2\n\n3,4\n',
      'a,b\n1, 2\n',
      'a,b\n1,2,3\n',
      'a,b\nNaN,1\n',
      'a\n1e999\n',
    ]) {
      expect(parseNumericCsv(bytes(text))).toBeUndefined();
    }
    expect(() => frameFromCsvBytes(bytes('a,b\n1,2,3\n'), 'bad.csv')).toThrow(
      'bad.csv:2:1: row has 3 fields',
    );
    const frame = frameFromCsvBytes(bytes('a,b\n1,x\n'), 'text.csv');
    expect(frame.columns.map((column) => column.kind)).toEqual(['number', 'string']);
    expect(frame.rowMajor).toBeUndefined();
    expect(frameFromCsvBytes(bytes('a,b\n1,2\n'), 'n.csv').rowMajor?.toRows()).toEqual([[1, 2]]);
  });
});
