/** Streams: DataStream, sources, sinks, event time, windows, timers, side outputs, checkpoints. */
export { type ColumnPoints, checkFiniteColumns, numericColumnNames } from './arrow-columns.js';
export { type ByteInput, readBytes } from './bytes.js';
export {
  type Checkpoint,
  type CheckpointOptions as StreamCheckpointOptions,
  JobContext,
  readStreamCheckpoint,
  streamCheckpointStore,
} from './checkpoint.js';
export {
  ConnectedStreams,
  type CoProcessFunction,
  KeyedConnectedStreams,
  type KeyedCoProcessFunction,
} from './connected.js';
export {
  DataStream,
  type JobOutput,
  type JobResult,
  type Operator,
  type OperatorOptions,
  type ProcessContext,
  type ProcessFunction,
} from './datastream.js';
export { StreamEnvironment, type StreamEnvironmentOptions } from './environment.js';
export {
  type Barrier,
  type Collector,
  copyJson,
  type JsonValue,
  type SourcePosition,
  type Stateful,
  type StreamEvent,
} from './events.js';
export {
  type KeyedProcessContext,
  type KeyedProcessFunction,
  KeyedStream,
  type KeyedTimerContext,
  type ValueState,
} from './keyed.js';
export * from './nats/index.js';
export { parseNumberArray } from './ndjson.js';
export { OutputTag } from './side-outputs.js';
export {
  type ArrowRecord,
  arrowFileSink,
  callbackSink,
  csvFileSink,
  encodedFileSink,
  ndjsonFileSink,
  type Sink,
  stdoutSink,
  textFileSink,
  writableSink,
} from './sinks.js';
export {
  arrowColumnSource,
  arrowSource,
  arrowVectorSource,
  columnsToVectors,
  csvSource,
  type GeneratorOptions,
  generatorSource,
  type InvalidRecordOptions,
  iterableSource,
  ndjsonSource,
  ndjsonVectorSource,
  readableSource,
  recordBatchToVectors,
  type Source,
  type SourceBatch,
  transposeColumns,
  type VectorBatch,
  type VectorSourceOptions,
} from './sources.js';
export type { TimeDomain } from './timers.js';
export { ascendingTimestamps, boundedOutOfOrderness, type WatermarkStrategy } from './watermarks.js';
export {
  countWindows,
  type LateRecord,
  LateRecordError,
  sessionWindows,
  slidingWindows,
  type TimeCharacteristic,
  tumblingWindows,
  type WindowAggregator,
  type WindowAssigner,
  type WindowedStream,
  type WindowResult,
} from './windows.js';
