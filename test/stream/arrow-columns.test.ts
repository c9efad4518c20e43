import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeVector,
  RecordBatchStreamWriter,
  Table,
  tableFromArrays,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnlineKMeans } from '../../algorithms/ml/kmeans/online.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import type { ColumnPoints } from '../../src/stream/arrow-columns.js';
import { DataStream } from '../../src/stream/datastream.js';
import { arrowColumnSource, arrowVectorSource, type SourceBatch } from '../../src/stream/sources.js';

const directory = () => mkdtempSync(join(tmpdir(), 'eddy-arrow-columns-'));

/** An Arrow IPC stream of Float64 columns x0..x{d-1} (plus an Int32 column `id`), cut into record batches. */
function writeStream(path: string, data: number[][], batchRows: number[]): void {
  const writer = new RecordBatchStreamWriter();
  let start = 0;
  for (const rows of batchRows) {
    const columns: Record<string, ReturnType<typeof makeVector>> = {};
    for (let j = 0; j < data[0].length; j++) {
      columns[`x${j}`] = makeVector(Float64Array.from(data.slice(start, start + rows), (row) => row[j]));
    }
    columns.id = makeVector(Int32Array.from({ length: rows }, (_, i) => start + i));
    writer.write(new Table(columns).batches[0]);
    start += rows;
  }
  writer.finish();
  writeFileSync(path, writer.toUint8Array(true));
}

/** Copies of the columns of each batch (the fast path's views are reused). */
async function read(source: AsyncIterable<SourceBatch<ColumnPoints>>) {
  const out: { rows: number[][]; firstIndex: number; position: unknown }[] = [];
  for await (const { records, position } of source) {
    const { columns, rows, firstIndex } = records[0];
    out.push({
      rows: Array.from({ length: rows }, (_, i) => columns.map((c) => c[i])),
      firstIndex,
      position,
    });
  }
  return out;
}

const points = (rows: number, d: number, seed: number) => {
  const rng = random(seed);
  return Array.from({ length: rows }, () => Array.from({ length: d }, () => rng.normal(0, 10)));
};

describe('arrowColumnSource', () => {
  it('reads Float64 columns in place from a reused buffer, with indices and resumable positions', async () => {
    const path = join(directory(), 'p.arrows');
    const data = points(10, 3, 1);
    writeStream(path, data, [4, 4, 2]);
    const source = arrowColumnSource(path, { columns: ['x0', 'x1', 'x2'] });
    const batches = await read(source.read());
    expect(batches.map((b) => b.rows)).toEqual([data.slice(0, 4), data.slice(4, 8), data.slice(8)]);
    expect(batches.map((b) => b.firstIndex)).toEqual([0, 4, 8]);
    expect(batches.map((b) => b.position)).toEqual([
      { batch: 1, index: 4 },
      { batch: 2, index: 8 },
      { batch: 3, index: 10 },
    ]);
    // Resuming after the first batch reads the rest.
    const resumed = await read(source.read({ batch: 1, index: 4 }));
    expect(resumed.map((b) => [b.firstIndex, b.rows])).toEqual([
      [4, data.slice(4, 8)],
      [8, data.slice(8)],
    ]);
    // The fast path: every batch's columns are views into the same memory.
    const buffers = new Set<ArrayBufferLike>();
    for await (const [batch] of DataStream.from(source).batches()) buffers.add(batch.columns[0].buffer);
    expect(buffers.size).toBe(1);
  });

  it('falls back to Arrow JS for the file format, other column types and byte streams', async () => {
    const dir = directory();
    const table = tableFromArrays({ a: new Float64Array([1, 2, 3]), b: new Int32Array([4, 5, 6]) });
    const file = join(dir, 'p.arrow');
    writeFileSync(file, tableToIPC(table, 'file'));
    const stream = join(dir, 'p.arrows');
    writeFileSync(stream, tableToIPC(table, 'stream'));
    const expected = [
      [1, 4],
      [2, 5],
      [3, 6],
    ];
    for (const input of [
      file,
      stream,
      {
        stream: (async function* () {
          yield readFileSync(stream);
        })(),
        name: 'bytes',
      },
    ]) {
      const [batch] = await read(arrowColumnSource(input).read());
      expect(batch.rows).toEqual(expected);
    }
    // Only column a (Float64) wanted: the fast path, even with the Int32 column beside it.
    const [only] = await read(arrowColumnSource(stream, { columns: ['a'] }).read());
    expect(only.rows).toEqual([[1], [2], [3]]);
  });

  it('reports nulls, non-finite values (first in row order) and missing columns', async () => {
    const path = join(directory(), 'bad.arrows');
    writeFileSync(
      path,
      tableToIPC(
        tableFromArrays({
          a: new Float64Array([1, 2, 3]),
          b: new Float64Array([1, Number.NaN, Number.POSITIVE_INFINITY]),
        }),
        'stream',
      ),
    );
    await expect(read(arrowColumnSource(path).read())).rejects.toThrow(
      /bad\.arrows: not a finite number: got "NaN", expected finite values in column 'b' \(row 1\)/,
    );
    await expect(read(arrowColumnSource(path, { columns: ['c'] }).read())).rejects.toThrow(
      /no column 'c'.*expected one of a, b/,
    );
    writeFileSync(path, tableToIPC(new Table({ a: vectorFromArray([1, null, 3]) }), 'stream'));
    await expect(read(arrowColumnSource(path).read())).rejects.toThrow(/column 'a' has nulls/);
  });

  it('gives what Arrow JS reads, for any batching and width (property)', async () => {
    const dir = directory();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        async (batchRows, d, seed) => {
          const data = points(
            batchRows.reduce((a, b) => a + b, 0),
            d,
            seed,
          );
          const path = join(dir, `p${seed}.arrows`);
          writeStream(path, data, batchRows);
          const names = Array.from({ length: d }, (_, j) => `x${j}`);
          const fast = await read(arrowColumnSource(path, { columns: names }).read());
          // Byte streams always take Arrow JS's RecordBatchReader.
          const bytes = {
            stream: (async function* () {
              yield readFileSync(path);
            })(),
          };
          const generic = await read(arrowColumnSource(bytes, { columns: names }).read());
          expect(fast.map((b) => b.rows)).toEqual(generic.map((b) => b.rows));
          expect(fast.flatMap((b) => b.rows)).toEqual(data);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('OnlineKMeans over Arrow columns', () => {
  it('fits exactly as over the same points as rows, whatever the record batches', async () => {
    const path = join(directory(), 'p.arrows');
    const data = points(2300, 4, 7);
    writeStream(path, data, [1000, 700, 333, 267]);
    const names = ['x0', 'x1', 'x2', 'x3'];
    const versionsOf = async (stream: AsyncIterable<unknown> | Iterable<unknown>) => {
      const kmeans = new OnlineKMeans({ k: 3, batchSize: 250, seed: 2, halfLife: 3 });
      const versions: [number, number[]][] = [];
      for await (const v of kmeans.fit(stream as Iterable<DenseMatrix>))
        versions.push([v.recordsSeen, Array.from(v.model.centroids)]);
      return versions;
    };
    const fromColumns = await versionsOf(DataStream.from(arrowColumnSource(path, { columns: names })));
    const fromVectors = await versionsOf(
      DataStream.from(arrowVectorSource(path, { columns: names, reuseBuffers: true })),
    );
    const fromRows = await versionsOf([DenseMatrix.fromRows(data)]);
    expect(fromColumns).toHaveLength(10);
    expect(fromColumns.at(-1)?.[0]).toBe(2300);
    expect(fromColumns).toEqual(fromRows);
    expect(fromVectors).toEqual(fromRows);
    // partialFit takes columns too, with the same result as rows.
    const [first] = await read(arrowColumnSource(path, { columns: names }).read());
    const byColumns = new OnlineKMeans({ k: 3, seed: 2 });
    const byRows = new OnlineKMeans({ k: 3, seed: 2 });
    const columns = names.map((_, j) => Float64Array.from(first.rows, (row) => row[j]));
    byColumns.partialFit({ columns, rows: first.rows.length, firstIndex: 0 });
    byRows.partialFit(DenseMatrix.fromRows(first.rows));
    expect(byColumns.model!.centroids).toEqual(byRows.model!.centroids);
  });
});
