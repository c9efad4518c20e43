import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { WorkerPool } from '../../src/core/threads/worker-pool.js';
import { PARALLEL_READ_MINIMUM_BYTES, readEdgeListInRanges } from '../../src/graph/edge-list-ranges.js';
import { type EdgeListReadOptions, readEdgeList } from '../../src/graph/edge-list-reader.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const tempDirectory = useTempDirectories();

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());
const directory = tempDirectory('eddy-ranges-');

/**
 * A file just over the size that is read in ranges: about 700,000 edges `a<TAB>b[<TAB>w]` with
 * keys from a fixed pseudo-random walk, and `extra` lines inserted at the given line numbers.
 */
function bigFile(
  name: string,
  options: { weighted?: boolean; header?: string; extra?: Map<number, string> },
) {
  const lines: string[] = [];
  if (options.header) lines.push(options.header);
  let state = 7;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % 100003;
  };
  for (let line = lines.length + 1; lines.length < 760_000; line++) {
    const text = options.extra?.get(line);
    if (text !== undefined) lines.push(text);
    else lines.push(options.weighted ? `${next()}\t${next()}\t${(line % 9) + 0.5}` : `${next()}\t${next()}`);
  }
  const path = join(directory, name);
  const body = `${lines.join('\n')}\n`;
  expect(body.length).toBeGreaterThan(PARALLEL_READ_MINIMUM_BYTES);
  writeFileSync(path, body);
  return path;
}

/** Whether two typed arrays hold the same bytes (faster than element-wise toEqual at this size). */
function same(a: Int32Array | Float64Array | undefined, b: Int32Array | Float64Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

async function bothWays(path: string, options: EdgeListReadOptions = {}, parallelism = 2) {
  const one = await readEdgeList(path, options);
  const many = await readEdgeList(path, { ...options, parallelism, pool });
  return { one, many };
}

describe('readEdgeList on several threads', () => {
  it('gives the same edges, ids and keys as one thread (with a header and comments)', async () => {
    const extra = new Map([
      [10, '# a comment in the first range'],
      [500_000, '% a comment in the second range'],
      [600_000, ''],
    ]);
    for (const [weighted, parallelism] of [
      [false, 2],
      [true, 3],
    ] as const) {
      const path = bigFile(`plain-${weighted}.tsv`, { weighted, header: 'from\tto\tw', extra });
      const { one, many } = await bothWays(path, {}, parallelism);
      // The ranges were really read apart (undefined would mean one thread read the file).
      expect(await readEdgeListInRanges(path, path, parallelism, { pool })).toBeDefined();
      expect(many.sources.length).toBe(one.sources.length);
      expect(same(many.sources, one.sources)).toBe(true);
      expect(same(many.targets, one.targets)).toBe(true);
      expect(same(many.weights, one.weights)).toBe(true);
      expect(same(many.dictionary.numericKeys(), one.dictionary.numericKeys())).toBe(true);
      expect(many.header).toEqual(['from', 'to', 'w']);
    }
  });

  it('cuts a file whose edges exceed what a worker can take into more ranges, with the same result', async () => {
    // segmentBytes stands in for Node's 4 GiB limit: 2,900,000 bytes hold 725,000 int32s,
    // less than the file's 760,000 edges, so workers parse into arrays of their own.
    for (const weighted of [false, true]) {
      const path = bigFile(`segmented-${weighted}.tsv`, { weighted, header: 'from\tto\tw' });
      for (const segmentBytes of [2_900_000, 1 << 20]) {
        const { one, many } = await bothWays(path, { segmentBytes }, 2);
        expect(await readEdgeListInRanges(path, path, 2, { pool, segmentBytes })).toBeDefined();
        expect(same(many.sources, one.sources)).toBe(true);
        expect(same(many.targets, one.targets)).toBe(true);
        expect(same(many.weights, one.weights)).toBe(true);
        expect(same(many.dictionary.numericKeys(), one.dictionary.numericKeys())).toBe(true);
        expect(many.sources.buffer instanceof SharedArrayBuffer).toBe(false);
      }
    }
  });

  it('keeps one shared array when the edges fit what a worker can take, though the last range could hold more lines by its bytes', async () => {
    // 4,000,000 bytes hold 1,000,000 int32s: room for the head's estimate of the 760,000 edges,
    // not for the last range's lines at 4 bytes each (the case of R-MAT scale 26 against 8 GiB).
    const path = bigFile('fits.tsv', { weighted: false, header: 'from\tto\tw' });
    const segmentBytes = 4_000_000;
    const { one, many } = await bothWays(path, { segmentBytes }, 2);
    expect(many.sources.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(many.sources.buffer.byteLength).toBeLessThanOrEqual(segmentBytes);
    expect(same(many.sources, one.sources)).toBe(true);
    expect(same(many.targets, one.targets)).toBe(true);
    expect(same(many.dictionary.numericKeys(), one.dictionary.numericKeys())).toBe(true);
  });

  it('copes with a range holding far more lines than the head of the file suggests', async () => {
    // Long lines first, then short ones: the middle range outgrows the region sized for it.
    const long = Array.from({ length: 100_000 }, (_, i) => `${100_000_000 + i}\t${200_000_000 + i}`);
    const short = Array.from({ length: 2_200_000 }, (_, i) => `${i % 10}\t${(i * 7) % 10}`);
    const path = join(directory, 'uneven.tsv');
    writeFileSync(path, `${[...long, ...short].join('\n')}\n`);
    const { one, many } = await bothWays(path, {}, 3);
    expect(await readEdgeListInRanges(path, path, 3, { pool })).toBeDefined();
    expect(same(many.sources, one.sources)).toBe(true);
    expect(same(many.targets, one.targets)).toBe(true);
    expect(same(many.dictionary.numericKeys(), one.dictionary.numericKeys())).toBe(true);
  });

  it('goes back to one thread for string keys found after the first range', async () => {
    const path = bigFile('strings.tsv', { extra: new Map([[700_000, 'alice\tbob']]) });
    expect(await readEdgeListInRanges(path, path, 2, { pool })).toBeUndefined();
    const { one, many } = await bothWays(path);
    expect(many.dictionary.kind).toBe('string');
    expect(same(many.sources, one.sources)).toBe(true);
    expect(many.dictionary.keys()).toEqual(one.dictionary.keys());
  });

  it('reports a malformed line of a later range with its line number, or skips it', async () => {
    const path = bigFile('bad.tsv', { extra: new Map([[654_321, '12\t']]) });
    const failure = readEdgeList(path, { parallelism: 2, pool });
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toMatchObject({ line: 654_321 });
    const { one, many } = await bothWays(path, { onInvalid: 'skip' });
    expect(many.skippedLines).toBe(1);
    expect(many.firstSkipped?.line).toBe(654_321);
    expect(same(many.sources, one.sources)).toBe(true);
  });

  it('reports a malformed line of the first range with its line number', async () => {
    const path = bigFile('bad-first.tsv', { extra: new Map([[1234, '1\t2\t3\t4']]) });
    await expect(readEdgeList(path, { parallelism: 2, pool })).rejects.toMatchObject({ line: 1234 });
  });
});
