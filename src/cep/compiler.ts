/**
 * Compiles a {@link Pattern} into the states of an NFA, the way Flink's NFACompiler does: from
 * the last step back to the first, each step becomes one or more states with TAKE (consume the
 * event and move), IGNORE (skip the event) and PROCEED (move without consuming: an epsilon
 * edge) transitions. Negative steps become STOP states that end a partial match; a
 * `notFollowedBy` that ends a pattern with a window becomes a PENDING state: a partial match
 * that reaches it is a match once the window closes without the forbidden event.
 */
import type { Condition, ConditionContext } from './pattern.js';
import { GroupPattern, MalformedPatternError, type Pattern } from './pattern.js';

/** What a transition does with the event. */
export type TransitionAction = 'take' | 'ignore' | 'proceed';

/** A transition of an NFA state; a missing condition always holds. */
export interface Transition<T> {
  action: TransitionAction;
  source: NfaState<T>;
  target: NfaState<T>;
  condition: Condition<T> | undefined;
}

/** A state of the compiled NFA. */
export interface NfaState<T> {
  /** Position in {@link CompiledNfa.states}: what checkpoints record. */
  readonly index: number;
  /** The step the state belongs to (its events are stored under this name). */
  readonly name: string;
  kind: 'start' | 'normal' | 'final' | 'stop' | 'pending';
  readonly transitions: Transition<T>[];
}

/** The states of a compiled pattern. */
export interface CompiledNfa<T> {
  readonly states: readonly NfaState<T>[];
  /** The longest a match may last (ms), or 0 when the pattern has no window. */
  readonly windowTime: number;
}

const ENDING_STATE = '$endState$';

/** A condition that is the negation of another (so that the NFA can evaluate the other once for both). */
export type NegatedCondition<T> = Condition<T> & { readonly negated?: Condition<T> };

const not = <T>(condition: Condition<T> | undefined): Condition<T> | undefined => {
  if (condition === undefined) return () => false;
  const negation = (event: T, context: ConditionContext<T>) => !condition(event, context);
  return Object.assign(negation, { negated: condition });
};
const and = <T>(a: Condition<T> | undefined, b: Condition<T> | undefined): Condition<T> | undefined =>
  a === undefined ? b : b === undefined ? a : (event, context) => a(event, context) && b(event, context);
const or = <T>(a: Condition<T> | undefined, b: Condition<T> | undefined): Condition<T> | undefined =>
  a === undefined || b === undefined ? undefined : (event, context) => a(event, context) || b(event, context);

/** Compiles `pattern` (its last step) into NFA states; throws MalformedPatternError for rule breaks. */
export function compileNfa<T>(pattern: Pattern<T>): CompiledNfa<T> {
  return new Compiler(pattern).compile();
}

class Compiler<T> {
  private readonly states: NfaState<T>[] = [];
  private readonly stopStates = new Map<string, NfaState<T>>();
  private readonly originalStates = new Map<NfaState<T>, NfaState<T>>();
  private readonly firstOfLoop = new Map<Pattern<T>, boolean>();
  private current: Pattern<T>;
  private following: Pattern<T> | undefined;
  private currentGroup: GroupPattern<T> | undefined;
  private windowTime = 0;

  constructor(private readonly last: Pattern<T>) {
    this.current = last;
  }

  compile(): CompiledNfa<T> {
    this.checkNames();
    const endsWithNot = this.current.quantifier.consuming === 'notFollow';
    const ending = this.createState(ENDING_STATE, 'final');
    this.windowTime = this.current.windowTime ?? 0;
    let sink = this.createMiddleStates(ending);
    // As in Flink: without a window nothing would ever tell that the forbidden event did not come.
    if (endsWithNot && this.windowTime <= 0) {
      throw new MalformedPatternError(
        'notFollowedBy() can be the last step of a pattern only with within() (the match is emitted when the window closes)',
      );
    }
    sink = this.convertPattern(sink);
    sink.kind = 'start';
    return { states: this.states, windowTime: this.windowTime };
  }

  private checkNames(): void {
    const seen = new Set<string>();
    const visit = (pattern: Pattern<T> | undefined) => {
      for (let step = pattern; step; step = step.previous) {
        if (step instanceof GroupPattern) visit(step.rawPattern);
        else if (seen.has(step.name)) {
          throw new MalformedPatternError(`the step name "${step.name}" is used twice; names must be unique`);
        } else seen.add(step.name);
      }
    };
    visit(this.last);
    const skip = this.last.skipStrategy;
    if (skip.patternName !== undefined && !seen.has(skip.patternName)) {
      throw new MalformedPatternError(
        `the skip strategy names the step "${skip.patternName}", which the pattern does not have`,
      );
    }
  }

  private createState(name: string, kind: NfaState<T>['kind']): NfaState<T> {
    const state: NfaState<T> = { index: this.states.length, name, kind, transitions: [] };
    this.states.push(state);
    return state;
  }

  private add(
    source: NfaState<T>,
    action: TransitionAction,
    target: NfaState<T>,
    condition: Condition<T> | undefined,
  ) {
    source.transitions.push({ action, source, target, condition });
  }

  private createMiddleStates(sink: NfaState<T>): NfaState<T> {
    let lastSink = sink;
    while (this.current.previous !== undefined) {
      const consuming = this.current.quantifier.consuming;
      if (consuming === 'notFollow') {
        // In the middle: a STOP edge of the states around it (see addStopStates). At the end:
        // a state that waits for the window to close (Flink's PENDING state), skipping events
        // while the forbidden one does not come.
        if (lastSink.kind === 'final') {
          const pending = this.createState(this.current.name, 'pending');
          const notCondition = this.takeCondition(this.current);
          this.add(pending, 'proceed', this.createStopState(notCondition, this.current.name), notCondition);
          this.add(pending, 'ignore', pending, not(notCondition));
          lastSink = pending;
        }
      } else if (consuming === 'notNext') {
        const notNext = this.createState(this.current.name, 'normal');
        const notCondition = this.takeCondition(this.current);
        const stop = this.createStopState(notCondition, this.current.name);
        // Into the final state by IGNORE, so that the match completes with the next event.
        if (lastSink.kind === 'final') this.add(notNext, 'ignore', lastSink, not(notCondition));
        else this.add(notNext, 'proceed', lastSink, not(notCondition));
        this.add(notNext, 'proceed', stop, notCondition);
        lastSink = notNext;
      } else {
        lastSink = this.convertPattern(lastSink);
      }
      this.following = this.current;
      this.current = this.current.previous;
      const window = this.current.windowTime;
      if (window !== undefined && (this.windowTime === 0 || window < this.windowTime))
        this.windowTime = window;
    }
    return lastSink;
  }

  private convertPattern(sink: NfaState<T>): NfaState<T> {
    const { kind } = this.current.quantifier;
    let lastSink: NfaState<T>;
    if (kind === 'looping') {
      this.setFirstOfLoop(false);
      const looping = this.createLooping(this.copyWithoutTransitiveNots(sink));
      this.setFirstOfLoop(true);
      lastSink = this.createTimesState(looping, sink, this.current.timesRange!);
    } else if (kind === 'times') {
      lastSink = this.createTimesState(sink, sink, this.current.timesRange!);
    } else {
      lastSink = this.createSingletonState(
        sink,
        sink,
        this.takeCondition(this.current),
        this.ignoreCondition(this.current),
        this.current.quantifier.optional,
      );
    }
    this.addStopStates(lastSink);
    return lastSink;
  }

  /** The negative steps right before the current one (through optional steps): their STOP edges. */
  private currentNotConditions(): { condition: Condition<T> | undefined; name: string }[] {
    const found: { condition: Condition<T> | undefined; name: string }[] = [];
    let step = this.current;
    while (
      step.previous !== undefined &&
      (step.previous.quantifier.optional || step.previous.quantifier.consuming === 'notFollow')
    ) {
      step = step.previous;
      if (step.quantifier.consuming === 'notFollow')
        found.push({ condition: this.takeCondition(step), name: step.name });
    }
    return found;
  }

  private createStopState(notCondition: Condition<T> | undefined, name: string): NfaState<T> {
    let stop = this.stopStates.get(name);
    if (!stop) {
      stop = this.createState(name, 'stop');
      this.add(stop, 'take', stop, notCondition);
      this.stopStates.set(name, stop);
    }
    return stop;
  }

  private addStopStates(state: NfaState<T>): void {
    for (const { condition, name } of this.currentNotConditions()) {
      this.add(state, 'proceed', this.createStopState(condition, name), condition);
    }
  }

  private addStopStateToLooping(state: NfaState<T>): void {
    if (this.following !== undefined && this.following.quantifier.consuming === 'notFollow') {
      const condition = this.takeCondition(this.following);
      this.add(state, 'proceed', this.createStopState(condition, this.following.name), condition);
    }
  }

  /** Once an optional step took an event, the negative steps before it no longer apply. */
  private copyWithoutTransitiveNots(sink: NfaState<T>): NfaState<T> {
    const nots = this.currentNotConditions();
    if (nots.length === 0 || !this.current.quantifier.optional) return sink;
    const copy = this.createState(sink.name, sink.kind);
    for (const transition of sink.transitions) {
      if (transition.action === 'proceed') {
        let target = transition.target;
        let remove = false;
        if (target.kind === 'stop') remove = nots.some((entry) => entry.name === target.name);
        else target = this.copyWithoutTransitiveNots(target);
        if (!remove) this.add(copy, transition.action, target, transition.condition);
      } else {
        const target = transition.target === transition.source ? copy : transition.target;
        this.add(copy, transition.action, target, transition.condition);
      }
    }
    return copy;
  }

  private createTimesState(
    sink: NfaState<T>,
    proceed: NfaState<T>,
    times: { from: number; to: number },
  ): NfaState<T> {
    let lastSink = sink;
    this.setFirstOfLoop(false);
    const until = this.current.untilCondition;
    const innerIgnore = extendWithUntil(this.innerIgnoreCondition(this.current), until);
    const take = until === undefined ? this.current.condition : and(not(until), this.current.condition);
    if (this.current.quantifier.greedy && times.from !== times.to) this.updateWithGreedyCondition(sink, take);
    for (let i = times.from; i < times.to; i++) {
      lastSink = this.createSingletonState(lastSink, proceed, take, innerIgnore, true);
      this.addStopStateToLooping(lastSink);
    }
    for (let i = 0; i < times.from - 1; i++) {
      lastSink = this.createSingletonState(lastSink, undefined, take, innerIgnore, false);
      this.addStopStateToLooping(lastSink);
    }
    this.setFirstOfLoop(true);
    return this.createSingletonState(
      lastSink,
      proceed,
      take,
      this.ignoreCondition(this.current),
      this.current.quantifier.optional,
    );
  }

  private createSingletonState(
    sink: NfaState<T>,
    proceed: NfaState<T> | undefined,
    take: Condition<T> | undefined,
    ignore: Condition<T> | undefined | null,
    optional: boolean,
  ): NfaState<T> {
    if (this.current instanceof GroupPattern)
      return this.createGroupPatternState(this.current, sink, proceed, optional);
    const state = this.createState(this.current.name, 'normal');
    const target = this.copyWithoutTransitiveNots(sink);
    this.add(state, 'take', target, take);
    if (optional && proceed !== undefined && !this.headOfGroup(this.current)) {
      if (this.current.quantifier.greedy) {
        const until = this.current.untilCondition;
        if (until !== undefined)
          this.add(state, 'proceed', this.originalStates.get(proceed) ?? proceed, until);
        this.add(state, 'proceed', proceed, not(take));
      } else this.add(state, 'proceed', proceed, undefined);
    }
    if (ignore !== null) {
      let ignoreState = state;
      if (optional) {
        // An optional step that skipped an event may still take one, but no longer proceed.
        ignoreState = this.createState(this.current.name, 'normal');
        this.add(ignoreState, 'take', target, take);
        this.add(ignoreState, 'ignore', ignoreState, ignore);
        this.addStopStates(ignoreState);
      }
      this.add(state, 'ignore', ignoreState, ignore);
    }
    return state;
  }

  private createGroupPatternState(
    group: GroupPattern<T>,
    sink: NfaState<T>,
    proceed: NfaState<T> | undefined,
    optional: boolean,
  ): NfaState<T> {
    const saved = [this.current, this.following, this.currentGroup] as const;
    this.currentGroup = group;
    this.current = group.rawPattern;
    let lastSink = this.createMiddleStates(sink);
    lastSink = this.convertPattern(lastSink);
    if (optional && proceed !== undefined) this.add(lastSink, 'proceed', proceed, undefined);
    [this.current, this.following, this.currentGroup] = saved;
    return lastSink;
  }

  private createLoopingGroupPatternState(group: GroupPattern<T>, sink: NfaState<T>): NfaState<T> {
    const saved = [this.current, this.following, this.currentGroup] as const;
    const dummy = this.createState(this.current.name, 'normal');
    this.currentGroup = group;
    this.current = group.rawPattern;
    let lastSink = this.createMiddleStates(dummy);
    lastSink = this.convertPattern(lastSink);
    this.add(lastSink, 'proceed', sink, undefined);
    this.add(dummy, 'proceed', lastSink, undefined);
    [this.current, this.following, this.currentGroup] = saved;
    return lastSink;
  }

  private createLooping(sink: NfaState<T>): NfaState<T> {
    if (this.current instanceof GroupPattern) return this.createLoopingGroupPatternState(this.current, sink);
    const until = this.current.untilCondition;
    const ignore = extendWithUntil(this.innerIgnoreCondition(this.current), until);
    const take = until === undefined ? this.current.condition : and(not(until), this.current.condition);
    const looping = this.createState(this.current.name, 'normal');
    if (this.current.quantifier.greedy) {
      if (until !== undefined) {
        const sinkCopy = this.copyState(sink);
        this.add(looping, 'proceed', sinkCopy, until);
        this.originalStates.set(sink, sinkCopy);
      }
      this.add(looping, 'proceed', sink, not(until === undefined ? take : or(take, until)));
      this.updateWithGreedyCondition(sink, take);
    } else this.add(looping, 'proceed', sink, undefined);
    this.add(looping, 'take', looping, take);
    this.addStopStateToLooping(looping);
    if (ignore !== null) {
      const ignoreState = this.createState(this.current.name, 'normal');
      this.add(ignoreState, 'take', looping, take);
      this.add(ignoreState, 'ignore', ignoreState, ignore);
      this.add(looping, 'ignore', ignoreState, ignore);
      this.addStopStateToLooping(ignoreState);
    }
    return looping;
  }

  private copyState(state: NfaState<T>): NfaState<T> {
    const copy = this.createState(state.name, state.kind);
    for (const transition of state.transitions) {
      const target = transition.target === transition.source ? copy : transition.target;
      this.add(copy, transition.action, target, transition.condition);
    }
    return copy;
  }

  /** A greedy step keeps taking: the next step's transitions hold only when the greedy one's take does not. */
  private updateWithGreedyCondition(state: NfaState<T>, take: Condition<T> | undefined): void {
    for (const transition of state.transitions) transition.condition = and(transition.condition, not(take));
  }

  private takeCondition(pattern: Pattern<T>): Condition<T> | undefined {
    return pattern.condition;
  }

  private headOfGroup(pattern: Pattern<T>): boolean {
    return this.currentGroup !== undefined && pattern.previous === undefined;
  }

  private isFirstOfLoop(): boolean {
    return this.currentGroup === undefined ? true : (this.firstOfLoop.get(this.currentGroup) ?? true);
  }

  private setFirstOfLoop(value: boolean): void {
    if (this.current instanceof GroupPattern) this.firstOfLoop.set(this.current, value);
  }

  /** The condition under which a state skips an event, by its contiguity to the step before (null: never). */
  private ignoreCondition(pattern: Pattern<T>): Condition<T> | undefined | null {
    let consuming: string = pattern.quantifier.consuming;
    if (this.headOfGroup(pattern)) {
      const group = this.currentGroup!;
      consuming = this.isFirstOfLoop() ? group.quantifier.consuming : group.quantifier.inner;
    }
    let ignore = contiguityIgnore(consuming, pattern.condition);
    if (this.currentGroup?.untilCondition !== undefined) {
      ignore = extendWithUntil(ignore, this.currentGroup.untilCondition);
    }
    return ignore;
  }

  /** The condition under which a looping or times step skips an event between its own events. */
  private innerIgnoreCondition(pattern: Pattern<T>): Condition<T> | undefined | null {
    let ignore = contiguityIgnore(pattern.quantifier.inner, pattern.condition);
    if (this.currentGroup?.untilCondition !== undefined) {
      ignore = extendWithUntil(ignore, this.currentGroup.untilCondition);
    }
    return ignore;
  }
}

function contiguityIgnore<T>(
  consuming: string,
  condition: Condition<T> | undefined,
): Condition<T> | undefined | null {
  if (consuming === 'relaxed') return not(condition);
  if (consuming === 'any') return undefined;
  return null;
}

/** Adds the until condition: a take or skip holds only while `until` does not. */
function extendWithUntil<T>(
  condition: Condition<T> | undefined | null,
  until: Condition<T> | undefined,
): Condition<T> | undefined | null {
  if (until === undefined || condition === null) return condition;
  return and(not(until), condition);
}
