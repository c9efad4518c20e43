/**
 * The ready-made networks' training (MLPClassifier, MLPRegressor): the shared epoch loop with a
 * step of its own. A mini-batch is cut into chunks of {@link GRADIENT_CHUNK_ROWS} rows; each
 * chunk's gradient comes from the hand-written passes of dense-kernels.ts, on the calling thread
 * or on the core driver's threads (data parallelism); the chunks' gradients are added in chunk
 * order by the update (Adam or SGD, the L2 penalty; denseUpdate, on this thread). The chunks do
 * not depend on the threads, so every parallelism gives the same weights, bit for bit.
 */

import type { RandomSource } from '../../../src/core/random.js';
import { threadCount } from '../../../src/core/threads/driver.js';
import { runRounds } from '../../../src/core/threads/rounds.js';
import {
  type DenseLayout,
  denseGradients,
  denseOutputs,
  denseUpdate,
  GRADIENT_CHUNK_ROWS,
  updateState,
  weightCount,
} from './dense-kernels.js';
import {
  type EpochOptions,
  type Learner,
  type Objective,
  type Rows,
  type TrainingHistory,
  trainingEpochs,
} from './training.js';

/** How a dense network learns. */
export interface DenseTrainingSetup {
  readonly layout: DenseLayout;
  /** The initial weights, flat (see dense-kernels.ts). */
  readonly initial: Float32Array;
  readonly optimizer: 'adam' | 'sgd';
  readonly learningRate: number;
  /** scikit-learn's alpha: `l2 / 2 * sum |W|^2` over the kernels, per mini-batch, over its rows. */
  readonly l2: number;
  /** Draws each mini-batch's dropout seed. */
  readonly masks: RandomSource;
  /** Whether the buffers the kernels see must be shared with worker threads. */
  readonly share: boolean;
}

/**
 * One gradient pass: `denseGradients(...args, chunk)` for every chunk; the answer is each
 * chunk's loss. Every pass of a training has the same `args` (the same arrays, their values
 * changed between passes), so that threads can keep them from one pass to the next.
 */
export interface GradientPass {
  readonly args: readonly unknown[];
  readonly chunks: number;
}

/** What a dense training ends with. */
export interface DenseTrainingResult {
  readonly weights: Float32Array;
  readonly history: TrainingHistory;
}

// scikit-learn's Adam, for the bias correction (the kernel's update has the same betas and epsilon).
const BETA1 = 0.9;
const BETA2 = 0.999;

function floats(length: number, share: boolean): Float32Array {
  return share
    ? new Float32Array(sharedBuffer(length * Float32Array.BYTES_PER_ELEMENT))
    : new Float32Array(length);
}

function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(bytes);
}

/** `values` where worker threads see them when `share`: as they are, or copied into shared memory. */
export function sharedFloats(values: Float32Array, share: boolean): Float32Array {
  if (!share || values.buffer instanceof SharedArrayBuffer) return values;
  const copy = floats(values.length, true);
  copy.set(values);
  return copy;
}

/** The learner of a dense network: its step yields one gradient pass, then updates the weights. */
function denseLearner(
  setup: DenseTrainingSetup,
  features: Rows,
  targets: Rows,
  batchSize: number,
): Learner<GradientPass, ArrayLike<number>> {
  const { layout, share } = setup;
  const { sizes } = layout;
  const count = weightCount(sizes);
  const weights = floats(count, share);
  weights.set(setup.initial);
  const maxChunks = Math.ceil(batchSize / GRADIENT_CHUNK_ROWS);
  const gradients = floats(maxChunks * count, share);
  const ints = (length: number) =>
    share ? new Int32Array(sharedBuffer(length * Int32Array.BYTES_PER_ELEMENT)) : new Int32Array(length);
  // The mini-batch's rows, and its size and dropout seed.
  const batchRows = ints(batchSize);
  const pass = ints(2);
  const args = [
    layout,
    weights,
    sharedFloats(features.values, share),
    sharedFloats(targets.values, share),
    batchRows,
    pass,
    gradients,
  ];
  const state = updateState(sizes);
  let steps = 0;
  return {
    *step(batch) {
      batchRows.set(batch);
      const rows = batch.length;
      pass[0] = rows;
      pass[1] = setup.masks.integer(0, 2 ** 31);
      const chunks = Math.ceil(rows / GRADIENT_CHUNK_ROWS);
      const losses = yield { args, chunks };
      let loss = 0;
      for (let c = 0; c < chunks; c++) loss += losses[c];
      steps++;
      const rate = setup.learningRate;
      const adam = setup.optimizer === 'adam';
      const stepSize = adam ? (rate * Math.sqrt(1 - BETA2 ** steps)) / (1 - BETA1 ** steps) : rate;
      const decay = setup.l2 / rows;
      const penalty = denseUpdate(weights, state, gradients, chunks, decay, stepSize, adam);
      return loss + 0.5 * decay * penalty;
    },
    predict: (rows) => denseOutputs(layout, weights, rows.values, rows.rows),
    weights: () => [weights.slice()],
    setWeights: ([values]) => weights.set(values),
  };
}

/** The training of a dense network, as gradient passes (run by {@link trainHere} or {@link trainOnThreads}). */
export function* denseTraining(
  setup: DenseTrainingSetup,
  features: Rows,
  targets: Rows,
  score: Objective['score'],
  options: EpochOptions,
): Generator<GradientPass, DenseTrainingResult, ArrayLike<number>> {
  const learner = denseLearner(setup, features, targets, options.batchSize);
  const history = yield* trainingEpochs(learner, features, targets, score, options);
  return { weights: learner.weights()[0], history };
}

/** Runs every gradient pass of `training` on the calling thread. */
export function trainHere<R>(
  training: Generator<GradientPass, R, ArrayLike<number>>,
  first = training.next(),
): R {
  let step = first;
  while (step.done !== true) {
    const { args, chunks } = step.value;
    const losses = new Float64Array(chunks);
    for (let chunk = 0; chunk < chunks; chunk++)
      losses[chunk] = (denseGradients as (...values: unknown[]) => number)(...args, chunk);
    step = training.next(losses);
  }
  return step.value;
}

/** Rows x features below which a training stays on the calling thread: a worker's start costs more. */
const PARALLEL_CELLS = 1 << 16;

/** How many threads the training of `features` in mini-batches of `batchSize` uses at `parallelism`. */
export function denseTrainingThreads(
  features: { readonly rows: number; readonly columns: number },
  batchSize: number,
  parallelism: number,
): number {
  if (features.rows * features.columns < PARALLEL_CELLS) return 1;
  return threadCount({ parallelism }, Math.ceil(batchSize / GRADIENT_CHUNK_ROWS));
}

/**
 * Runs every gradient pass of `training` on `threads` threads of the core driver (this one
 * included), as rounds of one run: the workers stay in the run from one mini-batch to the next.
 */
export async function trainOnThreads<R>(
  training: Generator<GradientPass, R, ArrayLike<number>>,
  threads: number,
  batchSize: number,
): Promise<R> {
  let step = training.next();
  if (threads === 1) return trainHere(training, step);
  if (step.done === true) return step.value;
  const kernel = {
    // Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
    module: new URL(`./dense-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    exportName: 'denseGradients',
    local: denseGradients,
  };
  const { args } = step.value;
  return runRounds(
    kernel,
    args,
    Math.ceil(batchSize / GRADIENT_CHUNK_ROWS),
    { parallelism: threads },
    async (round) => {
      while (step.done !== true) {
        if (step.value.args !== args) throw new Error('a gradient pass with arguments of its own');
        step = training.next(await round(step.value.chunks));
      }
      return step.value;
    },
  );
}
