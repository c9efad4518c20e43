export { DISTANCE_MEASURES, type DistanceMeasure } from './distance.js';
export * from './kmeans/index.js';
export * from './lda/index.js';
export {
  LinearRegression,
  type LinearRegressionFit,
  LinearRegressionModel,
  linearRegressionModelParams,
  linearRegressionParams,
} from './linear-regression.js';
export {
  LogisticRegression,
  LogisticRegressionModel,
  logisticRegressionModelParams,
  logisticRegressionParams,
} from './logistic-regression.js';
export * from './mlp/index.js';
export { OneHotEncoder, OneHotEncoderModel, oneHotEncoderParams } from './one-hot-encoder.js';
export {
  MinMaxScaler,
  MinMaxScalerModel,
  minMaxScalerParams,
  StandardScaler,
  StandardScalerModel,
  standardScalerParams,
} from './scalers.js';
export {
  IndexToString,
  indexToStringParams,
  StringIndexer,
  StringIndexerModel,
  stringIndexerParams,
} from './string-indexer.js';
export * from './text/index.js';
export * from './trees/index.js';
export { VectorAssembler, vectorAssemblerParams } from './vector-assembler.js';
