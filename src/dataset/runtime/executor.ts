/**
 * Runs a plan. Nodes are evaluated on demand, each once per scope: the job's root scope,
 * or one superstep of an iteration. A node that does not read an iteration's heads is
 * loop-invariant and is cached in the enclosing scope, so it runs once, not per superstep.
 */
import { EddyError } from '../../core/errors.js';
import { settleTasks } from '../../core/threads/driver.js';
import type { WorkerPool } from '../../core/threads/worker-pool.js';
import { TaskContext } from '../context.js';
import { OperatorError } from '../errors.js';
import { callable, type ExportedFunction, isExported, type UserFunction } from '../functions.js';
import {
  dependsOn,
  nodeName,
  type OperatorInput,
  type OperatorRuntime,
  type Partitions,
  type PlanNode,
  type RecordOperatorKind,
} from '../plan.js';
import type { IterationFrame } from './iteration-frame.js';
import { runBulkIteration, runDeltaIteration } from './iterations.js';
import { type PartitionTask, type PartitionTaskResult, runPartitionTask } from './partition-task.js';
import { reshape } from './partitioning.js';
import { applyRecordOperator, RecordFailure } from './record-operators.js';
import { Scope } from './scope.js';

/** How a job runs. */
export interface ExecutionSettings {
  /** Whether exported functions may run on worker threads. */
  readonly workers: boolean;
  /** The pool that runs them. */
  readonly pool: () => WorkerPool;
}

/** How one iteration of a job ran. */
export interface IterationReport {
  readonly name: string;
  readonly kind: 'bulk' | 'delta';
  /** Supersteps completed (including those restored from a checkpoint). */
  readonly supersteps: number;
  /** Why it stopped. */
  readonly stoppedBy: 'maxIterations' | 'terminationCriterion' | 'convergence' | 'emptyWorkset';
  /** The superstep restored from a checkpoint, when the run resumed. */
  readonly resumedFrom?: number;
}

/** What a finished job reports. */
export interface JobReport {
  readonly iterations: IterationReport[];
}

/** The module worker threads run partition tasks from. */
export const partitionTaskUrl = new URL(
  `./partition-task.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
).href;

export class Executor {
  readonly report: JobReport = { iterations: [] };

  constructor(readonly settings: ExecutionSettings) {}

  /** Runs the plan that ends in `root` and returns its partitions. */
  async run(root: PlanNode): Promise<Partitions> {
    const scope = new Scope(undefined, new Set(), new Map(), undefined, new Map());
    return (await this.evaluate(root, scope)).partitions;
  }

  /** The node's result in `scope`, computed at most once per scope it belongs to. */
  evaluate(node: PlanNode, scope: Scope): Promise<OperatorInput> {
    let home = scope;
    while (home.parent && !dependsOn(node, home.heads, home.memo)) home = home.parent;
    const bound = home.bindings.get(node);
    if (bound) return Promise.resolve(bound);
    let result = home.cache.get(node);
    if (!result) {
      result = this.compute(node, home);
      home.cache.set(node, result);
    }
    return result;
  }

  private async compute(node: PlanNode, scope: Scope): Promise<OperatorInput> {
    if (node.kind === 'bulk-head' || node.kind === 'solution-set' || node.kind === 'workset') {
      throw new EddyError(
        `${nodeName(node)} is used outside its iteration '${node.iteration?.name}'${node.iteration?.closed ? '' : ' (the iteration was never closed with closeWith)'}`,
      );
    }
    if (node.bulk)
      return { partitions: reshape(await runBulkIteration(this, node, scope), node.parallelism) };
    if (node.delta) return { partitions: await runDeltaIteration(this, node, scope) };
    const inputs: OperatorInput[] = [];
    for (const input of node.inputs) inputs.push(await this.evaluate(input, scope));
    const broadcasts = new Map<string, unknown[]>();
    for (const broadcast of node.broadcasts) {
      const { partitions } = await this.evaluate(broadcast.node, scope);
      broadcasts.set(broadcast.name, partitions.flat());
    }
    const partitions = await node.evaluate!(inputs, this.runtime(node, scope, broadcasts));
    return { partitions: reshape(partitions, node.parallelism) };
  }

  private runtime(node: PlanNode, scope: Scope, broadcasts: Map<string, unknown[]>): OperatorRuntime {
    const operator = nodeName(node);
    const frame = scope.frame;
    const context = (partition: number) =>
      new TaskContext(partition, node.parallelism, frame?.superstep ?? 0, broadcasts, frame, operator);
    return {
      operator,
      parallelism: node.parallelism,
      context,
      runRecords: async (kind: RecordOperatorKind, fn: UserFunction<unknown>, partitions: Partitions) => {
        const busy = partitions.filter((partition) => partition.length > 0).length;
        if (isExported(fn) && this.settings.workers && busy > 1) {
          return this.runOnWorkers(kind, fn, partitions, operator, node.parallelism, frame, broadcasts);
        }
        const run = callable(fn) as (...args: never[]) => unknown;
        return partitions.map((records, partition) => {
          try {
            return applyRecordOperator(kind, run, records, context(partition));
          } catch (error) {
            if (!(error instanceof RecordFailure)) throw error;
            if (error.cause instanceof OperatorError) throw error.cause;
            throw recordError(operator, kind, records, partition, error.index, error.message, error.cause);
          }
        });
      },
    };
  }

  private async runOnWorkers(
    kind: RecordOperatorKind,
    fn: ExportedFunction<unknown>,
    partitions: Partitions,
    operator: string,
    parallelism: number,
    frame: IterationFrame | undefined,
    broadcasts: Map<string, unknown[]>,
  ): Promise<Partitions> {
    const visible = frame?.visible();
    const aggregators = visible
      ? [...visible].map(([name, entry]) => [name, entry.aggregator.builtin ?? null] as [string, null])
      : null;
    const previousAggregates = visible
      ? [...visible].map(([name, entry]) => [name, entry.previous] as [string, unknown])
      : [];
    // Partitions with work: this thread takes the first, workers the others (through the core
    // driver, as every parallel kernel); records are copied to the worker that takes them.
    const busy = partitions.flatMap((records, partition) =>
      records.length > 0 || kind === 'mapPartition' ? [partition] : [],
    );
    const tasks = busy.map((partition): [PartitionTask] => [
      {
        kind,
        module: fn.module,
        exportName: fn.exportName,
        operator,
        records: partitions[partition],
        partition,
        parallelism,
        superstep: frame?.superstep ?? 0,
        broadcasts: [...broadcasts],
        aggregators,
        previousAggregates,
      },
    ]);
    const kernel = {
      module: partitionTaskUrl,
      exportName: 'runPartitionTask',
      local: (task: PartitionTask) =>
        runPartitionTask(task, fn.fn as (...args: never[]) => unknown).catch((error: unknown) => {
          throw new FailedHere(error);
        }),
    };
    const outcomes = await settleTasks<PartitionTaskResult>(kernel, tasks, {
      parallelism,
      pool: this.settings.pool(),
    });
    // The first failure in partition order (not in time order).
    const results: PartitionTaskResult[] = partitions.map(() => ({ ok: true, records: [], aggregates: [] }));
    outcomes.forEach((outcome, t) => {
      const partition = busy[t];
      if (outcome.ok) results[partition] = outcome.value;
      else if (outcome.error instanceof FailedHere) {
        const cause = outcome.error.cause;
        if (cause instanceof OperatorError) throw cause;
        throw new OperatorError(operator, `partition ${partition} failed: ${errorMessage(cause)}`, { cause });
      } else {
        throw new OperatorError(
          operator,
          `partition ${partition} could not run on a worker thread: ${outcome.error.message}`,
          { cause: outcome.error },
        );
      }
    });
    return results.map((result, partition) => {
      if (!result.ok) {
        throw recordError(
          operator,
          kind,
          partitions[partition],
          partition,
          result.index,
          result.message,
          undefined,
        );
      }
      for (const [name, aggregate] of result.aggregates) {
        if ('combined' in aggregate) frame!.add(name, aggregate.combined);
        else for (const value of aggregate.values) frame!.add(name, value);
      }
      return result.records;
    });
  }
}

/** An error a partition task threw on the calling thread (not a worker's). */
class FailedHere extends Error {
  constructor(cause: unknown) {
    super(errorMessage(cause), { cause });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function recordError(
  operator: string,
  kind: RecordOperatorKind,
  records: readonly unknown[],
  partition: number,
  index: number,
  message: string,
  cause: unknown,
): OperatorError {
  if (index < 0 || kind === 'mapPartition') {
    return new OperatorError(operator, `${message} (in partition ${partition})`, { cause });
  }
  return new OperatorError(operator, message, { record: records[index], hasRecord: true, cause });
}
