/** Sources and sinks: CSV and Arrow files, typed-array chunks, print. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { tableFromColumns } from '../../src/core/arrow.js';
import { InputError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { env } from '../../src/dataset/index.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-dataset-io-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const environment = env({ parallelism: 2 });

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('readCsv', () => {
  it('reads one record per row, numbers for numeric columns', async () => {
    const path = file('people.csv', 'name,age,score\nann,31,1.5\n"bob, jr",25,\n');
    const records = await environment.readCsv(path).collect();
    expect(records).toEqual([
      { name: 'ann', age: 31, score: 1.5 },
      { name: 'bob, jr', age: 25, score: Number.NaN },
    ]);
  });

  it('reads headerless files with another delimiter', async () => {
    const path = file('pairs.tsv', '1\tx\n2\ty\n');
    expect(await environment.readCsv(path, { header: false, delimiter: '\t' }).collect()).toEqual([
      { c0: 1, c1: 'x' },
      { c0: 2, c1: 'y' },
    ]);
  });

  it('checks column types and names the file and line of a bad cell', async () => {
    const path = file('typed.csv', 'id,label\n1,a\n2,b\nthree,c\n');
    const error = await environment
      .readCsv(path, { types: { id: 'integer' } })
      .collect()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `${path}:4: column 'id' is not numeric: got "three", expected an integer`,
    );
    const fractional = file('fractional.csv', 'id\n1\n2.5\n');
    await expect(environment.readCsv(fractional, { types: { id: 'integer' } }).collect()).rejects.toThrow(
      `${fractional}:3: column 'id' is not an integer column: got "2.5", expected an integer`,
    );
    await expect(environment.readCsv(path, { types: { missing: 'number' } }).collect()).rejects.toThrow(
      /no column 'missing'.*expected one of id, label/,
    );
    const asText = await environment.readCsv(fractional, { types: { id: 'string' } }).collect();
    expect(asText).toEqual([{ id: '1' }, { id: '2.5' }]);
  });

  it('reports malformed CSV with file:line:column', async () => {
    const path = file('ragged.csv', 'a,b\n1,2\n3\n');
    await expect(environment.readCsv(path).count()).rejects.toThrow(new RegExp(`^${path}:3:\\d+: `));
  });

  it('reads lazily: a missing file fails only when the plan runs', async () => {
    const missing = environment.readCsv(join(directory, 'absent.csv'));
    await expect(missing.collect()).rejects.toThrow(/ENOENT/);
  });
});

describe('readArrow and writeArrow', () => {
  it('reads IPC files and streams', async () => {
    const table = tableFromColumns({ id: Int32Array.from([1, 2, 3]), name: ['a', 'b', 'c'] });
    const filePath = join(directory, 'table.arrow');
    const streamPath = join(directory, 'table.arrows');
    writeFileSync(filePath, tableToIPC(table, 'file'));
    writeFileSync(streamPath, tableToIPC(table, 'stream'));
    const expected = [
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ];
    expect(await environment.readArrow(filePath).collect()).toEqual(expected);
    expect(await environment.readArrow(streamPath).collect()).toEqual(expected);
    await expect(environment.readArrow(file('not.arrow', 'hello')).collect()).rejects.toThrow(
      /not an Arrow IPC/,
    );
  });

  it('writes records as an Arrow file that reads back the same', async () => {
    const path = join(directory, 'out.arrow');
    const records = [
      { word: 'to', count: 2 },
      { word: 'be', count: 2.5 },
    ];
    await environment.fromCollection(records).writeArrow(path);
    const table = tableFromIPC(readFileSync(path));
    expect(table.schema.fields.map((field) => `${field.name}:${field.type}`)).toEqual([
      'word:Dictionary<Int32, Utf8>',
      'count:Float64',
    ]);
    expect(await environment.readArrow(path).collect()).toEqual(records);
    await expect(environment.fromCollection([1, 2]).writeArrow(path)).rejects.toThrow(/objects/);
  });
});

describe('writeCsv', () => {
  it('writes objects with a header and tuples without, quoting where needed', async () => {
    const objects = join(directory, 'objects.csv');
    await environment
      .fromCollection([
        { a: 1, b: 'x,y' },
        { a: 2, b: 'say "hi"' },
      ])
      .writeCsv(objects);
    expect(readFileSync(objects, 'utf8')).toBe('a,b\n1,"x,y"\n2,"say ""hi"""\n');
    const tuples = join(directory, 'tuples.tsv');
    await environment
      .fromCollection([
        [1, 'a'],
        [2, null],
      ])
      .writeCsv(tuples, { delimiter: '\t' });
    expect(readFileSync(tuples, 'utf8')).toBe('1\ta\n2\t\n');
    const named = join(directory, 'named.csv');
    await environment.fromCollection([[1, 'a']]).writeCsv(named, { names: ['id', 'label'], header: true });
    expect(readFileSync(named, 'utf8')).toBe('id,label\n1,a\n');
    const roundTrip = await environment.readCsv(objects).collect();
    expect(roundTrip).toEqual([
      { a: 1, b: 'x,y' },
      { a: 2, b: 'say "hi"' },
    ]);
  });
});

describe('typed-array sources', () => {
  it('fromMatrix splits rows into contiguous chunks over the partitions', async () => {
    const matrix = DenseMatrix.fromRows(Array.from({ length: 7 }, (_, i) => [i, 10 * i]));
    const chunks = await env({ parallelism: 2, workers: false })
      .fromMatrix(matrix, { chunkRows: 2 })
      .collect();
    expect(chunks.map((chunk) => [chunk.firstRow, chunk.rows])).toEqual([
      [0, 2],
      [2, 2],
      [4, 2],
      [6, 1],
    ]);
    expect(Array.from(chunks[3].data)).toEqual([6, 60]);
    // Without worker threads the chunks are views of the matrix itself.
    expect(chunks[0].data.buffer).toBe(matrix.data.buffer);
    const onePerPartition = await env({ parallelism: 3 }).fromMatrix(matrix).collect();
    expect(onePerPartition.map((chunk) => chunk.rows)).toEqual([3, 2, 2]);
    expect(onePerPartition[0].data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('fromTypedArrays chunks equal-length columns and rejects ragged ones', async () => {
    const columns = { x: Float64Array.from([1, 2, 3, 4, 5]), id: Int32Array.from([5, 6, 7, 8, 9]) };
    const sums = await env({ parallelism: 2 })
      .fromTypedArrays(columns)
      .map((chunk) => {
        let total = 0;
        for (let i = 0; i < chunk.rows; i++) total += chunk.columns.x[i] * chunk.columns.id[i];
        return total;
      })
      .reduce((a, b) => a + b)
      .collect();
    expect(sums).toEqual([1 * 5 + 2 * 6 + 3 * 7 + 4 * 8 + 5 * 9]);
    await expect(
      env()
        .fromTypedArrays({ a: new Float64Array(2), b: new Float64Array(3) })
        .collect(),
    ).rejects.toThrow(/equal length/);
  });
});

describe('print and count', () => {
  it('prints strings as they are and other records as JSON', async () => {
    let text = '';
    const output = { write: (chunk: string) => (text += chunk) };
    await environment
      .fromCollection<unknown>(['plain', [1, 'a'], { x: Float64Array.from([0.5]) }])
      .print(output);
    expect(text).toBe('plain\n[1,"a"]\n{"x":[0.5]}\n');
    expect(await environment.generateSequence(1, 1000).count()).toBe(1000);
  });
});
