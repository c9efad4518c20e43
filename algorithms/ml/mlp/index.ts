export {
  MLPClassifier,
  MLPClassifierModel,
  mlpClassifierModelParams,
  mlpClassifierParams,
} from './classifier.js';
export {
  type CompileOptions,
  KerasEstimator,
  KerasModel,
  type KerasModelState,
  type KerasVersion,
  kerasModelParams,
  kerasParams,
  type LabeledRows,
  LOSSES,
  type LossFunction,
  type NetworkBuilder,
} from './keras-estimator.js';
export type { MLPModel } from './mlp-base.js';
export type { Activation, Architecture, Weight } from './network.js';
export { mlpModelParams, mlpParams, networkTrainingParams } from './params.js';
export { MLPRegressor, MLPRegressorModel, type TargetScaling } from './regressor.js';
export type { EpochReport, TrainingHistory } from './training.js';
