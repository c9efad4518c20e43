/**
 * Keyed streams: records partitioned by a key, with state kept per key (and checkpointed).
 */

import type { DataStream, OperatorOptions, ProcessContext } from './datastream.js';
import { restoreInto } from './datastream.js';
import { type Collector, copyJson, type JsonValue, type StreamEvent } from './events.js';
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
}

/** A process function on a keyed stream, with per-key state. */
export interface KeyedProcessFunction<T, K, S extends JsonValue, O> {
  processElement(record: T, context: KeyedProcessContext<K, S>, out: Collector<O>): void | Promise<void>;
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
    return this.stream.pipe<O>(async function* (input, job) {
      const states = new KeyedState<K, S>();
      restoreInto(job, uid, (state) => states.restore(state));
      const context: KeyedProcessContext<K, S> = {
        key: undefined as unknown as K,
        timestamp: Number.NaN,
        watermark: Number.NEGATIVE_INFINITY,
        state: {
          value: () => states.get(context.key),
          update: (value) => states.set(context.key, value),
          clear: () => states.delete(context.key),
        },
      };
      for await (const event of input) {
        if (event.kind === 'records') {
          const output: O[] = [];
          const times: number[] = [];
          const { records, timestamps } = event;
          const collector: Collector<O> = {
            collect(value) {
              output.push(value);
              if (timestamps) times.push(context.timestamp);
            },
          };
          for (let i = 0; i < records.length; i++) {
            context.key = keyOf(records[i]);
            context.timestamp = timestamps ? timestamps[i] : Number.NaN;
            const pending = fn.processElement(records[i], context, collector);
            if (pending) await pending;
          }
          if (output.length > 0) {
            yield {
              kind: 'records',
              records: output,
              timestamps: timestamps ? Float64Array.from(times) : undefined,
            };
          }
          continue;
        }
        if (event.kind === 'watermark') context.watermark = event.time;
        else event.barrier.state[uid] = states.snapshot();
        yield event as StreamEvent<O>;
      }
    });
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
