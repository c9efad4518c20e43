import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, ParamError } from '../../src/core/errors.js';
import { readNumericCsvFile } from '../../src/ml/numeric-csv.js';
import { readTabularFile, tableFromCsvBytes } from '../../src/ml/tabular-file.js';
import type { Table } from '../../src/table/table.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-tabular-columns-'));
const file = (name: string, text: string) => {
  writeFileSync(join(directory, name), text);
  return join(directory, name);
};

/** A frame's names, each column's values and the rows' lines, as plain data to compare. */
function contents(frame: Table) {
  return {
    names: [...frame.names],
    columns: frame.columns.map((column) => Array.from(column.values as ArrayLike<unknown>)),
    lines: Array.from(frame.lines ?? []),
    rowMajor: frame.rowMajor?.toRows(),
  };
}

describe('readTabularFile: header and columns', () => {
  it('without a header, names columns 1, 2, ... and numbers rows from line 1 (both readers)', async () => {
    const numeric = await readTabularFile(file('n.csv', '1,2\n3,4\n'), { header: false });
    expect(contents(numeric)).toEqual({
      names: ['1', '2'],
      columns: [
        [1, 3],
        [2, 4],
      ],
      lines: [1, 2],
      rowMajor: [
        [1, 2],
        [3, 4],
      ],
    });
    expect((await readNumericCsvFile(join(directory, 'n.csv'), { header: false }))?.lines).toEqual(
      Int32Array.from([1, 2]),
    );
    const general = await readTabularFile(file('t.csv', '1,a\n3,b\n'), { header: false });
    expect(contents(general)).toEqual({
      names: ['1', '2'],
      columns: [
        [1, 3],
        ['a', 'b'],
      ],
      lines: [1, 2],
      rowMajor: undefined,
    });
  });

  it('columns picks, orders, repeats under new names, and renames', async () => {
    const frame = await readTabularFile(file('abc.csv', 'a,b,c\n1,2,3\n4,5,6\n'), {
      columns: ['c', 1, { column: 'a', name: 'a2' }, { column: 2, name: 'bee' }],
    });
    expect(contents(frame)).toEqual({
      names: ['c', 'a', 'a2', 'bee'],
      columns: [
        [3, 6],
        [1, 4],
        [1, 4],
        [2, 5],
      ],
      lines: [2, 3],
      rowMajor: [
        [3, 1, 1, 2],
        [6, 4, 4, 5],
      ],
    });
  });

  it('a column not in the file is an InputError naming the file; a name twice is a ParamError', async () => {
    const path = file('ab.csv', 'a,b\n1,2\n');
    await expect(readTabularFile(path, { columns: ['z'] })).rejects.toThrow(
      new InputError("no column 'z'", { file: path, expected: 'one of the columns a, b' }),
    );
    await expect(readTabularFile(path, { columns: [3] })).rejects.toThrow(
      new InputError('no column 3', { file: path, expected: 'a column number from 1 to 2' }),
    );
    await expect(readTabularFile(path, { header: false, columns: ['x', 'y', 'z'] })).rejects.toThrow(
      new InputError("no column 3 to name 'z'", { file: path, expected: 'at most 2 names' }),
    );
    await expect(readTabularFile(path, { columns: [1, 'a'] })).rejects.toThrow(ParamError);
    await expect(readTabularFile(path, { columns: [0] })).rejects.toThrow(ParamError);
    await expect(readTabularFile(file('x.arrow', ''), { header: false })).rejects.toThrow(ParamError);
  });

  it('a CSV read with its header equals the same rows without it, columns naming them (property)', async () => {
    const cell = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('x', 'y z', ''));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.record({
            names: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: width, maxLength: width }),
            rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
              minLength: 1,
              maxLength: 6,
            }),
            pick: fc.array(fc.nat({ max: width - 1 }), { minLength: 1, maxLength: width }),
          }),
        ),
        async ({ names, rows, pick }) => {
          const body = rows.map((row) => row.join(',')).join('\n');
          // A row of empty cells only is a blank line to the general reader: keep one cell.
          fc.pre(rows.every((row) => row.join('') !== ''));
          const headed = file('headed.csv', `${names.join(',')}\n${body}\n`);
          const bare = file('bare.csv', `${body}\n`);
          const withHeader = contents(await readTabularFile(headed));
          const named = contents(await readTabularFile(bare, { header: false, columns: names }));
          expect(named.lines.map((line) => line + 1)).toEqual(withHeader.lines);
          expect({ ...named, lines: [] }).toEqual({ ...withHeader, lines: [] });
          // Choosing by number gives the same columns from either, and the same from bytes.
          const chosen = pick.map((j, place) => ({ column: j + 1, name: `p${place}` }));
          const fromHeaded = contents(await readTabularFile(headed, { columns: chosen }));
          const fromBare = contents(await readTabularFile(bare, { header: false, columns: chosen }));
          expect(fromBare.columns).toEqual(fromHeaded.columns);
          expect(
            contents(tableFromCsvBytes(Buffer.from(`${body}\n`), 'b', { header: false, columns: chosen })),
          ).toEqual(fromBare);
        },
      ),
      { numRuns: 50 },
    );
  });
});
