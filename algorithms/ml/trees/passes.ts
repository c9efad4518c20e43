/**
 * Tree training as a sequence of passes over the rows: the training code (a generator) yields
 * each pass it needs, a kernel of kernels.ts with its arguments and its number of chunks, and
 * goes on when the pass is done. The same sequence runs on the calling thread, synchronously
 * (what an Estimator's `fitFrame` needs), or on the core driver's threads; the kernels write
 * disjoint parts of shared arrays, so both give the same trees.
 */
import { runChunks, threadCount } from '../../../src/core/threads/driver.js';
import { binRows, buildHistograms, partitionRows } from './kernels.js';

const kernels = { binRows, buildHistograms, partitionRows } as const;

/** One pass: `kernel(...args, chunk)` for every chunk `0 .. chunks - 1`. */
export interface Pass {
  readonly kernel: keyof typeof kernels;
  readonly args: readonly unknown[];
  readonly chunks: number;
}

/** Training written as passes, returning `R`. */
export type PassSequence<R> = Generator<Pass, R, void>;

/** Data smaller than this many cells trains on the calling thread: a pass costs less than a message. */
const PARALLEL_CELLS = 1 << 16;

/** How many threads a training over `rows` x `features` uses at `parallelism`: 1 for small data. */
export function trainingThreads(rows: number, features: number, parallelism: number): number {
  return rows * features < PARALLEL_CELLS ? 1 : threadCount({ parallelism });
}

/** Runs every pass of `sequence` on the calling thread. */
export function runPassesHere<R>(sequence: PassSequence<R>): R {
  let step = sequence.next();
  while (step.done !== true) {
    const { kernel, args, chunks } = step.value;
    const run = kernels[kernel] as (...values: unknown[]) => void;
    for (let chunk = 0; chunk < chunks; chunk++) run(...args, chunk);
    step = sequence.next();
  }
  return step.value;
}

/** Runs every pass of `sequence` on `threads` threads of the core driver (the calling one included). */
export async function runPassesOnThreads<R>(sequence: PassSequence<R>, threads: number): Promise<R> {
  if (threads === 1) return runPassesHere(sequence);
  let step = sequence.next();
  while (step.done !== true) {
    const { kernel, args, chunks } = step.value;
    await runChunks(
      {
        // Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
        module: new URL(`./kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
        exportName: kernel,
        local: kernels[kernel],
      },
      args,
      chunks,
      { parallelism: threads },
    );
    step = sequence.next();
  }
  return step.value;
}
