/**
 * The state of a running iteration that user functions see through their context: the
 * superstep number and the aggregators (this superstep's running values, the previous
 * superstep's final ones). Frames nest like iterations do; names resolve innermost first.
 */
import { EddyError } from '../../core/errors.js';
import type { Aggregator } from '../aggregators.js';
import type { AggregationSink } from '../context.js';

export class IterationFrame implements AggregationSink {
  superstep = 0;
  private current = new Map<string, unknown>();
  private last = new Map<string, unknown>();

  constructor(
    readonly name: string,
    readonly aggregators: ReadonlyMap<string, Aggregator<unknown>>,
    readonly parent: IterationFrame | undefined,
  ) {}

  /** Begins superstep `superstep`: every aggregator restarts from its zero. */
  begin(superstep: number): void {
    this.superstep = superstep;
    this.current = new Map();
    for (const [name, aggregator] of this.aggregators) this.current.set(name, aggregator.zero());
  }

  /** Ends the superstep: its values become the ones `previous` reads. */
  end(): void {
    this.last = this.current;
  }

  add(name: string, value: unknown): void {
    const owner = this.owner(name);
    if (!owner) {
      throw new EddyError(
        `no aggregator named '${name}' is registered on iteration '${this.name}' (registerAggregator(name, aggregator) adds one)`,
      );
    }
    const aggregator = owner.aggregators.get(name)!;
    owner.current.set(name, aggregator.add(owner.current.get(name), value));
  }

  previous(name: string): unknown {
    return this.owner(name)?.last.get(name);
  }

  /** The value aggregator `name` reached in the superstep that just ended. */
  finalValue(name: string): unknown {
    return this.last.get(name);
  }

  /** Every aggregator visible from this frame with its previous value (innermost wins). */
  visible(): Map<string, { aggregator: Aggregator<unknown>; previous: unknown }> {
    const result = new Map<string, { aggregator: Aggregator<unknown>; previous: unknown }>();
    for (let frame: IterationFrame | undefined = this; frame; frame = frame.parent) {
      for (const [name, aggregator] of frame.aggregators) {
        if (!result.has(name)) result.set(name, { aggregator, previous: frame.last.get(name) });
      }
    }
    return result;
  }

  /** The previous values, for checkpoints. */
  savedValues(): [string, unknown][] {
    return [...this.last];
  }

  /** Restores previous values from a checkpoint. */
  restoreValues(values: readonly [string, unknown][]): void {
    this.last = new Map(values);
  }

  private owner(name: string): IterationFrame | undefined {
    for (let frame: IterationFrame | undefined = this; frame; frame = frame.parent) {
      if (frame.aggregators.has(name)) return frame;
    }
    return undefined;
  }
}
