/**
 * Keyed streams: records partitioned by a key, with state kept per key (and checkpointed).
 */

import type { JobContext } from './checkpoint.js';
import type { DataStream, OperatorOptions, ProcessContext } from './datastream.js';
import { restoreInto } from './datastream.js';
import { type Collector, copyJson, type JsonValue, type StreamEvent, saveState } from './events.js';
import { type EventOrSide, OperatorOutput } from './side-outputs.js';
import { isAlarm, nextBefore, type TimeDomain, TimerQueue } from './timers.js';
import { countWindows, type WindowAssigner, WindowedStream } from './windows.js';

/** The state of the current key in a keyed operator. */
export interface ValueState<S> {
  /** The value stored for the current key, or undefined. */
  value(): S | undefined;
  update(value: S): void;
  clear(): void;
}

/** What a keyed process function sees besides the record. */
export interface KeyedProcessContext<K, S> extends ProcessContext {
  /** The key of the record being processed. */
  key: K;
  /** State of that key (JSON values, so that checkpoints can hold it). */
  state: ValueState<S>;
  /**
   * Calls `onTimer` for this key once the watermark reaches `time` (at the latest when a bounded
   * input ends). One timer per key and time: registering it again does nothing.
   */
  registerEventTimeTimer(time: number): void;
  /**
   * Calls `onTimer` for this key once the job's clock reaches `time`. Processing-time timers
   * still waiting when a bounded input ends do not fire (as in Flink).
   */
  registerProcessingTimeTimer(time: number): void;
  /** Removes this key's event-time timer at `time`, if there is one. */
  deleteEventTimeTimer(time: number): void;
  /** Removes this key's processing-time timer at `time`, if there is one. */
  deleteProcessingTimeTimer(time: number): void;
  /** The job's clock (the environment's `clock`), in milliseconds. */
  currentProcessingTime(): number;
}

/** What `onTimer` sees: the timer's key and state; `timestamp` is the timer's time. */
export interface KeyedTimerContext<K, S> extends KeyedProcessContext<K, S> {
  /** The clock of the timer that fired. */
  timeDomain: TimeDomain;
}

/**
 * A process function on a keyed stream, with per-key state and timers. Records emitted by
 * `onTimer` of an event-time timer carry the timer's time as their event time.
 */
export interface KeyedProcessFunction<T, K, S extends JsonValue, O> {
  processElement(record: T, context: KeyedProcessContext<K, S>, out: Collector<O>): void | Promise<void>;
  /** A timer registered through the context fired. */
  onTimer?(timestamp: number, context: KeyedTimerContext<K, S>, out: Collector<O>): void | Promise<void>;
}

/** Per-key values, held by a JSON key so that equal keys of any JSON type meet. */
export class KeyedState<K extends JsonValue, S extends JsonValue> {
  private readonly entries = new Map<string, { key: K; value: S }>();

  get(key: K): S | undefined {
    return this.entries.get(JSON.stringify(key))?.value;
  }

  set(key: K, value: S): void {
    this.entries.set(JSON.stringify(key), { key, value });
  }

  delete(key: K): void {
    this.entries.delete(JSON.stringify(key));
  }

  get size(): number {
    return this.entries.size;
  }

  snapshot(): JsonValue {
    return copyJson(Array.from(this.entries.values(), ({ key, value }) => [key, value]));
  }

  restore(state: JsonValue): void {
    this.entries.clear();
    for (const [key, value] of state as [K, S][]) this.set(key, value);
  }
}

/** A stream partitioned by `key`. */
export class KeyedStream<T, K extends JsonValue> {
  readonly stream: DataStream<T>;
  readonly key: (record: T) => K;
  private readonly options: OperatorOptions | undefined;

  constructor(stream: DataStream<T>, key: (record: T) => K, options?: OperatorOptions) {
    this.stream = stream;
    this.key = key;
    this.options = options;
  }

  /** Runs `fn` per record with the state of the record's key. */
  process<S extends JsonValue, O>(
    fn: KeyedProcessFunction<T, K, S, O>,
    options?: OperatorOptions,
  ): DataStream<O> {
    const uid = this.stream.uidFor('keyed-process', options ?? this.options);
    const keyOf = this.key;
    return this.stream.pipeWithSideOutputs<O>(
      keyedOperator<K, S, O>(uid, {
        keyOf: (record) => keyOf(record as T),
        element: (record, _input, context, out) => fn.processElement(record as T, context, out),
        onTimer: fn.onTimer?.bind(fn),
      }),
    );
  }

  /**
   * A rolling reduce: emits, for every record, the reduction of its key's records so far.
   * The records must be JSON values (they are the checkpointed state).
   */
  reduce(fn: (accumulated: T, record: T) => T, options?: OperatorOptions): DataStream<T> {
    return this.process<JsonValue, T>(
      {
        processElement(record, context, out) {
          const previous = context.state.value() as T | undefined;
          const next = previous === undefined ? record : fn(previous, record);
          context.state.update(next as unknown as JsonValue);
          out.collect(next);
        },
      },
      options,
    );
  }

  /** Time (or session) windows per key. */
  window(assigner: WindowAssigner): WindowedStream<T, K> {
    return new WindowedStream(this.stream, this.key, assigner);
  }

  /**
   * Count windows per key: every `slide` records of a key (default `size`: tumbling), one
   * window over that key's last `size` records.
   */
  countWindow(size: number, slide = size): WindowedStream<T, K> {
    return new WindowedStream(this.stream, this.key, countWindows(size, slide));
  }
}

/** Events of one or more inputs; records say which input they come from (0 by default). */
export type InputEvent = StreamEvent<unknown> & { readonly input?: number };

/** What the keyed operator calls: one element handler for all inputs, and the timer handler. */
export interface KeyedHandlers<K, S, O> {
  keyOf(record: unknown, input: number): K;
  element(
    record: unknown,
    input: number,
    context: KeyedProcessContext<K, S>,
    out: Collector<O>,
  ): void | Promise<void>;
  onTimer?(timestamp: number, context: KeyedTimerContext<K, S>, out: Collector<O>): void | Promise<void>;
}

/**
 * The keyed process operator (for keyed streams and keyed connected streams): per-key state,
 * timers and side outputs, all but the side outputs in checkpoints.
 */
export function keyedOperator<K extends JsonValue, S extends JsonValue, O>(
  uid: string,
  handlers: KeyedHandlers<K, S, O>,
): (input: AsyncIterable<InputEvent>, job: JobContext) => AsyncIterable<EventOrSide<O>> {
  return async function* (input, job) {
    const states = new KeyedState<K, S>();
    const timers = new TimerQueue<K>();
    restoreInto(job, uid, (state) => {
      // Checkpoints written before timers existed hold the states alone.
      if (Array.isArray(state)) return states.restore(state);
      const saved = state as { states: JsonValue; timers: JsonValue };
      states.restore(saved.states);
      timers.restore(saved.timers);
    });
    const output = new OperatorOutput<O>();
    const context: KeyedTimerContext<K, S> = {
      key: undefined as unknown as K,
      timestamp: Number.NaN,
      watermark: Number.NEGATIVE_INFINITY,
      timeDomain: 'event',
      state: {
        value: () => states.get(context.key),
        update: (value) => states.set(context.key, value),
        clear: () => states.delete(context.key),
      },
      output: (tag, value) => output.output(tag, value, context.timestamp),
      registerEventTimeTimer: (time) => timers.register('event', context.key, time),
      registerProcessingTimeTimer: (time) => timers.register('processing', context.key, time),
      deleteEventTimeTimer: (time) => timers.delete('event', context.key, time),
      deleteProcessingTimeTimer: (time) => timers.delete('processing', context.key, time),
      currentProcessingTime: () => job.now(),
    };
    const collector: Collector<O> = { collect: (value) => output.collect(value, context.timestamp) };
    /** Fires the timers of `domain` due at `time`, and those they register that are due too. */
    const fire = async (domain: TimeDomain, time: number) => {
      const onTimer = handlers.onTimer;
      for (let due = timers.takeDue(domain, time); due.length > 0; due = timers.takeDue(domain, time)) {
        for (const timer of due) {
          context.key = timer.key;
          context.timeDomain = domain;
          // Event-time timer output carries the timer's time; processing time gives no event time.
          context.timestamp = domain === 'event' ? timer.time : Number.NaN;
          if (onTimer) {
            const pending = onTimer(timer.time, context, collector);
            if (pending) await pending;
          }
        }
      }
    };

    const iterator = input[Symbol.asyncIterator]();
    for (;;) {
      const pending = iterator.next();
      let result = await nextBefore(pending, timers.next('processing'), job);
      while (isAlarm(result)) {
        await fire('processing', job.now());
        yield* output.drain();
        result = await nextBefore(pending, timers.next('processing'), job);
      }
      if (result.done) break;
      const event = result.value;
      if (event.kind === 'records') {
        const { records, timestamps } = event;
        const which = event.input ?? 0;
        for (let i = 0; i < records.length; i++) {
          context.key = handlers.keyOf(records[i], which);
          context.timestamp = timestamps ? timestamps[i] : Number.NaN;
          const done = handlers.element(records[i], which, context, collector);
          if (done) await done;
        }
        await fire('processing', job.now());
        yield* output.drain();
        continue;
      }
      if (event.kind === 'watermark') {
        context.watermark = event.time;
        await fire('event', event.time);
        yield* output.drain();
      } else saveState(event.barrier, uid, { states: states.snapshot(), timers: timers.snapshot() });
      yield event as StreamEvent<O>;
    }
    // A bounded input ends with the watermark at +Infinity (Flink's MAX_WATERMARK).
    await fire('event', Number.POSITIVE_INFINITY);
    yield* output.drain();
  };
}
