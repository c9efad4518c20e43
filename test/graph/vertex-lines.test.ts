import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError } from '../../src/core/errors.js';
import { takeTransferList } from '../../src/core/threads/transfer.js';
import { WorkerPool } from '../../src/core/threads/worker-pool.js';
import { VertexDictionary } from '../../src/graph/vertex-dictionary.js';
import {
  formatVertexLines,
  linesInParallel,
  type NumberColumn,
  PARALLEL_LINES_MINIMUM_ROWS,
} from '../../src/graph/vertex-lines.js';
import { writeVertexTable } from '../../src/graph/writers.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

/** How the writers print a number: String(), but -0 as `-0`. */
const text = (value: number) => (Object.is(value, -0) ? '-0' : String(value));

/** Everything a stream is given, as one buffer. */
async function captured(write: (stream: Writable) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await write(stream);
  return Buffer.concat(chunks);
}

describe('formatVertexLines', () => {
  it('makes the lines String() makes, chunk after chunk, for any doubles', () => {
    const doubles = fc.oneof(
      fc.double(),
      fc.double({ min: -1e-300, max: 1e-300 }),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.maxSafeInteger(),
      fc.constantFrom(-0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e21, -1e21, 2 ** 53, 2 ** 53 + 2),
      fc.constantFrom(1.7976931348623157e308, Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(doubles, doubles, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), {
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 20 }),
        (rows, rowsPerChunk, first) => {
          const start = Math.min(first, rows.length);
          const keys = Float64Array.from(rows, (row) => row[0]);
          const columns: NumberColumn[] = [
            Float64Array.from(rows, (row) => row[1]),
            Int32Array.from(rows, (row) => row[2]),
          ];
          const parts: Uint8Array[] = [];
          for (let chunk = 0; start + chunk * rowsPerChunk < rows.length; chunk++) {
            const made = formatVertexLines(keys, columns, 44, start, rows.length, rowsPerChunk, chunk);
            parts.push(takeTransferList(made).value as Uint8Array);
          }
          const expected = rows
            .slice(start)
            .map(([key, value, label]) => `${text(key)},${text(value)},${label}\n`)
            .join('');
          expect(Buffer.concat(parts).toString('latin1')).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('linesInParallel', () => {
  it('takes more threads only for large tables with a fraction in a column', () => {
    const rows = PARALLEL_LINES_MINIMUM_ROWS;
    const threads = { parallelism: 2, pool };
    const fractions = new Float64Array(rows).fill(0.5);
    expect(linesInParallel(rows, [new Int32Array(rows), fractions], threads)).toBe(true);
    expect(linesInParallel(rows - 1, [fractions], threads)).toBe(false);
    expect(linesInParallel(rows, [fractions], { parallelism: 1, pool })).toBe(false);
    // Integers, even in a Float64Array, are a digit loop: cheaper on this thread.
    expect(linesInParallel(rows, [new Int32Array(rows), new Float64Array(rows).fill(7)], threads)).toBe(
      false,
    );
  });
});

describe('writeVertexTable on several threads', () => {
  // Enough rows for several chunks and windows; keys out of order, scores with any digits.
  const rows = PARALLEL_LINES_MINIMUM_ROWS + 70_001;
  const keys = Float64Array.from({ length: rows }, (_, i) => (i * 7919) % 1_000_003);
  const dictionary = VertexDictionary.fromKeys(keys);
  const scores = Float64Array.from({ length: rows }, (_, i) => Math.sin(i) / (i + 1));
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 977);

  it('writes the same bytes at parallelism 1, 2 and 3, header and CSV included', async () => {
    for (const format of ['tsv', 'csv'] as const) {
      const outputs: Buffer[] = [];
      for (const parallelism of [1, 2, 3]) {
        outputs.push(
          await captured((stream) =>
            writeVertexTable(
              stream,
              dictionary,
              { score: scores, label: labels },
              { format, header: true, parallelism, pool },
            ),
          ),
        );
      }
      const lines = outputs[0].toString('latin1').split('\n');
      const separator = format === 'csv' ? ',' : '\t';
      expect(lines[0]).toBe(['vertex', 'score', 'label'].join(separator));
      const id = dictionary.id(keys[5]);
      expect(lines[1 + id]).toBe([keys[5], scores[id], labels[id]].join(separator));
      expect(lines).toHaveLength(rows + 2);
      expect(outputs[1].equals(outputs[0])).toBe(true);
      expect(outputs[2].equals(outputs[0])).toBe(true);
    }
  });

  it('rejects with the output error when a write fails, the next lines still being made', async () => {
    let writes = 0;
    const failing = new Writable({
      write(_chunk, _encoding, done) {
        done(writes++ === 1 ? Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }) : undefined);
      },
    });
    failing.on('error', () => undefined);
    const written = writeVertexTable(failing, dictionary, { score: scores }, { parallelism: 2, pool });
    await expect(written).rejects.toThrow(OutputError);
    await expect(written).rejects.toThrow(/output stream/);
  });
});
