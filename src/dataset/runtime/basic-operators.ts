/**
 * Evaluators of the operators that need no key: reduce, whole-set reduceGroup, first,
 * union, cross, project, rebalance, sortPartition, aggregate.
 */
import { OperatorError } from '../errors.js';
import { callable, type GroupReduceFunction, type ReduceFunction, type UserFunction } from '../functions.js';
import type { OperatorEvaluator, Partitions } from '../plan.js';
import { flatten, reshape, splitEvenly } from './partitioning.js';
import { applyRecordOperator, RecordFailure } from './record-operators.js';
import { type SortKey, sortRecords } from './sorting.js';

/** reduce: partial folds per partition (on workers for exported functions), then one final fold. */
export function reduceEvaluator(fn: UserFunction<ReduceFunction<unknown>>): OperatorEvaluator {
  return async ([input], runtime) => {
    const partial = await runtime.runRecords('reduce', fn as UserFunction<unknown>, input.partitions);
    const records = flatten(partial);
    try {
      return [applyRecordOperator('reduce', callable(fn), records, runtime.context(0))];
    } catch (error) {
      if (!(error instanceof RecordFailure)) throw error;
      throw new OperatorError(runtime.operator, error.message, {
        record: records[error.index],
        hasRecord: true,
        cause: error.cause,
      });
    }
  };
}

/** reduceGroup over the whole data set: the function sees every record at once. */
export function reduceAllEvaluator(fn: GroupReduceFunction<unknown, unknown>): OperatorEvaluator {
  return ([input], runtime) => {
    try {
      return [Array.from(fn(flatten(input.partitions), runtime.context(0)))];
    } catch (error) {
      throw new OperatorError(runtime.operator, error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
  };
}

/** The first `count` records, in partition order. */
export function firstEvaluator(count: number): OperatorEvaluator {
  return ([input]) => [flatten(input.partitions).slice(0, count)];
}

/** Both inputs' records: partition i of the result holds partition i of each input. */
export const unionEvaluator: OperatorEvaluator = (inputs, runtime) => {
  const result: Partitions = [];
  for (let partition = 0; partition < runtime.parallelism; partition++) {
    result.push(inputs.flatMap((input) => input.partitions[partition] ?? []));
  }
  return result;
};

/** Every pair of a left and a right record (the right side is broadcast to every partition). */
export function crossEvaluator(
  fn: ((left: unknown, right: unknown, context: never) => unknown) | undefined,
): OperatorEvaluator {
  return ([left, right], runtime) => {
    const rights = flatten(right.partitions);
    return reshape(left.partitions, runtime.parallelism).map((records, partition) => {
      const context = runtime.context(partition) as never;
      const out: unknown[] = [];
      for (const l of records) {
        for (const r of rights) {
          try {
            out.push(fn ? fn(l, r, context) : [l, r]);
          } catch (error) {
            throw new OperatorError(
              runtime.operator,
              error instanceof Error ? error.message : String(error),
              {
                record: [l, r],
                hasRecord: true,
                cause: error,
              },
            );
          }
        }
      }
      return out;
    });
  };
}

/** Keeps only some fields: by index for tuples (arrays), by name for objects. */
export function projectEvaluator(fields: readonly (string | number)[]): OperatorEvaluator {
  return ([input], runtime) =>
    reshape(input.partitions, runtime.parallelism).map((records) =>
      records.map((record) => {
        if (Array.isArray(record)) return fields.map((field) => record[field as number]);
        if (typeof record !== 'object' || record === null) {
          throw new OperatorError(runtime.operator, 'project needs tuples (arrays) or objects', {
            record,
            hasRecord: true,
          });
        }
        const projected: Record<string, unknown> = {};
        for (const field of fields) projected[field] = (record as Record<string, unknown>)[field];
        return projected;
      }),
    );
}

/** Spreads the records evenly over the partitions, keeping their order. */
export const rebalanceEvaluator: OperatorEvaluator = ([input], runtime) =>
  splitEvenly(flatten(input.partitions), runtime.parallelism);

/** Sorts each partition (stable). With parallelism 1 this is a total order. */
export function sortPartitionEvaluator(keys: readonly SortKey[]): OperatorEvaluator {
  return ([input], runtime) =>
    reshape(input.partitions, runtime.parallelism).map((records) =>
      sortRecords(records, keys, runtime.operator),
    );
}

/** One aggregation of {@link aggregateRecords}. */
export interface FieldAggregation {
  readonly kind: 'sum' | 'min' | 'max';
  readonly field: string | number;
}

/**
 * A copy of the first record with each aggregated field replaced by the sum, min or max of
 * that field over `records` (the other fields keep the first record's values).
 */
export function aggregateRecords(
  records: readonly unknown[],
  aggregations: readonly FieldAggregation[],
  operator: string,
): unknown {
  const first = records[0] as Record<string | number, unknown>;
  const result = (Array.isArray(first) ? [...first] : { ...first }) as Record<string | number, unknown>;
  for (const { kind, field } of aggregations) {
    let value = kind === 'sum' ? 0 : kind === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (const record of records) {
      const item = (record as Record<string | number, unknown>)[field];
      if (typeof item !== 'number') {
        throw new OperatorError(
          operator,
          `field ${JSON.stringify(field)} is not a number (aggregate ${kind})`,
          {
            record,
            hasRecord: true,
          },
        );
      }
      value = kind === 'sum' ? value + item : kind === 'min' ? Math.min(value, item) : Math.max(value, item);
    }
    result[field] = value;
  }
  return result;
}

/** aggregate over the whole data set: one record (none for an empty data set). */
export function aggregateAllEvaluator(aggregations: readonly FieldAggregation[]): OperatorEvaluator {
  return ([input], runtime) => {
    const records = flatten(input.partitions);
    return [records.length === 0 ? [] : [aggregateRecords(records, aggregations, runtime.operator)]];
  };
}
