/**
 * eddy: graph and machine-learning analytics for Node.js. The public API, by layer.
 * @packageDocumentation
 */
export * from '../algorithms/graph/index.js';
export * from '../algorithms/ml/index.js';
export * from '../algorithms/ml/online-kmeans.js';
export * from '../algorithms/ml/online-logistic-regression.js';
export * from '../algorithms/ml/online-standard-scaler.js';
export * from './core/index.js';
// The DataSet engine and the graph layer both name their iteration options these: the top
// level keeps the DataSet ones and gives the graph layer's a Graph prefix.
export type { CheckpointOptions, IterationOptions } from './dataset/index.js';
export * from './dataset/index.js';
export type {
  CheckpointOptions as GraphCheckpointOptions,
  IterationOptions as GraphIterationOptions,
} from './graph/index.js';
export * from './graph/index.js';
export * from './ml/index.js';
export * from './stream/index.js';
export * from './table/index.js';
