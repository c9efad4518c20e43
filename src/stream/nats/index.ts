/** NATS JetStream connectors: a durable-consumer source, a de-duplicating sink, the connection. */
export {
  connectNats,
  isNatsAddress,
  type NatsAddress,
  type NatsConnection,
  type NatsConnectionOptions,
  NatsUnavailableError,
  natsServers,
  parseNatsAddress,
} from './client.js';
export { type JetStreamRecordsOptions, jetStreamSource } from './datastream-source.js';
export { encodePointsFrame, PointRows, parsePointsPayload } from './payload.js';
export { addSequences, containsSequence, raiseFloor, type SequenceSet } from './sequences.js';
export { type JetStreamSinkOptions, jetStreamSink } from './sink.js';
export {
  ensureStream,
  type JetStreamMessage,
  JetStreamSource,
  type JetStreamSourceOptions,
  jetStreamSourceDefaults,
  streamNameFor,
} from './source.js';
