/**
 * CEP over a DataStream (Flink's `CEP.pattern` and PatternStream): an operator that runs one
 * NFA per key. In event time it buffers records until the watermark passes them and feeds them
 * to the NFA sorted by timestamp, as Flink's CepOperator does; a record at or before the
 * watermark is late and goes to the late-record sink (or stops the job, as windows do). Partial
 * matches that outlive the pattern's `within` go to the timed-out sink. The NFAs, their shared
 * buffers and the buffered records are operator state, saved in every checkpoint.
 */
import { ParamError } from '../core/errors.js';
import type { JobContext } from '../stream/checkpoint.js';
import type { DataStream, OperatorOptions } from '../stream/datastream.js';
import { restoreInto } from '../stream/datastream.js';
import { type Collector, type JsonValue, type StreamEvent, saveState } from '../stream/events.js';
import { KeyedStream } from '../stream/keyed.js';
import { type EventOrSide, OperatorOutput, type OutputTag } from '../stream/side-outputs.js';
import type { Sink } from '../stream/sinks.js';
import { type LateRecord, LateRecordError } from '../stream/windows.js';
import { type CompiledNfa, compileNfa } from './compiler.js';
import { EventTimeBuffer } from './event-time-buffer.js';
import { type Match, NFA, NOTHING, type TimedOutMatch } from './nfa.js';
import type { Pattern, SkipStrategy } from './pattern.js';

/** What a pattern process function sees besides the match. */
export interface PatternContext<K> {
  /** The key of the match (null on a stream that is not keyed). */
  key: K;
  /** Event time (or processing time) of the event that completed the match (or at which it timed out). */
  timestamp: number;
  /** Emits `value` to the side output `tag`, read with `getSideOutput(tag)` on the output stream. */
  output<V>(tag: OutputTag<V>, value: V): void;
}

/** Turns matches into output records (Flink's PatternProcessFunction). */
export interface PatternProcessFunction<T, K, R> {
  processMatch(match: Match<T>, context: PatternContext<K>, out: Collector<R>): void;
  /**
   * A partial match outlived the pattern's `within` (Flink's TimedOutPartialMatchHandler):
   * typically `context.output(tag, ...)` sends it to a side output. Works beside `timedOutTo(sink)`.
   */
  processTimedOutMatch?(match: TimedOutPartialMatch<T, K>, context: PatternContext<K>): void;
}

/** A partial match that timed out, with its key. */
export interface TimedOutPartialMatch<T, K> extends TimedOutMatch<T> {
  key: K;
}

/** Entry point of CEP, as in Flink: `CEP.pattern(stream, pattern)`. */
export const CEP = {
  /** Matches `pattern` over `input`; on a keyed stream, separately for every key. */
  pattern<T, K extends JsonValue = null>(
    input: DataStream<T> | KeyedStream<T, K>,
    pattern: Pattern<T>,
  ): PatternStream<T, K> {
    if (input instanceof KeyedStream) return new PatternStream<T, K>(input.stream, input.key, pattern);
    return new PatternStream<T, K>(input, () => null as K, pattern);
  },
};

/** The matches of a pattern over a stream; finish it with select, flatSelect or process. */
export class PatternStream<T, K extends JsonValue> {
  private time: 'event' | 'processing' = 'event';
  private lateSink: Sink<LateRecord<T>> | undefined;
  private timeoutSink: Sink<TimedOutPartialMatch<T, K>> | undefined;
  private readonly compiled: CompiledNfa<T>;
  private readonly skip: SkipStrategy;

  constructor(
    readonly stream: DataStream<T>,
    readonly key: (record: T) => K,
    pattern: Pattern<T>,
  ) {
    this.compiled = compileNfa(pattern);
    this.skip = pattern.skipStrategy;
  }

  /** Orders events and measures `within` by processing time (the job's clock) instead of event time. */
  inProcessingTime(): this {
    this.time = 'processing';
    return this;
  }

  /** Orders events by event time (the default): the stream needs `assignTimestampsAndWatermarks`. */
  inEventTime(): this {
    this.time = 'event';
    return this;
  }

  /** Where records that come after the watermark go (a side output); it commits with the job's checkpoints. */
  lateRecordsTo(sink: Sink<LateRecord<T>>): this {
    this.lateSink = sink;
    return this;
  }

  /**
   * Where partial matches that outlive the pattern's `within` go (Flink's timed-out side
   * output); it commits with the job's checkpoints. Without it they are dropped, as in Flink.
   */
  timedOutTo(sink: Sink<TimedOutPartialMatch<T, K>>): this {
    this.timeoutSink = sink;
    return this;
  }

  /** One output record per match. */
  select<R>(fn: (match: Match<T>) => R, options?: OperatorOptions): DataStream<R> {
    return this.process<R>({ processMatch: (match, _context, out) => out.collect(fn(match)) }, options);
  }

  /** Any number of output records per match. */
  flatSelect<R>(fn: (match: Match<T>, out: Collector<R>) => void, options?: OperatorOptions): DataStream<R> {
    return this.process<R>({ processMatch: (match, _context, out) => fn(match, out) }, options);
  }

  /** The general form: each match with its key and time. */
  process<R>(fn: PatternProcessFunction<T, K, R>, options?: OperatorOptions): DataStream<R> {
    const uid = this.stream.uidFor('cep', options);
    return this.stream.pipeWithSideOutputs(cepOperator(this, fn, uid));
  }

  /** Low level, for the operator: the settings fixed so far. */
  settings() {
    return {
      time: this.time,
      lateSink: this.lateSink,
      timeoutSink: this.timeoutSink,
      compiled: this.compiled,
      skip: this.skip,
    };
  }
}

interface KeyEntry<T, K> {
  key: K;
  /** The key in the operator's table of keys. */
  name: string | number;
  nfa: NFA<T>;
  /** Whether a record of the key came since the last watermark. */
  touched: boolean;
}

/** How many NFAs of keys that were let go an operator keeps to reuse (making one costs more than resetting one). */
const SPARE_NFAS = 1024;

const TIMER = Symbol('timer');

function cepOperator<T, K extends JsonValue, R>(
  patternStream: PatternStream<T, K>,
  fn: PatternProcessFunction<T, K, R>,
  uid: string,
): (input: AsyncIterable<StreamEvent<T>>, job: JobContext) => AsyncIterable<EventOrSide<R>> {
  const { time, lateSink, timeoutSink, compiled, skip } = patternStream.settings();
  const timeoutHandler = fn.processTimedOutMatch?.bind(fn);
  const collectTimeouts = timeoutSink !== undefined || timeoutHandler !== undefined;
  const keyOf = patternStream.key;
  const processing = time === 'processing';
  return async function* (input, job: JobContext) {
    // Number keys stand for themselves; other keys by their JSON text (a string never equals a number).
    const keys = new Map<string | number, KeyEntry<T, K>>();
    const pending = new EventTimeBuffer<T>();
    let watermark = Number.NEGATIVE_INFINITY;
    const spare: NFA<T>[] = [];
    const entryFor = (key: K): KeyEntry<T, K> => {
      const name = typeof key === 'number' ? key : JSON.stringify(key);
      let entry = keys.get(name);
      if (!entry) {
        entry = { key, name, nfa: spare.pop() ?? new NFA<T>(compiled, skip), touched: false };
        keys.set(name, entry);
      }
      return entry;
    };
    restoreInto(job, uid, (state) => {
      const saved = state as {
        watermark: number | null;
        pending: JsonValue;
        keys: [K, JsonValue][];
      };
      watermark = saved.watermark ?? Number.NEGATIVE_INFINITY;
      pending.restore(saved.pending);
      for (const [key, nfa] of saved.keys) entryFor(key).nfa.restore(nfa);
    });
    const lateUid = `${uid}:late`;
    const timeoutUid = `${uid}:timeouts`;
    await lateSink?.open(job.restoredState(lateUid));
    await timeoutSink?.open(job.restoredState(timeoutUid));

    const output = new OperatorOutput<R>();
    let timedOut: TimedOutPartialMatch<T, K>[] = [];
    const late: LateRecord<T>[] = [];
    const context: PatternContext<K> = {
      key: null as K,
      timestamp: Number.NaN,
      output: (tag, value) => output.output(tag, value, context.timestamp),
    };
    const collector: Collector<R> = { collect: (value) => output.collect(value, context.timestamp) };
    const emit = (entry: KeyEntry<T, K>, matches: readonly Match<T>[], timestamp: number) => {
      context.key = entry.key;
      context.timestamp = timestamp;
      for (let i = 0; i < matches.length; i++) fn.processMatch(matches[i], context, collector);
    };
    const advance = (entry: KeyEntry<T, K>, timestamp: number) => {
      const advanced = entry.nfa.advanceTime(timestamp, collectTimeouts);
      if (advanced === NOTHING) return;
      if (advanced.matches.length > 0) emit(entry, advanced.matches, timestamp);
      for (const t of advanced.timedOut) {
        const partial = { ...t, key: entry.key };
        if (timeoutSink) timedOut.push(partial);
        if (timeoutHandler) {
          context.key = entry.key;
          context.timestamp = timestamp;
          timeoutHandler(partial, context);
        }
      }
    };
    const feed = (record: T, timestamp: number) => {
      const entry = entryFor(keyOf(record));
      entry.touched = true;
      advance(entry, timestamp);
      emit(entry, entry.nfa.process(record, timestamp), timestamp);
    };
    /**
     * Advances every key to `timestamp` and forgets the keys left with nothing (their state is
     * empty) that no record touched since the last watermark: a key that is busy keeps its
     * entry instead of being dropped and made again between its records.
     */
    const advanceAll = (timestamp: number) => {
      for (const entry of keys.values()) {
        advance(entry, timestamp);
        const touched = entry.touched;
        entry.touched = false;
        if (touched || !entry.nfa.isEmpty) continue;
        keys.delete(entry.name);
        if (spare.length < SPARE_NFAS) spare.push(entry.nfa.reset());
      }
    };
    const flush = async (): Promise<EventOrSide<R>[]> => {
      if (late.length > 0) {
        if (!lateSink) {
          const first = late[0];
          throw new LateRecordError(
            `a record with event time ${first.timestamp} arrived after the watermark ${first.watermark}; give the pattern stream lateRecordsTo(sink) or more out-of-orderness`,
          );
        }
        await lateSink.write(late.splice(0));
      }
      if (timedOut.length > 0) {
        await timeoutSink!.write(timedOut);
        timedOut = [];
      }
      return output.drain();
    };
    const nextTimeout = (): number => {
      let earliest = Number.POSITIVE_INFINITY;
      for (const entry of keys.values()) earliest = Math.min(earliest, entry.nfa.nextTimeout);
      return earliest;
    };

    const iterator = input[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = iterator.next();
        let result: IteratorResult<StreamEvent<T>> | typeof TIMER = TIMER;
        // In processing time, partial matches time out on the clock even while no record comes.
        while (result === TIMER) {
          const deadline = processing ? nextTimeout() : Number.POSITIVE_INFINITY;
          if (deadline === Number.POSITIVE_INFINITY) {
            result = await next;
            break;
          }
          let timer: NodeJS.Timeout | undefined;
          const alarm: Promise<typeof TIMER> = new Promise((resolve) => {
            timer = setTimeout(() => resolve(TIMER), Math.max(0, deadline - job.now() + 1));
          });
          result = await Promise.race([next, alarm]);
          clearTimeout(timer);
          if (result === TIMER) {
            advanceAll(job.now());
            yield* await flush();
          }
        }
        if (result.done) break;
        const event = result.value;
        if (event.kind === 'records') {
          const { records, timestamps } = event;
          if (processing) {
            for (const record of records) feed(record, job.now());
          } else {
            if (timestamps === undefined) {
              throw new ParamError(
                'stream',
                'records without event time',
                'assignTimestampsAndWatermarks() before an event-time pattern (or inProcessingTime())',
              );
            }
            for (let i = 0; i < records.length; i++) {
              if (timestamps[i] <= watermark)
                late.push({ record: records[i], timestamp: timestamps[i], watermark });
              else pending.add(records[i], timestamps[i]);
            }
          }
          yield* await flush();
        } else if (event.kind === 'watermark') {
          if (!processing && event.time > watermark) {
            watermark = event.time;
            pending.release(watermark, feed);
            advanceAll(watermark);
            yield* await flush();
          }
          yield event as StreamEvent<R>;
        } else {
          saveState(event.barrier, uid, {
            watermark: Number.isFinite(watermark) ? watermark : null,
            pending: pending.snapshot(),
            keys: Array.from(keys.values(), (entry) => [entry.key, entry.nfa.snapshot()]),
          });
          if (lateSink) saveState(event.barrier, lateUid, await lateSink.commit());
          if (timeoutSink) saveState(event.barrier, timeoutUid, await timeoutSink.commit());
          yield event as StreamEvent<R>;
        }
      }
      // A bounded input ends: what waits for a watermark is fed, and the windows close.
      pending.release(Number.POSITIVE_INFINITY, feed);
      if (!processing) advanceAll(Number.POSITIVE_INFINITY);
      yield* await flush();
      await lateSink?.close();
      await timeoutSink?.close();
    } catch (error) {
      await lateSink?.abort?.();
      await timeoutSink?.abort?.();
      throw error;
    }
  };
}
