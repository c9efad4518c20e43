/**
 * DataSet partitions on worker threads: exported functions run there, with the same
 * results, contexts, broadcast sets, aggregators and error reports as in the calling thread.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DenseMatrix } from '../../src/core/matrix.js';
import {
  customAggregator,
  env,
  exported,
  OperatorError,
  sumAggregator,
  WorkerPool,
} from '../../src/dataset/index.js';
import * as functions from './fixtures/functions.js';

const url = new URL('./fixtures/functions.ts', import.meta.url).href;
const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());
const threaded = env({ parallelism: 2, pool });
const inline = env({ parallelism: 2, workers: false });

describe('exported functions on worker threads', () => {
  it('map, filter, flatMap and reduce give the same results as in the calling thread', async () => {
    const program = (environment: typeof threaded) =>
      environment
        .generateSequence(1, 40)
        .map(exported(functions.square, url))
        .filter(exported(functions.isEven, url))
        .flatMap(exported(functions.digits, url));
    const expected = await program(inline).collect();
    expect(await program(threaded).collect()).toEqual(expected);
    expect(await threaded.generateSequence(1, 100).reduce(exported(functions.add, url)).collect()).toEqual([
      5050,
    ]);
  });

  it('runs on worker threads only with several partitions and workers enabled', async () => {
    const where = (environment: typeof threaded) =>
      environment.generateSequence(1, 4).map(exported(functions.onMainThread, url)).collect();
    // The calling thread takes part, as in every run of the core driver: it takes the first
    // partition (records 1 and 2), a worker the second.
    expect(await where(threaded)).toEqual([true, true, false, false]);
    expect(await where(inline)).toEqual([true, true, true, true]);
    expect(await where(env({ parallelism: 1, pool }))).toEqual([true, true, true, true]);
    // A plain closure always runs in the calling thread.
    expect(
      await threaded
        .generateSequence(1, 2)
        .map(() => functions.onMainThread())
        .collect(),
    ).toEqual([true, true]);
  });

  it('matrix chunks reach workers in shared memory, not copied', async () => {
    const matrix = DenseMatrix.fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const chunks = threaded.fromMatrix(matrix, { chunkRows: 1 });
    expect(await chunks.mapPartition(exported(functions.sharedFlags, url)).collect()).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(await chunks.mapPartition(exported(functions.rowSums, url)).collect()).toEqual([3, 7, 11, 15]);
  });

  it('broadcast sets, superstep, partition and aggregators work inside workers', async () => {
    const offsets = await threaded
      .generateSequence(1, 4)
      .map(exported(functions.addOffset, url))
      .withBroadcastSet(threaded.fromCollection([100]), 'offset')
      .collect();
    expect(offsets).toEqual([101, 102, 103, 104]);

    const totals = new Map<number, number | undefined>();
    const iteration = threaded.generateSequence(1, 4).iterate(3);
    iteration.registerAggregator('total', sumAggregator());
    const next = iteration
      .map(exported(functions.tagAndCount, url))
      .map(([value, superstep, partition], context) => {
        expect(superstep).toBe(context.superstep);
        expect(partition).toBe(value <= 2 + superstep - 1 ? 0 : 1);
        totals.set(context.superstep, context.previousAggregate<number>('total'));
        return value + 1;
      });
    expect(await iteration.closeWith(next).collect()).toEqual([4, 5, 6, 7]);
    expect([...totals]).toEqual([
      [1, undefined],
      [2, 10],
      [3, 14],
    ]);
  });

  it('custom aggregators receive every value added in workers', async () => {
    const iteration = threaded.generateSequence(1, 6).iterate(2);
    const seen: unknown[] = [];
    iteration.registerAggregator(
      'total',
      customAggregator<number[]>(
        'list',
        () => [],
        (a, b) => [...a, ...(Array.isArray(b) ? b : [b])].sort((x, y) => x - y),
      ),
    );
    const next = iteration.map(exported(functions.tagAndCount, url)).map(([value], context) => {
      seen.push(context.previousAggregate('total'));
      return value;
    });
    await iteration.closeWith(next).collect();
    expect(seen.at(-1)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a function that throws in a worker names the operator and the record', async () => {
    const error = await threaded
      .generateSequence(1, 10)
      .map(exported(functions.failOnSeven, url))
      .collect()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OperatorError);
    expect((error as OperatorError).message).toMatch(
      /^#\d+ map 'failOnSeven' failed on record 7: seven is not allowed$/,
    );
  });

  it('a wrong export name, or records that cannot go to a worker, fail naming the operator', async () => {
    const job = threaded.generateSequence(1, 4).map(exported(functions.square, url, 'cube'));
    await expect(job.collect()).rejects.toThrow(
      /^#\d+ map 'cube' failed: partition 1 could not run on a worker thread: .*has no exported function named 'cube'/,
    );
    const unclonable = threaded.fromCollection([() => 1, () => 2]).map(exported(functions.onMainThread, url));
    await expect(unclonable.collect()).rejects.toThrow(
      /map 'onMainThread' failed: partition 1 could not run on a worker thread: .*could not be cloned/,
    );
  });

  it('a module that runs a job with its own exported function fails clearly, never spawning without end', () => {
    const program = fileURLToPath(new URL('./fixtures/job-on-import.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', program], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(
      /map 'double' failed: partition 1 could not run on a worker thread: .*started a parallel job while it was being imported/,
    );
  }, 90_000);
});
