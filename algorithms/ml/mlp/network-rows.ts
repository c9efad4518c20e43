/**
 * A feature matrix as the float32 rows a network takes, standardised or not, by the passes of
 * scaling-kernels.ts: on the calling thread, or for a training on the core driver's threads
 * ({@link trainingRowsOnThreads}), with the same bits either way.
 */
import type { DenseMatrix } from '../../../src/core/matrix.js';
import { runChunks } from '../../../src/core/threads/driver.js';
import type { FeatureScaling } from '../standardization.js';
import { columnSquares, columnSums, SCALING_CHUNK_ROWS, scaledRows } from './scaling-kernels.js';
import type { Rows } from './training.js';

/** The rows, the scaling they were standardised by, and whether every value came out finite. */
export interface NetworkRows {
  readonly rows: Rows;
  readonly scaling: FeatureScaling | undefined;
  /** False when a value was not finite: the caller reports where (a mean or deviation overflowing also counts). */
  readonly finite: boolean;
}

const KERNELS = { columnSums, columnSquares, scaledRows } as const;

/** One pass: `KERNELS[kernel](...args, chunk)` for every chunk; the answer is each chunk's value. */
interface ScalingPass {
  readonly kernel: keyof typeof KERNELS;
  readonly args: readonly unknown[];
  readonly chunks: number;
}

/** Float64 values in memory worker threads see when `share`. */
function doubles(length: number, share: boolean): Float64Array {
  return share ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** How rows are scaled: by a scaling, by the scaling of their own columns (`'fit'`), or not at all. */
export type RowScaling = FeatureScaling | 'fit' | undefined;

/**
 * The passes over `matrix`: for `'fit'`, the column means and then the (population) deviations,
 * per chunk and added in chunk order; then the rows. Buffers are shared with worker threads when
 * `share` (the matrix is copied into shared memory unless it is there already).
 */
function* rowPasses(
  matrix: DenseMatrix,
  scale: RowScaling,
  share: boolean,
): Generator<ScalingPass, NetworkRows, ArrayLike<number>> {
  const { rows, columns } = matrix;
  const chunks = Math.ceil(rows / SCALING_CHUNK_ROWS);
  const sums = scale === 'fit' ? doubles(chunks * columns, share) : undefined;
  let data = matrix.data;
  let summed = false;
  if (share && !(data.buffer instanceof SharedArrayBuffer)) {
    // This thread reads every value to copy it: it sums each chunk as it goes, while the chunk is
    // in its cache, instead of a pass of its own.
    data = doubles(data.length, true);
    const chunkValues = SCALING_CHUNK_ROWS * columns;
    for (let c = 0; c < chunks; c++) {
      data.set(matrix.data.subarray(c * chunkValues, (c + 1) * chunkValues), c * chunkValues);
      if (sums !== undefined) columnSums(data, columns, sums, c);
    }
    summed = true;
  }
  const values = share
    ? new Float32Array(new SharedArrayBuffer(rows * columns * 4))
    : new Float32Array(rows * columns);
  let scaling = scale === 'fit' ? undefined : scale;
  let finite = true;
  if (sums !== undefined) {
    // Per chunk, then in chunk order (as featureScaling, with every weight 1).
    const combined = (parts: Float64Array) => {
      const total = new Float64Array(columns);
      for (let c = 0; c < chunks; c++) for (let j = 0; j < columns; j++) total[j] += parts[c * columns + j];
      for (let j = 0; j < columns; j++) total[j] = rows > 0 ? total[j] / rows : 0;
      return total;
    };
    if (!summed) yield { kernel: 'columnSums', args: [data, columns, sums], chunks };
    const means = combined(sums!);
    const squares = doubles(chunks * columns, share);
    yield { kernel: 'columnSquares', args: [data, columns, means, squares], chunks };
    const deviations = combined(squares).map(Math.sqrt);
    scaling = { means, deviations };
    finite = means.every(Number.isFinite) && deviations.every(Number.isFinite);
  }
  const bad = yield {
    kernel: 'scaledRows',
    args: [
      data,
      columns,
      scaling?.means ?? new Float64Array(0),
      scaling?.deviations ?? new Float64Array(0),
      values,
    ],
    chunks,
  };
  for (let c = 0; c < chunks; c++) if (bad[c] > 0) finite = false;
  return { rows: { values, rows, width: columns }, scaling, finite };
}

/** {@link rowPasses} on the calling thread. */
function runHere(passes: Generator<ScalingPass, NetworkRows, ArrayLike<number>>): NetworkRows {
  let step = passes.next();
  while (step.done !== true) {
    const { kernel, args, chunks } = step.value;
    const run = KERNELS[kernel] as (...values: unknown[]) => unknown;
    const answers = new Float64Array(chunks);
    for (let chunk = 0; chunk < chunks; chunk++) answers[chunk] = Number(run(...args, chunk));
    step = passes.next(answers);
  }
  return step.value;
}

/** `matrix` as a network's rows, standardised by `scaling` when given (a model's, for predictions). */
export function networkRows(matrix: DenseMatrix, scaling?: FeatureScaling): Rows {
  return runHere(rowPasses(matrix, scaling, false)).rows;
}

/** `matrix` as the rows of a training on the calling thread, standardised by its own columns' scaling when `standardize`. */
export function trainingRowsHere(matrix: DenseMatrix, standardize: boolean): NetworkRows {
  return runHere(rowPasses(matrix, standardize ? 'fit' : undefined, false));
}

/**
 * {@link trainingRowsHere} on `threads` threads of the core driver: the rows in shared memory,
 * for the workers of the training that follows.
 */
export async function trainingRowsOnThreads(
  matrix: DenseMatrix,
  standardize: boolean,
  threads: number,
): Promise<NetworkRows> {
  if (threads === 1) return trainingRowsHere(matrix, standardize);
  const passes = rowPasses(matrix, standardize ? 'fit' : undefined, true);
  const module = new URL(
    `./scaling-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
    import.meta.url,
  );
  let step = passes.next();
  while (step.done !== true) {
    const { kernel, args, chunks } = step.value;
    const kernelOf = { module, exportName: kernel, local: KERNELS[kernel] };
    const answers = await runChunks<unknown>(kernelOf, args, chunks, { parallelism: threads });
    step = passes.next(Float64Array.from(answers, Number));
  }
  return step.value;
}
