/**
 * eddy: graph and machine-learning analytics for Node.js. The public API, by layer.
 * @packageDocumentation
 */
export * from '../algorithms/graph/index.js';
export * from '../algorithms/ml/index.js';
export * from '../algorithms/ml/online-logistic-regression.js';
export * from '../algorithms/ml/online-standard-scaler.js';
export * from './cep/index.js';
export * from './core/index.js';
export * from './dataset/index.js';
export * from './datasets/index.js';
export * from './graph/index.js';
export * from './ml/index.js';
export * from './stream/index.js';
export * from './table/index.js';
