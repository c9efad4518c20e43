/**
 * Patterns written as JSON, for users who think in states: a list of states, each entered from
 * the one before by a transition (next, followedBy, ...), with conditions over the fields of
 * the event and quantifiers. `Pattern.fromJSON` reads it into the same {@link Pattern} the
 * fluent API builds. Example:
 *
 * ```json
 * { "within": 60000, "skip": "skipPastLastEvent",
 *   "states": [
 *     { "name": "small", "where": { "amount": { "lt": 10 } } },
 *     { "name": "large", "transition": "followedBy",
 *       "where": { "amount": { "gt": { "ref": "small", "field": "amount", "times": 100 } } } } ] }
 * ```
 */
import { InputError } from '../core/errors.js';
import { compileNfa } from './compiler.js';
import {
  AfterMatchSkipStrategy,
  type Condition,
  type ConditionContext,
  MalformedPatternError,
  Pattern,
} from './pattern.js';

/** An event as the JSON form sees it: fields by (dotted) name. */
export type JsonEvent = Record<string, unknown>;

const TRANSITIONS = ['next', 'followedBy', 'followedByAny', 'notNext', 'notFollowedBy'] as const;
const STATE_KEYS = new Set([
  'name',
  'transition',
  'where',
  'times',
  'timesOrMore',
  'oneOrMore',
  'optional',
  'greedy',
  'consecutive',
  'allowCombinations',
  'until',
]);
const OPERATORS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'exists']);
const AGGREGATES = new Set(['first', 'last', 'sum', 'min', 'max', 'avg', 'count']);
const EXPECTED_DOCUMENT =
  '{"states":[{"name":...,"where":{...}}, {"name":...,"transition":"followedBy",...}], "within"?: ms, "skip"?: ...}';

type Value = (event: JsonEvent, context: ConditionContext<JsonEvent>) => unknown;

/** The value at a dotted field path (`"card.id"`) of an event, undefined where it has none. */
export function fieldOf(path: string): (event: JsonEvent) => unknown {
  const parts = path.split('.');
  return (event) => {
    let value: unknown = event;
    for (const part of parts) value = isObject(value) ? value[part] : undefined;
    return value;
  };
}

/** Reads a pattern from its JSON form; errors name `file` and the place in the document. */
export function patternFromJson(document: unknown, file = '<pattern>'): Pattern<JsonEvent> {
  const fail: Fail = (where, problem, expected) => new InputError(`${where}: ${problem}`, { file, expected });
  if (!isObject(document)) throw fail('the document', 'not a JSON object', EXPECTED_DOCUMENT);
  for (const key of Object.keys(document)) {
    if (!['states', 'within', 'skip'].includes(key))
      throw fail('the document', `unknown key "${key}"`, EXPECTED_DOCUMENT);
  }
  const states = document.states;
  if (!Array.isArray(states) || states.length === 0) {
    throw fail('"states"', 'missing or empty', 'a non-empty array of states');
  }
  const skip = readSkip(document.skip, fail);

  const operand = (value: unknown, where: string): Value => {
    if (!isObject(value)) return () => value;
    const { ref, field, agg = 'last', times = 1, plus = 0, ...rest } = value;
    if (Object.keys(rest).length > 0 || typeof ref !== 'string' || typeof field !== 'string') {
      throw fail(
        where,
        'not a value or a reference',
        '{"ref": state, "field": name, "agg"?, "times"?, "plus"?}',
      );
    }
    if (typeof agg !== 'string' || !AGGREGATES.has(agg)) {
      throw fail(where, `unknown aggregate ${JSON.stringify(agg)}`, Array.from(AGGREGATES).join(', '));
    }
    if (typeof times !== 'number' || typeof plus !== 'number')
      throw fail(where, '"times" and "plus" must be numbers', 'numbers');
    const get = fieldOf(field);
    return (_event, context) => {
      const values = context.events(ref).map(get);
      if (agg === 'count') return values.length * times + plus;
      if (values.length === 0) return undefined;
      const numbers = values as number[];
      let result: unknown;
      if (agg === 'first') result = values[0];
      else if (agg === 'last') result = values[values.length - 1];
      else if (agg === 'sum') result = numbers.reduce((a, b) => a + b, 0);
      else if (agg === 'avg') result = numbers.reduce((a, b) => a + b, 0) / numbers.length;
      else result = (agg === 'min' ? Math.min : Math.max)(...numbers);
      return typeof result === 'number' ? result * times + plus : result;
    };
  };

  const condition = (spec: unknown, where: string): Condition<JsonEvent> => {
    if (!isObject(spec))
      throw fail(where, 'not a condition', 'an object of field tests, or {"and"|"or": [...]}, {"not": ...}');
    const parts: Condition<JsonEvent>[] = [];
    for (const [key, value] of Object.entries(spec)) {
      if (key === 'and' || key === 'or') {
        if (!Array.isArray(value) || value.length === 0)
          throw fail(`${where}.${key}`, 'not a non-empty array', 'an array of conditions');
        const list = value.map((c, i) => condition(c, `${where}.${key}[${i}]`));
        parts.push(
          key === 'and' ? (e, c) => list.every((f) => f(e, c)) : (e, c) => list.some((f) => f(e, c)),
        );
      } else if (key === 'not') {
        const inner = condition(value, `${where}.not`);
        parts.push((e, c) => !inner(e, c));
      } else parts.push(fieldTest(key, value, `${where}.${key}`));
    }
    return (event, context) => parts.every((part) => part(event, context));
  };

  const fieldTest = (path: string, spec: unknown, where: string): Condition<JsonEvent> => {
    const get = fieldOf(path);
    if (!isObject(spec) || 'ref' in spec) {
      const expected = operand(spec, where);
      return (event, context) => get(event) === expected(event, context);
    }
    const tests: Condition<JsonEvent>[] = [];
    for (const [op, value] of Object.entries(spec)) {
      if (!OPERATORS.has(op)) throw fail(where, `unknown operator "${op}"`, Array.from(OPERATORS).join(', '));
      if (op === 'exists') {
        if (typeof value !== 'boolean') throw fail(`${where}.exists`, 'not a boolean', 'true or false');
        tests.push((event) => (get(event) !== undefined) === value);
        continue;
      }
      if (op === 'in') {
        if (!Array.isArray(value)) throw fail(`${where}.in`, 'not an array', 'an array of values');
        tests.push((event) => value.includes(get(event)));
        continue;
      }
      const other = operand(value, `${where}.${op}`);
      tests.push((event, context) => compare(op, get(event), other(event, context)));
    }
    return (event, context) => tests.every((test) => test(event, context));
  };

  let pattern: Pattern<JsonEvent> | undefined;
  states.forEach((state: unknown, i: number) => {
    const where = `states[${i}]`;
    if (!isObject(state)) throw fail(where, 'not an object', '{"name": ..., "where": {...}, ...}');
    for (const key of Object.keys(state)) {
      if (!STATE_KEYS.has(key)) throw fail(where, `unknown key "${key}"`, Array.from(STATE_KEYS).join(', '));
    }
    const { name, transition } = state;
    if (typeof name !== 'string' || name.length === 0)
      throw fail(`${where}.name`, 'missing or not a string', 'the state name');
    try {
      if (pattern === undefined) {
        if (transition !== undefined)
          throw fail(`${where}.transition`, 'the first state has no transition', 'no "transition"');
        pattern = Pattern.begin<JsonEvent>(name, skip);
      } else {
        if (typeof transition !== 'string' || !(TRANSITIONS as readonly string[]).includes(transition)) {
          throw fail(
            `${where}.transition`,
            `missing or unknown: ${JSON.stringify(transition)}`,
            TRANSITIONS.join(', '),
          );
        }
        pattern = pattern[transition as (typeof TRANSITIONS)[number]](name);
      }
      if (state.where !== undefined) pattern.where(condition(state.where, `${where}.where`));
      applyQuantifier(pattern, state, where, fail);
      if (state.until !== undefined) pattern.until(condition(state.until, `${where}.until`));
    } catch (error) {
      if (error instanceof MalformedPatternError)
        throw fail(where, error.message, 'a pattern Flink CEP accepts');
      throw error;
    }
  });
  if (document.within !== undefined) {
    if (typeof document.within !== 'number' || !(document.within > 0)) {
      throw fail('"within"', `not a positive number: ${JSON.stringify(document.within)}`, 'milliseconds > 0');
    }
    pattern!.within(document.within);
  }
  // Rules that concern the whole pattern (unique names, what may end it) are the compiler's.
  try {
    compileNfa(pattern!);
  } catch (error) {
    if (error instanceof MalformedPatternError)
      throw fail('"states"', error.message, 'a pattern Flink CEP accepts');
    throw error;
  }
  return pattern!;
}

/** The error for a problem at a place in the document. */
type Fail = (where: string, problem: string, expected: string) => InputError;

function applyQuantifier(
  pattern: Pattern<JsonEvent>,
  state: Record<string, unknown>,
  where: string,
  fail: Fail,
): void {
  const flag = (key: string): boolean => {
    const value = state[key];
    if (value !== undefined && typeof value !== 'boolean')
      throw fail(`${where}.${key}`, 'not a boolean', 'true or false');
    return value === true;
  };
  const { times, timesOrMore } = state;
  if (times !== undefined) {
    if (typeof times === 'number') pattern.times(times);
    else if (Array.isArray(times) && times.length === 2 && times.every((n) => typeof n === 'number')) {
      pattern.times(times[0] as number, times[1] as number);
    } else throw fail(`${where}.times`, 'not a count or [from, to]', 'an integer or [from, to]');
  }
  if (timesOrMore !== undefined) {
    if (typeof timesOrMore !== 'number')
      throw fail(`${where}.timesOrMore`, 'not a number', 'an integer >= 1');
    pattern.timesOrMore(timesOrMore as number);
  }
  if (flag('oneOrMore')) pattern.oneOrMore();
  if (flag('optional')) pattern.optional();
  if (flag('greedy')) pattern.greedy();
  if (flag('consecutive')) pattern.consecutive();
  if (flag('allowCombinations')) pattern.allowCombinations();
}

function readSkip(skip: unknown, fail: Fail) {
  const expected =
    '"noSkip", "skipToNext", "skipPastLastEvent", {"skipToFirst": state} or {"skipToLast": state}';
  if (skip === undefined || skip === 'noSkip') return AfterMatchSkipStrategy.noSkip();
  if (skip === 'skipToNext') return AfterMatchSkipStrategy.skipToNext();
  if (skip === 'skipPastLastEvent') return AfterMatchSkipStrategy.skipPastLastEvent();
  if (isObject(skip) && Object.keys(skip).length === 1) {
    if (typeof skip.skipToFirst === 'string') return AfterMatchSkipStrategy.skipToFirst(skip.skipToFirst);
    if (typeof skip.skipToLast === 'string') return AfterMatchSkipStrategy.skipToLast(skip.skipToLast);
  }
  throw fail('"skip"', `unknown strategy ${JSON.stringify(skip)}`, expected);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
  }
  // Ordering holds between two numbers or two strings; anything else (a missing field) fails.
  if (
    !((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))
  ) {
    return false;
  }
  if (op === 'lt') return a < b;
  if (op === 'le') return a <= b;
  if (op === 'gt') return a > b;
  return a >= b;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
