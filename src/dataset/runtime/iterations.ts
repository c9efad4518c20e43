/**
 * Running bulk and delta iterations: the superstep loop, aggregators and convergence,
 * termination criteria, the solution set index, and checkpoints between supersteps.
 */
import { EddyError } from '../../core/errors.js';
import { type CompiledKey, canonicalKey, hashKey, keyOf } from '../keys.js';
import {
  dependencies,
  dependsOn,
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

/**
 * The data sets an iteration's step reads besides its heads (joined or broadcast data, which
 * are the same in every superstep): the roots of the step's parts that do not read a head.
 */
function stepInputs(node: PlanNode, memo: Map<PlanNode, boolean>): PlanNode[] {
  const heads = iterationHeads(node);
  const found = new Set<PlanNode>();
  const seen = new Set<PlanNode>();
  const visit = (current: PlanNode) => {
    if (seen.has(current)) return;
    seen.add(current);
    if (!dependsOn(current, heads, memo)) {
      found.add(current);
      return;
    }
    for (const input of dependencies(current)) visit(input);
  };
  const body = node.bulk
    ? [node.bulk.next, node.bulk.termination]
    : [node.delta!.delta, node.delta!.nextWorkset];
  for (const part of body) if (part) visit(part);
  return [...found];
}

/**
 * Opens the iteration's checkpoint, fingerprinted by its plan, its initial inputs and the data
 * of every other input its step reads (evaluated here, in the enclosing scope, where the
 * supersteps find them cached).
 */
async function openCheckpoint(
  executor: Executor,
  node: PlanNode,
  scope: Scope,
  initial: Partitions[],
  memo: Map<PlanNode, boolean>,
): Promise<IterationCheckpoint | undefined> {
  const definition = (node.bulk ?? node.delta)!.definition;
  if (!definition.checkpoint) return undefined;
  const inputs = [...initial];
  for (const input of stepInputs(node, memo)) inputs.push((await executor.evaluate(input, scope)).partitions);
  return IterationCheckpoint.open(
    definition.checkpoint,
    iterationFingerprint(node, inputs, definition.checkpoint.tag ?? ''),
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
  const memo = new Map<PlanNode, boolean>();
  const checkpoint = await openCheckpoint(executor, node, scope, [state], memo);
  const saved = await checkpoint?.load();
  let superstep = 0;
  if (saved) {
    state = saved.partitions!;
    superstep = saved.superstep;
    frame.restoreValues(saved.previousAggregates);
  }
  const heads = iterationHeads(node);
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
        await checkpoint.save({ superstep, previousAggregates: frame.savedValues(), partitions: state });
      }
      continue;
    }
    break;
  }
  await checkpoint?.clear();
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
  const memo = new Map<PlanNode, boolean>();
  const checkpoint = await openCheckpoint(executor, node, scope, [initialSolution, workset], memo);
  const saved = await checkpoint?.load();
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
      await checkpoint.save({
        superstep,
        previousAggregates: frame.savedValues(),
        solution: [...solution.index.values()],
        workset,
      });
    }
  }
  if (stoppedBy === 'maxIterations' && superstep < definition.maxIterations) stoppedBy = 'emptyWorkset';
  await checkpoint?.clear();
  executor.report.iterations.push({
    name: definition.name,
    kind: 'delta',
    supersteps: superstep,
    stoppedBy,
    ...(saved ? { resumedFrom: saved.superstep } : {}),
  });
  return solution.partitions(node.parallelism);
}
