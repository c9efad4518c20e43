/**
 * Windows: count, tumbling, sliding and session windows over event time or processing time,
 * with allowed lateness. A record that arrives after every window it belongs to has been
 * closed goes to the late-record sink; without one it stops the job: it is never dropped silently.
 */
import { EddyError, ParamError } from '../core/errors.js';
import type { JobContext } from './checkpoint.js';
import type { DataStream, Operator, OperatorOptions } from './datastream.js';
import { restoreInto } from './datastream.js';
import { copyJson, type JsonValue, type StreamEvent, saveState } from './events.js';
import type { Sink } from './sinks.js';

/** Which clock a time window follows. */
export type TimeCharacteristic = 'event' | 'processing';

/** How records are grouped into windows. Build one with the functions below. */
export type WindowAssigner =
  | {
      readonly kind: 'tumbling';
      readonly time: TimeCharacteristic;
      readonly size: number;
      readonly offset: number;
    }
  | {
      readonly kind: 'sliding';
      readonly time: TimeCharacteristic;
      readonly size: number;
      readonly slide: number;
      readonly offset: number;
    }
  | { readonly kind: 'session'; readonly time: TimeCharacteristic; readonly gap: number }
  | { readonly kind: 'count'; readonly size: number; readonly slide: number };

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ParamError(name, value, 'a positive number');
  return value;
}

/** Windows of `size` ms, back to back: [offset + k·size, offset + (k+1)·size). */
export function tumblingWindows(
  size: number,
  time: TimeCharacteristic = 'event',
  offset = 0,
): WindowAssigner {
  return { kind: 'tumbling', time, size: positive('size', size), offset };
}

/** Windows of `size` ms starting every `slide` ms; a record belongs to size/slide of them. */
export function slidingWindows(
  size: number,
  slide: number,
  time: TimeCharacteristic = 'event',
  offset = 0,
): WindowAssigner {
  positive('slide', slide);
  if (slide > positive('size', size)) throw new ParamError('slide', slide, `at most the size (${size})`);
  return { kind: 'sliding', time, size, slide, offset };
}

/** Session windows: a key's window stays open while records come less than `gap` ms apart. */
export function sessionWindows(gap: number, time: TimeCharacteristic = 'event'): WindowAssigner {
  return { kind: 'session', time, gap: positive('gap', gap) };
}

/** Count windows: every `slide` records of a key, a window over its last `size` records. */
export function countWindows(size: number, slide = size): WindowAssigner {
  if (!Number.isInteger(size) || size < 1) throw new ParamError('size', size, 'an integer >= 1');
  if (!Number.isInteger(slide) || slide < 1 || slide > size) {
    throw new ParamError('slide', slide, `an integer from 1 to the size (${size})`);
  }
  return { kind: 'count', size, slide };
}

/** One fired window. For count windows, start and end count the key's records. */
export interface WindowResult<K, R> {
  key: K;
  /** Start of the window (inclusive), in ms (or the ordinal of its first record). */
  start: number;
  /** End of the window (exclusive). */
  end: number;
  value: R;
}

/** A record that came after its windows closed. */
export interface LateRecord<T> {
  record: T;
  timestamp: number;
  /** The watermark when it arrived. */
  watermark: number;
}

/** Incremental window aggregation; accumulators are JSON so that checkpoints can hold them. */
export interface WindowAggregator<T, A extends JsonValue, R> {
  create(): A;
  add(accumulator: A, record: T): A;
  /** Combines two accumulators; needed by session windows, which merge. */
  merge?(a: A, b: A): A;
  /** The window's value; `key` is the key of the window's records. */
  result(accumulator: A, key: JsonValue): R;
}

/** The error that stops a job when a record is late and no late-record sink was given. */
export class LateRecordError extends EddyError {}

interface Pane<A> {
  start: number;
  end: number;
  accumulator: A;
  fired: boolean;
}

/** A stream cut into windows, per key; finish it with aggregate, reduce or process. */
export class WindowedStream<T, K extends JsonValue> {
  private lateness = 0;
  private lateSink: Sink<LateRecord<T>> | undefined;

  constructor(
    readonly stream: DataStream<T>,
    readonly key: (record: T) => K,
    readonly assigner: WindowAssigner,
  ) {}

  /**
   * Keeps event-time windows open `ms` past their end: records up to then update the window
   * and fire it again. Records later than that go to the late-record sink.
   */
  allowedLateness(ms: number): this {
    if (!(ms >= 0)) throw new ParamError('allowedLateness', ms, 'a non-negative number of milliseconds');
    this.lateness = ms;
    return this;
  }

  /** Where late records go (a side output); it commits with the job's checkpoints. */
  lateRecordsTo(sink: Sink<LateRecord<T>>): this {
    this.lateSink = sink;
    return this;
  }

  /**
   * Aggregates each window incrementally. The accumulator type is inferred from `create` and
   * widened (`create: () => 0` gives `number`, not the literal `0`), then required to be JSON.
   */
  aggregate<A, R>(
    aggregator: WindowAggregator<T, A & JsonValue, R>,
    options?: OperatorOptions,
  ): DataStream<WindowResult<K, R>> {
    const uid = this.stream.uidFor('window', options);
    if (this.assigner.kind === 'count') {
      return this.stream.pipe(countWindowOperator(this.assigner, this.key, aggregator, uid));
    }
    if (this.assigner.kind === 'session' && !aggregator.merge) {
      throw new ParamError('aggregator', 'no merge()', 'a merge function for session windows');
    }
    return this.stream.pipe(timeWindowOperator(this, aggregator, uid, this.lateness, this.lateSink));
  }

  /** Reduces each window's records pairwise (the records must be JSON values). */
  reduce(fn: (a: T, b: T) => T, options?: OperatorOptions): DataStream<WindowResult<K, T>> {
    type A = T & JsonValue;
    return this.aggregate<A | null, T>(
      {
        create: () => null,
        add: (accumulator, record) => (accumulator === null ? (record as A) : (fn(accumulator, record) as A)),
        merge: (a, b) => (a === null ? b : b === null ? a : (fn(a, b) as A)),
        result: (accumulator) => accumulator as T,
      },
      options,
    );
  }

  /** Hands each window's records (in arrival order) to `fn` at once. */
  process<R>(fn: (records: T[], key: K) => R, options?: OperatorOptions): DataStream<WindowResult<K, R>> {
    type A = (T & JsonValue)[];
    return this.aggregate<A, R>(
      {
        create: () => [],
        add: (accumulator, record) => {
          accumulator.push(record as T & JsonValue);
          return accumulator;
        },
        merge: (a, b) => a.concat(b),
        result: (accumulator, key) => fn(accumulator, key as K),
      },
      options,
    );
  }
}

/** The windows a timestamp belongs to, as [start, end) pairs (sessions: its own window). */
function windowsOf(assigner: WindowAssigner, timestamp: number): [number, number][] {
  switch (assigner.kind) {
    case 'tumbling': {
      const start = timestamp - mod(timestamp - assigner.offset, assigner.size);
      return [[start, start + assigner.size]];
    }
    case 'sliding': {
      const windows: [number, number][] = [];
      const last = timestamp - mod(timestamp - assigner.offset, assigner.slide);
      for (let start = last; start > timestamp - assigner.size; start -= assigner.slide) {
        windows.push([start, start + assigner.size]);
      }
      return windows.reverse();
    }
    case 'session':
      return [[timestamp, timestamp + assigner.gap]];
    default:
      throw new ParamError('assigner', assigner.kind, 'a time window assigner');
  }
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

const TIMER = Symbol('timer');

function timeWindowOperator<T, K extends JsonValue, A extends JsonValue, R>(
  windowed: WindowedStream<T, K>,
  aggregator: WindowAggregator<T, A, R>,
  uid: string,
  lateness: number,
  lateSink: Sink<LateRecord<T>> | undefined,
): Operator<T, WindowResult<K, R>> {
  const assigner = windowed.assigner as Exclude<WindowAssigner, { kind: 'count' }>;
  const processing = assigner.time === 'processing';
  const keyOf = windowed.key;
  const allowed = processing ? 0 : lateness;
  return async function* (input, job: JobContext) {
    const panes = new Map<string, { key: K; panes: Pane<A>[] }>();
    let watermark = Number.NEGATIVE_INFINITY;
    restoreInto(job, uid, (state) => {
      const saved = state as { watermark: number | null; keys: [K, Pane<A>[]][] };
      watermark = saved.watermark ?? Number.NEGATIVE_INFINITY;
      for (const [key, keyPanes] of saved.keys) panes.set(JSON.stringify(key), { key, panes: keyPanes });
    });
    const lateUid = `${uid}:late`;
    await lateSink?.open(job.restoredState(lateUid));

    let output: WindowResult<K, R>[] = [];
    const emit = (key: K, pane: Pane<A>) => {
      output.push({ key, start: pane.start, end: pane.end, value: aggregator.result(pane.accumulator, key) });
    };
    const flush = (): StreamEvent<WindowResult<K, R>> | undefined => {
      if (output.length === 0) return undefined;
      const event: StreamEvent<WindowResult<K, R>> = {
        kind: 'records',
        records: output,
        timestamps: Float64Array.from(output, (result) => result.end - 1),
      };
      output = [];
      return event;
    };
    /** Fires every pane whose end has passed `time`, oldest first, and drops expired ones. */
    const fire = (time: number) => {
      const due: { key: K; pane: Pane<A> }[] = [];
      for (const entry of panes.values()) {
        for (const pane of entry.panes)
          if (!pane.fired && pane.end - 1 <= time) due.push({ key: entry.key, pane });
      }
      due.sort((a, b) => a.pane.end - b.pane.end || a.pane.start - b.pane.start);
      for (const { key, pane } of due) {
        emit(key, pane);
        pane.fired = true;
      }
      for (const [name, entry] of panes) {
        entry.panes = entry.panes.filter((pane) => pane.end - 1 + allowed > time);
        if (entry.panes.length === 0) panes.delete(name);
      }
    };
    const nextDeadline = (): number => {
      let earliest = Number.POSITIVE_INFINITY;
      for (const entry of panes.values())
        for (const pane of entry.panes) earliest = Math.min(earliest, pane.end - 1);
      return earliest;
    };
    const late: LateRecord<T>[] = [];
    const add = (record: T, timestamp: number) => {
      if (Number.isNaN(timestamp)) {
        throw new ParamError(
          'stream',
          'records without event time',
          'assignTimestampsAndWatermarks() before event-time windows',
        );
      }
      const windows = windowsOf(assigner, timestamp).filter(([, end]) => end - 1 + allowed > watermark);
      if (windows.length === 0) {
        late.push({ record, timestamp, watermark });
        return;
      }
      const key = keyOf(record);
      const name = JSON.stringify(key);
      let entry = panes.get(name);
      if (!entry) panes.set(name, (entry = { key, panes: [] }));
      for (const [start, end] of windows) {
        let pane: Pane<A>;
        if (assigner.kind === 'session') {
          // Merge every session this one touches (Flink's TimeWindow.intersects).
          pane = { start, end, accumulator: aggregator.create(), fired: false };
          const kept: Pane<A>[] = [];
          for (const other of entry.panes) {
            if (other.start <= pane.end && other.end >= pane.start) {
              pane.start = Math.min(pane.start, other.start);
              pane.end = Math.max(pane.end, other.end);
              pane.accumulator = aggregator.merge!(pane.accumulator, other.accumulator);
            } else kept.push(other);
          }
          kept.push(pane);
          entry.panes = kept;
        } else {
          const found = entry.panes.find((candidate) => candidate.start === start);
          pane = found ?? { start, end, accumulator: aggregator.create(), fired: false };
          if (!found) entry.panes.push(pane);
        }
        pane.accumulator = aggregator.add(pane.accumulator, record);
        // A record for a window that already fired (within the allowed lateness) fires it again.
        if (pane.end - 1 <= watermark) {
          pane.fired = true;
          emit(key, pane);
        }
      }
    };
    const handleLate = async () => {
      if (late.length === 0) return;
      if (!lateSink) {
        const first = late[0];
        throw new LateRecordError(
          `a record with event time ${first.timestamp} arrived after the watermark ${first.watermark} had closed its windows; give the windows lateRecordsTo(sink) or more allowedLateness`,
        );
      }
      await lateSink.write(late.splice(0));
    };

    const iterator = input[Symbol.asyncIterator]();
    try {
      for (;;) {
        let result: IteratorResult<StreamEvent<T>> | typeof TIMER;
        const pending = iterator.next();
        const deadline = processing ? nextDeadline() : Number.POSITIVE_INFINITY;
        if (deadline < Number.POSITIVE_INFINITY) {
          // Processing-time windows fire on the clock even while no record comes.
          let timer: NodeJS.Timeout | undefined;
          const alarm = new Promise<typeof TIMER>((resolve) => {
            timer = setTimeout(() => resolve(TIMER), Math.max(0, deadline - job.now() + 1));
          });
          result = await Promise.race([pending, alarm]);
          while (result === TIMER) {
            fire(job.now());
            const out = flush();
            if (out) yield out;
            const next = nextDeadline();
            if (next === Number.POSITIVE_INFINITY) {
              result = await pending;
              break;
            }
            result = await Promise.race([
              pending,
              new Promise<typeof TIMER>((resolve) => {
                timer = setTimeout(() => resolve(TIMER), Math.max(0, next - job.now() + 1));
              }),
            ]);
          }
          clearTimeout(timer);
        } else result = await pending;
        if (result.done) break;
        const event = result.value;
        if (event.kind === 'records') {
          const { records, timestamps } = event;
          for (let i = 0; i < records.length; i++) {
            add(records[i], processing ? job.now() : timestamps ? timestamps[i] : Number.NaN);
          }
          await handleLate();
          if (processing) fire(job.now());
          const out = flush();
          if (out) yield out;
        } else if (event.kind === 'watermark') {
          if (!processing && event.time > watermark) {
            watermark = event.time;
            fire(watermark);
            const out = flush();
            if (out) yield out;
          }
          yield event as StreamEvent<WindowResult<K, R>>;
        } else {
          saveState(
            event.barrier,
            uid,
            copyJson({
              watermark: Number.isFinite(watermark) ? watermark : null,
              keys: Array.from(panes.values(), (entry) => [entry.key, entry.panes] as unknown as JsonValue),
            }),
          );
          if (lateSink) saveState(event.barrier, lateUid, await lateSink.commit());
          yield event as StreamEvent<WindowResult<K, R>>;
        }
      }
      fire(Number.POSITIVE_INFINITY);
      const out = flush();
      if (out) yield out;
      await lateSink?.close();
    } catch (error) {
      await lateSink?.abort?.();
      throw error;
    }
  };
}

function countWindowOperator<T, K extends JsonValue, A extends JsonValue, R>(
  assigner: Extract<WindowAssigner, { kind: 'count' }>,
  keyOf: (record: T) => K,
  aggregator: WindowAggregator<T, A, R>,
  uid: string,
): Operator<T, WindowResult<K, R>> {
  const { size, slide } = assigner;
  interface KeyBuffer {
    key: K;
    /** Records of this key so far. */
    count: number;
    /** Records since the last firing. */
    pending: number;
    /** The key's last `size` records. */
    records: (T & JsonValue)[];
  }
  return async function* (input, job) {
    const buffers = new Map<string, KeyBuffer>();
    restoreInto(job, uid, (state) => {
      for (const buffer of state as unknown as KeyBuffer[]) buffers.set(JSON.stringify(buffer.key), buffer);
    });
    let output: WindowResult<K, R>[] = [];
    const fire = (buffer: KeyBuffer) => {
      let accumulator = aggregator.create();
      for (const record of buffer.records) accumulator = aggregator.add(accumulator, record);
      output.push({
        key: buffer.key,
        start: buffer.count - buffer.records.length,
        end: buffer.count,
        value: aggregator.result(accumulator, buffer.key),
      });
      buffer.pending = 0;
      if (slide === size) buffer.records = [];
    };
    for await (const event of input) {
      if (event.kind === 'records') {
        for (const record of event.records) {
          const key = keyOf(record);
          const name = JSON.stringify(key);
          let buffer = buffers.get(name);
          if (!buffer) buffers.set(name, (buffer = { key, count: 0, pending: 0, records: [] }));
          buffer.records.push(record as T & JsonValue);
          if (buffer.records.length > size) buffer.records.shift();
          buffer.count++;
          buffer.pending++;
          if (buffer.count >= size && buffer.pending >= slide) fire(buffer);
        }
        if (output.length > 0) {
          yield { kind: 'records', records: output };
          output = [];
        }
        continue;
      }
      if (event.kind === 'barrier')
        saveState(event.barrier, uid, copyJson(Array.from(buffers.values()) as unknown as JsonValue));
      yield event as StreamEvent<WindowResult<K, R>>;
    }
    // A bounded input ends: records not yet in any window are emitted, not lost.
    for (const buffer of buffers.values()) if (buffer.pending > 0 && buffer.records.length > 0) fire(buffer);
    if (output.length > 0) yield { kind: 'records', records: output };
  };
}
