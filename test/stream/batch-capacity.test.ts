/**
 * A point source allocates for the points that arrive, not for the batch size asked for
 * (issue 16, "Bounds": `--batch-size 1000000000` allocated gigabytes for a small input).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DataStream, ndjsonVectorSource } from '../../src/index.js';

function stdin(text: string): { stream: PassThrough; name: string } {
  const stream = new PassThrough();
  stream.end(text);
  return { stream, name: '<stdin>' };
}

describe('ndjsonVectorSource batch capacity', () => {
  it('reads a small input with a batch size far beyond any array', async () => {
    // 1e10 points of 2 numbers is more than a typed array may hold: allocating by the batch
    // size would throw.
    const batches = await DataStream.from(
      ndjsonVectorSource(stdin('[1,2]\n[3,4]\n[5,6]\n'), { batchSize: 1e10 }),
    ).collect();
    expect(batches.flatMap((b) => b.points.toRows())).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('grows a batch past its first capacity with every point in order', async () => {
    const count = 5000;
    const text = Array.from({ length: count }, (_, i) => `[${i},${2 * i}]`).join('\n');
    for (const batchSize of [3000, 1e9]) {
      const batches = await DataStream.from(ndjsonVectorSource(stdin(text), { batchSize })).collect();
      expect(batches.map((b) => b.points.rows)).toEqual(batchSize === 3000 ? [3000, 2000] : [5000]);
      const rows = batches.flatMap((b) => b.points.toRows());
      expect(rows).toEqual(Array.from({ length: count }, (_, i) => [i, 2 * i]));
      expect(batches.flatMap((b) => Array.from(b.indices))).toEqual(
        Array.from({ length: count }, (_, i) => i),
      );
    }
  });
});
