/**
 * Running a kernel over chunks of vertices, on this thread alone (synchronously) or through
 * the core driver on several, with progress counted in vertices either way. The kernel is
 * called as `kernel(...args, verticesDone, chunk)` and adds its chunk's vertex count to
 * `verticesDone[0]`; its results come back in chunk order, so a caller that combines them in
 * that order gets the same bits at every parallelism.
 */
import type { Progress } from '../../src/core/progress.js';
import { int32Array } from '../../src/core/shared-memory.js';
import { type Kernel, runChunks, type Threads } from '../../src/core/threads/driver.js';
import { takeTransferList } from '../../src/core/threads/transfer.js';

/** How often (in vertices) a run on this thread reports: the reporter's clock is not free. */
const REPORT_EVERY = 4096;

/** Runs every chunk on this thread, in order; reports vertices done out of `vertexCount`. */
export function vertexChunksHere<R>(
  kernel: (...args: never[]) => R,
  args: readonly unknown[],
  chunks: number,
  vertexCount: number,
  progress?: Progress,
): R[] {
  const verticesDone = new Int32Array(1);
  const run = kernel as (...args: unknown[]) => R;
  const results: R[] = [];
  let reported = 0;
  progress?.update(0);
  for (let chunk = 0; chunk < chunks; chunk++) {
    results.push(takeTransferList(run(...args, verticesDone, chunk)).value as R);
    const done = verticesDone[0];
    if (Math.floor(done / REPORT_EVERY) > Math.floor(reported / REPORT_EVERY)) {
      progress?.update(done);
      reported = done;
    }
  }
  progress?.update(vertexCount);
  progress?.finish();
  return results;
}

/**
 * Runs the chunks on this thread and `parallelism - 1` workers (the core driver); the
 * arguments must be in shared memory. Reports vertices done, on this thread, as chunks finish.
 */
export async function vertexChunksOnThreads<R>(
  kernel: Kernel,
  args: readonly unknown[],
  chunks: number,
  options: Threads & { progress?: Progress },
): Promise<R[]> {
  const verticesDone = int32Array(1, true);
  const progress = options.progress;
  const results = await runChunks<R>(kernel, [...args, verticesDone], chunks, {
    ...options,
    onChunksDone: () => progress?.update(Atomics.load(verticesDone, 0)),
  });
  progress?.finish();
  return results;
}
