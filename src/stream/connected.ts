/**
 * Two streams of possibly different types processed together (Flink's ConnectedStreams): a
 * co-process function sees the records of both, in the order they arrive, and can keep state
 * shared between them; keyed by a key of each input, it keeps state and timers per key. The
 * inputs are merged as union merges them: the watermark is the minimum of both, checkpoint
 * barriers are aligned.
 */
import type { JobContext } from './checkpoint.js';
import {
  DataStream,
  type OperatorOptions,
  type ProcessContext,
  processOperator,
  sourcesOf,
} from './datastream.js';
import type { Collector, JsonValue } from './events.js';
import { type InputEvent, type KeyedProcessContext, type KeyedTimerContext, keyedOperator } from './keyed.js';
import { mergeInputs } from './merge.js';

/** A function over two connected streams (Flink's CoProcessFunction). */
export interface CoProcessFunction<A, B, O> {
  /** A record of the first stream. */
  processElement1(record: A, context: ProcessContext, out: Collector<O>): void | Promise<void>;
  /** A record of the second stream. */
  processElement2(record: B, context: ProcessContext, out: Collector<O>): void | Promise<void>;
  /** Called once when both (bounded) inputs ended. */
  onEnd?(out: Collector<O>): void | Promise<void>;
  snapshotState?(): JsonValue;
  restoreState?(state: JsonValue): void;
}

/** A function over two connected streams keyed alike (Flink's KeyedCoProcessFunction). */
export interface KeyedCoProcessFunction<A, B, K, S extends JsonValue, O> {
  processElement1(record: A, context: KeyedProcessContext<K, S>, out: Collector<O>): void | Promise<void>;
  processElement2(record: B, context: KeyedProcessContext<K, S>, out: Collector<O>): void | Promise<void>;
  /** A timer registered through the context fired. */
  onTimer?(timestamp: number, context: KeyedTimerContext<K, S>, out: Collector<O>): void | Promise<void>;
}

/** The merged events of two streams, as a stream to put an operator on. */
function merged<A, B>(first: DataStream<A>, second: DataStream<B>): DataStream<unknown> {
  return new DataStream<unknown>(
    first.environment,
    Math.max(first.depth, second.depth),
    (job: JobContext) => mergeInputs([first.events(job), second.events(job)]),
    sourcesOf([first, second]),
    first.uidPrefix,
  );
}

/** Two streams connected; finish with {@link ConnectedStreams.process}, `map` or `keyBy`. */
export class ConnectedStreams<A, B> {
  constructor(
    readonly first: DataStream<A>,
    readonly second: DataStream<B>,
  ) {}

  /** Processes the records of both streams with `fn`; it may keep state and emit side outputs. */
  process<O>(fn: CoProcessFunction<A, B, O>, options?: OperatorOptions): DataStream<O> {
    const input = merged(this.first, this.second);
    const uid = input.uidFor('co-process', options);
    return input.pipeWithSideOutputs<O>((events, job) =>
      processOperator<O>(
        {
          element: (record, which, context, out) =>
            which === 0
              ? fn.processElement1(record as A, context, out)
              : fn.processElement2(record as B, context, out),
          onEnd: fn.onEnd?.bind(fn),
          snapshotState: fn.snapshotState?.bind(fn),
          restoreState: fn.restoreState?.bind(fn),
        },
        uid,
      )(events as AsyncIterable<InputEvent>, job),
    );
  }

  /** One output per record: `first` maps the first stream's records, `second` the second's (CoMap). */
  map<O>(first: (record: A) => O, second: (record: B) => O): DataStream<O> {
    return this.process<O>({
      processElement1: (record, _context, out) => out.collect(first(record)),
      processElement2: (record, _context, out) => out.collect(second(record)),
    });
  }

  /** Keys both streams (by a key of each) so that records with equal keys share state and timers. */
  keyBy<K extends JsonValue>(
    first: (record: A) => K,
    second: (record: B) => K,
  ): KeyedConnectedStreams<A, B, K> {
    return new KeyedConnectedStreams(this.first, this.second, first, second);
  }
}

/** Two connected streams keyed alike. */
export class KeyedConnectedStreams<A, B, K extends JsonValue> {
  constructor(
    readonly first: DataStream<A>,
    readonly second: DataStream<B>,
    readonly firstKey: (record: A) => K,
    readonly secondKey: (record: B) => K,
  ) {}

  /** Processes both streams with per-key state and timers (in checkpoints). */
  process<S extends JsonValue, O>(
    fn: KeyedCoProcessFunction<A, B, K, S, O>,
    options?: OperatorOptions,
  ): DataStream<O> {
    const input = merged(this.first, this.second);
    const uid = input.uidFor('keyed-co-process', options);
    const { firstKey, secondKey } = this;
    return input.pipeWithSideOutputs<O>((events, job) =>
      keyedOperator<K, S, O>(uid, {
        keyOf: (record, which) => (which === 0 ? firstKey(record as A) : secondKey(record as B)),
        element: (record, which, context, out) =>
          which === 0
            ? fn.processElement1(record as A, context, out)
            : fn.processElement2(record as B, context, out),
        onTimer: fn.onTimer?.bind(fn),
      })(events as AsyncIterable<InputEvent>, job),
    );
  }
}
