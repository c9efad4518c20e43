/**
 * A JetStream consumer as a source of the DataStream API: the records of the messages a
 * durable consumer delivers, with positions that a checkpoint keeps. A position is the set of
 * stream sequences read up to it; messages are acknowledged only once a checkpoint holding them
 * is written (`Source.committed`), so the broker redelivers exactly what no checkpoint holds,
 * and a redelivered message that the restored checkpoint already holds is acknowledged and
 * skipped. So a checkpointed DataStream job over JetStream is exactly-once with eddy's
 * checkpoints, like one over a file.
 */

import type { JsonValue } from '../events.js';
import { lineText, pushJsonLine } from '../ndjson.js';
import type { InvalidRecordOptions, Source } from '../sources.js';
import type { NatsConnection } from './client.js';
import { addSequences, containsSequence, raiseFloor, type SequenceSet } from './sequences.js';
import { type JetStreamMessage, JetStreamSource, type JetStreamSourceOptions } from './source.js';

/** Options of {@link jetStreamSource}. */
export interface JetStreamRecordsOptions<T> extends JetStreamSourceOptions, InvalidRecordOptions {
  /** End when no message has arrived for this long (default: never). */
  idleTimeoutMs?: number;
  /**
   * The records of one message (default: its NDJSON lines as JSON values, blank lines
   * skipped). `where` names the message (subject, stream and sequence) for errors.
   */
  decode?: (data: Uint8Array, where: string) => T[];
}

/** The JSON values of a payload's NDJSON lines. */
function ndjsonRecords(data: Uint8Array, where: string, options: InvalidRecordOptions): unknown[] {
  const records: unknown[] = [];
  let line = 0;
  for (let start = 0; start < data.length; ) {
    let end = data.indexOf(10, start);
    if (end === -1) end = data.length;
    line++;
    const text = lineText(data, start, end);
    start = end + 1;
    if (text.trim() !== '') pushJsonLine(records, text, where, line, options);
  }
  return records;
}

/**
 * A DataStream source reading the durable consumer `options.group` (created when missing, like
 * {@link JetStreamSource.open}); each message is one batch of records. Resumed from a position,
 * it skips (and acknowledges) what that position holds. It ends after `idleTimeoutMs` without
 * a message; while none comes it reports empty batches, so that a job's `everyMs` checkpoints
 * (and the acknowledgements after them) still happen.
 *
 * Keep checkpoints more frequent than the consumer's ack wait (`everyMs` below `ackWaitMs`) and
 * `everyRecords` within the messages of `maxAckPending`: messages are acknowledged only at
 * checkpoints. One job per consumer: the position is this job's, so a second job sharing the
 * consumer could be redelivered a message this job's checkpoint holds (scale out with the
 * shared fit instead). Without checkpoints, each message is acknowledged once its batch has
 * been handed on (records held in windows are then lost if the job dies).
 */
export function jetStreamSource<T = unknown>(
  connection: NatsConnection,
  options: JetStreamRecordsOptions<T>,
): Source<T> {
  const decode =
    options.decode ?? ((data: Uint8Array, where: string) => ndjsonRecords(data, where, options) as T[]);
  let consumer: JetStreamSource | undefined;
  /** Deliveries not yet acknowledged, by stream sequence (a message redelivered while held has several). */
  const unacknowledged = new Map<number, JetStreamMessage[]>();
  /** The sequences read: the position after the last message. */
  let read: SequenceSet = { floor: 0, committed: [] };
  let commits = 0;
  return {
    name: `nats:${options.subject} (group ${options.group})`,
    async identity() {
      return `nats ${options.stream ?? ''} ${options.subject} group ${options.group}`;
    },
    async *read(from) {
      consumer ??= await JetStreamSource.open(connection, options);
      const source = consumer;
      const where = (seq: number) => `${source.subject} (stream ${source.stream}, sequence ${seq})`;
      // Nothing at or below the acknowledgement floor is delivered again.
      read = raiseFloor(
        (from as unknown as SequenceSet | undefined) ?? { floor: 0, committed: [] },
        await source.ackFloor(),
      );
      const position = () => ({ floor: read.floor, committed: read.committed }) as unknown as JsonValue;
      const tickMs = Math.min(source.ackWaitMs / 4, 1000);
      for await (const message of source.messages({ idleTimeoutMs: options.idleTimeoutMs, tickMs })) {
        if (message === null) {
          yield { records: [], position: position() };
          continue;
        }
        const held = unacknowledged.get(message.seq);
        if (held !== undefined) {
          // Redelivered while this run holds it unacknowledged: acknowledged with the first.
          held.push(message);
          continue;
        }
        if (containsSequence(read, message.seq)) {
          // Held by the checkpoint this job resumed from (or acknowledged since): done with.
          message.ack();
          continue;
        }
        const records = decode(message.data, where(message.seq));
        read = { floor: read.floor, committed: addSequences(read.committed, [message.seq]) };
        unacknowledged.set(message.seq, [message]);
        yield { records, position: position() };
      }
    },
    async committed(position) {
      const upTo = position as unknown as SequenceSet | undefined;
      for (const [seq, deliveries] of unacknowledged) {
        if (upTo !== undefined && !containsSequence(upTo, seq)) continue;
        for (const delivery of deliveries) delivery.ack();
        unacknowledged.delete(seq);
      }
      // Now and then the ranges read are folded into the consumer's acknowledgement floor, so
      // that positions stay small however long the job runs.
      if (consumer !== undefined && ++commits % 16 === 0) read = raiseFloor(read, await consumer.ackFloor());
    },
  };
}
