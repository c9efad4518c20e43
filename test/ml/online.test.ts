import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { type JoinedBatch, joinLatestVersion, type ModelVersion } from '../../src/ml/online.js';

/** A version whose "model" is a name, enough to see which version scored which record. */
const version = (n: number, recordsSeen: number, model: string): ModelVersion<string> => ({
  version: n,
  recordsSeen,
  timestamp: 0,
  model,
});

/** A one-column batch of `rows` points. */
const rows = (count: number) => new DenseMatrix(count, 1, new Float64Array(count));

/** The model name that scored each row, batch by batch. */
function labels(batches: JoinedBatch<string>[]): string[][] {
  return batches.map(({ points, segments }) => {
    const out: string[] = new Array(points.rows);
    for (const { start, end, version } of segments) out.fill(version.model, start, end);
    return out;
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('joinLatestVersion', () => {
  // Versions A (from record 2), B (also from record 2: replaces A), C (from 5), D (from 20).
  const versions = () => [version(1, 2, 'A'), version(2, 2, 'B'), version(3, 5, 'C'), version(4, 20, 'D')];

  it('scores each record with the latest version whose recordsSeen is at most its index', async () => {
    // Records 0 and 1 come before any version: they wait for the first (A) and are scored by it.
    const joined = await collect(joinLatestVersion([rows(3), rows(4), rows(2)], versions()));
    expect(labels(joined)).toEqual([
      ['A', 'A', 'B'],
      ['B', 'B', 'C', 'C'],
      ['C', 'C'],
    ]);
    expect(Array.from(joined[1].indices)).toEqual([3, 4, 5, 6]);
    expect(joined[1].segments.map(({ start, end }) => [start, end])).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });

  it('scores the records before the first version with an initial model when given', async () => {
    const joined = await collect(joinLatestVersion([rows(3), rows(4)], versions(), { initial: 'I' }));
    expect(labels(joined)).toEqual([
      ['I', 'I', 'B'],
      ['B', 'B', 'C', 'C'],
    ]);
  });

  it('uses the indices a VectorBatch carries (a filtered stream keeps its original indices)', async () => {
    const batch = { points: rows(4), indices: Float64Array.from([0, 4, 5, 30]) };
    const next = { points: rows(1), indices: Float64Array.from([31]) };
    const joined = await collect(joinLatestVersion([batch, next], versions(), { initial: 'I' }));
    expect(labels(joined)).toEqual([['I', 'B', 'C', 'D'], ['D']]);
    // Single points are indexed by their position in the stream.
    const points = [Float64Array.from([7]), Float64Array.from([8]), Float64Array.from([9])];
    expect(labels(await collect(joinLatestVersion(points, versions())))).toEqual([['A'], ['A'], ['B']]);
  });

  it('reads versions only as far as the current batch needs, one batch at a time', async () => {
    const log: string[] = [];
    async function* data() {
      for (let b = 0; b < 3; b++) {
        log.push(`data ${b}`);
        yield rows(2);
      }
    }
    async function* stream() {
      for (let v = 1; v <= 6; v++) {
        log.push(`version ${v}`);
        yield version(v, 2 * v, `V${v}`);
      }
    }
    for await (const batch of joinLatestVersion(data(), stream())) log.push(`joined ${labels([batch])[0]}`);
    // Batch 0 (records 0, 1) waits for V1 and reads V2 (from record 4) to know that V1 still
    // applies; batch 1 (records 2, 3) needs no new version; batch 2 (4, 5) takes V2, reads V3.
    expect(log).toEqual([
      'data 0',
      'version 1',
      'version 2',
      'joined V1,V1',
      'data 1',
      'joined V1,V1',
      'data 2',
      'version 3',
      'joined V2,V2',
    ]);
  });

  it('passes on an error of the data stream and closes the versions', async () => {
    let closed = false;
    async function* stream() {
      try {
        for (let v = 1; ; v++) yield version(v, v, 'V');
      } finally {
        closed = true;
      }
    }
    async function* data() {
      yield rows(2);
      throw new Error('data broke');
    }
    await expect(collect(joinLatestVersion(data(), stream()))).rejects.toThrow('data broke');
    expect(closed).toBe(true);
  });

  it('passes on an error of the versions stream', async () => {
    async function* stream() {
      yield version(1, 1, 'V');
      throw new Error('versions broke');
    }
    await expect(collect(joinLatestVersion([rows(1), rows(3)], stream()))).rejects.toThrow('versions broke');
  });

  it('never drops records: no version and no initial model is an error, as are disorders', async () => {
    await expect(collect(joinLatestVersion([rows(2)], []))).rejects.toThrow(
      /at least one model version \(or an initial model\) to score record 0/,
    );
    await expect(
      collect(joinLatestVersion([rows(2)], [version(1, 5, 'A'), version(2, 3, 'B')])),
    ).rejects.toThrow(ParamError);
    const backwards = { points: rows(2), indices: Float64Array.from([3, 1]) };
    await expect(collect(joinLatestVersion([backwards], versions()))).rejects.toThrow(
      /indices >= 3, in order/,
    );
  });
});
