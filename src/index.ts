/**
 * eddy: graph and machine-learning analytics for Node.js. The public API, by layer.
 * @packageDocumentation
 */
export * from './core/index.js';
export * from './table/index.js';
