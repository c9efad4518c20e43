/**
 * What a thread runs for one partition of a record operator (map, flatMap, filter,
 * mapPartition, partial reduce): it loads the user's exported function, applies it with a
 * runtime context rebuilt from the task, and returns the records, the aggregates the
 * function added, or the failing record's index.
 */

import { loadExport } from '../../core/threads/module-export.js';
import { type Aggregator, type BuiltinAggregatorKind, builtinAggregator } from '../aggregators.js';
import { type AggregationSink, TaskContext } from '../context.js';
import type { RecordOperatorKind } from '../plan.js';
import { applyRecordOperator, RecordFailure } from './record-operators.js';

/** One partition's work, as sent to a worker. */
export interface PartitionTask {
  kind: RecordOperatorKind;
  module: string;
  exportName: string;
  operator: string;
  records: unknown[];
  partition: number;
  parallelism: number;
  superstep: number;
  broadcasts: [string, unknown[]][];
  /** Aggregators visible to the operator: built-in kind, or null for custom ones. */
  aggregators: [string, BuiltinAggregatorKind | null][] | null;
  previousAggregates: [string, unknown][];
}

/** Aggregates added in a worker: pre-combined for built-ins, raw values for custom aggregators. */
export type WorkerAggregates = [string, { combined: unknown } | { values: unknown[] }][];

/** The outcome of a partition task. */
export type PartitionTaskResult =
  | { ok: true; records: unknown[]; aggregates: WorkerAggregates }
  | { ok: false; index: number; message: string; name: string };

class LocalAggregation implements AggregationSink {
  private readonly combined = new Map<string, unknown>();
  private readonly raw = new Map<string, unknown[]>();
  private readonly builtins = new Map<string, Aggregator<number>>();

  constructor(
    private readonly kinds: Map<string, BuiltinAggregatorKind | null>,
    private readonly previousValues: Map<string, unknown>,
    private readonly operator: string,
  ) {
    for (const [name, kind] of kinds) if (kind) this.builtins.set(name, builtinAggregator(kind));
  }

  add(name: string, value: unknown): void {
    if (!this.kinds.has(name))
      throw new Error(`${this.operator}: no aggregator named '${name}' is registered on the iteration`);
    const builtin = this.builtins.get(name);
    if (builtin)
      this.combined.set(
        name,
        builtin.add((this.combined.get(name) as number) ?? builtin.zero(), value as number),
      );
    else {
      let values = this.raw.get(name);
      if (!values) this.raw.set(name, (values = []));
      values.push(value);
    }
  }

  previous(name: string): unknown {
    return this.previousValues.get(name);
  }

  collected(): WorkerAggregates {
    const result: WorkerAggregates = [];
    for (const [name, value] of this.combined) result.push([name, { combined: value }]);
    for (const [name, values] of this.raw) result.push([name, { values }]);
    return result;
  }
}

/**
 * Runs one partition task: a driver kernel, which workers load by themselves. `fn` is the
 * user's function when it is already loaded (on the calling thread); a worker imports it.
 */
export async function runPartitionTask(
  task: PartitionTask,
  fn?: (...args: never[]) => unknown,
): Promise<PartitionTaskResult> {
  const run = fn ?? (await loadExport(task.module, task.exportName));
  const aggregation = task.aggregators
    ? new LocalAggregation(new Map(task.aggregators), new Map(task.previousAggregates), task.operator)
    : undefined;
  const context = new TaskContext(
    task.partition,
    task.parallelism,
    task.superstep,
    new Map(task.broadcasts),
    aggregation,
    task.operator,
  );
  try {
    const records = applyRecordOperator(
      task.kind,
      run as (...args: never[]) => unknown,
      task.records,
      context,
    );
    return { ok: true, records, aggregates: aggregation?.collected() ?? [] };
  } catch (error) {
    if (!(error instanceof RecordFailure)) throw error;
    const cause = error.cause;
    return {
      ok: false,
      index: error.index,
      message: cause instanceof Error ? cause.message : String(cause),
      name: cause instanceof Error ? cause.name : 'Error',
    };
  }
}
