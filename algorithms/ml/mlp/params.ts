import { commonParams, param } from '../../../src/ml/params.js';
import { ACTIVATIONS } from './network.js';

/**
 * The training parameters every eddy network takes (the ready-made MLPs and KerasEstimator),
 * named and defaulted as scikit-learn's MLPClassifier (`batch_size`, `max_iter`,
 * `early_stopping`, `validation_fraction`, `n_iter_no_change`, `tol`).
 */
export const networkTrainingParams = {
  optimizer: param.choice('adam', "'adam' (Adam) or 'sgd' (plain stochastic gradient descent)", [
    'adam',
    'sgd',
  ] as const),
  learningRate: param.number(0.001, 'the step size of the optimizer', { min: 0, exclusiveMin: true }),
  batchSize: param.integer(200, 'rows per mini-batch', { min: 1 }),
  epochs: param.integer(200, 'the most passes over the training rows', { min: 1 }),
  earlyStopping: param.boolean(
    false,
    'hold out validationFraction of the rows and stop when their score stops improving (keeping the best weights)',
  ),
  validationFraction: param.number(0.1, 'the share of rows held out for early stopping', {
    min: 0,
    max: 1,
    exclusiveMin: true,
  }),
  patience: param.integer(
    10,
    'stop after this many epochs without an improvement of at least tolerance (of the training loss, or the validation score)',
    { min: 1 },
  ),
  tolerance: param.number(1e-4, 'the smallest change that counts as an improvement', { min: 0 }),
  seed: commonParams.seed,
};

/** Parameters of a fitted ready-made network. */
export const mlpModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
};

/** Parameters of {@link MLPClassifier} and {@link MLPRegressor}. */
export const mlpParams = {
  ...mlpModelParams,
  labelCol: commonParams.labelCol,
  hiddenLayers: param.integers([100], 'the sizes of the hidden layers, input side first', { min: 1 }),
  activation: param.choice('relu', 'the activation of the hidden layers', ACTIVATIONS),
  dropout: param.number(0, 'the share of hidden units dropped in training, after each hidden layer', {
    min: 0,
    max: 0.95,
  }),
  l2: param.number(
    0.0001,
    "the L2 penalty on the weights (scikit-learn's alpha: l2/2 |W|^2 per mini-batch, over its rows)",
    { min: 0 },
  ),
  standardization: param.boolean(
    true,
    'train on features scaled to zero mean and unit deviation (and, for regression, the target too); predictions are on the original scale',
  ),
  parallelism: commonParams.parallelism,
  ...networkTrainingParams,
};
