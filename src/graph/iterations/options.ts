/**
 * What the three iteration models (vertex-centric, scatter-gather, gather-sum-apply) share:
 * their options (Gelly's iteration configuration), aggregators with previous-superstep values,
 * broadcast sets, and the result type.
 */
import { ParamError } from '../../core/errors.js';
import type { ConvergenceCriterion } from '../../dataset/aggregators.js';
import type { CheckpointOptions } from '../../dataset/plan.js';
import type { EdgeDirection, Graph } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';

/** A combiner of numbers that runs on typed buffers, or any function of two values. */
export type Combiner<M> = 'sum' | 'min' | 'max' | ((a: M, b: M) => M);

/** An aggregator: a start value and an associative, commutative combination. */
export interface AggregatorSpec<T> {
  initial: T | (() => T);
  aggregate(accumulated: T, value: T): T;
}

/**
 * Saving the state of an iteration between supersteps: the DataSet engine's options (`dir`,
 * `every`), so graph and DataSet iterations are checkpointed alike. The latest checkpoint in
 * `dir` replaces the previous one.
 */
export type GraphCheckpointOptions = Pick<CheckpointOptions, 'dir' | 'every'>;

/** Options every iteration model takes (Gelly's iteration configuration, and eddy's extras). */
export interface IterationOptions {
  /** A name, shown in errors and stored in checkpoints. */
  name?: string;
  /** The most supersteps to run (required, as in Gelly). */
  maxIterations: number;
  /** Aggregators by name; each superstep sees the previous superstep's final value. */
  aggregators?: Record<string, 'sum' | 'min' | 'max' | AggregatorSpec<unknown>>;
  /**
   * Stop after the first superstep whose value of aggregator `aggregator` satisfies
   * `criterion` (the DataSet engine's convergence criterion): for a fixed point the models'
   * own test (no message, no active vertex) does not see, like labels that no longer change
   * while vertices keep sending them. The result then reports `converged: true`.
   */
  convergence?: { aggregator: string; criterion: ConvergenceCriterion<unknown> };
  /** Read-only data every vertex function can read by name (Gelly's broadcast sets). */
  broadcastSets?: Record<string, unknown>;
  /** Along which edges messages travel and which edges `getEdges` lists (default `'out'`). */
  direction?: EdgeDirection;
  /** Make the vertex count available to vertex functions (Gelly's setOptNumVertices). */
  numberOfVertices?: boolean;
  /** Make in- and out-degrees available to vertex functions (Gelly's setOptDegrees). */
  degrees?: boolean;
  /**
   * `'auto'` (default) runs numeric programs on typed buffers (no allocation per message) and
   * everything else on general values; `'general'` forces the general path (same answers).
   */
  execution?: 'auto' | 'general';
  /** Save the state every `every` supersteps. */
  checkpoint?: GraphCheckpointOptions;
  /** Resume from the checkpoint in this directory instead of starting at superstep 1. */
  resumeFrom?: string;
}

/** What an iteration returns. */
export interface IterationResult<K extends VertexKey, VV, EV> {
  /** The input graph with the final vertex values. */
  graph: Graph<K, VV, EV>;
  /** Number of supersteps run (counting those before a resumed checkpoint). */
  iterations: number;
  /** Whether it stopped because nothing changed, rather than at `maxIterations`. */
  converged: boolean;
  /** The final value of every aggregator. */
  aggregates: Record<string, unknown>;
}

/** Checks the options every model shares and fills in defaults. */
export function checkIterationOptions(
  options: IterationOptions,
): Required<Pick<IterationOptions, 'name' | 'maxIterations' | 'direction' | 'execution'>> {
  const maxIterations = options.maxIterations;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ParamError('maxIterations', maxIterations, 'an integer >= 1');
  }
  const direction = options.direction ?? 'out';
  if (direction !== 'in' && direction !== 'out' && direction !== 'all') {
    throw new ParamError('direction', direction, "'in', 'out' or 'all'");
  }
  const execution = options.execution ?? 'auto';
  if (execution !== 'auto' && execution !== 'general') {
    throw new ParamError('execution', execution, "'auto' or 'general'");
  }
  const interval = options.checkpoint?.every ?? 1;
  if (options.checkpoint !== undefined && (!Number.isInteger(interval) || interval < 1)) {
    throw new ParamError('checkpoint.every', interval, 'an integer >= 1');
  }
  const convergence = options.convergence;
  if (convergence !== undefined) {
    if (typeof convergence.criterion !== 'function') {
      throw new ParamError(
        'convergence.criterion',
        convergence.criterion,
        'a function (value, superstep) => boolean',
      );
    }
    if (options.aggregators?.[convergence.aggregator] === undefined) {
      throw new ParamError(
        'convergence.aggregator',
        convergence.aggregator,
        `a registered aggregator (${Object.keys(options.aggregators ?? {}).join(', ') || 'none'})`,
      );
    }
  }
  return { name: options.name ?? 'iteration', maxIterations, direction, execution };
}

/** The combination function of a combiner. */
export function combineFunction<M>(combiner: Combiner<M>): (a: M, b: M) => M {
  if (typeof combiner === 'function') return combiner;
  switch (combiner) {
    case 'sum':
      return ((a: number, b: number) => a + b) as unknown as (a: M, b: M) => M;
    case 'min':
      return ((a: number, b: number) => (b < a ? b : a)) as unknown as (a: M, b: M) => M;
    case 'max':
      return ((a: number, b: number) => (b > a ? b : a)) as unknown as (a: M, b: M) => M;
    default:
      throw new ParamError('combiner', combiner, "'sum', 'min', 'max' or a function");
  }
}

/** Aggregators: values collected during a superstep, visible to the next one. */
export class Aggregators {
  private readonly specs: Map<string, AggregatorSpec<unknown>>;
  private current = new Map<string, unknown>();
  private previous = new Map<string, unknown>();

  constructor(definitions: IterationOptions['aggregators'] = {}) {
    this.specs = new Map();
    for (const [name, definition] of Object.entries(definitions)) {
      this.specs.set(name, typeof definition === 'string' ? builtInAggregator(name, definition) : definition);
    }
    this.reset();
  }

  /** Adds `value` to the aggregator `name` for this superstep. */
  aggregate(name: string, value: unknown): void {
    const spec = this.spec(name);
    this.current.set(name, spec.aggregate(this.current.get(name), value));
  }

  /** The aggregator's value at the end of the previous superstep (its initial value in superstep 1). */
  previousValue(name: string): unknown {
    this.spec(name);
    return this.previous.get(name);
  }

  /** Ends a superstep: what was aggregated becomes the previous value. */
  endSuperstep(): void {
    this.previous = this.current;
    this.current = new Map();
    this.reset(false);
  }

  /** The previous-superstep values (for results and checkpoints). */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries(this.previous);
  }

  /**
   * Whether the convergence criterion of `options` holds for the superstep that just ended
   * (false without one).
   */
  converged(options: IterationOptions, superstep: number): boolean {
    const convergence = options.convergence;
    return convergence?.criterion(this.previousValue(convergence.aggregator), superstep) === true;
  }

  /** Restores previous-superstep values from a checkpoint. */
  restore(values: Record<string, unknown>): void {
    this.previous = new Map(Object.entries(values));
  }

  private reset(both = true): void {
    for (const [name, spec] of this.specs) {
      const initial = typeof spec.initial === 'function' ? (spec.initial as () => unknown)() : spec.initial;
      this.current.set(name, initial);
      if (both) this.previous.set(name, initial);
    }
  }

  private spec(name: string): AggregatorSpec<unknown> {
    const spec = this.specs.get(name);
    if (spec === undefined) {
      throw new ParamError(
        'aggregator',
        name,
        `a registered aggregator (${[...this.specs.keys()].join(', ') || 'none'})`,
      );
    }
    return spec;
  }
}

function builtInAggregator(name: string, kind: string): AggregatorSpec<unknown> {
  if (kind === 'sum') return { initial: 0, aggregate: (a, b) => (a as number) + (b as number) };
  if (kind === 'min')
    return { initial: Number.POSITIVE_INFINITY, aggregate: (a, b) => Math.min(a as number, b as number) };
  if (kind === 'max')
    return { initial: Number.NEGATIVE_INFINITY, aggregate: (a, b) => Math.max(a as number, b as number) };
  throw new ParamError(`aggregators.${name}`, kind, "'sum', 'min', 'max' or { initial, aggregate }");
}

/** The broadcast set `name`, or a ParamError listing the ones there are. */
export function broadcastSet(sets: Record<string, unknown> | undefined, name: string): unknown {
  if (sets === undefined || !(name in sets)) {
    throw new ParamError(
      'broadcast set',
      name,
      `one of ${Object.keys(sets ?? {}).join(', ') || '(none registered)'}`,
    );
  }
  return sets[name];
}
