/**
 * The JetStream sink: publishes each record to a subject with a message id made of the job's
 * name and the record's position, and waits for the stream's acknowledgement. A record
 * published again after a crash and resume carries the same id, and the stream stores it
 * once (within its duplicate window, two minutes for streams eddy creates): the output is
 * exactly-once as long as a resumed job starts again within that window.
 */
import type { JsonValue } from '../events.js';
import type { Sink } from '../sinks.js';
import { type NatsConnection, natsJetStream, retrying } from './client.js';
import { ensureStream } from './source.js';

/** Options of {@link jetStreamSink}. */
export interface JetStreamSinkOptions<T> {
  subject: string;
  /** Names the job in message ids: two jobs writing to one subject need different names. */
  job: string;
  /** The record as the message payload (default: its JSON). */
  encode?: (record: T) => string | Uint8Array;
  /**
   * The record's position for its message id (default: its index among the records the sink
   * wrote, counted across resumes). Give one when the position is known better upstream
   * (e.g. the stream sequence of the input message the record came from).
   */
  position?: (record: T, index: number) => string | number;
  /** The stream's name, when created here (default: the stream holding the subject, or one named after it). */
  stream?: string;
  /** Replicas of a stream created here (default 1). */
  replicas?: number;
}

/**
 * A sink publishing to JetStream (see the module comment). Its committed state is the count
 * of records written, so that positions continue after a resume.
 */
export function jetStreamSink<T>(connection: NatsConnection, options: JetStreamSinkOptions<T>): Sink<T> {
  const encode = options.encode ?? ((record: T) => JSON.stringify(record));
  const position = options.position ?? ((_record: T, index: number) => index);
  const js = natsJetStream().jetstream(connection);
  let written = 0;
  return {
    async open(restored) {
      await ensureStream(connection, options.subject, { name: options.stream, replicas: options.replicas });
      written = typeof restored === 'number' ? restored : 0;
    },
    async write(records) {
      const acks: Promise<unknown>[] = [];
      for (const record of records) {
        const msgID = `${options.job}:${position(record, written++)}`;
        const payload = encode(record);
        acks.push(retrying(() => js.publish(options.subject, payload, { msgID })));
      }
      await Promise.all(acks);
    },
    async commit(): Promise<JsonValue> {
      return written;
    },
    async close() {},
  };
}
