/** The generic worker pool: named exports of a module run on worker threads. */
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool, WorkerTaskError } from '../../src/dataset/index.js';

const kernels = new URL('./fixtures/kernels.ts', import.meta.url).href;
const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe('WorkerPool', () => {
  it('runs named exports and returns their (awaited) results', async () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i);
    const [low, high, text] = await Promise.all([
      pool.run<number>({ module: kernels, exportName: 'sumRange' }, [values, 0, 50]),
      pool.run<number>({ module: kernels, exportName: 'sumRange' }, [values, 50, 100]),
      pool.run<string>({ module: kernels, exportName: 'later' }, ['done']),
    ]);
    expect(low + high).toBe(4950);
    expect(text).toBe('DONE');
  });

  it('shares SharedArrayBuffer memory: writes in workers are seen by the caller', async () => {
    const target = new Float64Array(new SharedArrayBuffer(8 * 10));
    await Promise.all([
      pool.run({ module: kernels, exportName: 'fillRange' }, [target, 0, 5, 1]),
      pool.run({ module: kernels, exportName: 'fillRange' }, [target, 5, 10, 2]),
    ]);
    expect(Array.from(target)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it('queues more tasks than workers and moves transferred results', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        pool.run<Float64Array>({ module: kernels, exportName: 'makeBuffer' }, [i + 1]),
      ),
    );
    expect(results.map((result) => result.length)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results[5]).toBeInstanceOf(Float64Array);
    expect(results[5][0]).toBe(1.5);
  });

  it('rejects with the error the task threw, and with a clear error for a missing export', async () => {
    const error = await pool
      .run({ module: kernels, exportName: 'fail' }, ['no way'])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkerTaskError);
    expect((error as WorkerTaskError).name).toBe('RangeError');
    expect((error as WorkerTaskError).message).toBe('no way');
    await expect(pool.run({ module: kernels, exportName: 'absent' })).rejects.toThrow(
      /has no exported function named 'absent'/,
    );
    // The pool keeps working after failures.
    await expect(pool.run({ module: kernels, exportName: 'later' }, ['ok'])).resolves.toBe('OK');
  });

  it('rejects arguments that cannot be cloned and stays usable', async () => {
    await expect(pool.run({ module: kernels, exportName: 'later' }, [() => 1])).rejects.toThrow(
      /could not be cloned/,
    );
    await expect(pool.run({ module: kernels, exportName: 'later' }, ['again'])).resolves.toBe('AGAIN');
  });

  it('refuses work once closed, and rejects a bad size', async () => {
    const closing = new WorkerPool({ size: 1 });
    await closing.close();
    await expect(closing.run({ module: kernels, exportName: 'later' }, ['x'])).rejects.toThrow(/closed/);
    expect(() => new WorkerPool({ size: 0 })).toThrow(/size/);
  });
});
