import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/csv.js';
import { WorkerPool } from '../../src/core/threads/worker-pool.js';
import { parseNumericCsv, readNumericCsvFile } from '../../src/ml/numeric-csv.js';
import { readTabularFile, tableFromCsvBytes } from '../../src/ml/tabular-file.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const tempDirectory = useTempDirectories();

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
    expect(() => tableFromCsvBytes(bytes('a,b\n1,2,3\n'), 'bad.csv')).toThrow(
      'bad.csv:2:1: row has 3 fields',
    );
    const frame = tableFromCsvBytes(bytes('a,b\n1,x\n'), 'text.csv');
    expect(frame.columns.map((column) => column.kind)).toEqual(['number', 'string']);
    expect(frame.rowMajor).toBeUndefined();
    expect(tableFromCsvBytes(bytes('a,b\n1,2\n'), 'n.csv').rowMajor?.toRows()).toEqual([[1, 2]]);
  });
});

describe('all-numeric CSV over two threads', () => {
  const pool = new WorkerPool({ size: 1 });
  afterAll(() => pool.close());
  // Over the 1 MiB below which files are parsed on one thread; no trailing line end.
  const rng = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
    seed: 3,
    numRuns: 3 * 40_000,
  });
  const lines = Array.from({ length: 40_000 }, (_, i) =>
    [rng[3 * i].toFixed(6), String(rng[3 * i + 1]), rng[3 * i + 2].toExponential(3)].join(','),
  );
  const text = `a,b,c\n${lines.join('\r\n')}`;

  it('reads a file in two parts (this thread and a worker) as it reads its bytes', async () => {
    const one = parseNumericCsv(bytes(text));
    expect(one?.matrix.rows).toBe(40_000);
    const directory = tempDirectory('eddy-numeric-csv-');
    const path = join(directory, 'points.csv');
    writeFileSync(path, text);
    for (const parallelism of [1, 2]) {
      const read = await readNumericCsvFile(path, { parallelism, pool });
      expect(read?.matrix.data.buffer instanceof SharedArrayBuffer).toBe(parallelism === 2);
      expect(read?.names).toEqual(['a', 'b', 'c']);
      expect(Array.from(read!.matrix.data)).toEqual(Array.from(one!.matrix.data));
      expect(Array.from(read!.lines)).toEqual(Array.from(one!.lines));
    }
    // Chunks of the reader end mid-line: a file with a trailing line end reads the same too.
    writeFileSync(path, `${text}\r\n`);
    expect(Array.from((await readNumericCsvFile(path, { pool }))!.matrix.data)).toEqual(
      Array.from(one!.matrix.data),
    );
    // The frame's columns are made from the matrix when first read.
    const frame = await readTabularFile(path);
    expect(frame.rowMajor?.rows).toBe(40_000);
    expect(frame.columns.map((column) => Array.from(column.values as Float64Array))).toEqual(
      one!.columns.map((column) => Array.from(column)),
    );
  });

  it('reads a last line without a line end that follows a longer line carried between chunks', async () => {
    // The line at the 1 MiB chunk boundary is carried; the last line, shorter, is carried
    // later into the same buffer, whose old digits must not be read as its exponent's.
    const text = `a\n${'1234567890123\n'.repeat(75_000)}2e-1`;
    const path = join(tempDirectory('eddy-numeric-csv-'), 'carried.csv');
    writeFileSync(path, text);
    const read = await readNumericCsvFile(path, { parallelism: 1 });
    expect(read?.matrix.rows).toBe(75_001);
    expect(read?.matrix.data[75_000]).toBe(0.2);
    expect(read?.matrix.data[74_999]).toBe(1234567890123);
  });

  it('gives up when either half holds something else, and the general reader reports it', async () => {
    const broken = `a,b,c\n${lines.slice(0, -1).join('\r\n')}\r\nx,1,2`;
    const early = text.replace('\r\n', '\r\n,');
    const directory = tempDirectory('eddy-numeric-csv-');
    for (const [name, content] of [
      ['late.csv', broken],
      ['early.csv', early],
    ]) {
      writeFileSync(join(directory, name), content);
      expect(await readNumericCsvFile(join(directory, name), { parallelism: 2, pool })).toBeUndefined();
    }
    writeFileSync(join(directory, 'broken.csv'), broken);
    const frame = await readTabularFile(join(directory, 'broken.csv'));
    expect(frame.rowMajor).toBeUndefined();
    expect(frame.columns.map((column) => column.kind)).toEqual(['string', 'number', 'number']);
  });
});
