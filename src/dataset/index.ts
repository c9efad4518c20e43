/**
 * The DataSet layer: lazy, partitioned, bounded data sets with Flink's operators, bulk and
 * delta iterations, aggregators, broadcast sets, worker threads and checkpoints.
 */

export { withTransfer } from '../core/threads/transfer.js';
export {
  type ModuleExport,
  sharedWorkerPool,
  WorkerPool,
  type WorkerPoolOptions,
  WorkerTaskError,
} from '../core/threads/worker-pool.js';
export {
  type Aggregator,
  type BuiltinAggregatorKind,
  builtinAggregator,
  type ConvergenceCriterion,
  countAggregator,
  customAggregator,
  maxAggregator,
  minAggregator,
  sumAggregator,
} from './aggregators.js';
export type { ChunkOptions, ColumnChunk, MatrixChunk } from './chunks.js';
export type { RuntimeContext } from './context.js';
export { AggregatedDataSet, CrossDataSet, DataSet, IterativeDataSet, JoinedDataSet } from './dataset.js';
export { type EnvironmentOptions, ExecutionEnvironment, env } from './environment.js';
export { OperatorError } from './errors.js';
export {
  type ExportedFunction,
  exported,
  type FilterFunction,
  type FlatMapFunction,
  type GroupReduceFunction,
  type MapFunction,
  type MapPartitionFunction,
  type ReduceFunction,
  type UserFunction,
} from './functions.js';
export { GroupedDataSet, SortedGrouping } from './grouping.js';
export { DeltaIteration, type IterationOptions } from './iteration.js';
export { CoGroupBuilder, type CoGroupFunction, JoinBuilder } from './joins.js';
export type { KeySelector } from './keys.js';
export {
  CHUNK_ROWS,
  type ChunkPartial,
  explainRuns,
  type IterationSequence,
  iterationStep,
  MODEL_BROADCAST,
  type ModelIteration,
  modelIterationPlan,
  type RunIterationsOptions,
  rowChunks,
  runIterations,
  runIterationsHere,
  runModelIterationHere,
} from './model-iteration.js';
export type { CheckpointOptions } from './plan.js';
export type { IterationReport, JobReport } from './runtime/executor.js';
export type { Order } from './runtime/sorting.js';
export type { WriteCsvOptions } from './sinks.js';
export type { CsvFieldType, ReadCsvOptions } from './sources.js';
