/**
 * Grouped data sets: `ds.groupBy(key)` then reduce, reduceGroup, aggregate, first(n), with
 * `sortGroup` ordering the records inside each group first.
 */
import { ParamError } from '../core/errors.js';
import { AggregatedDataSet, checkCount, type DataSet, keySources } from './dataset.js';
import {
  functionName,
  functionSource,
  type GroupReduceFunction,
  type ReduceFunction,
  type UserFunction,
} from './functions.js';
import { type CompiledKey, compileKey, type KeySelector } from './keys.js';
import type { NodeFields } from './plan.js';
import type { FieldAggregation } from './runtime/basic-operators.js';
import {
  groupAggregateEvaluator,
  groupFirstEvaluator,
  groupReduceEvaluator,
  groupReduceGroupEvaluator,
} from './runtime/keyed-operators.js';
import type { Order, SortKey } from './runtime/sorting.js';

/** A data set grouped by key. */
export class GroupedDataSet<T> {
  private readonly key: CompiledKey;

  /** @internal Made by `DataSet.groupBy`. */
  constructor(
    private readonly input: DataSet<T>,
    private readonly selector: KeySelector<T>,
  ) {
    this.key = compileKey(selector) as CompiledKey;
  }

  /** @internal Node fields of a grouped operator. */
  fields(
    operation: string,
    extra: Partial<NodeFields> & Pick<NodeFields, 'evaluate'>,
    functions: string[] = [],
  ): NodeFields {
    return {
      kind: 'operator',
      operation: `groupBy.${operation}`,
      detail: this.key.description,
      inputs: [this.input.node],
      parallelism: this.input.environment.parallelism,
      ...extra,
      functions: [...keySources(this.selector), ...functions],
    };
  }

  /** Combines each group's records into one with an associative, commutative `fn`. */
  reduce(fn: UserFunction<ReduceFunction<T>>): DataSet<T> {
    return this.input.derive<T>(
      this.fields(
        'reduce',
        {
          title: functionName(fn),
          evaluate: groupReduceEvaluator(this.key, fn as UserFunction<ReduceFunction<unknown>>),
        },
        [functionSource(fn)],
      ),
    );
  }

  /** Gives each group's records to `fn`, which returns the output records. */
  reduceGroup<R>(fn: GroupReduceFunction<T, R>): DataSet<R> {
    return new SortedGrouping<T>(this.input, this, this.key, []).reduceGroup(fn);
  }

  /** The first `count` records of each group, in input order. */
  first(count: number): DataSet<T> {
    return new SortedGrouping<T>(this.input, this, this.key, []).first(count);
  }

  /** Orders the records inside each group by `key` (stable); chain for secondary keys. */
  sortGroup(key: KeySelector<T>, order: Order = 'asc'): SortedGrouping<T> {
    return new SortedGrouping<T>(this.input, this, this.key, []).sortGroup(key, order);
  }

  /** Sum, min or max of a field per group: a copy of each group's first record with the field replaced. */
  aggregate(kind: FieldAggregation['kind'], field: keyof T & (string | number)): AggregatedDataSet<T> {
    return AggregatedDataSet.create<T>(
      this.input,
      {
        key: this.selector,
        node: (aggregations) =>
          this.fields('aggregate', {
            detail: `${this.key.description}; ${aggregations.map((a) => `${a.kind} ${JSON.stringify(a.field)}`).join(', ')}`,
            evaluate: groupAggregateEvaluator(this.key, aggregations),
          }),
      },
      [{ kind, field }],
    );
  }

  /** `aggregate('sum', field)` per group. */
  sum(field: keyof T & (string | number)): AggregatedDataSet<T> {
    return this.aggregate('sum', field);
  }

  /** `aggregate('min', field)` per group. */
  min(field: keyof T & (string | number)): AggregatedDataSet<T> {
    return this.aggregate('min', field);
  }

  /** `aggregate('max', field)` per group. */
  max(field: keyof T & (string | number)): AggregatedDataSet<T> {
    return this.aggregate('max', field);
  }
}

/** A grouping whose groups are sorted: reduceGroup and first(n) see the sorted order. */
export class SortedGrouping<T> {
  /** @internal */
  constructor(
    private readonly input: DataSet<T>,
    private readonly grouped: GroupedDataSet<T>,
    private readonly key: CompiledKey,
    private readonly sorts: { sort: SortKey; selector: KeySelector<T> }[],
  ) {}

  /** Adds a (secondary) sort key. */
  sortGroup(key: KeySelector<T>, order: Order = 'asc'): SortedGrouping<T> {
    if (order !== 'asc' && order !== 'desc') throw new ParamError('order', order, "'asc' or 'desc'");
    return new SortedGrouping<T>(this.input, this.grouped, this.key, [
      ...this.sorts,
      { sort: { key: compileKey(key) as CompiledKey, order }, selector: key },
    ]);
  }

  private sortDetail(): string {
    return this.sorts.map(({ sort }) => `; sorted by ${sort.key.description} ${sort.order}`).join('');
  }

  /** Gives each (sorted) group to `fn`, which returns the output records. */
  reduceGroup<R>(fn: GroupReduceFunction<T, R>): DataSet<R> {
    const sorts = this.sorts.map(({ sort }) => sort);
    return this.input.derive<R>(
      this.grouped.fields(
        'reduceGroup',
        {
          detail: `${this.key.description}${this.sortDetail()}`,
          title: functionName(fn),
          evaluate: groupReduceGroupEvaluator(this.key, sorts, fn as GroupReduceFunction<unknown, unknown>),
        },
        [functionSource(fn), ...keySources(...this.sorts.map(({ selector }) => selector))],
      ),
    );
  }

  /** The first `count` records of each (sorted) group. */
  first(count: number): DataSet<T> {
    checkCount('count', count, 0);
    const sorts = this.sorts.map(({ sort }) => sort);
    return this.input.derive<T>(
      this.grouped.fields(
        'first',
        {
          detail: `${this.key.description}${this.sortDetail()}; ${count}`,
          evaluate: groupFirstEvaluator(this.key, sorts, count),
        },
        keySources(...this.sorts.map(({ selector }) => selector)),
      ),
    );
  }
}
