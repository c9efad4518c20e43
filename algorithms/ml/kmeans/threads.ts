/**
 * Runs k-means' chunk rounds on the calling thread or spread over worker threads. The
 * algorithms (k-means++ in kmeans-init.ts, Lloyd in kmeans-lloyd.ts) are written once, as
 * generators that yield a {@link ChunkRound} whenever every chunk must be processed and get
 * back the sum of what the round's threads returned; only the driver differs.
 */
import { availableParallelism } from 'node:os';
import { sharedWorkerPool, type WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { assignChunks, plusPlusTrials } from './chunk-kernels.js';

/** One round of chunk work: call kernel `kernel` with `args` on every thread taking part. */
export interface ChunkRound {
  readonly kernel: 'assignChunks' | 'plusPlusTrials';
  readonly args: readonly unknown[];
  /** The shared counter the kernel claims chunks from; the driver zeroes it. */
  readonly nextChunk: Int32Array;
}

/** An algorithm written as chunk rounds, returning R. */
export type ChunkRounds<R> = Generator<ChunkRound, R, number>;

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernelModule = new URL(
  `./chunk-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

const kernels = { assignChunks, plusPlusTrials } as Record<
  ChunkRound['kernel'],
  (...args: readonly unknown[]) => number
>;

function runKernel(round: ChunkRound): number {
  return kernels[round.kernel](...round.args);
}

/** Runs every round on the calling thread. */
export function runHere<R>(rounds: ChunkRounds<R>): R {
  let step = rounds.next();
  while (step.done !== true) {
    step.value.nextChunk[0] = 0;
    step = rounds.next(runKernel(step.value));
  }
  return step.value;
}

/** Where {@link runOnThreads} runs: how many threads in all (this one included) and the pool. */
export interface Threads {
  /** Threads per round, the calling thread included (default: the number of cores). */
  parallelism?: number;
  /** The pool the other threads come from (default: the process-wide pool). */
  pool?: WorkerPool;
}

/**
 * Runs every round on the calling thread and `parallelism - 1` workers at once. The calling
 * thread claims chunks too, so a round never waits on a worker that is still starting unless
 * the round is shorter than the start; every array the kernels touch must be shared.
 */
export async function runOnThreads<R>(rounds: ChunkRounds<R>, threads: Threads = {}): Promise<R> {
  const pool = threads.pool ?? sharedWorkerPool();
  const workers = Math.min((threads.parallelism ?? availableParallelism()) - 1, pool.size);
  if (workers < 1) return runHere(rounds);
  let step = rounds.next();
  while (step.done !== true) {
    const round = step.value;
    Atomics.store(round.nextChunk, 0, 0);
    const parts: Promise<number>[] = [];
    for (let w = 0; w < workers; w++) {
      parts.push(pool.run<number>({ module: kernelModule, exportName: round.kernel }, round.args));
    }
    let total = runKernel(round);
    for (const part of await Promise.all(parts)) total += part;
    step = rounds.next(total);
  }
  return step.value;
}

/**
 * Starts `parallelism - 1` workers of the pool and has them load the kernels, so that their
 * start overlaps other work (reading the input) instead of the first round.
 */
export async function warmUpThreads(threads: Threads = {}): Promise<void> {
  const pool = threads.pool ?? sharedWorkerPool();
  const workers = Math.min((threads.parallelism ?? availableParallelism()) - 1, pool.size);
  const loads: Promise<number>[] = [];
  for (let w = 0; w < workers; w++) {
    loads.push(pool.run<number>({ module: kernelModule, exportName: 'chunkCount' }, [0]));
  }
  await Promise.all(loads);
}
