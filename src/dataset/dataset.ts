/**
 * DataSet<T>: a lazy, bounded, partitioned collection. Each operator adds a node to the
 * plan; nothing runs until an action (collect, count, print, writeCsv, writeArrow).
 *
 * The subclasses of DataSet (aggregate, cross, join results and the bulk iteration's
 * partial solution) live in this module too: a module that extends DataSet while DataSet
 * imports it back would see the class before it exists, whatever the import order.
 */
import { ParamError } from '../core/errors.js';
import type { Aggregator, ConvergenceCriterion } from './aggregators.js';
import type { RuntimeContext } from './context.js';
import type { ExecutionEnvironment } from './environment.js';
import {
  type FilterFunction,
  type FlatMapFunction,
  functionName,
  functionSource,
  type GroupReduceFunction,
  type MapFunction,
  type MapPartitionFunction,
  type ReduceFunction,
  type UserFunction,
} from './functions.js';
import { GroupedDataSet } from './grouping.js';
import {
  checkIterationOpen,
  DeltaIteration,
  type IterationOptions,
  iterationDefinition,
  registerIterationAggregator,
  registerIterationConvergence,
} from './iteration.js';
import { CoGroupBuilder, JoinBuilder } from './joins.js';
import { type CompiledKey, compileKey, type KeySelector } from './keys.js';
import {
  type CheckpointOptions,
  createNode,
  explainPlan,
  type IterationDefinition,
  type NodeFields,
  type PlanNode,
  type RecordOperatorKind,
  reviseNode,
} from './plan.js';
import {
  aggregateAllEvaluator,
  crossEvaluator,
  type FieldAggregation,
  firstEvaluator,
  projectEvaluator,
  rebalanceEvaluator,
  reduceAllEvaluator,
  reduceEvaluator,
  sortPartitionEvaluator,
  unionEvaluator,
} from './runtime/basic-operators.js';
import {
  distinctEvaluator,
  type JoinKind,
  joinEvaluator,
  partitionByHashEvaluator,
} from './runtime/keyed-operators.js';
import { countRecords, flatten, reshape } from './runtime/partitioning.js';
import type { Order } from './runtime/sorting.js';
import { type WriteCsvOptions, writeArrowFile, writeCsvRecords } from './sinks.js';

export type { CheckpointOptions, Order };

/** Checks a count parameter (first(n), maxIterations...). */
export function checkCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum)
    throw new ParamError(name, value, `an integer >= ${minimum}`);
}

/** The source of a key selector's function, when it is one (for plan fingerprints). */
export function keySources(...selectors: unknown[]): string[] {
  return selectors.filter((selector) => typeof selector === 'function').map((selector) => String(selector));
}

/** A lazy, partitioned data set of records of type T. */
export class DataSet<T> {
  /** @internal Use the environment's sources and the operators to make data sets. */
  constructor(
    /** The environment the data set belongs to. */
    readonly environment: ExecutionEnvironment,
    /** @internal Its node in the plan. */
    readonly node: PlanNode,
  ) {}

  /** Number of partitions this data set has when it runs. */
  get parallelism(): number {
    return this.node.parallelism;
  }

  /** @internal A data set over a new node. */
  derive<R>(fields: NodeFields): DataSet<R> {
    return new DataSet<R>(this.environment, createNode(fields));
  }

  private recordOperator<R>(kind: RecordOperatorKind, fn: UserFunction<unknown>): DataSet<R> {
    const parallelism = kind === 'reduce' ? 1 : this.node.parallelism;
    return this.derive<R>({
      kind: 'operator',
      operation: kind,
      title: functionName(fn),
      inputs: [this.node],
      parallelism,
      functions: [functionSource(fn)],
      evaluate:
        kind === 'reduce'
          ? reduceEvaluator(fn as UserFunction<ReduceFunction<unknown>>)
          : ([input], runtime) =>
              runtime.runRecords(kind, fn, reshape(input.partitions, runtime.parallelism)),
    });
  }

  /** Applies `fn` to every record. */
  map<R>(fn: UserFunction<MapFunction<T, R>>): DataSet<R> {
    return this.recordOperator<R>('map', fn as UserFunction<unknown>);
  }

  /** Applies `fn` to every record and keeps everything it returns (an array, a generator...). */
  flatMap<R>(fn: UserFunction<FlatMapFunction<T, R>>): DataSet<R> {
    return this.recordOperator<R>('flatMap', fn as UserFunction<unknown>);
  }

  /** Keeps the records for which `fn` returns true. */
  filter(fn: UserFunction<FilterFunction<T>>): DataSet<T> {
    return this.recordOperator<T>('filter', fn as UserFunction<unknown>);
  }

  /**
   * Applies `fn` to each whole partition. With typed-array chunks as records (fromMatrix,
   * fromTypedArrays) a numeric kernel sees whole chunks, so the per-record cost of the
   * engine disappears.
   */
  mapPartition<R>(fn: UserFunction<MapPartitionFunction<T, R>>): DataSet<R> {
    return this.recordOperator<R>('mapPartition', fn as UserFunction<unknown>);
  }

  /**
   * Combines all records into one with an associative, commutative `fn` (partial results
   * per partition first). An empty data set reduces to an empty one.
   */
  reduce(fn: UserFunction<ReduceFunction<T>>): DataSet<T> {
    return this.recordOperator<T>('reduce', fn as UserFunction<unknown>);
  }

  /** Gives every record to `fn` at once; it returns the output records. */
  reduceGroup<R>(fn: GroupReduceFunction<T, R>): DataSet<R> {
    return this.derive<R>({
      kind: 'operator',
      operation: 'reduceGroup',
      title: functionName(fn),
      inputs: [this.node],
      parallelism: 1,
      functions: [functionSource(fn)],
      evaluate: reduceAllEvaluator(fn as GroupReduceFunction<unknown, unknown>),
    });
  }

  /**
   * Sum, min or max of a numeric field over the whole data set: one record, a copy of the
   * first with the aggregated fields replaced. Chain more fields with `.and(...)`.
   */
  aggregate(kind: FieldAggregation['kind'], field: keyof T & (string | number)): AggregatedDataSet<T> {
    return AggregatedDataSet.create(this, undefined, [{ kind, field }]);
  }

  /** `aggregate('sum', field)`. */
  sum(field: keyof T & (string | number)): AggregatedDataSet<T> {
    return this.aggregate('sum', field);
  }

  /** `aggregate('min', field)`. */
  min(field: keyof T & (string | number)): AggregatedDataSet<T> {
    return this.aggregate('min', field);
  }

  /** `aggregate('max', field)`. */
  max(field: keyof T & (string | number)): AggregatedDataSet<T> {
    return this.aggregate('max', field);
  }

  /**
   * Removes duplicates: records with equal keys (or, without a key, equal records, compared
   * by value) are kept once, the first in input order.
   */
  distinct(key?: KeySelector<T>): DataSet<T> {
    const compiled: CompiledKey<T> =
      key === undefined ? { description: 'record', select: (value) => value } : compileKey(key);
    return this.derive<T>({
      kind: 'operator',
      operation: 'distinct',
      detail: compiled.description,
      inputs: [this.node],
      parallelism: this.environment.parallelism,
      functions: keySources(key),
      evaluate: distinctEvaluator(compiled as CompiledKey),
    });
  }

  /** Groups records by key for reduce, reduceGroup, aggregate, first and sortGroup. */
  groupBy<K>(key: KeySelector<T, K>): GroupedDataSet<T> {
    return new GroupedDataSet<T>(this, key as KeySelector<T>);
  }

  /** Inner join: `a.join(b).where(keyA).equalTo(keyB)` gives [a, b] pairs, or `.with(fn)`. */
  join<R>(other: DataSet<R>): JoinBuilder<T, R, T, R> {
    return new JoinBuilder<T, R, T, R>(this, other, 'inner');
  }

  /** Left outer join: unmatched left records pair with null. */
  leftOuterJoin<R>(other: DataSet<R>): JoinBuilder<T, R, T, R | null> {
    return new JoinBuilder<T, R, T, R | null>(this, other, 'leftOuter');
  }

  /** Right outer join: unmatched right records pair with null. */
  rightOuterJoin<R>(other: DataSet<R>): JoinBuilder<T, R, T | null, R> {
    return new JoinBuilder<T, R, T | null, R>(this, other, 'rightOuter');
  }

  /** Full outer join: unmatched records of either side pair with null. */
  fullOuterJoin<R>(other: DataSet<R>): JoinBuilder<T, R, T | null, R | null> {
    return new JoinBuilder<T, R, T | null, R | null>(this, other, 'fullOuter');
  }

  /** coGroup: for each key, the groups of both sides (either may be empty) go to one function. */
  coGroup<R>(other: DataSet<R>): CoGroupBuilder<T, R> {
    return new CoGroupBuilder<T, R>(this, other);
  }

  /** Every pair of records of this and `other`: [left, right], or `.with(fn)`. */
  cross<R>(other: DataSet<R>): CrossDataSet<T, R> {
    return CrossDataSet.create(this, other, undefined);
  }

  /** The records of both data sets. */
  union(other: DataSet<T>): DataSet<T> {
    return this.derive<T>({
      kind: 'operator',
      operation: 'union',
      inputs: [this.node, other.node],
      parallelism: Math.max(this.node.parallelism, other.node.parallelism),
      evaluate: unionEvaluator,
    });
  }

  /** Keeps only the given fields: indexes of tuples (arrays) or names of object fields. */
  project(...fields: (string | number)[]): DataSet<unknown> {
    if (fields.length === 0) throw new ParamError('fields', fields, 'at least one field index or name');
    return this.derive<unknown>({
      kind: 'operator',
      operation: 'project',
      detail: fields.map((field) => JSON.stringify(field)).join(', '),
      inputs: [this.node],
      parallelism: this.node.parallelism,
      evaluate: projectEvaluator(fields),
    });
  }

  /** Sends each record to the partition of its key's hash. */
  partitionByHash(key: KeySelector<T>): DataSet<T> {
    const compiled = compileKey(key);
    return this.derive<T>({
      kind: 'operator',
      operation: 'partitionByHash',
      detail: compiled.description,
      inputs: [this.node],
      parallelism: this.environment.parallelism,
      functions: keySources(key),
      evaluate: partitionByHashEvaluator(compiled as CompiledKey),
    });
  }

  /** Spreads the records evenly over the partitions (keeping their order). */
  rebalance(): DataSet<T> {
    return this.derive<T>({
      kind: 'operator',
      operation: 'rebalance',
      inputs: [this.node],
      parallelism: this.environment.parallelism,
      evaluate: rebalanceEvaluator,
    });
  }

  /**
   * Sorts each partition by key (stable); chain calls for secondary keys. Use
   * `.setParallelism(1)` for one totally ordered partition.
   */
  sortPartition(key: KeySelector<T>, order: Order = 'asc'): DataSet<T> {
    checkOrder(order);
    const compiled = compileKey(key);
    const previous = this.node.operation === 'sortPartition' ? (this.node as SortedNode).sortKeys : undefined;
    const keys = [...(previous ?? []), { key: compiled as CompiledKey, order }];
    const node = createNode({
      kind: 'operator',
      operation: 'sortPartition',
      detail: keys.map((sort) => `${sort.key.description} ${sort.order}`).join(', '),
      inputs: previous ? this.node.inputs : [this.node],
      parallelism: this.node.parallelism,
      functions: [...(previous ? this.node.functions : []), ...keySources(key)],
      evaluate: sortPartitionEvaluator(keys),
    });
    return new DataSet<T>(this.environment, Object.assign(node, { sortKeys: keys }));
  }

  /** The first `count` records (in partition order). */
  first(count: number): DataSet<T> {
    checkCount('count', count, 0);
    return this.derive<T>({
      kind: 'operator',
      operation: 'first',
      detail: String(count),
      inputs: [this.node],
      parallelism: 1,
      evaluate: firstEvaluator(count),
    });
  }

  /**
   * Makes `dataSet`'s records available to this operator's functions as
   * `context.broadcast(name)` (every partition gets all of them).
   */
  withBroadcastSet<B>(dataSet: DataSet<B>, name: string): this {
    if (this.node.kind !== 'operator') {
      throw new ParamError('withBroadcastSet', this.node.label, 'an operator (map, mapPartition, join...)');
    }
    if (this.node.broadcasts.some((broadcast) => broadcast.name === name)) {
      throw new ParamError('name', name, 'a broadcast set name not used yet on this operator');
    }
    return this.revise({ broadcasts: [...this.node.broadcasts, { name, node: dataSet.node }] });
  }

  /** Names the operator (shown by explain() and in error messages). */
  name(title: string): this {
    return this.revise({ title });
  }

  /** Sets the number of partitions this operator produces (records are re-split in order). */
  setParallelism(parallelism: number): this {
    checkCount('parallelism', parallelism, 1);
    if (this.node.kind !== 'operator' && this.node.kind !== 'source') {
      throw new ParamError('setParallelism', this.node.label, 'an operator or a source');
    }
    return this.revise({ parallelism });
  }

  /** @internal The same kind of data set over a revised copy of its node. */
  protected revise(changes: Partial<NodeFields>): this {
    if (this.node.kind === 'bulk-head' || this.node.kind === 'solution-set' || this.node.kind === 'workset') {
      throw new ParamError(
        'operator',
        this.node.label,
        'an operator or a source (an iteration head cannot be changed)',
      );
    }
    const revised = reviseNode(this.node, changes);
    if ((this.node as SortedNode).sortKeys)
      Object.assign(revised, { sortKeys: (this.node as SortedNode).sortKeys });
    return this.rebuild(revised) as this;
  }

  /** @internal Rebuilds this data set's class around another node. */
  protected rebuild(node: PlanNode): DataSet<T> {
    return new DataSet<T>(this.environment, node);
  }

  /**
   * Starts a bulk iteration: the returned data set is the partial solution inside the step.
   * Build the step from it, then `closeWith(next, terminationCriterion?)`.
   */
  iterate(maxIterations: number, options: IterationOptions = {}): IterativeDataSet<T> {
    checkCount('maxIterations', maxIterations, 1);
    const definition = iterationDefinition('bulk', maxIterations, options);
    const head = createNode({
      kind: 'bulk-head',
      operation: 'partial solution',
      title: definition.name,
      inputs: [],
      parallelism: this.node.parallelism,
      iteration: definition,
    });
    return new IterativeDataSet<T>(this.environment, head, this, definition);
  }

  /**
   * Starts a delta iteration with this data set as the initial solution set (one record per
   * key) and `workset` as the initial workset. Build the step from `iteration.solutionSet`
   * and `iteration.workset`, then `closeWith(solutionSetDelta, nextWorkset)`.
   */
  iterateDelta<W>(
    workset: DataSet<W>,
    maxIterations: number,
    key: KeySelector<T>,
    options: IterationOptions = {},
  ): DeltaIteration<T, W> {
    checkCount('maxIterations', maxIterations, 1);
    return new DeltaIteration<T, W>(this, workset, maxIterations, compileKey(key), keySources(key), options);
  }

  /** The plan as text: operators, keys, parallelism, where iterations begin and end. */
  explain(): string {
    return explainPlan(this.node, 'collect');
  }

  /** Runs the plan and returns every record (partition 0 first). */
  async collect(): Promise<T[]> {
    return flatten(await this.environment.execute(this.node)) as T[];
  }

  /** Runs the plan and returns the number of records. */
  async count(): Promise<number> {
    return countRecords(await this.environment.execute(this.node));
  }

  /** Runs the plan and prints each record on its own line (strings as they are, others as JSON). */
  async print(output: { write(text: string): unknown } = process.stdout): Promise<void> {
    const records = await this.collect();
    const lines = records.map((record) => (typeof record === 'string' ? record : formatRecord(record)));
    output.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }

  /** Runs the plan and writes the records as CSV (objects: one column per field; tuples: by position). */
  async writeCsv(path: string, options: WriteCsvOptions = {}): Promise<void> {
    await writeCsvRecords(path, await this.collect(), options);
  }

  /** Runs the plan and writes the records (objects) as an Arrow IPC file. */
  async writeArrow(path: string): Promise<void> {
    await writeArrowFile(path, await this.collect());
  }
}

/** JSON with typed arrays as plain arrays and bigints as numbers in text. */
function formatRecord(record: unknown): string {
  return JSON.stringify(record, (_, value) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView)
      ? Array.from(value as unknown as ArrayLike<number>)
      : typeof value === 'bigint'
        ? value.toString()
        : value,
  );
}

function checkOrder(order: Order): void {
  if (order !== 'asc' && order !== 'desc') throw new ParamError('order', order, "'asc' or 'desc'");
}

/** `node` with the broadcast sets and parallelism already set on `configured` (before `.with`). */
function keepSettings(node: PlanNode, configured: PlanNode): PlanNode {
  if (configured.broadcasts.length === 0 && configured.parallelism === node.parallelism) return node;
  return reviseNode(node, { broadcasts: configured.broadcasts, parallelism: configured.parallelism });
}

type SortedNode = PlanNode & { sortKeys?: { key: CompiledKey; order: Order }[] };

/** The result of `aggregate`: add more fields with `and`. */
export class AggregatedDataSet<T> extends DataSet<T> {
  private constructor(
    private readonly input: DataSet<T>,
    private readonly grouping:
      | { key: KeySelector<T>; node: (aggregations: FieldAggregation[]) => NodeFields }
      | undefined,
    private readonly aggregations: FieldAggregation[],
    node: PlanNode,
  ) {
    super(input.environment, node);
  }

  /** @internal */
  static create<T>(
    input: DataSet<T>,
    grouping: { key: KeySelector<T>; node: (aggregations: FieldAggregation[]) => NodeFields } | undefined,
    aggregations: FieldAggregation[],
  ): AggregatedDataSet<T> {
    for (const { kind } of aggregations) {
      if (kind !== 'sum' && kind !== 'min' && kind !== 'max')
        throw new ParamError('aggregation', kind, "'sum', 'min' or 'max'");
    }
    const fields: NodeFields = grouping
      ? grouping.node(aggregations)
      : {
          kind: 'operator',
          operation: 'aggregate',
          detail: aggregations.map(({ kind, field }) => `${kind} ${JSON.stringify(field)}`).join(', '),
          inputs: [input.node],
          parallelism: 1,
          evaluate: aggregateAllEvaluator(aggregations),
        };
    return new AggregatedDataSet<T>(input, grouping, aggregations, createNode(fields));
  }

  /** Aggregates one more field. */
  and(kind: FieldAggregation['kind'], field: keyof T & (string | number)): AggregatedDataSet<T> {
    return AggregatedDataSet.create(this.input, this.grouping, [...this.aggregations, { kind, field }]);
  }

  protected override rebuild(node: PlanNode): DataSet<T> {
    return new AggregatedDataSet<T>(this.input, this.grouping, this.aggregations, node);
  }
}

/** The result of `cross`: pairs, or `with(fn)` for a function of each pair. */
export class CrossDataSet<L, R> extends DataSet<[L, R]> {
  private constructor(
    private readonly left: DataSet<L>,
    private readonly right: DataSet<R>,
    node: PlanNode,
  ) {
    super(left.environment, node);
  }

  /** @internal */
  static create<L, R>(
    left: DataSet<L>,
    right: DataSet<R>,
    fn: ((left: L, right: R, context: RuntimeContext) => unknown) | undefined,
  ): CrossDataSet<L, R> {
    const node = createNode({
      kind: 'operator',
      operation: 'cross',
      title: fn ? functionName(fn) : undefined,
      inputs: [left.node, right.node],
      parallelism: left.node.parallelism,
      functions: fn ? [functionSource(fn)] : [],
      evaluate: crossEvaluator(
        fn as ((left: unknown, right: unknown, context: never) => unknown) | undefined,
      ),
    });
    return new CrossDataSet<L, R>(left, right, node);
  }

  /** Applies `fn` to every pair instead of emitting [left, right]. */
  with<O>(fn: (left: L, right: R, context: RuntimeContext) => O): DataSet<O> {
    const crossed = CrossDataSet.create(this.left, this.right, fn);
    return new DataSet<O>(this.environment, keepSettings(crossed.node, this.node));
  }

  protected override rebuild(node: PlanNode): DataSet<[L, R]> {
    return new CrossDataSet<L, R>(this.left, this.right, node);
  }
}

/**
 * The partial solution of a bulk iteration, inside its step. Register aggregators and a
 * convergence criterion on it, build the next partial solution from it, and close with
 * `closeWith(next, terminationCriterion?)`.
 */
export class IterativeDataSet<T> extends DataSet<T> {
  /** @internal */
  constructor(
    environment: ExecutionEnvironment,
    head: PlanNode,
    private readonly initial: DataSet<T>,
    private readonly definition: IterationDefinition,
  ) {
    super(environment, head);
  }

  /** Registers an aggregator that functions of the step add to with `context.aggregate(name, value)`. */
  registerAggregator<V>(name: string, aggregator: Aggregator<V>): this {
    registerIterationAggregator(this.definition, name, aggregator as Aggregator<unknown>);
    return this;
  }

  /**
   * Registers an aggregator and stops the iteration after the first superstep whose
   * aggregated value satisfies `criterion` (e.g. an L1 change below a tolerance).
   */
  registerConvergenceCriterion<V>(
    name: string,
    aggregator: Aggregator<V>,
    criterion: ConvergenceCriterion<V>,
  ): this {
    registerIterationConvergence(
      this.definition,
      name,
      aggregator as Aggregator<unknown>,
      criterion as ConvergenceCriterion<unknown>,
    );
    return this;
  }

  /**
   * Closes the iteration: `next` becomes the partial solution of the next superstep. With a
   * termination criterion, the iteration also stops after a superstep in which that data set
   * is empty. Returns the final partial solution.
   */
  closeWith<X>(next: DataSet<T>, terminationCriterion?: DataSet<X>): DataSet<T> {
    checkIterationOpen(this.definition);
    this.definition.closed = true;
    const node = createNode({
      kind: 'bulk',
      operation: 'bulk iteration',
      title: this.definition.name,
      inputs: [this.initial.node],
      parallelism: this.initial.node.parallelism,
      functions: [
        String(this.definition.maxIterations),
        ...(this.definition.convergence ? [String(this.definition.convergence.criterion)] : []),
      ],
      bulk: {
        definition: this.definition,
        head: this.node,
        initial: this.initial.node,
        next: next.node,
        termination: terminationCriterion?.node,
      },
    });
    return new DataSet<T>(this.environment, node);
  }

  protected override rebuild(node: PlanNode): DataSet<T> {
    return new DataSet<T>(this.environment, node);
  }
}

/** A join's result: [left, right] pairs (null for a missing side of an outer join), or `with(fn)`. */
export class JoinedDataSet<L, R> extends DataSet<[L, R]> {
  private constructor(
    private readonly spec: {
      left: DataSet<never>;
      right: DataSet<never>;
      kind: JoinKind;
      leftKey: KeySelector<unknown>;
      rightKey: KeySelector<unknown>;
    },
    node: PlanNode,
  ) {
    super(spec.left.environment, node);
  }

  /** @internal */
  static create<L, R>(
    left: DataSet<never>,
    right: DataSet<never>,
    kind: JoinKind,
    leftKey: KeySelector<never>,
    rightKey: KeySelector<never>,
    fn: ((left: never, right: never, context: RuntimeContext) => unknown) | undefined,
  ): JoinedDataSet<L, R> {
    const leftCompiled = compileKey(leftKey as KeySelector<unknown>, 'where') as CompiledKey;
    const rightCompiled = compileKey(rightKey as KeySelector<unknown>, 'equalTo') as CompiledKey;
    const node = createNode({
      kind: 'operator',
      operation: `join.${kind}`,
      detail: `${leftCompiled.description} = ${rightCompiled.description}`,
      title: fn ? functionName(fn) : undefined,
      inputs: [left.node, right.node],
      parallelism: left.environment.parallelism,
      functions: [...keySources(leftKey, rightKey), ...(fn ? [functionSource(fn)] : [])],
      evaluate: joinEvaluator(
        kind,
        leftCompiled,
        rightCompiled,
        fn as ((left: unknown, right: unknown, context: never) => unknown) | undefined,
      ),
    });
    return new JoinedDataSet<L, R>(
      {
        left,
        right,
        kind,
        leftKey: leftKey as KeySelector<unknown>,
        rightKey: rightKey as KeySelector<unknown>,
      },
      node,
    );
  }

  /** Applies `fn` to each matching pair instead of emitting [left, right]. */
  with<O>(fn: (left: L, right: R, context: RuntimeContext) => O): DataSet<O> {
    const { left, right, kind, leftKey, rightKey } = this.spec;
    const joined = JoinedDataSet.create<L, R>(
      left,
      right,
      kind,
      leftKey as KeySelector<never>,
      rightKey as KeySelector<never>,
      fn as (left: never, right: never, context: RuntimeContext) => unknown,
    );
    return new DataSet<O>(joined.environment, keepSettings(joined.node, this.node));
  }

  protected override rebuild(node: PlanNode): DataSet<[L, R]> {
    return new JoinedDataSet<L, R>(this.spec, node);
  }
}
