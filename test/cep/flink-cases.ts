/**
 * Cases ported from Flink CEP's own tests (flink-libraries/flink-cep/src/test/java/org/apache/
 * flink/cep/nfa/): each names the Flink test class and method it mirrors, with its input events
 * and the matches Flink's test expects. They run twice: on the NFA directly (nfa.test.ts) and
 * through a DataStream (pattern-stream.test.ts).
 */
import { AfterMatchSkipStrategy, Pattern, type SkipStrategy } from '../../src/cep/pattern.js';
import { type Event, event, named } from './helpers.js';

/** One ported case. */
export interface FlinkCase {
  /** `Class.method` of the Flink test. */
  flink: string;
  pattern: () => Pattern<Event>;
  events: Event[];
  /** Expected matches as label lists (order-free, as Flink's comparePatterns). */
  matches: string[][];
}

const has =
  (text: string) =>
  (e: Event): boolean =>
    e.name.includes(text);

/** Events labelled `labels`, at times 1, 2, 3 ... */
function seq(...labels: string[]): Event[] {
  return labels.map((label, i) => event(label, i + 1));
}

const begin = (name: string, skip?: SkipStrategy) => Pattern.begin<Event>(name, skip);

/** Flink's ConsecutiveData of TimesOrMoreITCase: c, f, a1, f, a2, a3, b. */
function consecutiveData(): Event[] {
  return [
    event('c', 1),
    event('f1', 2),
    event('a1', 3),
    event('f2', 4),
    event('a2', 5),
    event('a3', 6),
    event('b', 7),
  ];
}

/** TwoVariablesFollowedByAny of AfterMatchSkipITCase under a skip strategy. */
const skipPatternAtoB = (skip: SkipStrategy) =>
  begin('start', skip).where(named('a')).followedByAny('end').where(named('b'));

/** GreedyITCase's `c a*? d` with a greedy optional loop (its `until` added by a case). */
function greedyZeroOrMore(): Pattern<Event> {
  return begin('start')
    .where(named('c'))
    .followedBy('middle')
    .where(named('a'))
    .oneOrMore()
    .optional()
    .greedy();
}

/** GreedyITCase's `c a* d? e`. */
function greedyBeforeOptional(): Pattern<Event> {
  return begin('start')
    .where(named('c'))
    .followedBy('middle1')
    .where(named('a'))
    .oneOrMore()
    .optional()
    .greedy()
    .followedBy('middle2')
    .where(named('d'))
    .optional()
    .followedBy('end')
    .where(named('e'));
}

/** The events of NFAITCase's time-window tests (testSimplePatternWithTimeWindowNFA, ...TimeoutHandling). */
export function timeWindowEvents(): Event[] {
  return [
    event('start1', 1, { name: 'start' }),
    event('start2', 2, { name: 'start' }),
    event('middle', 3),
    event('foobar', 4),
    event('end1', 11, { name: 'end' }),
    event('end2', 13, { name: 'end' }),
  ];
}

/** The pattern of NFAITCase.testSimplePatternWithTimeoutHandling: start, any middle, any end, within 10. */
export function timeoutHandlingPattern(): Pattern<Event> {
  return begin('start')
    .where(named('start'))
    .followedByAny('middle')
    .where(named('middle'))
    .followedByAny('end')
    .where(named('end'))
    .within(10);
}

/** GroupITCase's group (a b): middle1 a, followed by middle2 b. */
function abGroup(): Pattern<Event> {
  return begin('middle1').where(named('a')).followedBy('middle2').where(named('b'));
}

export const FLINK_CASES: FlinkCase[] = [
  // ---- NFAITCase ----
  {
    flink: 'NFAITCase.testNoConditionNFA',
    pattern: () => begin('start').followedBy('end'),
    events: seq('a', 'b', 'c', 'd', 'e'),
    matches: [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
    ],
  },
  {
    flink: 'NFAITCase.testAnyWithNoConditionNFA',
    pattern: () => begin('start').followedByAny('end'),
    events: seq('a', 'b', 'c', 'd', 'e'),
    matches: [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['a', 'e'],
      ['b', 'c'],
      ['b', 'd'],
      ['b', 'e'],
      ['c', 'd'],
      ['c', 'e'],
      ['d', 'e'],
    ],
  },
  {
    flink: 'NFAITCase.testSimplePatternNFA',
    pattern: () =>
      begin('start')
        .where(named('start'))
        .followedBy('middle')
        .where((e) => (e.volume ?? 0) > 5)
        .followedBy('end')
        .where(named('end')),
    events: [
      event('start1', 1, { name: 'start' }),
      event('foobar', 2),
      event('barfoo', 3, { volume: 5 }),
      event('middle', 3, { name: 'foo', volume: 10 }),
      event('start2', 4, { name: 'start' }),
      event('end', 5),
    ],
    matches: [['start1', 'middle', 'end']],
  },
  {
    flink: 'NFAITCase.testStrictContinuityWithResults',
    pattern: () => begin('middle').where(named('a')).next('end').where(named('b')),
    events: [event('a', 3), event('b', 5)],
    matches: [['a', 'b']],
  },
  {
    flink: 'NFAITCase.testStrictContinuityNoResults',
    pattern: () => begin('middle').where(named('a')).next('end').where(named('b')),
    events: [event('a', 3), event('c', 4), event('b', 5)],
    matches: [],
  },
  {
    flink: 'NFAITCase.testSimplePatternWithTimeWindowNFA',
    pattern: () =>
      begin('start')
        .where(named('start'))
        .followedBy('middle')
        .where(named('middle'))
        .followedBy('end')
        .where(named('end'))
        .within(10),
    events: timeWindowEvents(),
    matches: [['start2', 'middle', 'end1']],
  },
  {
    flink: 'NFAITCase.testBranchingPattern',
    pattern: () =>
      begin('start')
        .where(named('start'))
        .followedByAny('middle-first')
        .where((e) => (e.volume ?? 0) > 5)
        .followedByAny('middle-second')
        .where((e) => e.volume !== undefined && e.name === 'next-one')
        .followedByAny('end')
        .where(named('end')),
    events: [
      event('start', 1),
      event('foo1', 3, { volume: 10 }),
      event('foo2', 4, { volume: 10 }),
      event('foo3', 5, { volume: 10 }),
      event('next1', 6, { name: 'next-one', volume: 2 }),
      event('next2', 7, { name: 'next-one', volume: 2 }),
      event('end', 8),
    ],
    matches: [
      ['start', 'foo1', 'next1', 'end'],
      ['start', 'foo2', 'next1', 'end'],
      ['start', 'foo3', 'next1', 'end'],
      ['start', 'foo1', 'next2', 'end'],
      ['start', 'foo2', 'next2', 'end'],
      ['start', 'foo3', 'next2', 'end'],
    ],
  },
  // ---- GreedyITCase ----
  {
    flink: 'GreedyITCase.testGreedyZeroOrMore',
    pattern: () => greedyZeroOrMore().followedBy('end').where(named('d')),
    events: seq('c', 'a1', 'a2', 'a3', 'd'),
    matches: [['c', 'a1', 'a2', 'a3', 'd']],
  },
  {
    flink: 'GreedyITCase.testGreedyZeroOrMoreInBetween',
    pattern: () => greedyZeroOrMore().followedBy('end').where(named('d')),
    events: seq('c', 'dummy1', 'a1', 'dummy2', 'a2', 'dummy3', 'a3', 'd'),
    matches: [['c', 'a1', 'a2', 'a3', 'd']],
  },
  {
    flink: 'GreedyITCase.testGreedyZeroOrMoreWithDummyEventsAfterQuantifier',
    pattern: () => greedyZeroOrMore().followedBy('end').where(named('d')),
    events: seq('c', 'a1', 'a2', 'dummy', 'd'),
    matches: [['c', 'a1', 'a2', 'd']],
  },
  {
    flink: 'GreedyITCase.testGreedyZeroOrMoreWithDummyEventsBeforeQuantifier',
    pattern: () => greedyZeroOrMore().followedBy('end').where(named('d')),
    events: seq('c', 'dummy', 'd'),
    matches: [['c', 'd']],
  },
  {
    flink: 'GreedyITCase.testGreedyZeroOrMoreBeforeOptional',
    pattern: greedyBeforeOptional,
    events: seq('c', 'a1', 'a2', 'dummy', 'e'),
    matches: [['c', 'a1', 'a2', 'e']],
  },
  {
    flink: 'GreedyITCase.testGreedyZeroOrMoreBeforeOptional2',
    pattern: greedyBeforeOptional,
    events: seq('c', 'a1', 'a2', 'd', 'e'),
    matches: [
      ['c', 'a1', 'a2', 'e'],
      ['c', 'a1', 'a2', 'd', 'e'],
    ],
  },
  {
    flink: 'GreedyITCase.testGreedyUtilZeroOrMoreWithDummyEventsAfterQuantifier',
    pattern: () =>
      greedyZeroOrMore()
        .until((e) => e.price > 3)
        .followedBy('end')
        .where(named('d')),
    events: [
      event('c', 1, { price: 1 }),
      event('a1', 2, { price: 2 }),
      event('a2', 3, { price: 3 }),
      event('a3', 4, { price: 3 }),
      event('a4', 5, { price: 4 }),
      event('d', 6, { price: 3 }),
    ],
    matches: [['c', 'a1', 'a2', 'a3', 'd']],
  },
  {
    flink: 'GreedyITCase.testGreedyUtilWithDummyEventsBeforeQuantifier',
    pattern: () =>
      greedyZeroOrMore()
        .until((e) => e.price > 3)
        .followedBy('end')
        .where(named('d')),
    events: [
      event('c', 1, { price: 1 }),
      event('a0', 2, { price: 4 }),
      event('a1', 3, { price: 2 }),
      event('a2', 4, { price: 3 }),
      event('a3', 5, { price: 3 }),
      event('d', 6, { price: 3 }),
    ],
    matches: [['c', 'd']],
  },
  // ---- TimesOrMoreITCase (without a window) ----
  {
    flink: 'TimesOrMoreITCase.testTimesOrMore',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .followedBy('middle')
        .where(named('a'))
        .timesOrMore(2)
        .allowCombinations()
        .followedBy('end1')
        .where(named('b')),
    events: [event('c', 1), event('a1', 2), event('a2', 3), event('a3', 4), event('b', 6)],
    matches: [
      ['c', 'a1', 'a2', 'a3', 'b'],
      ['c', 'a1', 'a2', 'b'],
      ['c', 'a1', 'a3', 'b'],
    ],
  },
  {
    flink: 'TimesOrMoreITCase.testTimesOrMoreNonStrict',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .followedByAny('middle')
        .where(named('a'))
        .timesOrMore(2)
        .allowCombinations()
        .followedBy('end1')
        .where(named('b')),
    events: consecutiveData(),
    matches: [
      ['c', 'a1', 'a2', 'a3', 'b'],
      ['c', 'a1', 'a2', 'b'],
      ['c', 'a1', 'a3', 'b'],
      ['c', 'a2', 'a3', 'b'],
    ],
  },
  {
    flink: 'TimesOrMoreITCase.testTimesOrMoreStrict',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .followedByAny('middle')
        .where(named('a'))
        .times(2)
        .consecutive()
        .followedBy('end1')
        .where(named('b')),
    events: consecutiveData(),
    matches: [['c', 'a2', 'a3', 'b']],
  },
  {
    flink: 'TimesOrMoreITCase.testTimesOrMoreStrictOptional',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .followedByAny('middle')
        .where(named('a'))
        .timesOrMore(2)
        .consecutive()
        .optional()
        .followedBy('end1')
        .where(named('b')),
    events: consecutiveData(),
    matches: [
      ['c', 'a2', 'a3', 'b'],
      ['c', 'b'],
    ],
  },
  {
    flink: 'TimesOrMoreITCase.testTimesOrMoreStrictOptional2',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .next('middle')
        .where(named('a'))
        .timesOrMore(2)
        .consecutive()
        .optional()
        .followedBy('end1')
        .where(named('b')),
    events: [event('c', 1), event('a1', 3), event('a2', 5), event('a3', 6), event('b', 7)],
    matches: [
      ['c', 'a1', 'a2', 'a3', 'b'],
      ['c', 'a1', 'a2', 'b'],
      ['c', 'b'],
    ],
  },
  {
    flink: 'TimesOrMoreITCase.testTimesOrMoreNonStrictOptional',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .followedBy('middle')
        .where(named('a'))
        .timesOrMore(2)
        .optional()
        .followedBy('end1')
        .where(named('b')),
    events: [event('c', 1), event('f', 2), event('b', 7)],
    matches: [['c', 'b']],
  },
  {
    flink: 'TimesOrMoreITCase.testTimesOrMoreNonStrictOptional2',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .followedByAny('middle')
        .where(named('a'))
        .timesOrMore(2)
        .allowCombinations()
        .optional()
        .followedBy('end1')
        .where(named('b')),
    events: consecutiveData(),
    matches: [
      ['c', 'a1', 'a2', 'a3', 'b'],
      ['c', 'a1', 'a2', 'b'],
      ['c', 'a2', 'a3', 'b'],
      ['c', 'b'],
      ['c', 'a1', 'a3', 'b'],
    ],
  },
  // ---- NotPatternITCase ----
  {
    flink: 'NotPatternITCase.testNotNext',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .notNext('notPattern')
        .where(named('b'))
        .followedByAny('middle')
        .where(named('c'))
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'c1', 'b1', 'c2', 'd'),
    matches: [
      ['a1', 'c1', 'd'],
      ['a1', 'c2', 'd'],
    ],
  },
  {
    flink: 'NotPatternITCase.testNotNextNoMatches',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .notNext('notPattern')
        .where(named('b'))
        .followedBy('middle')
        .where(named('c'))
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'b1', 'c1', 'c2', 'd'),
    matches: [],
  },
  {
    flink: 'NotPatternITCase.testNotNextNoMatchesAtTheEnd',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .followedByAny('middle')
        .where(named('c'))
        .followedByAny('end')
        .where(named('d'))
        .notNext('notPattern')
        .where(named('b')),
    events: seq('a1', 'c1', 'c2', 'd', 'b1'),
    matches: [],
  },
  {
    // FIRST_AND_LAST: eddy's within() (the window from the first event).
    flink: 'NotPatternITCase.testNotFollowedByWithinFirstAndLastAtEnd',
    pattern: () => begin('a').where(named('a')).notFollowedBy('b').where(named('b')).within(3),
    events: [
      event('a1', 1),
      event('b1', 2),
      event('a2', 4),
      event('c', 5),
      event('b2', 10),
      event('a3', 11),
      event('b3', 13),
    ],
    matches: [['a2']],
  },
  {
    flink: 'NotPatternITCase.testNotFollowByBeforeTimesWithin',
    pattern: () =>
      begin('a')
        .where(named('a'))
        .notFollowedBy('b')
        .where(named('b'))
        .followedBy('c')
        .where(named('c'))
        .times(0, 2)
        .within(3),
    events: [
      event('a1', 1),
      event('b1', 2),
      event('a2', 10),
      event('c1', 11),
      event('c2', 12),
      event('a3', 20),
      event('c3', 21),
      event('c4', 24),
    ],
    matches: [['a1'], ['a2'], ['a2', 'c1'], ['a2', 'c1', 'c2'], ['a3'], ['a3', 'c3']],
  },
  {
    flink: 'NotPatternITCase.testNotFollowedByWithinAtEndAfterMatch',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipPastLastEvent())
        .where(named('a'))
        .oneOrMore()
        .allowCombinations()
        .followedBy('c')
        .where(named('c'))
        .notFollowedBy('b')
        .where(named('b'))
        .within(5),
    events: [event('a1', 1), event('a2', 2), event('a3', 3), event('c1', 4), event('c2', 10)],
    matches: [['a1', 'a2', 'a3', 'c1']],
  },
  {
    flink: 'NotPatternITCase.testNotFollowedBy',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .notFollowedBy('notPattern')
        .where(named('b'))
        .followedByAny('middle')
        .where(named('c'))
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'c1', 'b1', 'c2', 'd'),
    matches: [['a1', 'c1', 'd']],
  },
  {
    flink: 'NotPatternITCase.testNotFollowedByBeforeOptional',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .notFollowedBy('notPattern')
        .where(named('b'))
        .followedByAny('middle')
        .where(named('c'))
        .optional()
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'c1', 'b1', 'c2', 'd'),
    matches: [['a1', 'c1', 'd']],
  },
  {
    flink: 'NotPatternITCase.testTimesWithNotFollowedBy',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .followedByAny('middle')
        .where(named('b'))
        .times(2)
        .notFollowedBy('notPattern')
        .where(named('c'))
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'b1', 'c', 'b2', 'd'),
    matches: [],
  },
  {
    flink: 'NotPatternITCase.testIgnoreStateOfTimesWithNotFollowedBy',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .notFollowedBy('notPattern')
        .where(named('b'))
        .followedByAny('middle')
        .where(named('c'))
        .times(2)
        .optional()
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'd1', 'e', 'b1', 'c1', 'c2', 'd2'),
    matches: [['a1', 'd1']],
  },
  {
    flink: 'NotPatternITCase.testTimesWithNotFollowedByAfter',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .followedByAny('middle')
        .where(named('b'))
        .times(2)
        .notFollowedBy('notPattern')
        .where(named('c'))
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'd1', 'e', 'b1', 'b2', 'c1', 'd2'),
    matches: [],
  },
  {
    flink: 'NotPatternITCase.testNotFollowedByBeforeOptionalAtTheEnd',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .notFollowedBy('notPattern')
        .where(named('b'))
        .followedByAny('end')
        .where(named('c'))
        .optional(),
    events: seq('a1', 'c1', 'b1', 'c2'),
    matches: [['a1', 'c1'], ['a1']],
  },
  {
    flink: 'NotPatternITCase.testNotFollowedByBeforeOptionalTimes',
    pattern: () =>
      begin('start')
        .where(named('a'))
        .notFollowedBy('notPattern')
        .where(named('b'))
        .followedByAny('middle')
        .where(named('c'))
        .times(2)
        .optional()
        .followedBy('end')
        .where(named('d')),
    events: seq('a1', 'c1', 'b1', 'c2', 'd'),
    matches: [['a1', 'c1', 'c2', 'd']],
  },
  // ---- GroupITCase ----
  {
    flink: 'GroupITCase.testGroupFollowedByTimes',
    pattern: () =>
      begin('start').where(named('c')).followedBy(abGroup()).times(2).followedBy('end').where(named('d')),
    events: seq('c', 'a1', 'b1', 'a2', 'b2', 'd'),
    matches: [['c', 'a1', 'b1', 'a2', 'b2', 'd']],
  },
  {
    flink: 'GroupITCase.testGroupFollowedByOptional',
    pattern: () =>
      begin('start').where(named('c')).followedBy(abGroup()).optional().followedBy('end').where(named('d')),
    events: seq('c', 'a1', 'a2', 'b', 'd'),
    matches: [
      ['c', 'd'],
      ['c', 'a1', 'b', 'd'],
    ],
  },
  {
    flink: 'GroupITCase.testFollowedByGroupTimesOptional',
    pattern: () =>
      begin('start')
        .where(named('c'))
        .followedBy(abGroup())
        .times(2)
        .optional()
        .followedBy('end')
        .where(named('d')),
    events: seq('c', 'a', 'd'),
    matches: [['c', 'd']],
  },
  {
    flink: 'GroupITCase.testGroupFollowedByOneOrMore',
    pattern: () =>
      begin('start').where(named('c')).followedBy(abGroup()).oneOrMore().followedBy('end').where(named('d')),
    events: seq('c', 'a1', 'b1', 'a2', 'b2', 'd'),
    matches: [
      ['c', 'a1', 'b1', 'd'],
      ['c', 'a1', 'b1', 'a2', 'b2', 'd'],
    ],
  },
  // ---- AfterMatchSkipITCase ----
  {
    flink: 'AfterMatchSkipITCase.testNoSkip',
    pattern: () => begin('start', AfterMatchSkipStrategy.noSkip()).where(named('a')).times(3),
    events: seq('a1', 'a2', 'a3', 'a4', 'a5', 'a6'),
    matches: [
      ['a1', 'a2', 'a3'],
      ['a2', 'a3', 'a4'],
      ['a3', 'a4', 'a5'],
      ['a4', 'a5', 'a6'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testNoSkipWithFollowedByAny',
    pattern: () => skipPatternAtoB(AfterMatchSkipStrategy.noSkip()),
    events: seq('a1', 'b1', 'a2', 'b2'),
    matches: [
      ['a1', 'b1'],
      ['a1', 'b2'],
      ['a2', 'b2'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToNextWithFollowedByAny',
    pattern: () => skipPatternAtoB(AfterMatchSkipStrategy.skipToNext()),
    events: seq('a1', 'b1', 'a2', 'b2'),
    matches: [
      ['a1', 'b1'],
      ['a2', 'b2'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testNoSkipWithQuantifierAtTheEnd',
    pattern: () => begin('start').where(named('a')).next('end').where(named('b')).oneOrMore(),
    events: seq('a1', 'b1', 'b2', 'b3'),
    matches: [
      ['a1', 'b1', 'b2', 'b3'],
      ['a1', 'b1', 'b2'],
      ['a1', 'b1'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToNextWithQuantifierAtTheEnd',
    pattern: () =>
      begin('start', AfterMatchSkipStrategy.skipToNext())
        .where(named('a'))
        .next('end')
        .where(named('b'))
        .oneOrMore(),
    events: seq('a1', 'b1', 'b2', 'b3'),
    matches: [['a1', 'b1']],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipPastLast',
    pattern: () => begin('start', AfterMatchSkipStrategy.skipPastLastEvent()).where(named('a')).times(3),
    events: seq('a1', 'a2', 'a3', 'a4', 'a5', 'a6'),
    matches: [
      ['a1', 'a2', 'a3'],
      ['a4', 'a5', 'a6'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToFirst',
    pattern: () =>
      begin('start', AfterMatchSkipStrategy.skipToFirst('end'))
        .where(has('a'))
        .times(2)
        .next('end')
        .where(has('b'))
        .times(2),
    events: seq('ab1', 'ab2', 'ab3', 'ab4', 'ab5', 'ab6'),
    matches: [
      ['ab1', 'ab2', 'ab3', 'ab4'],
      ['ab3', 'ab4', 'ab5', 'ab6'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToLast',
    pattern: () =>
      begin('start', AfterMatchSkipStrategy.skipToLast('end'))
        .where(has('a'))
        .times(2)
        .next('end')
        .where(has('b'))
        .times(2),
    events: seq('ab1', 'ab2', 'ab3', 'ab4', 'ab5', 'ab6', 'ab7'),
    matches: [
      ['ab1', 'ab2', 'ab3', 'ab4'],
      ['ab4', 'ab5', 'ab6', 'ab7'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipPastLast2',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipPastLastEvent())
        .where(has('a'))
        .followedByAny('b')
        .where(has('b'))
        .followedByAny('c')
        .where(has('c'))
        .followedBy('d')
        .where(has('d')),
    events: seq('a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'd1', 'd2'),
    matches: [['a1', 'b1', 'c1', 'd1']],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipPastLast3',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipPastLastEvent()).where(has('a')).next('b').where(has('b')),
    events: seq('a1', 'c', 'a2', 'b2'),
    matches: [['a2', 'b2']],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToFirstAtStartPosition',
    pattern: () =>
      begin('b', AfterMatchSkipStrategy.skipToFirst('b')).where(has('b')).next('c').where(has('c')),
    events: seq('ab1', 'c1', 'ab2', 'c2'),
    matches: [
      ['ab1', 'c1'],
      ['ab2', 'c2'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToFirstWithOneOrMore',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipToFirst('b'))
        .where(has('a'))
        .next('b')
        .where(has('b'))
        .oneOrMore()
        .consecutive(),
    events: seq('a1', 'b1', 'a2', 'b2', 'b3', 'a3', 'b4'),
    matches: [
      ['a1', 'b1'],
      ['a2', 'b2'],
      ['a3', 'b4'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToFirstNonExistentPositionWithoutException',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipToFirst('b'))
        .where(has('a'))
        .next('b')
        .where(has('b'))
        .oneOrMore()
        .optional()
        .consecutive()
        .next('c')
        .where(has('c')),
    events: seq('a', 'c'),
    matches: [['a', 'c']],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToLastWithOneOrMore',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipToLast('b'))
        .where(has('a'))
        .next('b')
        .where(has('b'))
        .oneOrMore()
        .consecutive(),
    events: seq('a1', 'b1', 'a2', 'b2', 'b3', 'a3', 'b4'),
    matches: [
      ['a1', 'b1'],
      ['a2', 'b2'],
      ['a3', 'b4'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipPastLastWithOneOrMoreAtBeginning',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipPastLastEvent())
        .where(has('a'))
        .oneOrMore()
        .consecutive()
        .greedy()
        .next('b')
        .where(has('b')),
    events: seq('a1', 'a2', 'a3', 'b1'),
    matches: [['a1', 'a2', 'a3', 'b1']],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToLastWithOneOrMoreAtBeginning',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipToLast('a'))
        .where(has('a'))
        .oneOrMore()
        .consecutive()
        .greedy()
        .next('b')
        .where(has('b')),
    events: seq('a1', 'a2', 'a3', 'b1'),
    matches: [
      ['a1', 'a2', 'a3', 'b1'],
      ['a3', 'b1'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testSkipToFirstWithOneOrMoreAtBeginning',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.skipToFirst('a'))
        .where(has('a'))
        .oneOrMore()
        .consecutive()
        .greedy()
        .next('b')
        .where(has('b')),
    events: seq('a1', 'a2', 'a3', 'b1'),
    matches: [
      ['a1', 'a2', 'a3', 'b1'],
      ['a2', 'a3', 'b1'],
      ['a3', 'b1'],
    ],
  },
  {
    flink: 'AfterMatchSkipITCase.testNoSkipWithOneOrMoreAtBeginning',
    pattern: () =>
      begin('a', AfterMatchSkipStrategy.noSkip())
        .where(has('a'))
        .oneOrMore()
        .consecutive()
        .greedy()
        .next('b')
        .where(has('b')),
    events: seq('a1', 'a2', 'a3', 'b1'),
    matches: [
      ['a1', 'a2', 'a3', 'b1'],
      ['a2', 'a3', 'b1'],
      ['a3', 'b1'],
    ],
  },
];
