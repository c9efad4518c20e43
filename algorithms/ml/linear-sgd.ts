import { ConvergenceError } from '../../src/core/errors.js';
import { random, type Seed } from '../../src/core/random.js';
import type { ModelIteration } from '../../src/dataset/model-iteration.js';
import { softThreshold } from '../../src/ml/shrinkage.js';
import type { WeightedCentring } from './centring.js';
import {
  type RegressionChunk,
  regressionChunks,
  type SquaredLossBroadcast,
  type SquaredLossPartial,
  squaredLossKernel,
} from './least-squares-kernels.js';

/** Settings of {@link sgdIteration}, named as Flink ML's LinearRegression names them. */
export interface SgdSettings {
  /** L2 + L1 strength and mixing, as {@link LinearRegression}'s `reg` and `elasticNet`. */
  reg: number;
  elasticNet: number;
  /** The step size of every mini-batch update. */
  learningRate: number;
  /** Rows per mini-batch (a batch of all rows is plain proximal gradient descent). */
  batchSize: number;
  /** The most epochs (passes over the data). */
  maxIterations: number;
  /** Stop after an epoch in which no coefficient moved more than this (relative to the largest). */
  tolerance: number;
  /** Seeds the row order of each epoch. */
  seed: Seed;
}

/** The model of the SGD iteration: the coefficients after `epoch` epochs (the next snapshot). */
export interface SgdModel extends SquaredLossBroadcast {
  readonly epoch: number;
  readonly converged: boolean;
}

/**
 * Elastic-net least squares by mini-batch stochastic gradient descent on centred data.
 *
 * Plain SGD with a constant learning rate (Flink ML's) never settles: the gradient noise of a
 * mini-batch keeps the coefficients in a ball around the optimum whose size grows with the
 * learning rate, and on ill-conditioned data (standardised diabetes: condition number ~470)
 * decaying the rate makes convergence far too slow. So each epoch is an SVRG epoch (Johnson and
 * Zhang, 2013) with proximal steps (Prox-SVRG, Xiao and Zhang, 2014): the full gradient is taken
 * once at a snapshot, and each mini-batch's gradient is corrected by the same batch's gradient
 * at the snapshot. The correction removes the noise at the optimum, so a constant learning rate
 * converges linearly to the exact elastic-net solution. The penalty is applied by its proximal
 * map (soft-thresholding, then L2 shrinkage), which makes L1 coefficients exactly zero.
 *
 * Rows are visited in a permutation drawn per epoch from `seed` (`derive(epoch)`), so the same
 * seed gives the same coefficients. Weights are normalised to mean 1, so a batch's gradient is an
 * unbiased estimate of the weighted full gradient.
 *
 * Each epoch is a superstep of a DataSet bulk iteration: the full gradient at the snapshot is
 * the `squaredLossChunks` pass (chunks' parts added in chunk order), the mini-batch steps run on
 * the calling thread between supersteps. `share` puts the rows in shared memory for workers.
 */
export function sgdIteration(
  centred: WeightedCentring,
  settings: SgdSettings,
  share: boolean,
): ModelIteration<RegressionChunk, SgdModel, SquaredLossPartial> {
  const { matrix } = centred;
  const n = matrix.rows;
  const d = matrix.columns;
  const data = matrix.data;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += centred.weights[i];
  const weights = new Float64Array(n);
  if (totalWeight > 0) for (let i = 0; i < n; i++) weights[i] = (centred.weights[i] * n) / totalWeight;
  const { learningRate, reg, elasticNet } = settings;
  const threshold = learningRate * reg * elasticNet;
  const shrink = 1 / (1 + learningRate * reg * (1 - elasticNet));
  const batchSize = Math.min(settings.batchSize, n);
  const fullGradient = new Float64Array(d);
  const batchGradient = new Float64Array(d);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const seeds = random(settings.seed);
  let startingLoss = Number.NaN;
  const diverged = (epoch: number) =>
    new ConvergenceError(
      'linear regression by SGD',
      epoch,
      `the coefficients diverged; lower learningRate (${learningRate}) or standardise the features`,
    );

  const update = (model: SgdModel, partials: readonly SquaredLossPartial[]): SgdModel => {
    const epoch = model.epoch + 1;
    const snapshot = model.coefficients;
    // The full gradient at the snapshot, mean over rows of w_i x_i (x_i . b - y_i), and the loss.
    fullGradient.fill(0);
    let loss = 0;
    for (const partial of partials) {
      loss += partial.loss;
      for (let j = 0; j < d; j++) fullGradient[j] += partial.gradient[j];
    }
    if (epoch === 1) startingLoss = loss;
    // Too large a learning rate makes the coefficients grow geometrically, slowly enough that
    // they may take thousands of epochs to overflow. No converging run has residuals a million
    // times those of the all-zero start (loss 1e12 times larger), so that is called divergence.
    if (!(loss <= 1e12 * startingLoss)) throw diverged(epoch);
    const coefficients = snapshot.slice();
    seeds.derive(epoch).shuffle(order);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      batchGradient.set(fullGradient);
      // The batch's gradient at the current point minus at the snapshot: only the difference of
      // the coefficients enters, since the targets cancel.
      const scale = 1 / (end - start);
      for (let position = start; position < end; position++) {
        const i = order[position];
        const offset = i * d;
        let difference = 0;
        for (let j = 0; j < d; j++) difference += data[offset + j] * (coefficients[j] - snapshot[j]);
        const scaled = weights[i] * difference * scale;
        for (let j = 0; j < d; j++) batchGradient[j] += scaled * data[offset + j];
      }
      for (let j = 0; j < d; j++) {
        coefficients[j] =
          softThreshold(coefficients[j] - learningRate * batchGradient[j], threshold) * shrink;
      }
    }
    let largestStep = 0;
    let largestCoefficient = 0;
    for (let j = 0; j < d; j++) {
      // A rate so large that one epoch overflows (1e100) must not pass for convergence (an
      // infinite step is not more than tolerance times an infinite coefficient) nor be saved.
      if (!Number.isFinite(coefficients[j])) throw diverged(epoch);
      largestStep = Math.max(largestStep, Math.abs(coefficients[j] - snapshot[j]));
      largestCoefficient = Math.max(largestCoefficient, Math.abs(coefficients[j]));
    }
    const converged = largestStep <= settings.tolerance * Math.max(largestCoefficient, Number.MIN_VALUE);
    return { coefficients, rows: n, epoch, converged };
  };
  return {
    name: 'linear regression by SGD',
    chunks: regressionChunks(centred, weights, share),
    initial: { coefficients: new Float64Array(d), rows: n, epoch: 0, converged: false },
    maxIterations: settings.maxIterations,
    kernel: squaredLossKernel,
    update,
    done: (model) => model.converged,
  };
}
