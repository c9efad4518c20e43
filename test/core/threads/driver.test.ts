/** The one parallel driver: chunk order, the same bits at every parallelism, failures reported. */
import { afterAll, describe, expect, it } from 'vitest';
import { runChunks, runTasks, settleTasks } from '../../../src/core/threads/driver.js';
import { WorkerPool, WorkerTaskError } from '../../../src/core/threads/worker-pool.js';
import {
  awkwardValues,
  checkedTask,
  describeTask,
  onWorker,
  slowHereExitThere,
  sumChunk,
  sumChunkMarked,
  viewFacts,
} from './fixtures/kernels.js';

const module = new URL('./fixtures/kernels.ts', import.meta.url);
const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe('runChunks', () => {
  it('returns every chunk result in chunk order, whichever thread made it', async () => {
    const chunks = 40;
    const size = 2_500;
    const values = awkwardValues(chunks * size);
    const sums = new Float64Array(new SharedArrayBuffer(8 * chunks));
    const expected = Array.from({ length: chunks }, (_, chunk) => sumChunk(values, size, sums, chunk));
    sums.fill(0);
    const owners = new Int32Array(new SharedArrayBuffer(4 * chunks)).fill(-1);
    const started = new Int32Array(new SharedArrayBuffer(4));
    const kernel = { module, exportName: 'sumChunkMarked', local: sumChunkMarked };
    const args = [values, size, sums, owners, started];
    const results = await runChunks<number>(kernel, args, chunks, { parallelism: 3, pool });
    expect(results).toEqual(expected);
    // This thread (id 0) and at least one worker took chunks.
    expect(owners.includes(0)).toBe(true);
    expect(owners.some((owner) => owner > 0)).toBe(true);
    expect(owners.includes(-1)).toBe(false);
    // What the kernels wrote into shared memory, on any thread, is seen here.
    expect(Array.from(sums)).toEqual(expected);
  });

  it('gives bit-identical combined results at parallelism 1, 2 and 3', async () => {
    const chunks = 64;
    const size = 3_000;
    const values = awkwardValues(chunks * size);
    const sums = new Float64Array(new SharedArrayBuffer(8 * chunks));
    const totals: number[] = [];
    for (const parallelism of [1, 2, 3]) {
      // No `local`: the calling thread loads the kernel module itself, as workers do.
      const parts = await runChunks<number>(
        { module, exportName: 'sumChunk' },
        [values, size, sums],
        chunks,
        {
          parallelism,
          pool,
        },
      );
      totals.push(parts.reduce((a, b) => a + b, 0));
    }
    expect(totals[1]).toBe(totals[0]);
    expect(totals[2]).toBe(totals[0]);
    // The chunked order matters: a plain left-to-right sum differs in the last bits.
    expect(
      Object.is(
        totals[0],
        Array.from(values).reduce((a, b) => a + b, 0),
      ),
    ).toBe(false);
  });

  it('runs zero chunks, and rejects a bad parallelism', async () => {
    expect(await runChunks({ module, exportName: 'sumChunk' }, [], 0, { pool })).toEqual([]);
    await expect(
      runChunks({ module, exportName: 'sumChunk' }, [], 2, { parallelism: 0, pool }),
    ).rejects.toThrow(/parallelism/);
  });

  it("rejects with a kernel's error thrown in a worker, with its name and message", async () => {
    const started = new Int32Array(new SharedArrayBuffer(4));
    const kernel = { module, exportName: 'onWorker', local: onWorker };
    const error = await runChunks(kernel, [started, 'throw'], 2, { parallelism: 2, pool }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorkerTaskError);
    expect((error as Error).name).toBe('RangeError');
    expect((error as Error).message).toMatch(/^chunk [01] failed$/);
  });

  it('rejects, never waits, when a worker exits or dies of an uncaught error', async () => {
    const kernel = { module, exportName: 'onWorker', local: onWorker };
    const exits = new Int32Array(new SharedArrayBuffer(4));
    await expect(runChunks(kernel, [exits, 'exit'], 2, { parallelism: 2, pool })).rejects.toThrow(
      /a worker thread running .*#claimChunks failed: the thread exited with code 3/,
    );
    const dies = new Int32Array(new SharedArrayBuffer(4));
    await expect(runChunks(kernel, [dies, 'uncaught'], 2, { parallelism: 2, pool })).rejects.toThrow(
      /uncaught in a worker/,
    );
    // The pool replaces the lost workers.
    const values = awkwardValues(100);
    const sums = new Float64Array(new SharedArrayBuffer(8 * 4));
    await expect(
      runChunks({ module, exportName: 'sumChunk', local: sumChunk }, [values, 25, sums], 4, {
        parallelism: 3,
        pool,
      }),
    ).resolves.toHaveLength(4);
  });
});

describe('runChunks when a worker fails (issue 22: a failure is an error, never a wait)', () => {
  it('rejects when a worker runs out of memory', async () => {
    const limited = new WorkerPool({
      size: 1,
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    try {
      const kernel = { module, exportName: 'onWorker', local: onWorker };
      const started = new Int32Array(new SharedArrayBuffer(4));
      await expect(
        runChunks(kernel, [started, 'out of memory'], 2, { parallelism: 2, pool: limited }),
      ).rejects.toThrow(/a worker thread running .*#claimChunks failed: .*memory/);
    } finally {
      await limited.close();
    }
  });

  it('stops claiming chunks once a worker has died, with no unhandled rejection meanwhile', async () => {
    const local = new Int32Array(new SharedArrayBuffer(4));
    const kernel = { module, exportName: 'slowHereExitThere', local: slowHereExitThere };
    const chunks = 2_000;
    await expect(runChunks(kernel, [local], chunks, { parallelism: 2, pool })).rejects.toThrow(
      /exited with code 5/,
    );
    // At 5 ms a chunk, running every chunk here would take 10 s.
    expect(local[0]).toBeGreaterThan(0);
    expect(local[0]).toBeLessThan(chunks);
  });

  it('hands views of shared buffers of 4 GiB and more to workers and back whole (Node alone would cut their length modulo 2^32)', async () => {
    // Untouched pages of a SharedArrayBuffer cost no memory.
    const ints = new Int32Array(new SharedArrayBuffer(2 ** 32));
    // A view that starts past 4 GiB: the last 8 doubles of a 5 GiB buffer.
    const doubles = new Float64Array(new SharedArrayBuffer(5 * 2 ** 30), 5 * 2 ** 30 - 64, 8);
    doubles[7] = 2.5;
    const kernel = { module, exportName: 'viewFacts', local: viewFacts };
    const results = await runChunks<ReturnType<typeof viewFacts>>(kernel, [{ ints, doubles }], 2, {
      parallelism: 2,
      pool,
    });
    for (const { facts } of results) {
      expect(facts).toEqual([['Int32Array', 2 ** 30, 0], ['Float64Array', 8, 5 * 2 ** 30 - 64], 2.5]);
    }
    const fromWorker = results.find((result) => result.worker)!;
    // The worker wrote into the same memory, and its result came back whole, on that memory.
    expect(ints[2 ** 30 - 1]).toBe(2);
    expect(fromWorker.back.length).toBe(2 ** 30);
    fromWorker.back[0] = 9;
    expect(ints[0]).toBe(9);
  });
});

describe('runTasks', () => {
  it('runs tasks with arguments of their own, results in task order, at any parallelism', async () => {
    const tasks = Array.from({ length: 9 }, (_, i) => [`t${i}`, [i, i + 1, i + 2]]);
    const expected = tasks.map(([name, values]) => `${name}:${(values as number[]).reduce((a, b) => a + b)}`);
    for (const parallelism of [1, 2, 3]) {
      const kernel = { module, exportName: 'describeTask', local: describeTask };
      expect(await runTasks<string>(kernel, tasks, { parallelism, pool })).toEqual(expected);
    }
  });

  it('runs every task and rejects with the first failure in task order', async () => {
    const kernel = { module, exportName: 'checkedTask', local: checkedTask };
    const tasks = [[1], [-2], [3], [-4], [5]];
    await expect(runTasks(kernel, tasks, { parallelism: 3, pool })).rejects.toThrow('negative: -2');
    const outcomes = await settleTasks<number>(kernel, tasks, { parallelism: 3, pool });
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : outcome.error.message))).toEqual([
      2,
      'negative: -2',
      6,
      'negative: -4',
      10,
    ]);
  });
});
