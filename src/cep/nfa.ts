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
  type BufferPointer,
  type DeweyNumber,
  increase,
  type MatchIds,
  type NodeKey,
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
  matches: Match<T>[];
  timedOut: TimedOutMatch<T>[];
}

/** A partial match: where it is in the automaton and where its events are in the buffer. */
interface ComputationState<T = unknown> {
  state: number;
  previous: NodeKey | null;
  version: DeweyNumber;
  startTimestamp: number;
  /** Id of its first event, or -1 for the start state's waiting computation. */
  startEventId: number;
  /** The partial match's events, once a condition asked for them (a cache: not checkpointed). */
  match?: Match<T>;
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

/** The automaton of one pattern with the partial matches of one key. */
export class NFA<T> {
  private readonly compiled: CompiledNfa<T>;
  private readonly skip: SkipStrategy;
  private readonly buffer = new SharedBuffer<T>();
  private partial: ComputationState<T>[] = [];
  /** Matches held back until no partial match that started earlier can still complete (skip strategies). */
  private completed: ComputationState<T>[] = [];
  private nextEventId = 0;
  // What conditions are evaluated on (see begin/holds): fields, not closures, on the hot path.
  private current: ComputationState<T> | undefined;
  private event: T | undefined;
  private lastCondition: Condition<T> | undefined;
  private lastResult = false;
  /** What iterative conditions see: the current partial match's events, extracted only when asked. */
  private readonly context: { timestamp: number; events(name: string): T[] } = {
    timestamp: 0,
    events: (name) => {
      const computation = this.current!;
      // Kept on the partial match: a skip keeps it, a take extends it (see computeNextStates).
      computation.match ??= this.buffer.materialize(
        this.buffer.extract(computation.previous, computation.version),
      );
      return computation.match[name] ?? [];
    },
  };

  /** An NFA for `pattern` (or the automaton already compiled from it, shared by many keys). */
  constructor(pattern: Pattern<T> | CompiledNfa<T>, skip?: SkipStrategy) {
    this.compiled = 'states' in pattern ? pattern : compileNfa(pattern);
    this.skip = skip ?? ('states' in pattern ? { kind: 'noSkip' } : pattern.skipStrategy);
    for (const state of this.compiled.states) {
      if (state.kind === 'start') this.partial.push(startComputation(state.index, [1]));
    }
  }

  /** The pattern's window in ms (0: none). */
  get windowTime(): number {
    return this.compiled.windowTime;
  }

  /** Partial matches now held, the waiting start computation included. */
  get partialMatchCount(): number {
    return this.partial.length;
  }

  /** Events and nodes held by the shared buffer. */
  get bufferSize(): { events: number; nodes: number } {
    return { events: this.buffer.eventCount, nodes: this.buffer.nodeCount };
  }

  /** Whether the NFA holds nothing but its start computation (a key whose state can be dropped). */
  get isEmpty(): boolean {
    return this.completed.length === 0 && this.partial.every((c) => c.startEventId === NO_START);
  }

  /** When the earliest partial match times out (its start plus the window), or +Infinity. */
  get nextTimeout(): number {
    const windowTime = this.compiled.windowTime;
    let earliest = Number.POSITIVE_INFINITY;
    if (windowTime <= 0) return earliest;
    for (const c of this.partial) {
      if (c.startEventId !== NO_START && c.startTimestamp + windowTime < earliest)
        earliest = c.startTimestamp + windowTime;
    }
    return earliest;
  }

  /**
   * Drops the partial matches that can no longer complete by time `timestamp`: those whose
   * first event is `windowTime` or more before it. Returns them, and the held matches that
   * their end lets out.
   */
  advanceTime(timestamp: number, collectTimedOut = true): NfaOutput<T> {
    const output: NfaOutput<T> = { matches: [], timedOut: [] };
    const windowTime = this.compiled.windowTime;
    if (windowTime <= 0) return output;
    // Most calls find nothing expired: check before building anything.
    const oldest = timestamp - windowTime;
    let any = false;
    for (const c of this.partial) if (c.startEventId !== NO_START && c.startTimestamp <= oldest) any = true;
    if (!any) return output;
    const kept: ComputationState<T>[] = [];
    for (const computation of this.partial) {
      if (computation.startEventId === NO_START || computation.startTimestamp > oldest)
        kept.push(computation);
      else if (collectTimedOut) {
        const ids = this.buffer.extract(computation.previous, computation.version);
        output.timedOut.push({
          match: this.buffer.materialize(ids),
          timestamp: computation.startTimestamp + windowTime,
        });
      }
    }
    this.partial = kept;
    this.releaseMatches([], output.matches);
    if (this.buffer.sweepDue) this.buffer.sweep(this.pointers());
    return output;
  }

  /** Feeds one event with its time; returns the matches it completes. */
  process(event: T, timestamp: number): Match<T>[] {
    const eventId = this.nextEventId++;
    const next: ComputationState<T>[] = [];
    const potential: ComputationState<T>[] = [];
    for (const computation of this.partial) {
      const states = this.computeNextStates(computation, event, eventId, timestamp);
      const retain: ComputationState<T>[] = [];
      let discard = false;
      for (const state of states) {
        const kind = this.compiled.states[state.state].kind;
        if (kind === 'final') potential.push(state);
        else if (kind === 'stop') discard = true;
        else retain.push(state);
      }
      // A negative step matched: this branch and every fork of it from this event end here.
      if (!discard) for (const state of retain) next.push(state);
    }
    this.partial = next.sort(compareStates);
    const matches: Match<T>[] = [];
    this.releaseMatches(potential.sort(compareStates), matches);
    if (this.buffer.sweepDue) this.buffer.sweep(this.pointers());
    return matches;
  }

  /** Emits completed matches, applying the skip strategy (which may have to wait for earlier partial matches). */
  private releaseMatches(potential: ComputationState<T>[], out: Match<T>[]): void {
    if (this.skip.kind === 'noSkip') {
      for (const match of potential) {
        out.push(this.buffer.materialize(this.buffer.extract(match.previous, match.version)));
      }
      return;
    }
    if (potential.length > 0) this.completed = this.completed.concat(potential).sort(compareStates);
    while (this.completed.length > 0) {
      const earliest = this.completed[0];
      const earliestPartial = this.partial[0];
      if (earliestPartial !== undefined && compareStates(earliest, earliestPartial) > 0) break;
      this.completed.shift();
      const ids = this.buffer.extract(earliest.previous, earliest.version);
      const pruning = this.pruningId(ids);
      if (pruning !== undefined) {
        const strictly = this.skip.kind === 'skipToFirst' || this.skip.kind === 'skipToLast';
        const keep = (c: ComputationState) =>
          c.startEventId === NO_START || (strictly ? c.startEventId >= pruning : c.startEventId > pruning);
        this.partial = this.partial.filter(keep);
        this.completed = this.completed.filter(keep);
      }
      out.push(this.buffer.materialize(ids));
    }
  }

  /** The event before which partial matches are dropped after `ids` matched (Flink's getPruningId). */
  private pruningId(ids: MatchIds): number | undefined {
    const all = Array.from(ids.values());
    switch (this.skip.kind) {
      case 'skipToNext':
        return Math.min(...all.map((list) => list[0]));
      case 'skipPastLastEvent':
        return Math.max(...all.map((list) => list[list.length - 1]));
      default: {
        const name = this.skip.patternName!;
        const list = ids.get(name);
        if (list === undefined || list.length === 0) {
          if (this.skip.throwOnMiss) {
            throw new SkipStrategyError(`could not skip to "${name}": the match has no event of that step`);
          }
          return undefined;
        }
        const id = this.skip.kind === 'skipToFirst' ? list[0] : list[list.length - 1];
        if (this.skip.throwOnMiss && id === Math.min(...all.map((l) => l[0]))) {
          throw new SkipStrategyError(
            `could not skip to the first event of "${name}": it starts the match itself`,
          );
        }
        return id;
      }
    }
  }

  private *pointers(): Iterable<BufferPointer> {
    yield* this.partial;
    yield* this.completed;
  }

  private computeNextStates(
    computation: ComputationState<T>,
    event: T,
    eventId: number,
    timestamp: number,
  ): ComputationState<T>[] {
    const states = this.compiled.states;
    const current = states[computation.state];
    const isStart = current.kind === 'start';
    this.begin(computation, event, timestamp);
    // The decision graph: follow PROCEED edges (epsilon moves), collect TAKE and IGNORE edges.
    const edges: Transition<T>[] = [];
    let takes = 0;
    let ignores = 0;
    const pending: NfaState<T>[] = [current];
    while (pending.length > 0) {
      const state = pending.pop()!;
      for (const transition of state.transitions) {
        if (!this.holds(transition.condition)) continue;
        if (transition.action === 'proceed') pending.push(transition.target);
        else {
          const selfIgnore = transition.action === 'ignore' && transition.target.name === current.name;
          if (!selfIgnore) {
            if (transition.action === 'ignore') ignores++;
            else takes++;
          }
          edges.push(transition);
        }
      }
    }
    let takesToVisit = Math.max(0, takes - 1);
    let ignoresToVisit = ignores;
    const takesToSkip = Math.max(0, takes - 1);
    const result: ComputationState<T>[] = [];
    for (const edge of edges) {
      if (edge.action === 'ignore') {
        if (isStart) continue;
        let version: DeweyNumber;
        if (edge.target.name === current.name) {
          version = increase(computation.version, selfIncrease(ignores, takes));
        } else {
          version = addStage(increase(computation.version, takesToSkip + ignoresToVisit));
          ignoresToVisit--;
        }
        result.push({ ...computation, state: edge.target.index, version });
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
      const startTimestamp = isStart ? timestamp : computation.startTimestamp;
      const startEventId = isStart ? eventId : computation.startEventId;
      const taken: ComputationState<T> = {
        state: edge.target.index,
        previous: entry,
        version: nextVersion,
        startTimestamp,
        startEventId,
        match: computation.match && withEvent(computation.match, edge.source.name, event),
      };
      result.push(taken);
      const final = this.finalStateAfterProceed(edge.target);
      if (final !== undefined) result.push({ ...taken, state: final.index });
    }
    if (isStart) {
      result.push(
        startComputation(computation.state, increase(computation.version, selfIncrease(ignores, takes))),
      );
    }
    return result;
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
    this.buffer.sweep(this.pointers());
    const encode = (c: ComputationState) => [
      c.state,
      c.previous,
      c.version as number[],
      Number.isNaN(c.startTimestamp) ? null : c.startTimestamp,
      c.startEventId,
    ];
    return {
      nextEventId: this.nextEventId,
      partial: this.partial.map(encode),
      completed: this.completed.map(encode),
      buffer: this.buffer.snapshot(),
    } as JsonValue;
  }

  /** Puts back what {@link snapshot} returned. */
  restore(state: JsonValue): void {
    type Saved = [number, NodeKey | null, number[], number | null, number];
    const saved = state as { nextEventId: number; partial: Saved[]; completed: Saved[]; buffer: JsonValue };
    const decode = ([
      index,
      previous,
      version,
      startTimestamp,
      startEventId,
    ]: Saved): ComputationState<T> => ({
      state: index,
      previous,
      version,
      startTimestamp: startTimestamp ?? Number.NaN,
      startEventId,
    });
    this.nextEventId = saved.nextEventId;
    this.partial = saved.partial.map(decode);
    this.completed = saved.completed.map(decode);
    this.buffer.restore(saved.buffer);
  }
}

/** A match with one more event for step `name` (a new object: the old one stays as it was). */
function withEvent<T>(match: Match<T>, name: string, event: T): Match<T> {
  const next = { ...match };
  next[name] = next[name] === undefined ? [event] : [...next[name], event];
  return next;
}

function startComputation<T>(state: number, version: DeweyNumber): ComputationState<T> {
  return { state, previous: null, version, startTimestamp: Number.NaN, startEventId: NO_START, match: {} };
}

/** How far a computation that stays in its state moves its version (Flink's calculateIncreasingSelfState). */
function selfIncrease(ignores: number, takes: number): number {
  return takes === 0 && ignores === 0 ? 0 : ignores + Math.max(1, takes);
}
