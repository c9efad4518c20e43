/**
 * The one parallel driver: every parallel kernel of eddy (PageRank rounds, file ranges, the
 * DataSet engine's partitions) runs through it.
 *
 * A kernel is a named export of a module that workers can load. The driver runs it on the
 * calling thread and on `parallelism - 1` workers of a {@link WorkerPool} at once. The calling
 * thread takes part, so a round never waits for a worker that is still starting unless the
 * round is shorter than the start. Two modes:
 *
 * - {@link runChunks}: one call per chunk `0 .. chunks - 1`, over arguments every thread shares
 *   (typed arrays over SharedArrayBuffers). Threads claim chunks from a shared counter (one
 *   message per thread and round, not per chunk); a kernel writes only its chunk's part of the
 *   shared output and returns a partial result for the chunk.
 * - {@link runTasks}: one call per task, each with its own arguments (copied to the worker
 *   that takes it), for work that is not shared memory (the DataSet engine's partitions).
 *
 * Both return the results in chunk (task) order, whichever thread made them, so a caller that
 * combines them in that order gets the same bits at every parallelism. Every chunk (task) runs
 * even when one fails; the driver then rejects with the error of the first failing one in
 * order. A worker that dies or exits (an uncaught error, `process.exit`, a message it cannot
 * read) fails the run, or the task it held: the caller gets an error, never a wait.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, type TransferListItem } from 'node:worker_threads';
import { ParamError } from '../errors.js';
import {
  importingTaskModule,
  type LoadedExport,
  loadExport,
  type ModuleExport,
  moduleUrl,
} from './module-export.js';
import {
  type ErrorFields,
  errorFields,
  MAX_SEGMENT_BYTES,
  takeTransferList,
  withTransfer,
} from './transfer.js';
import { sharedWorkerPool, type WorkerPool, WorkerTaskError } from './worker-pool.js';

/** How many threads a parallel run uses, and which pool the workers come from. */
export interface Threads {
  /**
   * Threads in all, the calling thread included (default: the number of cores); 1 runs on the
   * calling thread only. Inside a worker thread, runs never start workers of their own.
   */
  parallelism?: number;
  /** The pool the other threads come from (default: the process-wide pool). */
  pool?: WorkerPool;
  /**
   * The largest shared segment a parallel run hands to a worker (default and upper bound: 8 GiB
   * less 8 bytes, so that an int32 segment's positions stay int32s); larger arrays are split into
   * segments or staged through windows of this size. Smaller values are for tests.
   */
  segmentBytes?: number;
}

/** The largest buffer a run with `threads` hands to a worker ({@link Threads.segmentBytes}). */
export function segmentBytes(threads: Threads): number {
  const bytes = threads.segmentBytes ?? MAX_SEGMENT_BYTES;
  if (!Number.isInteger(bytes) || bytes < 8) throw new ParamError('segmentBytes', bytes, 'an integer >= 8');
  return Math.min(bytes, MAX_SEGMENT_BYTES);
}

/** Options of {@link runChunks}. */
export interface ChunkOptions extends Threads {
  /**
   * Whether chunk 0 runs on the calling thread (default false: whichever thread claims it
   * first), for a chunk only this thread can do in full (the part of a file with its header).
   */
  firstHere?: boolean;
  /**
   * Called on the calling thread with the number of chunks finished so far (on any thread),
   * after each chunk it ran itself and once more when all are done: progress that costs the
   * workers one atomic add per chunk. The numbers it gets never decrease.
   */
  onChunksDone?: (done: number) => void;
}

/**
 * A kernel: export `exportName` of `module`, which workers load by themselves. `local` is the
 * same function already loaded on the calling thread (saves importing `module` here).
 */
export interface Kernel extends ModuleExport {
  readonly local?: (...args: never[]) => unknown;
}

/** How one chunk or task ended. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/** What a worker reports for the chunks it claimed. */
type ChunkReport =
  | { chunk: number; ok: true; value: unknown }
  | { chunk: number; ok: false; error: ErrorFields };

// Workers load this module to claim chunks: .js in dist, .ts under tsx.
const claimer = {
  module: new URL(`./driver${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'claimChunks',
};

/** Threads in all for `threads` (this one included), at most `work` and at most the pool's size + 1. */
export function threadCount(threads: Threads, work = Number.POSITIVE_INFINITY): number {
  const parallelism = threads.parallelism ?? availableParallelism();
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new ParamError('parallelism', parallelism, 'an integer >= 1');
  }
  if (!isMainThread) {
    // A job started by a module as a worker imports it would start workers without end.
    if (importingTaskModule()) {
      throw new Error(
        'a module imported by a worker thread started a parallel job while it was being imported: ' +
          'exported functions must live in a module that only defines functions (move them out of ' +
          'the module that runs the job)',
      );
    }
    return 1;
  }
  if (parallelism === 1 || work <= 1) return 1;
  return Math.min(parallelism, work, (threads.pool ?? sharedWorkerPool()).size + 1);
}

/**
 * Calls `kernel(...args, chunk)` for every chunk `0 .. chunks - 1` on this thread and up to
 * `parallelism - 1` workers; resolves to each chunk's result, in chunk order. The arguments
 * are shared by every thread: whatever a kernel writes must be in shared memory.
 * @example
 * // export function sumChunk(values: Float64Array, chunk: number): number { ... }
 * const sums = await runChunks<number>({ module: url, exportName: 'sumChunk' }, [values], 8);
 * const total = sums.reduce((a, b) => a + b, 0); // in chunk order: the same at any parallelism
 */
export async function runChunks<R>(
  kernel: Kernel,
  args: readonly unknown[],
  chunks: number,
  threads: ChunkOptions = {},
): Promise<R[]> {
  return valuesOrFirstError(await settleChunks<R>(kernel, args, chunks, threads));
}

/**
 * {@link runChunks}, resolving to every chunk's outcome instead of rejecting on a kernel's
 * error; a worker that dies still rejects the run (the chunks it held are lost).
 */
export async function settleChunks<R>(
  kernel: Kernel,
  args: readonly unknown[],
  chunks: number,
  threads: ChunkOptions = {},
): Promise<Outcome<R>[]> {
  const count = threadCount(threads, chunks);
  const first = threads.firstHere === true && chunks > 0 ? 1 : 0;
  const counter = new Int32Array(new SharedArrayBuffer(4));
  counter[0] = first;
  // Chunks finished, on every thread.
  const done = new Int32Array(new SharedArrayBuffer(4));
  const module = moduleUrl(kernel.module);
  const pool = threads.pool ?? (count > 1 ? sharedWorkerPool() : undefined);
  // A worker that dies loses the chunks it claimed, so the run fails: the chunks nobody has
  // claimed yet are left unclaimed from then on, and this thread stops after its current one.
  // (The outcome is taken at once, also so that the rejection is never left unhandled while
  // this thread is still busy with its chunks.)
  let lost: unknown;
  const workers: Promise<ChunkReport[] | undefined>[] = [];
  for (let w = 1; w < count; w++) {
    workers.push(
      pool!
        .run<ChunkReport[]>(claimer, [module, kernel.exportName, args, counter, chunks, done])
        .catch((error) => {
          lost ??= error;
          Atomics.store(counter, 0, chunks);
          return undefined;
        }),
    );
  }
  const outcomes: (Outcome<R> | undefined)[] = new Array(chunks);
  const local = (kernel.local as LoadedExport | undefined) ?? (await loadExport(module, kernel.exportName));
  const onChunksDone = threads.onChunksDone;
  // A result marked withTransfer for a worker is the plain value when made on this thread.
  const run = async (chunk: number) => {
    const outcome = await settle(
      async () => takeTransferList(await (local(...args, chunk) as R | Promise<R>)).value as R,
    );
    Atomics.add(done, 0, 1);
    onChunksDone?.(Atomics.load(done, 0));
    return outcome;
  };
  if (first === 1) outcomes[0] = await run(0);
  for (let chunk = Atomics.add(counter, 0, 1); chunk < chunks; chunk = Atomics.add(counter, 0, 1)) {
    outcomes[chunk] = await run(chunk);
  }
  const reports = await Promise.all(workers);
  if (lost !== undefined) throw lost;
  onChunksDone?.(chunks);
  for (const worker of reports) {
    for (const report of worker!) {
      outcomes[report.chunk] = report.ok
        ? { ok: true, value: report.value as R }
        : { ok: false, error: workerError(module, kernel.exportName, report.error) };
    }
  }
  return outcomes as Outcome<R>[];
}

/**
 * What a worker runs for {@link runChunks}: claims chunks until none is left, calling the
 * kernel on each. Exported for the workers only.
 */
export async function claimChunks(
  module: string,
  exportName: string,
  args: readonly unknown[],
  counter: Int32Array,
  chunks: number,
  done?: Int32Array,
): Promise<ChunkReport[]> {
  const kernel = await loadExport(module, exportName);
  const reports: ChunkReport[] = [];
  const moved: TransferListItem[] = [];
  for (let chunk = Atomics.add(counter, 0, 1); chunk < chunks; chunk = Atomics.add(counter, 0, 1)) {
    try {
      const { value, transfer } = takeTransferList(await kernel(...args, chunk));
      reports.push({ chunk, ok: true, value });
      moved.push(...transfer);
    } catch (error) {
      reports.push({ chunk, ok: false, error: errorFields(error) });
    }
    if (done !== undefined) Atomics.add(done, 0, 1);
  }
  // Results a kernel marked with withTransfer are moved, not copied.
  return withTransfer(reports, moved);
}

/**
 * Calls `kernel(...tasks[i])` for every task on this thread and up to `parallelism - 1`
 * workers (each task's arguments are copied to the worker that takes it); resolves to the
 * results in task order. This thread takes task 0, the workers the next ones, and then each
 * thread the next task left as it becomes free.
 */
export async function runTasks<R>(
  kernel: Kernel,
  tasks: readonly (readonly unknown[])[],
  threads: Threads = {},
): Promise<R[]> {
  return valuesOrFirstError(await settleTasks<R>(kernel, tasks, threads));
}

/** {@link runTasks}, resolving to every task's outcome instead of rejecting. */
export async function settleTasks<R>(
  kernel: Kernel,
  tasks: readonly (readonly unknown[])[],
  threads: Threads = {},
): Promise<Outcome<R>[]> {
  const count = threadCount(threads, tasks.length);
  const module = moduleUrl(kernel.module);
  const target = { module, exportName: kernel.exportName };
  const pool = threads.pool ?? (count > 1 ? sharedWorkerPool() : undefined);
  const outcomes: Outcome<R>[] = new Array(tasks.length);
  // This thread takes the first task and workers the next ones; then each thread takes the
  // next task left when it is free.
  let next = Math.min(1, tasks.length);
  const onWorker = async () => {
    for (let task = next++; task < tasks.length; task = next++) {
      outcomes[task] = await settle(() => pool!.run<R>(target, tasks[task]));
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 1; w < count; w++) workers.push(onWorker());
  const local = (kernel.local as LoadedExport | undefined) ?? (await loadExport(module, kernel.exportName));
  for (let task = 0; task < tasks.length; task = next++) {
    outcomes[task] = await settle(
      async () => takeTransferList(await (local(...tasks[task]) as R | Promise<R>)).value as R,
    );
    // Let finished workers take their next task before this thread runs another.
    if (count > 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(workers);
  return outcomes;
}

/** The values, or the error of the first failure in order. */
export function valuesOrFirstError<R>(outcomes: readonly Outcome<R>[]): R[] {
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  });
}

async function settle<R>(run: () => R | Promise<R>): Promise<Outcome<R>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

function workerError(module: string, exportName: string, error: ErrorFields): WorkerTaskError {
  return new WorkerTaskError(`${module}#${exportName}`, error.name, error.message, error.stack);
}
