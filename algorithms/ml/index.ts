export { DISTANCE_MEASURES, type DistanceMeasure } from './distance.js';
export {
  KMeans,
  KMeansModel,
  type KMeansResult,
  type KMeansRunOptions,
  kMeansModelParams,
  kMeansParams,
  kMeansRun,
} from './kmeans.js';
export { kMeansPlusPlusCentres, randomCentres } from './kmeans-init.js';
export {
  assignByMeasure,
  assignEuclidean,
  type BroadcastCentres,
  broadcastCentres,
  type ChunkState,
  createChunkState,
  createPartialSums,
  type PartialSums,
} from './kmeans-step.js';
export {
  LinearRegression,
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
export { VectorAssembler, vectorAssemblerParams } from './vector-assembler.js';
