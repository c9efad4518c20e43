/**
 * Iterations: options shared by bulk and delta iterations, and the delta iteration builder
 * (the bulk one, `IterativeDataSet`, is a DataSet and lives with it in dataset.ts).
 */
import { ParamError } from '../core/errors.js';
import type { Aggregator, ConvergenceCriterion } from './aggregators.js';
import { DataSet } from './dataset.js';
import type { CompiledKey } from './keys.js';
import { type CheckpointOptions, createNode, type IterationDefinition, type PlanNode } from './plan.js';

/** Options of `iterate` and `iterateDelta`. */
export interface IterationOptions {
  /** Name shown by explain() and in reports. Default: `iteration-<n>`. */
  name?: string;
  /**
   * Save the iteration's state every `every` supersteps under `dir`; running the same plan on
   * the same input again resumes from the last saved superstep.
   */
  checkpoint?: CheckpointOptions;
}

/** @internal Throws unless the iteration is still open (`closeWith` not called yet). */
export function checkIterationOpen(definition: IterationDefinition): void {
  if (definition.closed) throw new ParamError('iteration', definition.name, 'an iteration not closed yet');
}

/** @internal Registers an aggregator on an open iteration, bulk or delta. */
export function registerIterationAggregator(
  definition: IterationDefinition,
  name: string,
  aggregator: Aggregator<unknown>,
): void {
  checkIterationOpen(definition);
  if (definition.aggregators.has(name))
    throw new ParamError('name', name, 'an aggregator name not registered yet');
  definition.aggregators.set(name, aggregator);
}

/** @internal Registers an iteration's one convergence criterion and its aggregator. */
export function registerIterationConvergence(
  definition: IterationDefinition,
  name: string,
  aggregator: Aggregator<unknown>,
  criterion: ConvergenceCriterion<unknown>,
): void {
  if (definition.convergence)
    throw new ParamError('criterion', name, 'one convergence criterion per iteration');
  registerIterationAggregator(definition, name, aggregator);
  definition.convergence = { name, criterion };
}

let iterationCount = 0;

/** @internal A new, open iteration definition. */
export function iterationDefinition(
  kind: 'bulk' | 'delta',
  maxIterations: number,
  options: IterationOptions,
): IterationDefinition {
  iterationCount++;
  if (options.checkpoint !== undefined) {
    const { dir, every = 1 } = options.checkpoint;
    if (typeof dir !== 'string' || dir === '')
      throw new ParamError('checkpoint.dir', dir, 'a directory path');
    if (!Number.isInteger(every) || every < 1)
      throw new ParamError('checkpoint.every', every, 'an integer >= 1');
  }
  return {
    kind,
    name: options.name ?? `iteration-${iterationCount}`,
    maxIterations,
    aggregators: new Map(),
    checkpoint: options.checkpoint,
    closed: false,
  };
}

/**
 * A delta iteration: `solutionSet` and `workset` are the data sets inside the step. Close
 * it with `closeWith(solutionSetDelta, nextWorkset)`: delta records replace the solution
 * records with the same key (or are added), and the iteration stops when the workset is
 * empty or after `maxIterations` supersteps. Joins and coGroups with `solutionSet` on its
 * key look records up in an index instead of scanning the solution set.
 */
export class DeltaIteration<S, W> {
  /** The solution set inside the step. */
  readonly solutionSet: DataSet<S>;
  /** The workset inside the step. */
  readonly workset: DataSet<W>;
  private readonly definition: IterationDefinition;

  /** @internal Made by `DataSet.iterateDelta`. */
  constructor(
    private readonly initialSolution: DataSet<S>,
    private readonly initialWorkset: DataSet<W>,
    maxIterations: number,
    private readonly key: CompiledKey<S>,
    private readonly keyFunctions: string[],
    options: IterationOptions,
  ) {
    this.definition = iterationDefinition('delta', maxIterations, options);
    const environment = initialSolution.environment;
    this.solutionSet = new DataSet<S>(
      environment,
      createNode({
        kind: 'solution-set',
        operation: 'solution set',
        detail: `key ${key.description}`,
        title: this.definition.name,
        inputs: [],
        parallelism: environment.parallelism,
        iteration: this.definition,
      }),
    );
    this.workset = new DataSet<W>(
      environment,
      createNode({
        kind: 'workset',
        operation: 'workset',
        title: this.definition.name,
        inputs: [],
        parallelism: initialWorkset.node.parallelism,
        iteration: this.definition,
      }),
    );
  }

  /** Registers an aggregator that functions of the step add to with `context.aggregate(name, value)`. */
  registerAggregator<V>(name: string, aggregator: Aggregator<V>): this {
    registerIterationAggregator(this.definition, name, aggregator as Aggregator<unknown>);
    return this;
  }

  /** Registers an aggregator and stops after the first superstep whose value satisfies `criterion`. */
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

  /** Closes the iteration and returns the final solution set. */
  closeWith(solutionSetDelta: DataSet<S>, nextWorkset: DataSet<W>): DataSet<S> {
    checkIterationOpen(this.definition);
    this.definition.closed = true;
    const node: PlanNode = createNode({
      kind: 'delta',
      operation: 'delta iteration',
      title: this.definition.name,
      inputs: [this.initialSolution.node, this.initialWorkset.node],
      parallelism: this.solutionSet.node.parallelism,
      functions: [String(this.definition.maxIterations), ...this.keyFunctions],
      delta: {
        definition: this.definition,
        solutionHead: this.solutionSet.node,
        worksetHead: this.workset.node,
        initialSolution: this.initialSolution.node,
        initialWorkset: this.initialWorkset.node,
        key: this.key as CompiledKey,
        delta: solutionSetDelta.node,
        nextWorkset: nextWorkset.node,
      },
    });
    return new DataSet<S>(this.initialSolution.environment, node);
  }
}
