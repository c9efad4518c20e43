import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/graph/byte-writer.js';

/** What a ByteWriter writes to a stream when `write` fills it, as text. */
async function written(write: (writer: ByteWriter) => Promise<void>): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = await ByteWriter.open(stream);
  await write(writer);
  await writer.close();
  return Buffer.concat(chunks).toString('latin1');
}

describe('ByteWriter', () => {
  it('writes integers and numbers as String() does, across flushes', async () => {
    const integers = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.constantFrom(0, 9, 10, 99, 100, 999_999_999, 1_000_000_000, 2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1),
      fc.maxSafeNat(),
    );
    const numbers = fc.oneof(fc.double(), fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 5e-324));
    await fc.assert(
      fc.asyncProperty(
        fc.array(integers, { maxLength: 200 }),
        fc.array(numbers, { maxLength: 200 }),
        async (ints, doubles) => {
          // Enough lines that the buffer is flushed in the middle of them.
          const copies = 400;
          const text = await written(async (writer) => {
            for (let copy = 0; copy < copies; copy++) {
              for (const value of ints) {
                writer.integer(value);
                writer.byte(10);
              }
              for (const value of doubles) {
                writer.number(value);
                writer.byte(10);
              }
              if (writer.full) await writer.flush();
            }
          });
          const lines = [
            ...ints.map(String),
            ...doubles.map((value) => (Object.is(value, -0) ? '-0' : String(value))),
          ];
          expect(text).toBe(
            lines
              .map((line) => `${line}\n`)
              .join('')
              .repeat(copies),
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});
