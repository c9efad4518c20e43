/**
 * Tree training as a sequence of passes over the rows: the training code (a generator) yields
 * each pass it needs, a kernel of kernels.ts with its arguments and its number of chunks, and
 * goes on when the pass is done. The same sequence runs on the calling thread, synchronously
 * (what an Estimator's `fitTable` needs), or on the core driver's threads; the kernels write
 * disjoint parts of shared arrays, so both give the same trees.
 */
import type { Progress } from '../../../src/core/progress.js';
import { runChunks, threadCount } from '../../../src/core/threads/driver.js';
import { binRows, buildHistograms, partitionRows } from './kernels.js';

const kernels = { binRows, buildHistograms, partitionRows } as const;

/** One pass: `kernel(...args, chunk)` for every chunk `0 .. chunks - 1`. */
export interface Pass {
  readonly kernel: keyof typeof kernels;
  readonly args: readonly unknown[];
  readonly chunks: number;
  /** Which part of the training the pass belongs to ("tree 3/100"), for progress. */
  readonly note?: string;
}

/** Training written as passes, returning `R`. */
export type PassSequence<R> = Generator<Pass, R, void>;

/** Data smaller than this many cells trains on the calling thread: a pass costs less than a message. */
const PARALLEL_CELLS = 1 << 16;

/** How many threads a training over `rows` x `features` uses at `parallelism`: 1 for small data. */
export function trainingThreads(rows: number, features: number, parallelism: number): number {
  return rows * features < PARALLEL_CELLS ? 1 : threadCount({ parallelism });
}

/** The passes of `sequence`, each noted with `note` (the tree or round they grow), for progress. */
export function* noted<R>(sequence: PassSequence<R>, note: string): PassSequence<R> {
  let step = sequence.next();
  while (step.done !== true) {
    yield { ...step.value, note: step.value.note ?? note };
    step = sequence.next();
  }
  return step.value;
}

/**
 * Runs every pass of `sequence` on the calling thread; `progress` is told of each pass done
 * (their count, with the pass's note).
 */
export function runPassesHere<R>(sequence: PassSequence<R>, progress?: Progress): R {
  let passes = 0;
  let step = sequence.next();
  while (step.done !== true) {
    const { kernel, args, chunks, note } = step.value;
    const run = kernels[kernel] as (...values: unknown[]) => void;
    for (let chunk = 0; chunk < chunks; chunk++) run(...args, chunk);
    progress?.update(++passes, note);
    step = sequence.next();
  }
  progress?.finish();
  return step.value;
}

/**
 * Runs every pass of `sequence` on `threads` threads of the core driver (the calling one
 * included); `progress` as for {@link runPassesHere}.
 */
export async function runPassesOnThreads<R>(
  sequence: PassSequence<R>,
  threads: number,
  progress?: Progress,
): Promise<R> {
  if (threads === 1) return runPassesHere(sequence, progress);
  let passes = 0;
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
    progress?.update(++passes, step.value.note);
    step = sequence.next();
  }
  progress?.finish();
  return step.value;
}
