/** A UTF-8 byte order mark at the start of an NDJSON input is skipped, as the CSV reader does. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DataStream, ndjsonSource, ndjsonVectorSource } from '../../src/index.js';

const BOM = '\ufeff';

function stdin(text: string): { stream: PassThrough; name: string } {
  const stream = new PassThrough();
  stream.end(text);
  return { stream, name: '<stdin>' };
}

describe('NDJSON with a byte order mark', () => {
  it('reads the first line of records and of points', async () => {
    const records = await DataStream.from(ndjsonSource(stdin(`${BOM}{"a":1}\n{"a":2}\n`))).collect();
    expect(records).toEqual([{ a: 1 }, { a: 2 }]);
    for (const [first, second] of [
      ['[1,2]', '[3,4]'],
      ['{"x":1,"y":2}', '{"x":3,"y":4}'],
    ]) {
      const batches = await DataStream.from(
        ndjsonVectorSource(stdin(`${BOM}${first}\n${second}\n`)),
      ).collect();
      expect(batches.flatMap((b) => b.points.toRows())).toEqual([
        [1, 2],
        [3, 4],
      ]);
    }
  });

  it('is still an error after the start of the input', async () => {
    await expect(DataStream.from(ndjsonSource(stdin(`{"a":1}\n${BOM}{"a":2}\n`))).collect()).rejects.toThrow(
      '<stdin>:2',
    );
  });
});
