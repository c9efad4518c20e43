/**
 * Side outputs (Flink's OutputTag): a process function emits values of other types next to its
 * main output with `context.output(tag, value)`, and `stream.getSideOutput(tag)` is a stream of
 * them. Inside the job they travel as side events in the producing operator's output, next to
 * its records; the main stream and each side stream read that output through the job's
 * fan-out, so the producer runs once and a side stream's sink commits at the same barriers as
 * the main sink: side outputs are exactly-once like the main output.
 */
import { ParamError } from '../core/errors.js';
import type { StreamEvent } from './events.js';

/** Names a side output whose values are of type `T`. */
export class OutputTag<T> {
  /** The tag's name; two tags with the same id are the same side output. */
  readonly id: string;
  /** Never set: carries `T` so that `getSideOutput(tag)` is typed. */
  declare readonly valueType?: T;

  constructor(id: string) {
    if (typeof id !== 'string' || id.length === 0)
      throw new ParamError('OutputTag id', id, 'a non-empty string');
    this.id = id;
  }
}

/** Values for a side output, in the producing operator's output (internal to the job). */
export interface SideEvent {
  readonly kind: 'side';
  readonly tag: string;
  readonly records: readonly unknown[];
  readonly timestamps?: Float64Array;
}

/** What an operator with side outputs yields. */
export type EventOrSide<T> = StreamEvent<T> | SideEvent;

/**
 * The output of one call of a process function: main records and side values with their
 * event times, turned into events by {@link OperatorOutput.drain}.
 */
export class OperatorOutput<O> {
  private records: O[] = [];
  private times: number[] = [];
  private readonly sides = new Map<string, { records: unknown[]; times: number[] }>();

  /** Adds a main record with its event time (NaN when the stream has none). */
  collect(value: O, timestamp: number): void {
    this.records.push(value);
    this.times.push(timestamp);
  }

  /** Adds a value for the side output `tag`. */
  output<T>(tag: OutputTag<T>, value: T, timestamp: number): void {
    if (!(tag instanceof OutputTag)) throw new ParamError('tag', tag, 'an OutputTag');
    let side = this.sides.get(tag.id);
    if (!side) this.sides.set(tag.id, (side = { records: [], times: [] }));
    side.records.push(value);
    side.times.push(timestamp);
  }

  /** The collected values as events (side events first), leaving the output empty. */
  drain(): EventOrSide<O>[] {
    const events: EventOrSide<O>[] = [];
    for (const [tag, side] of this.sides) {
      if (side.records.length === 0) continue;
      events.push({ kind: 'side', tag, records: side.records, timestamps: timesOf(side.times) });
      side.records = [];
      side.times = [];
    }
    if (this.records.length > 0) {
      events.push({ kind: 'records', records: this.records, timestamps: timesOf(this.times) });
      this.records = [];
      this.times = [];
    }
    return events;
  }
}

/** Event times as the events carry them: none when the stream has no event time. */
function timesOf(times: number[]): Float64Array | undefined {
  for (const time of times) if (!Number.isNaN(time)) return Float64Array.from(times);
  return undefined;
}

/** The main output of an operator with side outputs: its side events left out. */
export async function* mainOutput<T>(input: AsyncIterable<EventOrSide<T>>): AsyncIterable<StreamEvent<T>> {
  for await (const event of input) if (event.kind !== 'side') yield event;
}

/** The side output `tag` of an operator: its values become records; watermarks and barriers pass. */
export async function* sideOutput<T>(
  input: AsyncIterable<EventOrSide<unknown>>,
  tag: OutputTag<T>,
): AsyncIterable<StreamEvent<T>> {
  for await (const event of input) {
    if (event.kind === 'side') {
      if (event.tag === tag.id)
        yield { kind: 'records', records: event.records as T[], timestamps: event.timestamps };
    } else if (event.kind !== 'records') yield event;
  }
}
