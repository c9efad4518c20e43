/**
 * The ready-made networks' training (MLPClassifier, MLPRegressor): the shared epoch loop with a
 * step of its own. A mini-batch is cut into chunks of {@link GRADIENT_CHUNK_ROWS} rows; each
 * chunk's gradient comes from the hand-written passes of dense-kernels.ts, on the calling thread
 * or on the core driver's threads (data parallelism); the chunks' gradients are added in chunk
 * order by the update (Adam or SGD, the L2 penalty; denseUpdate, on this thread). The chunks do
 * not depend on the threads, so every parallelism gives the same weights, bit for bit.
 */

import type { RandomSource } from '../../../src/core/random.js';
import { runChunks, threadCount } from '../../../src/core/threads/driver.js';
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

/** One gradient pass: `denseGradients(...args, chunk)` for every chunk; the answer is each chunk's loss. */
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
    ? new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT))
    : new Float32Array(length);
}

/** The learner of a dense network: its step yields one gradient pass, then updates the weights. */
function denseLearner(setup: DenseTrainingSetup, batchSize: number): Learner<GradientPass, number[]> {
  const { layout, share } = setup;
  const { sizes } = layout;
  const count = weightCount(sizes);
  const weights = floats(count, share);
  weights.set(setup.initial);
  const maxChunks = Math.ceil(batchSize / GRADIENT_CHUNK_ROWS);
  const gradients = floats(maxChunks * count, share);
  const inputs = floats(batchSize * sizes[0], share);
  const targets = floats(batchSize * sizes[sizes.length - 1], share);
  const state = updateState(sizes);
  let steps = 0;
  return {
    *step(x, y) {
      inputs.set(x.values);
      targets.set(y.values);
      const rows = x.rows;
      const chunks = Math.ceil(rows / GRADIENT_CHUNK_ROWS);
      const seed = setup.masks.integer(0, 2 ** 31);
      const losses = yield {
        args: [layout, weights, inputs, targets, rows, gradients, seed],
        chunks,
      };
      let loss = 0;
      for (const part of losses) loss += part;
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
): Generator<GradientPass, DenseTrainingResult, number[]> {
  const learner = denseLearner(setup, options.batchSize);
  const history = yield* trainingEpochs(learner, features, targets, score, options);
  return { weights: learner.weights()[0], history };
}

/** Runs every gradient pass of `training` on the calling thread. */
export function trainHere<R>(training: Generator<GradientPass, R, number[]>): R {
  let step = training.next();
  while (step.done !== true) {
    const { args, chunks } = step.value;
    const losses: number[] = [];
    for (let chunk = 0; chunk < chunks; chunk++)
      losses.push((denseGradients as (...values: unknown[]) => number)(...args, chunk));
    step = training.next(losses);
  }
  return step.value;
}

/** Rows x features below which a training stays on the calling thread: a worker's start costs more. */
const PARALLEL_CELLS = 1 << 16;

/** How many threads the training of `features` in mini-batches of `batchSize` uses at `parallelism`. */
export function denseTrainingThreads(features: Rows, batchSize: number, parallelism: number): number {
  if (features.rows * features.width < PARALLEL_CELLS) return 1;
  return threadCount({ parallelism }, Math.ceil(batchSize / GRADIENT_CHUNK_ROWS));
}

/** Runs every gradient pass of `training` on `threads` threads of the core driver (this one included). */
export async function trainOnThreads<R>(
  training: Generator<GradientPass, R, number[]>,
  threads: number,
): Promise<R> {
  if (threads === 1) return trainHere(training);
  const kernel = {
    // Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
    module: new URL(`./dense-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    exportName: 'denseGradients',
    local: denseGradients,
  };
  let step = training.next();
  while (step.done !== true) {
    const { args, chunks } = step.value;
    step = training.next(await runChunks<number>(kernel, args, chunks, { parallelism: threads }));
  }
  return step.value;
}
