/**
 * The NFA run directly on Flink CEP's own test cases (see flink-cases.ts), plus the cases
 * whose expectations are about timeouts, errors and the shared buffer.
 */
import { describe, expect, it } from 'vitest';
import { NFA, SkipStrategyError } from '../../src/cep/nfa.js';
import { AfterMatchSkipStrategy, MalformedPatternError, Pattern } from '../../src/cep/pattern.js';
import { FLINK_CASES, timeoutHandlingPattern, timeWindowEvents } from './flink-cases.js';
import { type Event, event, expected, feed, labels, named, run } from './helpers.js';

describe('NFA on Flink CEP test cases', () => {
  for (const c of FLINK_CASES) {
    it(`mirrors ${c.flink}`, () => {
      expect(run(c.pattern(), c.events)).toEqual(expected(...c.matches));
    });
  }
});

describe('NFA timeouts, skip errors and iterative conditions', () => {
  it('mirrors NFAITCase.testSimplePatternWithTimeoutHandling: partial matches time out with start + window', () => {
    const pattern = timeoutHandlingPattern();
    const events = timeWindowEvents();
    const { matches, timedOut } = feed(pattern, events);
    expect(matches.map(labels)).toEqual(['start2 middle end1']);
    expect(timedOut.map((t) => `${labels(t.match)}@${t.timestamp}`).sort()).toEqual(
      ['start1 middle@11', 'start2 middle@12', 'start1@11', 'start2@12'].sort(),
    );
  });

  it('mirrors AfterMatchSkipITCase.testSkipToFirstElementOfMatch: throwOnMiss refuses to skip to the match start', () => {
    const pattern = Pattern.begin<Event>('a', AfterMatchSkipStrategy.skipToFirst('a', true)).where((e) =>
      e.name.includes('a'),
    );
    expect(() => feed(pattern, [event('a1', 1)])).toThrow(SkipStrategyError);
  });

  it('mirrors AfterMatchSkipITCase.testSkipToFirstNonExistentPosition and testSkipToLastNonExistentPosition', () => {
    for (const skip of [
      AfterMatchSkipStrategy.skipToFirst('b', true),
      AfterMatchSkipStrategy.skipToLast('b', true),
    ]) {
      const pattern = Pattern.begin<Event>('a', skip)
        .where((e) => e.name.includes('a'))
        .next('b')
        .where((e) => e.name.includes('b'))
        .oneOrMore()
        .optional()
        .consecutive()
        .next('c')
        .where((e) => e.name.includes('c'));
      expect(() => feed(pattern, [event('a', 1), event('c', 2)])).toThrow(/could not skip to "b"/);
    }
  });

  it('passes iterative conditions the events already accepted for a step', () => {
    // Flink's documentation example: middle events while their running sum of prices stays under 5.
    const pattern = Pattern.begin<Event>('start')
      .where(named('c'))
      .next('middle')
      .where(named('a'))
      .where((e, ctx) => ctx.events('middle').reduce((sum, m) => sum + m.price, e.price) < 5)
      .oneOrMore()
      .consecutive();
    const events = [
      event('c', 1),
      event('a1', 2, { price: 1 }),
      event('a2', 3, { price: 2 }),
      event('a3', 4, { price: 3 }),
    ];
    expect(run(pattern, events)).toEqual(expected(['c', 'a1'], ['c', 'a1', 'a2']));
  });

  it('refuses malformed patterns with a clear error', () => {
    expect(
      () =>
        Pattern.begin<Event>('a').followedBy('a').where(named('a')) &&
        new NFA(Pattern.begin<Event>('a').followedBy('a')),
    ).toThrow(/used twice/);
    expect(() => Pattern.begin<Event>('a').oneOrMore().times(2)).toThrow(MalformedPatternError);
    expect(() => Pattern.begin<Event>('a').greedy()).toThrow(/looping or times step/);
    expect(() => Pattern.begin<Event>('a').until(named('b'))).toThrow(/until\(\) applies to a looping step/);
    expect(() => Pattern.begin<Event>('a').consecutive()).toThrow(/consecutive\(\)/);
    // NFACompilerTest / Flink's compiler: "NotFollowedBy is not supported without windowTime as a last part of a Pattern!"
    expect(() => new NFA(Pattern.begin<Event>('a').notFollowedBy('b'))).toThrow(/only with within\(\)/);
    expect(() => Pattern.begin<Event>('a').optional().notNext('b')).toThrow(
      /cannot follow the optional step/,
    );
    expect(() => Pattern.begin<Event>('a').within(0)).toThrow(/positive number/);
    expect(
      () =>
        Pattern.begin<Event>('a', AfterMatchSkipStrategy.skipToFirst('z')).next('b') &&
        new NFA(Pattern.begin<Event>('a', AfterMatchSkipStrategy.skipToFirst('z'))),
    ).toThrow(/does not have/);
  });
});

describe('shared buffer', () => {
  it('stores each event once however many partial matches share it', () => {
    // followedByAny over n events makes n(n-1)/2 partial matches of two events but holds n events.
    const pattern = Pattern.begin<Event>('a').followedByAny('b').followedByAny('c').where(named('never'));
    const events = Array.from({ length: 40 }, (_, i) => event(`x${i}`, i));
    const { nfa } = feed(pattern, events);
    expect(nfa.partialMatchCount).toBe(1 + 40 + (40 * 39) / 2);
    expect(nfa.bufferSize.events).toBe(40);
    // x0 is only ever a first event; every other event is stored under 'a' and under 'b'.
    expect(nfa.bufferSize.nodes).toBe(79);
  });

  it('drops the events of partial matches that ended', () => {
    const pattern = Pattern.begin<Event>('a').where(named('a')).next('b').where(named('b'));
    const events = Array.from({ length: 5000 }, (_, i) => event(i % 3 === 0 ? `b${i}` : `a${i}`, i));
    const { nfa, matches } = feed(pattern, events);
    expect(matches.length).toBe(1666);
    expect(nfa.bufferSize.events).toBeLessThan(600);
  });

  it('resumes from a snapshot with the same matches as an uninterrupted run', () => {
    const pattern = () =>
      Pattern.begin<Event>('start', AfterMatchSkipStrategy.skipToNext())
        .where(named('c'))
        .followedByAny('middle')
        .where(named('a'))
        .oneOrMore()
        .followedBy('end')
        .where(named('b'))
        .within(8);
    const names = ['c', 'a', 'x', 'a', 'b', 'c', 'a', 'a', 'b', 'a', 'c', 'b', 'a', 'b'];
    const events = names.map((name, i) => event(`${name}${i}`, i * 2));
    const whole = feed(pattern(), events);
    for (let cut = 1; cut < events.length; cut++) {
      const first = feed(pattern(), events.slice(0, cut));
      const resumed = new NFA(pattern());
      resumed.restore(JSON.parse(JSON.stringify(first.nfa.snapshot())));
      const matches = [...first.matches];
      const timedOut = [...first.timedOut];
      for (const e of events.slice(cut)) {
        const advanced = resumed.advanceTime(e.time);
        matches.push(...advanced.matches);
        timedOut.push(...advanced.timedOut);
        matches.push(...resumed.process(e, e.time));
      }
      expect(matches.map(labels)).toEqual(whole.matches.map(labels));
      expect(timedOut.map((t) => labels(t.match))).toEqual(whole.timedOut.map((t) => labels(t.match)));
    }
  });
});

describe('NFA reuse', () => {
  it('finds after reset() what a new NFA finds (an operator hands a let-go key NFA to another key)', () => {
    const pattern = () =>
      Pattern.begin<Event>('a')
        .where(named('a'))
        .followedBy('b')
        .where((e, ctx) => e.price > ctx.events('a')[0].price)
        .within(10);
    const events = Array.from({ length: 60 }, (_, i) =>
      event(`${i % 3 === 0 ? 'a' : 'b'}${i}`, i, { price: (i * 7) % 11 }),
    );
    const fresh = feed(pattern(), events);
    const reused = new NFA(pattern());
    for (const e of events.slice(0, 25)) reused.process(e, e.time);
    reused.reset();
    expect(reused.isEmpty).toBe(true);
    expect(reused.snapshot()).toEqual(new NFA(pattern()).snapshot());
    const matches = [];
    for (const e of events) {
      matches.push(...reused.advanceTime(e.time).matches, ...reused.process(e, e.time));
    }
    expect(matches.map(labels)).toEqual(fresh.matches.map(labels));
    expect(matches.length).toBeGreaterThan(5);
  });
});

describe('notFollowedBy as the last step', () => {
  it('emits a match when the window closes without the forbidden event, not a timeout (Flink PENDING state)', () => {
    const pattern = Pattern.begin<Event>('a')
      .where(named('a'))
      .notFollowedBy('b')
      .where(named('b'))
      .within(5);
    const { matches, timedOut, nfa } = feed(pattern, [
      event('a1', 0),
      event('x1', 3),
      event('a2', 4),
      event('b1', 6),
      event('a3', 7),
      event('y1', 20),
    ]);
    // a1's window closed at 5 with no b; b1 came within a2's window; a3's closed at 12.
    expect(matches.map(labels)).toEqual(['a1', 'a3']);
    expect(timedOut).toEqual([]);
    expect(nfa.isEmpty).toBe(true);
  });
});
