import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvRow, parseCsv, readCsvFile } from '../../src/core/csv.js';
import { InputError } from '../../src/core/errors.js';

describe('parseCsv', () => {
  it('reads a header, numeric and string columns, and row lines', () => {
    const csv = parseCsv('x,y,name\n1,2.5,a\n-3,1e3,"b, c"\n', { source: 'points.csv' });
    expect(csv.names).toEqual(['x', 'y', 'name']);
    expect(csv.rowCount).toBe(2);
    expect(csv.columns[0]).toEqual({ kind: 'number', values: new Float64Array([1, -3]) });
    expect(csv.columns[1]).toEqual({ kind: 'number', values: new Float64Array([2.5, 1000]) });
    expect(csv.columns[2]).toEqual({ kind: 'string', values: ['a', 'b, c'] });
    expect(Array.from(csv.lines)).toEqual([2, 3]);
  });

  it('guesses tab and semicolon delimiters, handles CRLF, BOM and blank lines', () => {
    expect(parseCsv('a\tb\r\n1\t2\r\n\r\n3\t4\r\n').columns[1]).toEqual({
      kind: 'number',
      values: new Float64Array([2, 4]),
    });
    const semicolon = parseCsv('\ufeffa;b\n1;2\n');
    expect(semicolon.delimiter).toBe(';');
    expect(semicolon.names).toEqual(['a', 'b']);
  });

  it('reads empty numeric cells and NaN as NaN, inf as Infinity, hex as text', () => {
    const csv = parseCsv('a,b,c\n1,,0x1A\nNaN,-inf,2\n');
    const a = csv.columns[0].values as Float64Array;
    const b = csv.columns[1].values as Float64Array;
    expect(a[1]).toBeNaN();
    expect(b[0]).toBeNaN();
    expect(b[1]).toBe(-Infinity);
    expect(csv.columns[2].kind).toBe('string');
  });

  it('keeps quoted newlines and escaped quotes, counting lines across them', () => {
    const text = 'id,text\n1,"two\nlines"\n2,"say ""hi"""\n';
    const csv = parseCsv(text, { source: 'notes.csv' });
    expect(csv.columns[1]).toEqual({ kind: 'string', values: ['two\nlines', 'say "hi"'] });
    expect(Array.from(csv.lines)).toEqual([2, 4]);
    expect(() => parseCsv(`${text}3,x,y\n`, { source: 'notes.csv' })).toThrow(
      /^notes\.csv:5:1: row has 3 fields/,
    );
  });

  it('works without a header', () => {
    const csv = parseCsv('1,2\n3,4\n', { header: false });
    expect(csv.names).toEqual(['c0', 'c1']);
    expect(csv.rowCount).toBe(2);
  });

  it('round-trips any table written with formatCsvRow', () => {
    const cell = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.tuple(
            fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), {
              minLength: width,
              maxLength: width,
            }),
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
              minLength: 1,
              maxLength: 8,
            }),
            fc.constantFrom(',', '\t', ';'),
          ),
        ),
        ([names, rows, delimiter]) => {
          // A row that is one empty field is a blank line in CSV; keep such tables out.
          fc.pre(names.length > 1 || rows.every((row) => row[0] !== ''));
          const text = [
            formatCsvRow(names, delimiter),
            ...rows.map((row) => formatCsvRow(row, delimiter)),
          ].join('\n');
          const csv = parseCsv(text, { delimiter });
          expect(csv.names).toEqual(names);
          expect(csv.rowCount).toBe(rows.length);
          csv.columns.forEach((column, j) => {
            rows.forEach((row, r) => {
              if (column.kind === 'string') expect(column.values[r]).toBe(row[j]);
              else if (row[j].trim() === '') expect(column.values[r]).toBeNaN();
              else expect(column.values[r]).toBe(Number(row[j]));
            });
          });
        },
      ),
    );
  });

  it('reports a row with the wrong number of fields with its line', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', { source: 'data.csv' })).toThrow(
      'data.csv:3:1: row has 1 fields: got "3", expected 2 fields like the header',
    );
  });

  it('reports an unterminated quote and text after a closing quote', () => {
    expect(() => parseCsv('a,b\n1,"open\n', { source: 'q.csv' })).toThrow(
      /q\.csv:2:3: unterminated quoted field/,
    );
    expect(() => parseCsv('a,b\n1,"x"y\n', { source: 'q.csv' })).toThrow(
      /q\.csv:2:6: text after a closing quote/,
    );
  });

  it('rejects an empty input and duplicate column names', () => {
    expect(() => parseCsv('', { source: 'e.csv' })).toThrow(InputError);
    expect(() => parseCsv('a,a\n1,2\n', { source: 'd.csv' })).toThrow(/duplicate column name.*"a"/);
  });

  it('reads files, naming the path in errors', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-csv-'));
    const path = join(directory, 'bad.csv');
    writeFileSync(path, 'x,y\n1,2\n1,2,3\n');
    await expect(readCsvFile(path)).rejects.toThrow(`${path}:3:1: row has 3 fields`);
  });
});

describe('number cells', () => {
  it('accepts exactly the decimal forms and parses them like Number()', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const csv = parseCsv(`v\n${value}\n${value.toExponential()}\n`);
        expect(csv.columns[0]).toEqual({
          kind: 'number',
          values: new Float64Array([Number(String(value)), Number(value.toExponential())]),
        });
      }),
    );
    for (const text of ['1.', '.5', '+3', '-0', '1e5', '2E-3']) {
      expect(parseCsv(`v\n${text}\n`).columns[0]).toEqual({
        kind: 'number',
        values: new Float64Array([Number(text)]),
      });
    }
    for (const text of ['.', '1e', '1e+', '0b1', '1_000', '--1', '1.2.3', 'nanx']) {
      expect(parseCsv(`v\n${text}\n`).columns[0].kind).toBe('string');
    }
  });
});

describe('header names', () => {
  it('reports the first name seen twice, for any header', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 8 }),
        (names) => {
          const firstRepeat = names.find((name, j) => names.indexOf(name) !== j);
          const parse = () => parseCsv(`${names.join(',')}\n${names.map(() => '1').join(',')}\n`);
          if (firstRepeat === undefined) expect(parse().names).toEqual(names);
          else expect(parse).toThrow(`duplicate column name in the header: got "${firstRepeat}"`);
        },
      ),
    );
  });

  it('keeps every column of a very wide header', () => {
    const names = Array.from({ length: 80_000 }, (_, j) => `c${j}`);
    const table = parseCsv(`${names.join(',')}\n${names.map((_, j) => (j === 0 ? 'x' : '1')).join(',')}\n`);
    expect(table.names).toEqual(names);
    expect(table.columns[0]).toEqual({ kind: 'string', values: ['x'] });
  });
});
