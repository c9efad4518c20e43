/**
 * Running bulk and delta iterations: the superstep loop, aggregators and convergence,
 * termination criteria, the solution set index, and checkpoints between supersteps.
 */
import { EddyError } from '../../core/errors.js';
import { type CompiledKey, canonicalKey, hashKey, keyOf } from '../keys.js';
import {
  iterationHeads,
  nodeName,
  type OperatorInput,
  type Partitions,
  type PlanNode,
  type SolutionIndex,
} from '../plan.js';
import { IterationCheckpoint, iterationFingerprint } from './checkpoint.js';
import type { Executor, IterationReport } from './executor.js';
import { IterationFrame } from './iteration-frame.js';
import { isEmpty } from './partitioning.js';
import { Scope } from './scope.js';

type StopReason = IterationReport['stoppedBy'];

function openCheckpoint(node: PlanNode, initial: Partitions[]): IterationCheckpoint | undefined {
  const definition = (node.bulk ?? node.delta)!.definition;
  if (!definition.checkpoint) return undefined;
  return new IterationCheckpoint(
    definition.checkpoint,
    iterationFingerprint(node, initial, definition.checkpoint.tag ?? ''),
  );
}

function converged(frame: IterationFrame, node: PlanNode, superstep: number): boolean {
  const convergence = (node.bulk ?? node.delta)!.definition.convergence;
  return convergence ? Boolean(convergence.criterion(frame.finalValue(convergence.name), superstep)) : false;
}

/** Runs a bulk iteration and returns its final partial solution. */
export async function runBulkIteration(
  executor: Executor,
  node: PlanNode,
  scope: Scope,
): Promise<Partitions> {
  const { definition, head, initial, next, termination } = node.bulk!;
  let state = (await executor.evaluate(initial, scope)).partitions;
  const frame = new IterationFrame(definition.name, definition.aggregators, scope.frame);
  const checkpoint = openCheckpoint(node, [state]);
  const saved = checkpoint?.load();
  let superstep = 0;
  if (saved) {
    state = saved.partitions!;
    superstep = saved.superstep;
    frame.restoreValues(saved.previousAggregates);
  }
  const heads = iterationHeads(node);
  const memo = new Map<PlanNode, boolean>();
  let stoppedBy: StopReason = 'maxIterations';
  while (superstep < definition.maxIterations) {
    superstep++;
    frame.begin(superstep);
    const step = new Scope(scope, heads, new Map([[head, { partitions: state }]]), frame, memo);
    const result = (await executor.evaluate(next, step)).partitions;
    const terminated = termination ? isEmpty((await executor.evaluate(termination, step)).partitions) : false;
    frame.end();
    state = result;
    if (terminated) stoppedBy = 'terminationCriterion';
    else if (converged(frame, node, superstep)) stoppedBy = 'convergence';
    else {
      if (checkpoint && superstep % checkpoint.every === 0 && superstep < definition.maxIterations) {
        checkpoint.save({ superstep, previousAggregates: frame.savedValues(), partitions: state });
      }
      continue;
    }
    break;
  }
  checkpoint?.clear();
  executor.report.iterations.push({
    name: definition.name,
    kind: 'bulk',
    supersteps: superstep,
    stoppedBy,
    ...(saved ? { resumedFrom: saved.superstep } : {}),
  });
  return state;
}

/** The solution set of a delta iteration: records indexed by key, in first-insertion order. */
class SolutionSet implements SolutionIndex {
  readonly index = new Map<unknown, unknown>();

  constructor(
    readonly key: CompiledKey,
    private readonly operator: string,
  ) {}

  get(canonical: unknown): unknown {
    return this.index.get(canonical);
  }

  /** Inserts or replaces records by key; with several records of one key the last wins. */
  merge(records: Iterable<unknown>): void {
    for (const record of records)
      this.index.set(canonicalKey(keyOf(this.key, record, this.operator)), record);
  }

  /** The records, hash-partitioned by key. */
  partitions(count: number): Partitions {
    const partitions: Partitions = Array.from({ length: count }, () => []);
    for (const [canonical, record] of this.index)
      partitions[count === 1 ? 0 : hashKey(canonical) % count].push(record);
    return partitions;
  }
}

/** Runs a delta iteration and returns the final solution set. */
export async function runDeltaIteration(
  executor: Executor,
  node: PlanNode,
  scope: Scope,
): Promise<Partitions> {
  const spec = node.delta!;
  const { definition } = spec;
  const operator = nodeName(node);
  const initialSolution = (await executor.evaluate(spec.initialSolution, scope)).partitions;
  let workset = (await executor.evaluate(spec.initialWorkset, scope)).partitions;
  const solution = new SolutionSet(spec.key, operator);
  const frame = new IterationFrame(definition.name, definition.aggregators, scope.frame);
  const checkpoint = openCheckpoint(node, [initialSolution, workset]);
  const saved = checkpoint?.load();
  let superstep = 0;
  if (saved) {
    solution.merge(saved.solution!);
    workset = saved.workset!;
    superstep = saved.superstep;
    frame.restoreValues(saved.previousAggregates);
  } else {
    for (const partition of initialSolution) {
      for (const record of partition) {
        const canonical = canonicalKey(keyOf(spec.key, record, operator));
        if (solution.index.has(canonical)) {
          throw new EddyError(
            `${operator}: the initial solution set has two records with key ${JSON.stringify(canonical)}; keys must be unique`,
          );
        }
        solution.index.set(canonical, record);
      }
    }
  }
  const heads = iterationHeads(node);
  const memo = new Map<PlanNode, boolean>();
  const parallelism = spec.solutionHead.parallelism;
  let stoppedBy: StopReason = 'maxIterations';
  while (superstep < definition.maxIterations) {
    if (isEmpty(workset)) {
      stoppedBy = 'emptyWorkset';
      break;
    }
    superstep++;
    frame.begin(superstep);
    // Most steps only look records up by key, so the partitioned view is built on demand.
    let view: Partitions | undefined;
    const solutionInput: OperatorInput = {
      solution,
      get partitions() {
        view ??= solution.partitions(parallelism);
        return view;
      },
    };
    const bindings = new Map<PlanNode, OperatorInput>([
      [spec.solutionHead, solutionInput],
      [spec.worksetHead, { partitions: workset }],
    ]);
    const step = new Scope(scope, heads, bindings, frame, memo);
    const delta = (await executor.evaluate(spec.delta, step)).partitions;
    const nextWorkset = (await executor.evaluate(spec.nextWorkset, step)).partitions;
    frame.end();
    for (const partition of delta) solution.merge(partition);
    workset = nextWorkset;
    if (converged(frame, node, superstep)) {
      stoppedBy = 'convergence';
      break;
    }
    if (checkpoint && superstep % checkpoint.every === 0 && superstep < definition.maxIterations) {
      checkpoint.save({
        superstep,
        previousAggregates: frame.savedValues(),
        solution: [...solution.index.values()],
        workset,
      });
    }
  }
  if (stoppedBy === 'maxIterations' && superstep < definition.maxIterations) stoppedBy = 'emptyWorkset';
  checkpoint?.clear();
  executor.report.iterations.push({
    name: definition.name,
    kind: 'delta',
    supersteps: superstep,
    stoppedBy,
    ...(saved ? { resumedFrom: saved.superstep } : {}),
  });
  return solution.partitions(node.parallelism);
}
