/**
 * The pattern API of complex event processing, spelled as Flink CEP's `Pattern`: a sequence of
 * named steps, each with conditions, a quantifier and the contiguity that links it to the step
 * before. A pattern is a description only; {@link compileNfa} turns it into the automaton.
 */
import { EddyError } from '../core/errors.js';
import { type JsonEvent, patternFromJson } from './json-pattern.js';

/** What a condition sees besides the event. */
export interface ConditionContext<T> {
  /** The events already accepted for the step `name` in this partial match, oldest first. */
  events(name: string): T[];
  /** Event time of the event being tested (or its processing time). */
  readonly timestamp: number;
}

/** A condition on an event: simple (`(e) => ...`) or iterative (`(e, ctx) => ...`). */
export type Condition<T> = (event: T, context: ConditionContext<T>) => boolean;

/**
 * How a step's events may be spread out: `strict` (next: no event in between), `relaxed`
 * (followedBy: skips events that do not match), `any` (followedByAny: skips any event, so every
 * combination is tried), and the two negations.
 */
export type ConsumingStrategy = 'strict' | 'relaxed' | 'any' | 'notNext' | 'notFollow';

/** How many events a step takes, and the contiguity between them (Flink's Quantifier). */
export interface Quantifier {
  kind: 'single' | 'times' | 'looping';
  optional: boolean;
  greedy: boolean;
  /** The contiguity to the step before. */
  consuming: ConsumingStrategy;
  /** The contiguity between a looping or times step's own events (default relaxed). */
  inner: 'strict' | 'relaxed' | 'any';
}

/**
 * What happens to the other partial matches once one is emitted (Flink's AfterMatchSkipStrategy).
 * Use the factory functions of {@link AfterMatchSkipStrategy}.
 */
export interface SkipStrategy {
  readonly kind: 'noSkip' | 'skipToNext' | 'skipPastLastEvent' | 'skipToFirst' | 'skipToLast';
  /** The step whose first or last event matching continues from (skipToFirst/skipToLast). */
  readonly patternName?: string;
  /** Whether a match without an event of `patternName` is an error (default: it skips nothing). */
  readonly throwOnMiss?: boolean;
}

/** The after-match skip strategies. */
export const AfterMatchSkipStrategy = {
  /** Every match is emitted; partial matches are kept (the default). */
  noSkip: (): SkipStrategy => ({ kind: 'noSkip' }),
  /** Drops the partial matches that started with the same event as the match. */
  skipToNext: (): SkipStrategy => ({ kind: 'skipToNext' }),
  /** Drops the partial matches that started before the match's last event. */
  skipPastLastEvent: (): SkipStrategy => ({ kind: 'skipPastLastEvent' }),
  /** Drops the partial matches that started before the first event of step `name` in the match. */
  skipToFirst: (name: string, throwOnMiss = false): SkipStrategy => ({
    kind: 'skipToFirst',
    patternName: name,
    throwOnMiss,
  }),
  /** Drops the partial matches that started before the last event of step `name` in the match. */
  skipToLast: (name: string, throwOnMiss = false): SkipStrategy => ({
    kind: 'skipToLast',
    patternName: name,
    throwOnMiss,
  }),
};

/** A pattern definition that breaks one of the rules of Flink's pattern API. */
export class MalformedPatternError extends EddyError {
  constructor(problem: string) {
    super(`malformed pattern: ${problem}`);
  }
}

function check(condition: boolean, problem: string): void {
  if (!condition) throw new MalformedPatternError(problem);
}

/**
 * One step of a pattern and, through `previous`, the steps before it. Start one with
 * {@link Pattern.begin}; every call below returns the step it configures (`where`, quantifiers)
 * or a new step linked to it (`next`, `followedBy` ...), as in Flink.
 */
export class Pattern<T> {
  /** The step's name: the key of its events in a match. */
  readonly name: string;
  /** The step before, or undefined for the first. */
  readonly previous: Pattern<T> | undefined;
  /** The step's condition (undefined: every event). */
  condition: Condition<T> | undefined;
  /** The condition that ends a looping step. */
  untilCondition: Condition<T> | undefined;
  /** How many events and with what contiguity. */
  readonly quantifier: Quantifier;
  /** The number of events of a times/looping step: at least `from`, at most `to`. */
  timesRange: { from: number; to: number } | undefined;
  /** The longest a match may last (ms from its first event), when set. */
  windowTime: number | undefined;
  /** The skip strategy, given to `begin`. */
  readonly skipStrategy: SkipStrategy;

  protected constructor(
    name: string,
    previous: Pattern<T> | undefined,
    consuming: ConsumingStrategy,
    skipStrategy: SkipStrategy,
  ) {
    check(typeof name === 'string' && name.length > 0, 'a step needs a non-empty name');
    this.name = name;
    this.previous = previous;
    this.quantifier = { kind: 'single', optional: false, greedy: false, consuming, inner: 'relaxed' };
    this.skipStrategy = skipStrategy;
  }

  /** Starts a pattern with a step, or with a group of steps (a {@link GroupPattern}). */
  static begin<T>(name: string | Pattern<T>, skipStrategy = AfterMatchSkipStrategy.noSkip()): Pattern<T> {
    if (typeof name === 'string') return new Pattern<T>(name, undefined, 'strict', skipStrategy);
    return new GroupPattern<T>(undefined, name, 'strict', skipStrategy);
  }

  /**
   * Reads a pattern from its JSON form (states, transitions, conditions over fields: see
   * json-pattern.ts and the README); errors are InputErrors naming `file` and the place.
   */
  static fromJSON(document: unknown, file?: string): Pattern<JsonEvent> {
    return patternFromJson(document, file);
  }

  /** Adds a condition: the step takes events for which this and the earlier ones hold. */
  where(condition: Condition<T>): this {
    check(typeof condition === 'function', `where() of "${this.name}" needs a function`);
    const before = this.condition;
    this.condition =
      before === undefined
        ? condition
        : (event, context) => before(event, context) && condition(event, context);
    return this;
  }

  /** Adds an alternative condition: the step takes events for which this or the earlier ones hold. */
  or(condition: Condition<T>): this {
    check(typeof condition === 'function', `or() of "${this.name}" needs a function`);
    const before = this.condition;
    this.condition =
      before === undefined
        ? condition
        : (event, context) => before(event, context) || condition(event, context);
    return this;
  }

  /** Ends a looping step at the first event for which `condition` holds (that event is not taken). */
  until(condition: Condition<T>): this {
    check(typeof condition === 'function', `until() of "${this.name}" needs a function`);
    check(
      this.quantifier.kind === 'looping',
      `until() applies to a looping step (oneOrMore, timesOrMore), not to "${this.name}"`,
    );
    const before = this.untilCondition;
    this.untilCondition =
      before === undefined
        ? condition
        : (event, context) => before(event, context) || condition(event, context);
    return this;
  }

  /** A match must end at most `ms` after its first event (the smallest of all steps' windows holds). */
  within(ms: number): this {
    check(Number.isFinite(ms) && ms > 0, `within() needs a positive number of milliseconds, got ${ms}`);
    this.windowTime = ms;
    return this;
  }

  /** A new step whose event must come right after this step's last one (strict contiguity). */
  next(name: string | Pattern<T>): Pattern<T> {
    return this.follow(name, 'strict');
  }

  /** A new step whose event comes after this one's, skipping events that do not match (relaxed). */
  followedBy(name: string | Pattern<T>): Pattern<T> {
    return this.follow(name, 'relaxed');
  }

  /** A new step whose event is any later one that matches: every combination (non-deterministic relaxed). */
  followedByAny(name: string | Pattern<T>): Pattern<T> {
    return this.follow(name, 'any');
  }

  /** A negative step: the event right after this step's last one must not match. */
  notNext(name: string): Pattern<T> {
    this.checkNotAfterOptional('notNext');
    return new Pattern<T>(name, this, 'notNext', this.skipStrategy);
  }

  /** A negative step: no matching event may come between this step and the next one. */
  notFollowedBy(name: string): Pattern<T> {
    this.checkNotAfterOptional('notFollowedBy');
    return new Pattern<T>(name, this, 'notFollow', this.skipStrategy);
  }

  /** The step takes exactly `times` events, or between `from` and `to`. */
  times(from: number, to?: number): this {
    const upper = to ?? from;
    this.checkQuantifierFree();
    check(
      Number.isInteger(from) && from >= (to === undefined ? 1 : 0),
      `times() needs an integer count >= 1, got ${from}`,
    );
    check(
      Number.isInteger(upper) && upper >= from && upper >= 1,
      `times(${from}, ${upper}) needs to >= from >= 0 and to >= 1`,
    );
    let lower = from;
    if (lower === 0) {
      this.quantifier.optional = true;
      lower = 1;
    }
    this.quantifier.kind = 'times';
    this.timesRange = { from: lower, to: upper };
    return this;
  }

  /** The step takes `times` or more events. */
  timesOrMore(times: number): this {
    this.checkQuantifierFree();
    check(Number.isInteger(times) && times >= 1, `timesOrMore() needs an integer >= 1, got ${times}`);
    this.quantifier.kind = 'looping';
    this.timesRange = { from: times, to: times };
    return this;
  }

  /** The step takes one or more events. */
  oneOrMore(): this {
    return this.timesOrMore(1);
  }

  /** The step may also take no event. */
  optional(): this {
    this.checkNotNegated('optional');
    this.quantifier.optional = true;
    return this;
  }

  /** A looping or times step takes as many events as it can before the next step starts. */
  greedy(): this {
    this.checkNotNegated('greedy');
    check(!(this instanceof GroupPattern), `greedy() does not apply to the group pattern "${this.name}"`);
    check(
      this.quantifier.kind !== 'single',
      `greedy() applies to a looping or times step, not to "${this.name}"`,
    );
    check(
      this.quantifier.inner !== 'any',
      `greedy() cannot be combined with allowCombinations() on "${this.name}"`,
    );
    this.quantifier.greedy = true;
    return this;
  }

  /** The events of a looping or times step must be contiguous (strict inner contiguity). */
  consecutive(): this {
    check(
      this.quantifier.kind !== 'single',
      `consecutive() applies to a looping or times step, not to "${this.name}"`,
    );
    this.quantifier.inner = 'strict';
    return this;
  }

  /** The events of a looping or times step may be any combination (non-deterministic inner contiguity). */
  allowCombinations(): this {
    check(
      this.quantifier.kind !== 'single',
      `allowCombinations() applies to a looping or times step, not to "${this.name}"`,
    );
    check(!this.quantifier.greedy, `allowCombinations() cannot be combined with greedy() on "${this.name}"`);
    this.quantifier.inner = 'any';
    return this;
  }

  private follow(name: string | Pattern<T>, consuming: ConsumingStrategy): Pattern<T> {
    if (typeof name === 'string') return new Pattern<T>(name, this, consuming, this.skipStrategy);
    return new GroupPattern<T>(this, name, consuming, this.skipStrategy);
  }

  private checkQuantifierFree(): void {
    this.checkNotNegated('a quantifier');
    check(this.quantifier.kind === 'single', `a quantifier is already applied to "${this.name}"`);
  }

  private checkNotNegated(what: string): void {
    const consuming = this.quantifier.consuming;
    check(
      consuming !== 'notNext' && consuming !== 'notFollow',
      `${what} does not apply to the negative step "${this.name}"`,
    );
  }

  private checkNotAfterOptional(what: string): void {
    check(!this.quantifier.optional, `${what}() cannot follow the optional step "${this.name}"`);
  }
}

/**
 * A group of steps used as one step (Flink's GroupPattern): `Pattern.begin(group)`,
 * `next(group)` ..., so that a quantifier applies to the whole sequence.
 */
export class GroupPattern<T> extends Pattern<T> {
  /** The last step of the group's own sequence. */
  readonly rawPattern: Pattern<T>;

  constructor(
    previous: Pattern<T> | undefined,
    rawPattern: Pattern<T>,
    consuming: ConsumingStrategy,
    skipStrategy: SkipStrategy,
  ) {
    super('GroupPattern', previous, consuming, skipStrategy);
    this.rawPattern = rawPattern;
  }

  override where(): this {
    throw new MalformedPatternError(`where() does not apply to the group pattern "${this.name}"`);
  }

  override or(): this {
    throw new MalformedPatternError(`or() does not apply to the group pattern "${this.name}"`);
  }

  override until(condition: Condition<T>): this {
    check(this.quantifier.kind === 'looping', `until() applies to a looping step, not to "${this.name}"`);
    this.untilCondition = condition;
    return this;
  }
}
