/**
 * The mini-batch training loop that every eddy network shares (the ready-made MLPs and
 * KerasEstimator): rows shuffled each epoch by eddy's seeded random source, one step per
 * mini-batch (`optimizer.minimize` for KerasEstimator; the ready-made networks' own step in
 * dense-training.ts), so that the same seed gives the same weights on one
 * backend. Stops as scikit-learn's MLP does: when the training loss (or, with early stopping, the
 * validation score) has not improved by `tolerance` for `patience` epochs.
 */
import type { Optimizer, Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { random, type Seed } from '../../../src/core/random.js';
import { tensorflow } from '../../../src/core/tensorflow-module.js';
import { gatherRows } from './dense-kernels.js';

/** What one epoch of training reached: reported to `onEpoch`, and kept as the loss curve. */
export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  /** The mean training loss over the epoch's mini-batches (weighted by their rows). */
  readonly loss: number;
  /** With early stopping: the score on the held-out rows (accuracy, R2, or the negated loss). */
  readonly validationScore?: number;
}

/** How to train. */
export interface TrainingOptions {
  readonly batchSize: number;
  readonly epochs: number;
  readonly optimizer: Optimizer;
  readonly seed: Seed;
  /** Hold out `validationFraction` of the rows and stop on their score (restoring the best weights). */
  readonly earlyStopping: boolean;
  readonly validationFraction: number;
  readonly patience: number;
  readonly tolerance: number;
  readonly onEpoch?: (report: EpochReport) => void;
}

/** Rows as a tensor's flat values: `rows` x `width`, row-major. */
export interface Rows {
  readonly values: Float32Array;
  readonly rows: number;
  readonly width: number;
}

/** The loss and validation score of one task. */
export interface Objective {
  /** The mean loss of a mini-batch (penalties included), from the network's outputs on it. */
  loss(network: LayersModel, features: Tensor, targets: Tensor): Scalar;
  /** The validation score of predictions (higher is better) against the held-out targets. */
  score(predictions: Float32Array, targets: Rows): number;
}

/** The loss curve and, with early stopping, the validation scores, one per epoch run. */
export interface TrainingHistory {
  readonly lossCurve: number[];
  readonly validationScores: number[];
}

/** Rows `indices[from..to)` of `rows`, gathered. */
export function pick(rows: Rows, indices: Int32Array, from: number, to: number): Float32Array {
  const out = new Float32Array((to - from) * rows.width);
  gatherRows(out, 0, rows.values, rows.width, indices, from, to - from);
  return out;
}

/** The network's outputs for every row, in chunks so that no intermediate grows with the data. */
export function predictRows(network: LayersModel, features: Rows, chunk = 8192): Float32Array {
  const tf = tensorflow().core;
  const outputs: Float32Array[] = [];
  for (let from = 0; from < features.rows; from += chunk) {
    const to = Math.min(features.rows, from + chunk);
    const values = features.values.subarray(from * features.width, to * features.width);
    outputs.push(
      tf.tidy(() => {
        const input = tf.tensor(values, [to - from, ...inputShape(network, features.width)]);
        return (network.apply(input, { training: false }) as Tensor).dataSync() as Float32Array;
      }),
    );
  }
  if (outputs.length === 1) return outputs[0];
  const all = new Float32Array(outputs.reduce((sum, o) => sum + o.length, 0));
  let at = 0;
  for (const output of outputs) {
    all.set(output, at);
    at += output.length;
  }
  return all;
}

/** The shape of one input row as the network takes it (a flat row of `width`, or an image). */
export function inputShape(network: LayersModel, width: number): number[] {
  const shape = network.inputs[0].shape.slice(1);
  return shape.every((n) => typeof n === 'number') ? (shape as number[]) : [width];
}

/** How a training's epochs run, whatever takes the steps. */
export type EpochOptions = Omit<TrainingOptions, 'optimizer'>;

/**
 * What the epoch loop trains: one step per mini-batch, and the weights to keep and restore for
 * early stopping. `step` is a generator so that a step can hand work to threads (its yields go
 * to whoever runs the loop, and what it gets back is their answer); it returns the mean loss.
 * A mini-batch is given as the indices of its rows among the training rows, which the learner
 * holds and gathers where it needs them.
 */
export interface Learner<Work, Answer> {
  step(batch: Int32Array): Generator<Work, number, Answer>;
  predict(features: Rows): Float32Array;
  weights(): Float32Array[];
  setWeights(weights: Float32Array[]): void;
}

/**
 * The epochs of a training on `features` and `targets` (row-aligned): rows shuffled each epoch
 * by the seeded source, the held-out rows of early stopping, the stopping rule. Returns the loss
 * per epoch and, with early stopping, the validation score per epoch (the learner left with the
 * best epoch's weights).
 */
export function* trainingEpochs<Work, Answer>(
  learner: Learner<Work, Answer>,
  features: Rows,
  targets: Rows,
  score: Objective['score'],
  options: EpochOptions,
): Generator<Work, TrainingHistory, Answer> {
  const rng = random(options.seed);
  const order = rng.shuffle(Int32Array.from({ length: features.rows }, (_, i) => i));
  let validation: { features: Rows; targets: Rows } | undefined;
  let training = order;
  if (options.earlyStopping) {
    const held = Math.max(1, Math.round(features.rows * options.validationFraction));
    if (held >= features.rows) throw new RangeError('early stopping leaves no rows to train on');
    const heldOut = order.subarray(0, held);
    validation = {
      features: { values: pick(features, heldOut, 0, held), rows: held, width: features.width },
      targets: { values: pick(targets, heldOut, 0, held), rows: held, width: targets.width },
    };
    training = order.slice(held);
  }
  const history: TrainingHistory = { lossCurve: [], validationScores: [] };
  const stopping = new StoppingRule(options.tolerance, options.patience);
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestWeights: Float32Array[] | undefined;
  const epochs = rng.derive('epochs');
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    epochs.shuffle(training);
    let total = 0;
    for (let from = 0; from < training.length; from += options.batchSize) {
      const to = Math.min(training.length, from + options.batchSize);
      total += (yield* learner.step(training.subarray(from, to))) * (to - from);
    }
    const loss = total / training.length;
    history.lossCurve.push(loss);
    let stop: boolean;
    if (validation === undefined) {
      stop = stopping.record(-loss);
      options.onEpoch?.({ epoch, loss });
    } else {
      const validationScore = score(learner.predict(validation.features), validation.targets);
      history.validationScores.push(validationScore);
      stop = stopping.record(validationScore);
      if (validationScore > bestScore) {
        bestScore = validationScore;
        bestWeights = learner.weights();
      }
      options.onEpoch?.({ epoch, loss, validationScore });
    }
    if (stop) break;
  }
  if (bestWeights !== undefined) learner.setWeights(bestWeights);
  return history;
}

/**
 * scikit-learn's stopping rule: stop after more than `patience` epochs in a row without a gain of
 * at least `tolerance` in a score (higher is better: the negated loss, or a validation score).
 */
export class StoppingRule {
  private best = Number.NEGATIVE_INFINITY;
  private stale = 0;

  constructor(
    private readonly tolerance: number,
    private readonly patience: number,
  ) {}

  /** Records an epoch's score; true when the training should stop. */
  record(score: number): boolean {
    this.stale = score >= this.best + this.tolerance ? 0 : this.stale + 1;
    this.best = Math.max(this.best, score);
    return this.stale > this.patience;
  }
}

/** One `optimizer.minimize` of `loss` on a mini-batch (rows reshaped to the network's input); its loss. */
export function minimizeStep(
  network: LayersModel,
  optimizer: Optimizer,
  loss: Objective['loss'],
  x: Rows,
  y: Rows,
): number {
  const tf = tensorflow().core;
  return tf.tidy(() => {
    const input = tf.tensor(x.values, [x.rows, ...inputShape(network, x.width)]);
    const target = tf.tensor(y.values, [y.rows, y.width]);
    const cost = optimizer.minimize(() => loss(network, input, target), true);
    return cost!.dataSync()[0];
  });
}

/** Runs a training whose steps hand no work out. */
export function runToEnd<R>(training: Generator<never, R, never>): R {
  const step = training.next();
  if (step.done !== true) throw new Error('a training step handed out work with no one to run it');
  return step.value;
}

/**
 * Trains `network` in place on `features` and `targets` (row-aligned) with `objective`, one
 * `optimizer.minimize` per mini-batch. Returns the loss per epoch and, with early stopping, the
 * validation score per epoch.
 */
export function trainNetwork(
  network: LayersModel,
  features: Rows,
  targets: Rows,
  objective: Objective,
  options: TrainingOptions,
): TrainingHistory {
  const tf = tensorflow().core;
  const learner: Learner<never, never> = {
    // biome-ignore lint/correctness/useYield: a step on this thread hands no work out.
    *step(batch) {
      const rows = batch.length;
      return minimizeStep(
        network,
        options.optimizer,
        objective.loss,
        { values: pick(features, batch, 0, rows), rows, width: features.width },
        { values: pick(targets, batch, 0, rows), rows, width: targets.width },
      );
    },
    predict: (rows) => predictRows(network, rows),
    weights: () => network.getWeights().map((w) => w.dataSync().slice() as Float32Array),
    setWeights: (weights) => {
      const shapes = network.getWeights().map((w) => w.shape);
      const tensors = weights.map((values, i) => tf.tensor(values, shapes[i]));
      network.setWeights(tensors);
      tf.dispose(tensors);
    },
  };
  return runToEnd(trainingEpochs(learner, features, targets, objective.score, options));
}
