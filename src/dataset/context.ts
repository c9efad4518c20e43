/**
 * The runtime context every user function receives as its last argument: which partition
 * and superstep it runs in, the broadcast sets of its operator, and the aggregators of the
 * iteration around it. The same class serves the calling thread and worker threads.
 */
import { EddyError } from '../core/errors.js';

/** What a user function can learn about, and contribute to, the job it runs in. */
export interface RuntimeContext {
  /** The superstep (1-based) of the innermost iteration the operator belongs to; 0 outside iterations. */
  readonly superstep: number;
  /** Index of the partition being processed (0-based). */
  readonly partition: number;
  /** Number of partitions of the operator. */
  readonly parallelism: number;
  /** The records of the broadcast set registered as `name` with `withBroadcastSet`. */
  broadcast<B = unknown>(name: string): readonly B[];
  /** Adds `value` to the iteration's aggregator `name` for this superstep. */
  aggregate(name: string, value: unknown): void;
  /** The value aggregator `name` reached in the previous superstep (undefined in the first). */
  previousAggregate<V = unknown>(name: string): V | undefined;
}

/** Where `aggregate` calls go: the iteration frame, or a worker task's local tally. */
export interface AggregationSink {
  add(name: string, value: unknown): void;
  previous(name: string): unknown;
}

/** A runtime context for one partition of one operator. */
export class TaskContext implements RuntimeContext {
  constructor(
    readonly partition: number,
    readonly parallelism: number,
    readonly superstep: number,
    private readonly broadcasts: ReadonlyMap<string, readonly unknown[]>,
    private readonly aggregation: AggregationSink | undefined,
    private readonly operator: string,
  ) {}

  broadcast<B = unknown>(name: string): readonly B[] {
    const records = this.broadcasts.get(name);
    if (records === undefined) {
      const known = [...this.broadcasts.keys()].map((key) => `'${key}'`).join(', ');
      throw new EddyError(
        `${this.operator}: no broadcast set named '${name}' (registered: ${known || 'none'}); add it with withBroadcastSet(dataSet, '${name}')`,
      );
    }
    return records as readonly B[];
  }

  aggregate(name: string, value: unknown): void {
    if (!this.aggregation) {
      throw new EddyError(`${this.operator}: aggregate('${name}') called outside an iteration`);
    }
    this.aggregation.add(name, value);
  }

  previousAggregate<V = unknown>(name: string): V | undefined {
    return this.aggregation?.previous(name) as V | undefined;
  }
}
