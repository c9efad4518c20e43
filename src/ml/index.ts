export {
  type ClassLabel,
  type ClassLabels,
  classLabels,
  DEFAULT_FEATURES_COL,
  extractFeatures,
  type Features,
  loadData,
  type MLData,
  numericLabels,
  sampleWeights,
} from './data.js';
export {
  type AveragedScores,
  accuracy,
  type ClassScores,
  type ConfusionMatrix,
  confusionMatrix,
  inertia,
  kolmogorovSmirnov,
  mae,
  mse,
  prAuc,
  precisionRecallF1,
  r2,
  rmse,
  rocAuc,
  silhouette,
} from './evaluation.js';
export {
  BinaryClassificationEvaluator,
  type BinaryClassificationMetric,
  binaryClassificationEvaluatorParams,
  ClusteringEvaluator,
  type ClusteringMetric,
  clusteringEvaluatorParams,
  type EvaluationResult,
  Evaluator,
  MulticlassClassificationEvaluator,
  type MulticlassClassificationMetric,
  multiclassClassificationEvaluatorParams,
  RegressionEvaluator,
  type RegressionMetric,
  regressionEvaluatorParams,
} from './evaluators.js';
export { type LbfgsOptions, type LbfgsResult, minimizeLbfgs, type Objective } from './lbfgs.js';
export { type NumericCsv, type NumericCsvOptions, parseNumericCsv } from './numeric-csv.js';
export {
  type FitInput,
  type FitSummary,
  fitStream,
  isColumnPoints,
  type JoinedBatch,
  type JoinOptions,
  joinLatestVersion,
  type ModelVersion,
  type OnlineCheckpointOptions,
  type OnlineFitOptions,
  type OnlineFitting,
  perItemFitting,
  pointsMatrix,
  recordBatchFeatures,
  type StreamPoints,
  type VersionSegment,
  withFeatures,
} from './online.js';
export {
  commonParams,
  type NumberBounds,
  type ParamSpec,
  type ParamSpecs,
  Params,
  type ParamValues,
  param,
  paramsFromJSON,
} from './params.js';
export { checkStageJSON, loadModel, modelFromJSON, modelTypes, registerModelType } from './persistence.js';
export { Pipeline, PipelineModel, type PipelineStage } from './pipeline.js';
export { minimizeProximal, type ProximalOptions, type ProximalResult } from './proximal-gradient.js';
export {
  fitSharedModel,
  openModelBucket,
  readSharedModel,
  type SharedCommit,
  type SharedFitOptions,
  type SharedFitSummary,
  type SharedModelLearner,
  type SharedModelLocation,
  type SharedModelState,
  sharedFitDefaults,
  watchSharedModel,
} from './shared-fit.js';
export { Estimator, type FitOptions, type Model, type StageJSON, Transformer, WithParams } from './stage.js';
export { getColumn, type InMemoryData, type LabeledData, toTable } from './table-input.js';
export {
  type ColumnChoice,
  type CsvReadOptions,
  isArrowPath,
  readTabularFile,
  type TabularReadOptions,
  tableFromCsvBytes,
  tableFromCsvText,
} from './tabular-file.js';
