/**
 * The JetStream source: a durable pull consumer on a stream and subject filter. Workers that
 * open the same consumer (the same group) split the messages between them; JetStream remembers
 * what was acknowledged and redelivers, after the ack wait, what a worker took and never
 * acknowledged (a worker that died). Messages are acknowledged by the caller, after the state
 * they changed is committed: that is what makes the broker's redelivery safe.
 */
import { ParamError } from '../../core/errors.js';
import { type NatsConnection, natsJetStream, natsTransport, retrying } from './client.js';

/** Where a JetStream source reads, and how its consumer is made when missing. */
export interface JetStreamSourceOptions {
  /** The subject (filter) to read; a stream holding it is created when none does. */
  subject: string;
  /** The durable consumer the workers share (created when missing). */
  group: string;
  /** The stream's name (default: the stream holding `subject`, or one named after it). */
  stream?: string;
  /** Replicas of a stream created here (default 1). */
  replicas?: number;
  /** Milliseconds before an unacknowledged message is redelivered (default 30,000). */
  ackWaitMs?: number;
  /** Messages taken but not yet acknowledged, over all workers (default 10,000). */
  maxAckPending?: number;
  /** Messages this worker pulls ahead (instead of `pullBytes`). */
  pullAhead?: number;
  /**
   * Bytes of messages this worker pulls ahead when `pullAhead` is not given (default 8 MiB, at
   * least one message): enough to keep it busy while it commits, few enough that workers that
   * share the consumer get even shares to the end of the stream.
   */
  pullBytes?: number;
}

/** The defaults of {@link JetStreamSourceOptions}. */
export const jetStreamSourceDefaults = { pullBytes: 8 * 1024 * 1024 } as const;

/** One message taken from the consumer. */
export interface JetStreamMessage {
  /** Its sequence number in the stream: what identifies it across redeliveries. */
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  /** Whether it was delivered before (to this worker or another). */
  readonly redelivered: boolean;
  /**
   * How many messages of the consumer the server still had for delivery when it sent this one
   * (to any worker of the group): 0 when this worker had caught up with the stream.
   */
  readonly pending: number;
  /** Acknowledges it: it will not be delivered again. */
  ack(): void;
}

/** A stream name made from a subject: JetStream names hold no dots, wildcards or spaces. */
export function streamNameFor(subject: string): string {
  return `EDDY_${subject.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Finds the stream that holds `subject`, or creates one (`name` or one made from the subject). */
export async function ensureStream(
  connection: NatsConnection,
  subject: string,
  options: { name?: string; replicas?: number } = {},
): Promise<string> {
  const jsm = await retrying(() => natsJetStream().jetstreamManager(connection));
  if (options.name !== undefined) {
    const exists = await retrying(() =>
      jsm.streams.info(options.name!).then(
        () => true,
        (error) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      ),
    );
    if (exists) return options.name;
  } else {
    const found = await retrying(() => jsm.streams.find(subject).catch(() => undefined));
    if (found) return found;
  }
  const name = options.name ?? streamNameFor(subject);
  await retrying(() =>
    jsm.streams
      .add({
        name,
        subjects: [subject],
        num_replicas: options.replicas ?? 1,
        // Publishes with the same message id within this window are stored once.
        duplicate_window: natsTransport().nanos(120_000),
      })
      .catch(async (error) => {
        // Another worker created it first.
        if (
          await jsm.streams.info(name).then(
            () => true,
            () => false,
          )
        )
          return;
        throw error;
      }),
  );
  return name;
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test((error as Error)?.message ?? '');
}

/** A durable pull consumer as a source of messages; opened by {@link JetStreamSource.open}. */
export class JetStreamSource {
  readonly stream: string;
  readonly subject: string;
  readonly group: string;
  private readonly connection: NatsConnection;
  /** The consumer's ack wait in milliseconds (that of the existing consumer when it was not created here). */
  readonly ackWaitMs: number;
  private readonly pullAhead: number | undefined;
  private readonly pullBytes: number;
  private manager: ReturnType<ReturnType<typeof natsJetStream>['jetstreamManager']> | undefined;

  private constructor(
    connection: NatsConnection,
    stream: string,
    options: JetStreamSourceOptions,
    ackWaitMs: number,
  ) {
    this.connection = connection;
    this.ackWaitMs = ackWaitMs;
    this.stream = stream;
    this.subject = options.subject;
    this.group = options.group;
    this.pullAhead = options.pullAhead;
    this.pullBytes = options.pullBytes ?? jetStreamSourceDefaults.pullBytes;
  }

  /** Opens (creating when missing) the stream and the durable consumer `options.group`. */
  static async open(connection: NatsConnection, options: JetStreamSourceOptions): Promise<JetStreamSource> {
    if (!/^[A-Za-z0-9_-]+$/.test(options.group)) {
      throw new ParamError('group', options.group, 'a consumer name of letters, digits, _ and -');
    }
    const stream = await ensureStream(connection, options.subject, {
      name: options.stream,
      replicas: options.replicas,
    });
    const { AckPolicy, DeliverPolicy } = natsJetStream();
    const jsm = await retrying(() => natsJetStream().jetstreamManager(connection));
    const config = {
      durable_name: options.group,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: options.subject,
      ack_wait: natsTransport().nanos(options.ackWaitMs ?? 30_000),
      max_ack_pending: options.maxAckPending ?? 10_000,
    };
    const info = await retrying(() =>
      jsm.consumers.info(stream, options.group).catch(async (error) => {
        if (!isNotFound(error)) throw error;
        return jsm.consumers.add(stream, config);
      }),
    );
    return new JetStreamSource(connection, stream, options, (info.config.ack_wait ?? 30e9) / 1e6);
  }

  /**
   * The messages of the consumer, until none has arrived for `idleTimeoutMs` (default: never
   * ends). Messages are pulled ahead (`pullBytes` or `pullAhead`); the caller acknowledges each. With
   * `tickMs`, a `null` comes whenever no message has arrived for that long, so that the caller
   * can act on time (commit what it holds before the ack wait runs out); a function is asked
   * before each wait, so that a caller that holds nothing is not woken for nothing.
   */
  async *messages(
    options: { idleTimeoutMs?: number; tickMs?: number | (() => number) } = {},
  ): AsyncGenerator<JetStreamMessage | null> {
    const idleTimeoutMs = options.idleTimeoutMs ?? Number.POSITIVE_INFINITY;
    const tick = options.tickMs ?? Number.POSITIVE_INFINITY;
    const tickMs = typeof tick === 'number' ? () => tick : tick;
    const js = natsJetStream().jetstream(this.connection);
    const consumer = await retrying(() => js.consumers.get(this.stream, this.group));
    // A pull request that a server failover loses is replaced when it expires: well within the
    // idle timeout, so that a worker does not give up on a stream whose leader just moved.
    const expires = Math.min(30_000, Math.max(1_000, Math.floor(idleTimeoutMs / 3)));
    const messages = await consumer.consume(
      this.pullAhead === undefined
        ? { max_bytes: this.pullBytes, expires }
        : { max_messages: this.pullAhead, expires },
    );
    const iterator = messages[Symbol.asyncIterator]();
    try {
      let next = iterator.next();
      let lastMessage = Date.now();
      for (;;) {
        const wait = Math.min(tickMs(), idleTimeoutMs - (Date.now() - lastMessage));
        let timer: NodeJS.Timeout | undefined;
        const result = Number.isFinite(wait)
          ? await Promise.race([
              next,
              new Promise<'timeout'>((resolve) => {
                timer = setTimeout(() => resolve('timeout'), Math.max(wait, 0));
              }),
            ])
          : await next;
        clearTimeout(timer);
        if (result === 'timeout') {
          if (Date.now() - lastMessage >= idleTimeoutMs) return;
          yield null;
          continue;
        }
        if (result.done) return;
        next = iterator.next();
        lastMessage = Date.now();
        const message = result.value;
        yield {
          seq: message.seq,
          subject: message.subject,
          data: message.data,
          redelivered: message.redelivered,
          pending: message.info.pending,
          ack: () => message.ack(),
        };
      }
    } finally {
      // stop(), not close(): close() resolves only once the iterator is drained past the stop,
      // and the messages pulled ahead are left unacknowledged, to be redelivered.
      messages.stop();
    }
  }

  /**
   * The consumer's acknowledgement floor: every message of the stream up to this sequence is
   * acknowledged (or not for this consumer) and will not be delivered again.
   */
  async ackFloor(): Promise<number> {
    // One manager for the source: making one asks the server for the account's JetStream info.
    this.manager ??= retrying(() => natsJetStream().jetstreamManager(this.connection));
    const jsm = await this.manager;
    const info = await retrying(() => jsm.consumers.info(this.stream, this.group));
    return info.ack_floor.stream_seq;
  }
}
