/**
 * The NFA that runs a compiled pattern over events, as Flink's NFA does: a set of partial
 * matches (computation states), each a state of the automaton plus a pointer into the
 * {@link SharedBuffer}; every event moves each partial match along the transitions whose
 * conditions hold, forking where several do. Events must come in event-time order (the CEP
 * operator sorts them up to the watermark).
 */
import { EddyError } from '../core/errors.js';
import type { JsonValue } from '../stream/events.js';
import {
  type CompiledNfa,
  compileNfa,
  type NegatedCondition,
  type NfaState,
  type Transition,
} from './compiler.js';
import type { Condition, Pattern, SkipStrategy } from './pattern.js';
import {
  addStage,
  type BufferNode,
  type BufferPointer,
  type DeweyNumber,
  increase,
  SharedBuffer,
} from './shared-buffer.js';

/** A match: the events of each step, by step name, oldest first. */
export type Match<T> = Record<string, T[]>;

/** A partial match that ran out of time, and when it did. */
export interface TimedOutMatch<T> {
  match: Match<T>;
  /** Start of the match plus the pattern's window. */
  timestamp: number;
}

/** What one call of the NFA found. */
export interface NfaOutput<T> {
  readonly matches: readonly Match<T>[];
  readonly timedOut: readonly TimedOutMatch<T>[];
}

/**
 * The events a partial match took, newest first, each pointing at those before it (partial
 * matches that share a prefix share it): what conditions and emitted matches read, without a
 * walk of the shared buffer's versioned edges. A restored partial match rebuilds it from the
 * buffer (see NFA.restore).
 */
interface TakenEvent<T> {
  readonly name: string;
  readonly eventId: number;
  readonly event: T;
  readonly before: TakenEvent<T> | null;
  /** The events by step name, once an iterative condition asked for them. */
  match: Match<T> | undefined;
}

/** A partial match: where it is in the automaton and where its events are in the buffer. */
interface ComputationState<T = unknown> {
  state: number;
  previous: BufferNode<T> | null;
  version: DeweyNumber;
  startTimestamp: number;
  /** Id of its first event, or -1 for the start state's waiting computation. */
  startEventId: number;
  /** Its events (null: none yet). */
  taken: TakenEvent<T> | null;
}

/** A skip strategy broke its own rule (Flink's `throwExceptionOnMiss`). */
export class SkipStrategyError extends EddyError {}

const NO_START = -1;

/** Orders partial matches by their first event; the waiting start computation comes last. */
function compareStates(a: ComputationState, b: ComputationState): number {
  const x = a.startEventId === NO_START ? Number.POSITIVE_INFINITY : a.startEventId;
  const y = b.startEventId === NO_START ? Number.POSITIVE_INFINITY : b.startEventId;
  return x - y;
}

/**
 * Scratch lists of computeNextStates, shared by every NFA (one runs at a time, and an NFA is
 * made for every key) and reused for every partial match and event; written through counts,
 * since setting an array's length is a call into the runtime.
 */
const scratch = {
  successors: [] as ComputationState<never>[],
  edges: [] as Transition<never>[],
  pending: [] as NfaState<never>[],
};

/**
 * Sorts partial matches by their first event. They come out of an event in that order already
 * (each follows the one it came from, and forks of the waiting start computation start with
 * the newest event), so the sort runs only when that is not so.
 */
function sortByStart<T>(list: ComputationState<T>[]): ComputationState<T>[] {
  for (let i = 1; i < list.length; i++) {
    if (compareStates(list[i - 1], list[i]) > 0) return list.sort(compareStates);
  }
  return list;
}

/** No matches: what most calls return, instead of a new empty array each time. */
const NONE: readonly never[] = Object.freeze([]);
/** Nothing timed out and nothing matched: what most calls of advanceTime return. */
export const NOTHING: NfaOutput<never> = Object.freeze({ matches: NONE, timedOut: NONE });

/** The automaton of one pattern with the partial matches of one key. */
export class NFA<T> {
  private readonly compiled: CompiledNfa<T>;
  private readonly skip: SkipStrategy;
  private readonly buffer = new SharedBuffer<T>();
  private partial: ComputationState<T>[] = [];
  /** The partial matches of a new NFA. */
  private readonly initial: readonly ComputationState<T>[];
  /** Matches held back until no partial match that started earlier can still complete (skip strategies). */
  private completed: ComputationState<T>[] = [];
  private nextEventId = 0;
  /** Partial matches that took an event (all but the waiting start computation). */
  private started = 0;
  /**
   * No partial match started before this (+Infinity when none did): a bound kept on every
   * change, so that the check for timed-out partial matches before each event costs one
   * comparison. Removing partial matches may leave it too low, which costs one exact scan.
   */
  private earliestStart = Number.POSITIVE_INFINITY;
  // What conditions are evaluated on (see begin/holds): fields, not closures, on the hot path.
  private current: ComputationState<T> | undefined;
  private event: T | undefined;
  private lastCondition: Condition<T> | undefined;
  private lastResult = false;
  /** The list that becomes {@link partial} at the next event (two lists take turns: none made per event). */
  private spare: ComputationState<T>[] = [];
  /** How many entries of {@link scratch}.successors the current event made. */
  private successorCount = 0;
  /** What iterative conditions see: the current partial match's events, grouped only when asked. */
  private readonly context: { timestamp: number; events(name: string): T[] } = {
    timestamp: 0,
    events: (name) => {
      const taken = this.current!.taken;
      if (taken === null) return [];
      taken.match ??= eventsOf(taken);
      return taken.match[name] ?? [];
    },
  };

  /** An NFA for `pattern` (or the automaton already compiled from it, shared by many keys). */
  constructor(pattern: Pattern<T> | CompiledNfa<T>, skip?: SkipStrategy) {
    this.compiled = 'states' in pattern ? pattern : compileNfa(pattern);
    this.skip = skip ?? ('states' in pattern ? { kind: 'noSkip' } : pattern.skipStrategy);
    // Partial matches are never changed once made (a changed one is a new object), so the
    // waiting start computations of a new NFA can be the same objects every time.
    this.initial = this.compiled.states
      .filter((state) => state.kind === 'start')
      .map((state) => startComputation<T>(state.index, [1]));
    this.reset();
  }

  /** Back to the state of a new NFA, with nothing taken (so that a key's NFA can serve another key). */
  reset(): this {
    this.partial.length = 0;
    for (const computation of this.initial) this.partial.push(computation);
    if (this.completed.length > 0) this.completed = [];
    this.nextEventId = 0;
    this.started = 0;
    this.earliestStart = Number.POSITIVE_INFINITY;
    this.buffer.reset();
    return this;
  }

  /** The pattern's window in ms (0: none). */
  get windowTime(): number {
    return this.compiled.windowTime;
  }

  /** Partial matches now held, the waiting start computation included. */
  get partialMatchCount(): number {
    return this.partial.length;
  }

  /** Events and nodes that the partial matches hold in the shared buffer (each event once). */
  get bufferSize(): { events: number; nodes: number } {
    return this.buffer.size(this.pointers());
  }

  /** Whether the NFA holds nothing but its start computation (a key whose state can be dropped). */
  get isEmpty(): boolean {
    return this.completed.length === 0 && this.started === 0;
  }

  /**
   * When the earliest partial match times out (its start plus the window), or +Infinity; never
   * later than that (an {@link advanceTime} call makes it exact).
   */
  get nextTimeout(): number {
    const windowTime = this.compiled.windowTime;
    return windowTime <= 0 ? Number.POSITIVE_INFINITY : this.earliestStart + windowTime;
  }

  /**
   * Drops the partial matches that can no longer complete by time `timestamp`: those whose
   * first event is `windowTime` or more before it. Returns them, and the held matches that
   * their end lets out. A partial match waiting in the PENDING state of a pattern that ends
   * with `notFollowedBy` is a match when its window closes (as in Flink).
   */
  advanceTime(timestamp: number, collectTimedOut = true): NfaOutput<T> {
    const windowTime = this.compiled.windowTime;
    const oldest = timestamp - windowTime;
    // Most calls find nothing expired: one comparison.
    if (windowTime <= 0 || this.earliestStart > oldest) return NOTHING;
    const kept: ComputationState<T>[] = [];
    const timedOut: TimedOutMatch<T>[] = [];
    const completed: ComputationState<T>[] = [];
    const states = this.compiled.states;
    let earliest = Number.POSITIVE_INFINITY;
    for (const computation of this.partial) {
      if (computation.startEventId === NO_START || computation.startTimestamp > oldest) {
        kept.push(computation);
        if (computation.startEventId !== NO_START && computation.startTimestamp < earliest)
          earliest = computation.startTimestamp;
      } else if (states[computation.state].kind === 'pending') {
        completed.push(computation);
      } else if (collectTimedOut) {
        timedOut.push({
          match: eventsOf(computation.taken),
          timestamp: computation.startTimestamp + windowTime,
        });
      }
    }
    this.earliestStart = earliest;
    if (kept.length === this.partial.length) return NOTHING;
    this.started -= this.partial.length - kept.length;
    this.partial = kept;
    const matches: Match<T>[] = [];
    this.releaseMatches(completed, matches);
    if (this.buffer.sweepDue) this.buffer.sweep(this.pointers());
    return { matches, timedOut };
  }

  /** Feeds one event with its time; returns the matches it completes. */
  process(event: T, timestamp: number): readonly Match<T>[] {
    const eventId = this.nextEventId++;
    const states = this.compiled.states;
    const successors = scratch.successors as ComputationState<T>[];
    const next = this.spare;
    let count = 0;
    let potential: ComputationState<T>[] | undefined;
    const partial = this.partial;
    for (let p = 0; p < partial.length; p++) {
      const computation = partial[p];
      this.successorCount = 0;
      this.computeNextStates(computation, event, eventId, timestamp);
      const mark = count;
      let discard = false;
      for (let i = 0; i < this.successorCount; i++) {
        const state = successors[i];
        const kind = states[state.state].kind;
        if (kind === 'final') (potential ??= []).push(state);
        else if (kind === 'stop') discard = true;
        else next[count++] = state;
      }
      // A negative step matched: this branch and every fork of it from this event end here.
      if (discard) count = mark;
    }
    if (next.length !== count) next.length = count;
    let started = 0;
    let earliest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const computation = next[i];
      if (computation.startEventId !== NO_START) {
        started++;
        if (computation.startTimestamp < earliest) earliest = computation.startTimestamp;
      }
    }
    sortByStart(next);
    this.spare = this.partial;
    this.partial = next;
    this.started = started;
    this.earliestStart = earliest;
    let matches: readonly Match<T>[] = NONE;
    if (potential !== undefined || this.completed.length > 0) {
      const found: Match<T>[] = [];
      this.releaseMatches(potential === undefined ? NONE : sortByStart(potential), found);
      if (found.length > 0) matches = found;
    }
    if (this.buffer.sweepDue) this.buffer.sweep(this.pointers());
    return matches;
  }

  /** Emits completed matches, applying the skip strategy (which may have to wait for earlier partial matches). */
  private releaseMatches(potential: readonly ComputationState<T>[], out: Match<T>[]): void {
    if (this.skip.kind === 'noSkip') {
      for (let i = 0; i < potential.length; i++) out.push(eventsOf(potential[i].taken));
      return;
    }
    if (potential.length > 0) this.completed = this.completed.concat(potential).sort(compareStates);
    let pruned = false;
    while (this.completed.length > 0) {
      const earliest = this.completed[0];
      const earliestPartial = this.partial[0];
      if (earliestPartial !== undefined && compareStates(earliest, earliestPartial) > 0) break;
      this.completed.shift();
      const pruning = this.pruningId(earliest);
      if (pruning !== undefined) {
        const strictly = this.skip.kind === 'skipToFirst' || this.skip.kind === 'skipToLast';
        const keep = (c: ComputationState) =>
          c.startEventId === NO_START || (strictly ? c.startEventId >= pruning : c.startEventId > pruning);
        this.partial = this.partial.filter(keep);
        this.completed = this.completed.filter(keep);
        pruned = true;
      }
      out.push(eventsOf(earliest.taken));
    }
    if (pruned) this.started = this.partial.filter((c) => c.startEventId !== NO_START).length;
  }

  /** The event before which partial matches are dropped after `match` completed (Flink's getPruningId). */
  private pruningId(match: ComputationState<T>): number | undefined {
    switch (this.skip.kind) {
      case 'skipToNext':
        return match.startEventId;
      case 'skipPastLastEvent':
        return match.taken!.eventId;
      default: {
        const name = this.skip.patternName!;
        // The chain runs newest first: the last event of the step comes first, its first last.
        let first: number | undefined;
        let last: number | undefined;
        for (let taken = match.taken; taken !== null; taken = taken.before) {
          if (taken.name !== name) continue;
          last ??= taken.eventId;
          first = taken.eventId;
        }
        if (first === undefined || last === undefined) {
          if (this.skip.throwOnMiss) {
            throw new SkipStrategyError(`could not skip to "${name}": the match has no event of that step`);
          }
          return undefined;
        }
        const id = this.skip.kind === 'skipToFirst' ? first : last;
        if (this.skip.throwOnMiss && id === match.startEventId) {
          throw new SkipStrategyError(
            `could not skip to the first event of "${name}": it starts the match itself`,
          );
        }
        return id;
      }
    }
  }

  private *pointers(): Iterable<BufferPointer<T>> {
    yield* this.partial;
    yield* this.completed;
  }

  /** Puts into `successors` (from `successorCount` on) what `computation` becomes after `event`. */
  private computeNextStates(
    computation: ComputationState<T>,
    event: T,
    eventId: number,
    timestamp: number,
  ): void {
    const states = this.compiled.states;
    const current = states[computation.state];
    const isStart = current.kind === 'start';
    this.begin(computation, event, timestamp);
    // The decision graph: follow PROCEED edges (epsilon moves), collect TAKE and IGNORE edges.
    const edges = scratch.edges as Transition<T>[];
    let edgeCount = 0;
    let takes = 0;
    let ignores = 0;
    const pending = scratch.pending as NfaState<T>[];
    let pendingCount = 0;
    pending[pendingCount++] = current;
    while (pendingCount > 0) {
      const state = pending[--pendingCount];
      for (const transition of state.transitions) {
        if (!this.holds(transition.condition)) continue;
        if (transition.action === 'proceed') pending[pendingCount++] = transition.target;
        else {
          const selfIgnore = transition.action === 'ignore' && transition.target.name === current.name;
          if (!selfIgnore) {
            if (transition.action === 'ignore') ignores++;
            else takes++;
          }
          edges[edgeCount++] = transition;
        }
      }
    }
    let takesToVisit = Math.max(0, takes - 1);
    let ignoresToVisit = ignores;
    const takesToSkip = Math.max(0, takes - 1);
    const out = scratch.successors as ComputationState<T>[];
    for (let e = 0; e < edgeCount; e++) {
      const edge = edges[e];
      if (edge.action === 'ignore') {
        if (isStart) continue;
        let version: DeweyNumber;
        if (edge.target.name === current.name) {
          version = increase(computation.version, selfIncrease(ignores, takes));
        } else {
          version = addStage(increase(computation.version, takesToSkip + ignoresToVisit));
          ignoresToVisit--;
        }
        // A partial match that skips the event and stays as it was is the same partial match.
        const same = edge.target.index === computation.state && version === computation.version;
        out[this.successorCount++] = same ? computation : moved(computation, edge.target.index, version);
        continue;
      }
      const currentVersion = increase(computation.version, takesToVisit);
      const nextVersion = addStage(currentVersion);
      takesToVisit--;
      const entry = this.buffer.put(
        edge.source.name,
        eventId,
        event,
        timestamp,
        computation.previous,
        currentVersion,
      );
      const taken: ComputationState<T> = {
        state: edge.target.index,
        previous: entry,
        version: nextVersion,
        startTimestamp: isStart ? timestamp : computation.startTimestamp,
        startEventId: isStart ? eventId : computation.startEventId,
        taken: { name: edge.source.name, eventId, event, before: computation.taken, match: undefined },
      };
      out[this.successorCount++] = taken;
      const final = this.finalStateAfterProceed(edge.target);
      if (final !== undefined) out[this.successorCount++] = moved(taken, final.index, taken.version);
    }
    if (isStart) {
      const version = increase(computation.version, selfIncrease(ignores, takes));
      out[this.successorCount++] =
        version === computation.version ? computation : startComputation(computation.state, version);
    }
  }

  /** The final state reachable from `state` by PROCEED edges whose conditions hold, if any. */
  private finalStateAfterProceed(state: NfaState<T>): NfaState<T> | undefined {
    const pending = [state];
    while (pending.length > 0) {
      const current = pending.pop()!;
      for (const transition of current.transitions) {
        if (transition.action !== 'proceed' || !this.holds(transition.condition)) continue;
        if (transition.target.kind === 'final') return transition.target;
        pending.push(transition.target);
      }
    }
    return undefined;
  }

  /** Sets what conditions are evaluated on: one partial match and one event. */
  private begin(computation: ComputationState<T>, event: T, timestamp: number): void {
    this.current = computation;
    this.event = event;
    this.context.timestamp = timestamp;
    this.lastCondition = undefined;
  }

  /**
   * Whether `condition` holds for the current event and partial match. A relaxed state skips on
   * the negation of its take condition: the condition is evaluated once for both.
   */
  private holds(condition: NegatedCondition<T> | undefined): boolean {
    if (condition === undefined) return true;
    const base = condition.negated ?? condition;
    if (base !== this.lastCondition) {
      this.lastResult = base(this.event as T, this.context);
      this.lastCondition = base;
    }
    return condition.negated === undefined ? this.lastResult : !this.lastResult;
  }

  /** The partial matches, held matches and shared buffer, as JSON (events must be JSON values). */
  snapshot(): JsonValue {
    const { state: buffer, index } = this.buffer.snapshot(this.pointers());
    const encode = (c: ComputationState<T>) => [
      c.state,
      c.previous === null ? null : index.get(c.previous)!,
      c.version as number[],
      Number.isNaN(c.startTimestamp) ? null : c.startTimestamp,
      c.startEventId,
    ];
    return {
      nextEventId: this.nextEventId,
      partial: this.partial.map(encode),
      completed: this.completed.map(encode),
      buffer,
    } as JsonValue;
  }

  /** Puts back what {@link snapshot} returned. */
  restore(state: JsonValue): void {
    type Saved = [number, number | null, number[], number | null, number];
    const saved = state as { nextEventId: number; partial: Saved[]; completed: Saved[]; buffer: JsonValue };
    const nodes = this.buffer.restore(saved.buffer);
    const decode = ([index, saved, version, startTimestamp, startEventId]: Saved): ComputationState<T> => {
      const previous = saved === null ? null : nodes[saved];
      let taken: TakenEvent<T> | null = null;
      for (const node of this.buffer.extract(previous, version)) {
        taken = {
          name: node.name,
          eventId: node.eventId,
          event: node.event,
          before: taken,
          match: undefined,
        };
      }
      return {
        state: index,
        previous,
        version,
        startTimestamp: startTimestamp ?? Number.NaN,
        startEventId,
        taken,
      };
    };
    this.nextEventId = saved.nextEventId;
    this.partial = saved.partial.map(decode);
    this.completed = saved.completed.map(decode);
    this.started = 0;
    this.earliestStart = Number.POSITIVE_INFINITY;
    for (const c of this.partial) {
      if (c.startEventId === NO_START) continue;
      this.started++;
      this.earliestStart = Math.min(this.earliestStart, c.startTimestamp);
    }
  }
}

/** `computation` moved to another state or version, with the same events. */
function moved<T>(
  computation: ComputationState<T>,
  state: number,
  version: DeweyNumber,
): ComputationState<T> {
  return {
    state,
    previous: computation.previous,
    version,
    startTimestamp: computation.startTimestamp,
    startEventId: computation.startEventId,
    taken: computation.taken,
  };
}

/** The events of a chain by step name, oldest first, in new lists. */
function eventsOf<T>(taken: TakenEvent<T> | null): Match<T> {
  const path: TakenEvent<T>[] = [];
  for (let step = taken; step !== null; step = step.before) path.push(step);
  const match: Match<T> = {};
  for (let i = path.length - 1; i >= 0; i--) {
    const { name, event } = path[i];
    const list = match[name];
    if (list === undefined) match[name] = [event];
    else list.push(event);
  }
  return match;
}

function startComputation<T>(state: number, version: DeweyNumber): ComputationState<T> {
  return { state, previous: null, version, startTimestamp: Number.NaN, startEventId: NO_START, taken: null };
}

/** How far a computation that stays in its state moves its version (Flink's calculateIncreasingSelfState). */
function selfIncrease(ignores: number, takes: number): number {
  return takes === 0 && ignores === 0 ? 0 : ignores + Math.max(1, takes);
}
