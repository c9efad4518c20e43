/**
 * DataStream<T>: an unbounded (or bounded) stream of records built from a source and a chain
 * of operators, run by a sink. Operators are async generators over {@link StreamEvent}s that
 * pull one event at a time from upstream, so a slow sink slows the source (backpressure comes
 * for free) and a checkpoint barrier sees every operator's state exactly between two records.
 */
import { JobContext } from './checkpoint.js';
import { StreamEnvironment } from './environment.js';
import type { Collector, JsonValue, StreamEvent } from './events.js';
import { KeyedStream } from './keyed.js';
import type { Sink } from './sinks.js';
import type { Source } from './sources.js';
import { assignTimestamps, type WatermarkStrategy } from './watermarks.js';
import { type WindowAssigner, WindowedStream } from './windows.js';

/** An operator: turns the events of its input into the events of its output. */
export type Operator<I, O> = (
  input: AsyncIterable<StreamEvent<I>>,
  job: JobContext,
) => AsyncIterable<StreamEvent<O>>;

/** What a process function sees besides the record. */
export interface ProcessContext {
  /** Event time of the record being processed, or NaN when the stream has no event time. */
  timestamp: number;
  /** The latest watermark seen (-Infinity before the first). */
  watermark: number;
}

/**
 * A general operator, called once per record. It may keep state across records; giving it
 * `snapshotState` / `restoreState` puts that state into checkpoints.
 */
export interface ProcessFunction<I, O> {
  processElement(record: I, context: ProcessContext, out: Collector<O>): void | Promise<void>;
  /** Called once at the end of a bounded input, to emit what is still held. */
  onEnd?(out: Collector<O>): void | Promise<void>;
  snapshotState?(): JsonValue;
  restoreState?(state: JsonValue): void;
}

/** What a job did. */
export interface JobResult {
  /** Records read from the source in total (including those before a resumed checkpoint). */
  records: number;
  /** Checkpoints completed in this run. */
  checkpoints: number;
  /** Whether this run resumed from a checkpoint. */
  resumed: boolean;
  /**
   * Whether the checkpoint resumed from was that of a job that had already run to its end: the
   * outputs are complete and nothing was run again.
   */
  alreadyComplete: boolean;
}

/** Options of an operator that keeps state. */
export interface OperatorOptions {
  /** Names the operator's state in checkpoints; default: its kind and position in the chain. */
  uid?: string;
}

/** A stream of `T`: build it with operators, run it with {@link DataStream.sinkTo} or `for await`. */
export class DataStream<T> {
  /** The environment (checkpoints, clock) the stream runs in. */
  readonly environment: StreamEnvironment;
  /** Operators between the source and this stream, used to name operator state. */
  readonly depth: number;
  /** The source the stream reads (its identity goes into checkpoint fingerprints). */
  readonly source: Source<unknown> | undefined;
  private readonly build: (job: JobContext) => AsyncIterable<StreamEvent<T>>;

  /** Low level: prefer {@link DataStream.from} and the operators. */
  constructor(
    environment: StreamEnvironment,
    depth: number,
    build: (job: JobContext) => AsyncIterable<StreamEvent<T>>,
    source?: Source<unknown>,
  ) {
    this.environment = environment;
    this.depth = depth;
    this.build = build;
    this.source = source;
  }

  /**
   * The job's fingerprint for checkpoints: `extra`, and the source's identity (a file's path,
   * size and modification time) as `input` unless `extra` names the input itself.
   */
  async fingerprint(extra: Readonly<Record<string, string>> = {}): Promise<Record<string, string>> {
    const identity = this.source?.identity ? await this.source.identity() : undefined;
    return { ...(identity === undefined ? {} : { input: identity }), ...extra };
  }

  /**
   * A stream reading `source`. With checkpointing on in `environment`, the source emits a
   * barrier at the first batch boundary after every `everyRecords` records (or `everyMs`), and
   * a resumed job starts reading at the position of the checkpoint it restored.
   */
  static from<T>(source: Source<T>, environment = new StreamEnvironment()): DataStream<T> {
    return new DataStream<T>(environment, 0, (job) => readSource(source, job), source);
  }

  /** The events of this stream for one run of a job (low level, for operator authors). */
  events(job: JobContext): AsyncIterable<StreamEvent<T>> {
    return this.build(job);
  }

  /** Appends an operator (low level; the named operators below are built on this). */
  pipe<O>(operator: Operator<T, O>): DataStream<O> {
    return new DataStream<O>(
      this.environment,
      this.depth + 1,
      (job) => operator(this.build(job), job),
      this.source,
    );
  }

  /** The default uid of the next operator of a kind. */
  uidFor(kind: string, options?: OperatorOptions): string {
    return options?.uid ?? `${kind}-${this.depth + 1}`;
  }

  /** Applies `fn` to every record. */
  map<O>(fn: (record: T) => O): DataStream<O> {
    return this.pipe(async function* (input) {
      for await (const event of input) {
        if (event.kind === 'records')
          yield { kind: 'records', records: event.records.map(fn), timestamps: event.timestamps };
        else yield event;
      }
    });
  }

  /** Keeps the records for which `predicate` holds. */
  filter(predicate: (record: T) => boolean): DataStream<T> {
    return this.pipe(async function* (input) {
      for await (const event of input) {
        if (event.kind !== 'records') {
          yield event;
          continue;
        }
        const { records, timestamps } = event;
        const kept: T[] = [];
        const keptTimes: number[] = [];
        for (let i = 0; i < records.length; i++) {
          if (!predicate(records[i])) continue;
          kept.push(records[i]);
          if (timestamps) keptTimes.push(timestamps[i]);
        }
        if (kept.length > 0) {
          yield {
            kind: 'records',
            records: kept,
            timestamps: timestamps ? Float64Array.from(keptTimes) : undefined,
          };
        }
      }
    });
  }

  /** Replaces every record by the records `fn` returns (none, one or many). */
  flatMap<O>(fn: (record: T) => Iterable<O>): DataStream<O> {
    return this.process({
      processElement(record, _context, out) {
        for (const value of fn(record)) out.collect(value);
      },
    });
  }

  /**
   * The general operator: `fn` sees each record with its event time and the watermark and
   * emits any number of records (which keep the input record's event time).
   */
  process<O>(fn: ProcessFunction<T, O>, options?: OperatorOptions): DataStream<O> {
    const uid = this.uidFor('process', options);
    return this.pipe(processOperator(fn, uid));
  }

  /** Partitions the stream by key; keyed operators keep state per key. */
  keyBy<K extends JsonValue>(key: (record: T) => K, options?: OperatorOptions): KeyedStream<T, K> {
    return new KeyedStream(this, key, options);
  }

  /** Gives records event times and emits watermarks (see `boundedOutOfOrderness`). */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>, options?: OperatorOptions): DataStream<T> {
    return this.pipe(assignTimestamps(strategy, this.uidFor('watermarks', options)));
  }

  /** Windows over the whole stream (one key). */
  windowAll(assigner: WindowAssigner): WindowedStream<T, null> {
    return new WindowedStream<T, null>(this, () => null, assigner);
  }

  /**
   * Runs the pipeline into `sink` and resolves when the source ends. With checkpointing, each
   * barrier that reaches the sink makes the sink commit what it wrote and completes a checkpoint.
   */
  async sinkTo(sink: Sink<T>, options?: OperatorOptions): Promise<JobResult> {
    const uid = options?.uid ?? 'sink';
    const checkpoint = this.environment.checkpoint;
    const job = await JobContext.start(
      checkpoint && { ...checkpoint, fingerprint: await this.fingerprint(checkpoint.fingerprint) },
      this.environment.clock,
    );
    if (job.alreadyComplete) {
      return { records: job.restored!.records, checkpoints: 0, resumed: true, alreadyComplete: true };
    }
    await sink.open(job.restoredState(uid));
    let records = job.restored?.records ?? 0;
    try {
      for await (const event of this.build(job)) {
        if (event.kind === 'records') await sink.write(event.records);
        else if (event.kind === 'barrier') {
          records = event.barrier.records;
          event.barrier.state[uid] = await sink.commit();
          await job.complete(event.barrier);
        }
      }
      await sink.close();
    } catch (error) {
      await sink.abort?.();
      throw error;
    }
    await job.finish(null, {});
    return {
      records: Math.max(records, job.sourceRecords),
      checkpoints: job.completed,
      resumed: job.restored !== undefined,
      alreadyComplete: false,
    };
  }

  /** Iterates the records (without checkpoints: use a sink for exactly-once output). */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const job = await JobContext.start(undefined, this.environment.clock);
    for await (const event of this.build(job)) {
      if (event.kind === 'records') yield* event.records;
    }
  }

  /** Iterates the records batch by batch, as the source produced them (no per-record overhead). */
  async *batches(): AsyncIterable<readonly T[]> {
    const job = await JobContext.start(undefined, this.environment.clock);
    for await (const event of this.build(job)) {
      if (event.kind === 'records' && event.records.length > 0) yield event.records;
    }
  }

  /** Every record in an array (for bounded streams and tests). */
  async collect(): Promise<T[]> {
    const all: T[] = [];
    for await (const records of this.batches()) for (const record of records) all.push(record);
    return all;
  }
}

/** Reads a source into events, emitting barriers when checkpoints are due. */
async function* readSource<T>(source: Source<T>, job: JobContext): AsyncIterable<StreamEvent<T>> {
  const restored = job.restored;
  let records = restored?.records ?? 0;
  let since = 0;
  let lastBarrier = job.now();
  for await (const batch of source.read(restored === undefined ? undefined : restored.position)) {
    if (batch.records.length > 0) {
      const size = batch.size ?? batch.records.length;
      records += size;
      since += size;
      job.sourceRecords = records;
      yield { kind: 'records', records: batch.records, timestamps: batch.timestamps };
    }
    if (job.barrierDue(since, lastBarrier)) {
      yield { kind: 'barrier', barrier: job.barrier(batch.position, records) };
      since = 0;
      lastBarrier = job.now();
    }
  }
}

/** Restores a stateful thing when the job resumed. */
export function restoreInto(
  job: JobContext,
  uid: string,
  restore: ((state: JsonValue) => void) | undefined,
): void {
  const state = job.restoredState(uid);
  if (state !== undefined && restore) restore(state);
}

function processOperator<I, O>(fn: ProcessFunction<I, O>, uid: string): Operator<I, O> {
  return async function* (input, job) {
    restoreInto(job, uid, fn.restoreState?.bind(fn));
    const context: ProcessContext = { timestamp: Number.NaN, watermark: Number.NEGATIVE_INFINITY };
    let output: O[] = [];
    let outputTimes: number[] = [];
    let timed = false;
    const collector: Collector<O> = {
      collect(value) {
        output.push(value);
        if (timed) outputTimes.push(context.timestamp);
      },
    };
    const flush = (): StreamEvent<O> | undefined => {
      if (output.length === 0) return undefined;
      const event: StreamEvent<O> = {
        kind: 'records',
        records: output,
        timestamps: timed ? Float64Array.from(outputTimes) : undefined,
      };
      output = [];
      outputTimes = [];
      return event;
    };
    for await (const event of input) {
      if (event.kind === 'records') {
        const { records, timestamps } = event;
        timed = timestamps !== undefined;
        for (let i = 0; i < records.length; i++) {
          context.timestamp = timestamps ? timestamps[i] : Number.NaN;
          const pending = fn.processElement(records[i], context, collector);
          if (pending) await pending;
        }
        const out = flush();
        if (out) yield out;
        continue;
      }
      if (event.kind === 'watermark') context.watermark = event.time;
      else if (fn.snapshotState) event.barrier.state[uid] = fn.snapshotState();
      yield event;
    }
    if (fn.onEnd) {
      context.timestamp = Number.NaN;
      timed = false;
      await fn.onEnd(collector);
      const out = flush();
      if (out) yield out;
    }
  };
}
