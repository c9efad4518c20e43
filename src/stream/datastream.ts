/**
 * DataStream<T>: an unbounded (or bounded) stream of records built from a source and a chain
 * of operators, run by a sink. Operators are async generators over {@link StreamEvent}s that
 * pull one event at a time from upstream, so a slow sink slows the source (backpressure comes
 * for free) and a checkpoint barrier sees every operator's state exactly between two records.
 */
import { ParamError } from '../core/errors.js';
import { JobContext } from './checkpoint.js';
import { ConnectedStreams } from './connected.js';
import { StreamEnvironment } from './environment.js';
import {
  type Barrier,
  type Collector,
  type JsonValue,
  joinBarrier,
  type StreamEvent,
  saveState,
} from './events.js';
import { type InputEvent, KeyedStream } from './keyed.js';
import { mergeInputs } from './merge.js';
import { type EventOrSide, mainOutput, OperatorOutput, type OutputTag, sideOutput } from './side-outputs.js';
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
  /**
   * Emits `value` to the side output `tag` (with the current record's event time); read it with
   * `getSideOutput(tag)` on the operator's output stream.
   */
  output<V>(tag: OutputTag<V>, value: V): void;
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

/** One output of a job run by {@link DataStream.sinkAll}: make it with {@link DataStream.to}. */
export interface JobOutput {
  stream: DataStream<unknown>;
  sink: Sink<unknown>;
  /** Names the sink's state in checkpoints (default `sink`, then `sink-2`, `sink-3` ...). */
  uid?: string;
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
  /** The sources the stream reads, in order (their identities go into checkpoint fingerprints). */
  readonly sources: readonly Source<unknown>[];
  /** Prefix of the default uids of the operators after this stream (side outputs have one). */
  readonly uidPrefix: string;
  private readonly build: (job: JobContext) => AsyncIterable<StreamEvent<T>>;
  /** The output of the operator that made this stream, side events included, when it has side outputs. */
  private readonly withSides: ((job: JobContext) => AsyncIterable<EventOrSide<unknown>>) | undefined;

  /** Low level: prefer {@link DataStream.from} and the operators. */
  constructor(
    environment: StreamEnvironment,
    depth: number,
    build: (job: JobContext) => AsyncIterable<StreamEvent<T>>,
    sources: readonly Source<unknown>[] = [],
    uidPrefix = '',
    withSides?: (job: JobContext) => AsyncIterable<EventOrSide<unknown>>,
  ) {
    this.environment = environment;
    this.depth = depth;
    this.build = build;
    this.sources = sources;
    this.uidPrefix = uidPrefix;
    this.withSides = withSides;
  }

  /** The first source the stream reads. */
  get source(): Source<unknown> | undefined {
    return this.sources[0];
  }

  /**
   * The job's fingerprint for checkpoints: `extra`, and the sources' identities (a file's path,
   * size and modification time) as `input`, `input-2` ... unless `extra` names them itself.
   */
  fingerprint(extra: Readonly<Record<string, string>> = {}): Promise<Record<string, string>> {
    return sourcesFingerprint(this.sources, extra);
  }

  /**
   * A stream reading `source`. With checkpointing on in `environment`, the source emits a
   * barrier at the first batch boundary after every `everyRecords` records (or `everyMs`), and
   * a resumed job starts reading at the position of the checkpoint it restored.
   */
  static from<T>(source: Source<T>, environment = new StreamEnvironment()): DataStream<T> {
    const stream: DataStream<T> = new DataStream<T>(
      environment,
      0,
      (job) => readSource(source, job, job.sourceSlot(stream)),
      [source],
    );
    return stream;
  }

  /** The events of this stream for one run of a job (low level, for operator authors). */
  events(job: JobContext): AsyncIterable<StreamEvent<T>> {
    // Built once per job, however many streams of the job read this one.
    return job.events(this, () => this.build(job));
  }

  /** Appends an operator (low level; the named operators below are built on this). */
  pipe<O>(operator: Operator<T, O>): DataStream<O> {
    return new DataStream<O>(
      this.environment,
      this.depth + 1,
      (job) => operator(this.events(job), job),
      this.sources,
      this.uidPrefix,
    );
  }

  /**
   * Appends an operator that may also yield side events (low level): the stream returned is its
   * main output, and {@link DataStream.getSideOutput} gives its side outputs.
   */
  pipeWithSideOutputs<O>(
    operator: (input: AsyncIterable<StreamEvent<T>>, job: JobContext) => AsyncIterable<EventOrSide<O>>,
  ): DataStream<O> {
    const node = {};
    const withSides = (job: JobContext) => job.events(node, () => operator(this.events(job), job));
    return new DataStream<O>(
      this.environment,
      this.depth + 1,
      (job) => mainOutput(withSides(job)),
      this.sources,
      this.uidPrefix,
      withSides as (job: JobContext) => AsyncIterable<EventOrSide<unknown>>,
    );
  }

  /**
   * The values the operator that made this stream emitted to `tag` (with `context.output`), as
   * a stream. Run it together with the main stream through {@link DataStream.sinkAll} so that
   * the operator runs once and both outputs commit at the same checkpoints.
   */
  getSideOutput<V>(tag: OutputTag<V>): DataStream<V> {
    const withSides = this.withSides;
    if (!withSides) {
      throw new ParamError(
        'getSideOutput',
        tag.id,
        'a stream made by process() (only process functions have side outputs)',
      );
    }
    return new DataStream<V>(
      this.environment,
      this.depth,
      (job) => sideOutput(withSides(job), tag),
      this.sources,
      `${this.uidPrefix}${tag.id}/`,
    );
  }

  /** The default uid of the next operator of a kind. */
  uidFor(kind: string, options?: OperatorOptions): string {
    return options?.uid ?? `${this.uidPrefix}${kind}-${this.depth + 1}`;
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
    return this.pipeWithSideOutputs(
      processOperator<O>(
        {
          element: (record, _input, context, out) => fn.processElement(record as T, context, out),
          onEnd: fn.onEnd?.bind(fn),
          snapshotState: fn.snapshotState?.bind(fn),
          restoreState: fn.restoreState?.bind(fn),
        },
        uid,
      ),
    );
  }

  /**
   * The records of this stream and `others` (of the same type) as one stream, in the order they
   * arrive. Its watermark is the minimum of the inputs' watermarks; checkpoint barriers are
   * aligned. The streams may come from one source (split and joined again) or from several:
   * a checkpoint then holds where each source resumes, so the union is exactly-once either way.
   */
  union(...others: DataStream<T>[]): DataStream<T> {
    const inputs = [this, ...others];
    checkOneJob(inputs);
    return new DataStream<T>(
      this.environment,
      Math.max(...inputs.map((input) => input.depth)),
      (job) => mergeInputs(inputs.map((input) => input.events(job))) as AsyncIterable<StreamEvent<T>>,
      sourcesOf(inputs),
      this.uidPrefix,
    );
  }

  /**
   * This stream and `other` (of any type) processed together by one function that sees both,
   * with shared state (Flink's `connect`): see {@link ConnectedStreams}.
   */
  connect<U>(other: DataStream<U>): ConnectedStreams<T, U> {
    checkOneJob([this, other]);
    return new ConnectedStreams(this, other);
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
    return DataStream.sinkAll([this.to(sink, options)]);
  }

  /** This stream going into `sink`, as one output of {@link DataStream.sinkAll}. */
  to(sink: Sink<T>, options?: OperatorOptions): JobOutput {
    return { stream: this as unknown as DataStream<unknown>, sink: sink as Sink<unknown>, uid: options?.uid };
  }

  /**
   * Runs one job with several outputs (a main stream and its side outputs, or any streams of one
   * source), each into its sink. Shared operators run once; the sinks are pulled concurrently, and
   * a checkpoint is written when its barrier has reached every sink, so that all outputs are
   * exactly-once together. The checkpoint settings are those of the first stream's environment.
   *
   * ```ts
   * await DataStream.sinkAll([main.to(mainSink), main.getSideOutput(tag).to(sideSink)]);
   * ```
   */
  static async sinkAll(outputs: readonly JobOutput[]): Promise<JobResult> {
    if (outputs.length === 0) throw new ParamError('outputs', 0, 'at least one stream and sink');
    const first = outputs[0].stream;
    const uids = outputs.map((output, i) => output.uid ?? (i === 0 ? 'sink' : `sink-${i + 1}`));
    if (new Set(uids).size < uids.length)
      throw new ParamError('uid', uids.join(', '), 'a different uid for every sink');
    const checkpoint = first.environment.checkpoint;
    const sources = sourcesOf(outputs.map((output) => output.stream));
    const job = await JobContext.start(
      checkpoint && { ...checkpoint, fingerprint: await sourcesFingerprint(sources, checkpoint.fingerprint) },
      first.environment.clock,
    );
    if (job.alreadyComplete) {
      return { records: job.restored!.records, checkpoints: 0, resumed: true, alreadyComplete: true };
    }
    let records = job.restored?.records ?? 0;
    /** How many sinks each barrier in flight has reached, and the barrier (joined from each sink's). */
    const arrived = new Map<number, { count: number; barrier: Barrier }>();
    const opened: Sink<unknown>[] = [];
    const iterators: AsyncIterator<StreamEvent<unknown>>[] = [];
    const drive = async ({ sink }: JobOutput, uid: string, iterator: AsyncIterator<StreamEvent<unknown>>) => {
      for (;;) {
        const result = await iterator.next();
        if (result.done) break;
        const event = result.value;
        if (event.kind === 'records') await sink.write(event.records);
        else if (event.kind === 'barrier') {
          saveState(event.barrier, uid, await sink.commit());
          // Outputs of different sources bring different barrier objects of one checkpoint.
          const entry = arrived.get(event.barrier.id) ?? { count: 0, barrier: event.barrier };
          joinBarrier(entry.barrier, event.barrier);
          if (++entry.count < outputs.length) {
            arrived.set(event.barrier.id, entry);
            continue;
          }
          arrived.delete(event.barrier.id);
          records = Math.max(records, entry.barrier.records);
          await job.complete(entry.barrier);
        }
      }
    };
    try {
      for (let i = 0; i < outputs.length; i++) {
        await outputs[i].sink.open(job.restoredState(uids[i]));
        opened.push(outputs[i].sink);
      }
      // Every stream is built before any is pulled, so that shared operators see all readers.
      for (const { stream } of outputs) iterators.push(stream.events(job)[Symbol.asyncIterator]());
      let failure: unknown;
      await Promise.all(
        outputs.map((output, i) =>
          drive(output, uids[i], iterators[i]).catch(async (error) => {
            // One output failed: the others stop pulling, so that the job ends with the error.
            failure ??= error;
            await Promise.all(iterators.map((iterator) => iterator.return?.().catch(() => {})));
          }),
        ),
      );
      if (failure !== undefined) throw failure;
      for (const sink of opened) await sink.close();
    } catch (error) {
      for (const sink of opened) await sink.abort?.();
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
    for await (const event of this.events(job)) {
      if (event.kind === 'records') yield* event.records;
    }
  }

  /** Iterates the records batch by batch, as the source produced them (no per-record overhead). */
  async *batches(): AsyncIterable<readonly T[]> {
    const job = await JobContext.start(undefined, this.environment.clock);
    for await (const event of this.events(job)) {
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

/** Reads the source of job slot `slot` into events, emitting barriers when checkpoints are due. */
async function* readSource<T>(
  source: Source<T>,
  job: JobContext,
  slot: number,
): AsyncIterable<StreamEvent<T>> {
  // A source told what is committed: at each checkpoint, or (without checkpoints) each batch
  // once the pipeline has pulled the event after it.
  const committed = source.committed?.bind(source);
  if (committed && job.checkpointing) job.onCommitted(slot, committed);
  for await (const batch of source.read(job.restoredSource(slot)?.position)) {
    let size = 0;
    if (batch.records.length > 0) {
      size = batch.size ?? batch.records.length;
      yield { kind: 'records', records: batch.records, timestamps: batch.timestamps };
    }
    if (committed && !job.checkpointing) await committed(batch.position);
    const barriers = job.afterBatch(slot, batch.position, size);
    if (barriers) for (const barrier of barriers) yield { kind: 'barrier', barrier };
  }
}

/** `extra`, and the identities of `sources` as `input`, `input-2` ... (see DataStream.fingerprint). */
async function sourcesFingerprint(
  sources: readonly Source<unknown>[],
  extra: Readonly<Record<string, string>> = {},
): Promise<Record<string, string>> {
  const identities: Record<string, string> = {};
  for (const [i, source] of sources.entries()) {
    const identity = source.identity ? await source.identity() : undefined;
    if (identity !== undefined) identities[i === 0 ? 'input' : `input-${i + 1}`] = identity;
  }
  return { ...identities, ...extra };
}

/** The sources that streams read, each once, in order. */
export function sourcesOf(streams: readonly Pick<DataStream<unknown>, 'sources'>[]): Source<unknown>[] {
  return [...new Set(streams.flatMap((stream) => stream.sources))];
}

/** Streams merged into one job: one environment. */
function checkOneJob(streams: readonly Pick<DataStream<unknown>, 'environment'>[]): void {
  const [first] = streams;
  for (const stream of streams) {
    if (stream.environment !== first.environment) {
      throw new ParamError('streams', 'of different environments', 'streams of one StreamEnvironment');
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

/** What the process operator calls: one element handler for all inputs (one, or two when connected). */
export interface ProcessHandlers<O> extends Omit<ProcessFunction<unknown, O>, 'processElement'> {
  element(record: unknown, input: number, context: ProcessContext, out: Collector<O>): void | Promise<void>;
}

/** The process operator (for streams and connected streams); records may say which input they come from. */
export function processOperator<O>(
  fn: ProcessHandlers<O>,
  uid: string,
): (input: AsyncIterable<InputEvent>, job: JobContext) => AsyncIterable<EventOrSide<O>> {
  return async function* (input, job) {
    restoreInto(job, uid, fn.restoreState?.bind(fn));
    const output = new OperatorOutput<O>();
    const context: ProcessContext = {
      timestamp: Number.NaN,
      watermark: Number.NEGATIVE_INFINITY,
      output: (tag, value) => output.output(tag, value, context.timestamp),
    };
    const collector: Collector<O> = { collect: (value) => output.collect(value, context.timestamp) };
    for await (const event of input) {
      if (event.kind === 'records') {
        const { records, timestamps } = event;
        const which = event.input ?? 0;
        for (let i = 0; i < records.length; i++) {
          context.timestamp = timestamps ? timestamps[i] : Number.NaN;
          const pending = fn.element(records[i], which, context, collector);
          if (pending) await pending;
        }
        yield* output.drain();
        continue;
      }
      if (event.kind === 'watermark') context.watermark = event.time;
      else if (fn.snapshotState) saveState(event.barrier, uid, fn.snapshotState());
      yield event;
    }
    if (fn.onEnd) {
      context.timestamp = Number.NaN;
      await fn.onEnd(collector);
      yield* output.drain();
    }
  };
}
